//===- FusedToLinalg.cpp - fused mase ops to kernel calls -----------------===//
//
// `mase.sdpa` becomes one call of the model support library's `mase_sdpa`
// on the operands' buffers, into a fresh result buffer (in the op's layout);
// a mask that broadcasts is read through strides of 0.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mase-c/ModelSupport.h"
#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

struct SdpaOpLowering : OpConversionPattern<SdpaOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SdpaOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // Batch, heads, queries, keys, depth, value depth.
    bool sequenceMajor = op.getSequenceMajor();
    ArrayRef<int64_t> q = op.getQuery().getType().getShape();
    ArrayRef<int64_t> kt = op.getKeyT().getType().getShape();
    ArrayRef<int64_t> v = op.getValue().getType().getShape();
    int64_t sizes[6] = {q[0], kt[1], q[sequenceMajor ? 1 : 2], kt[3], q[3],
                        v[3]};
    // The mask's element strides over [B, H, Sq, Sk]: 0 where it broadcasts.
    int64_t strides[4] = {0, 0, 0, 0};
    Value maskAddress = i64Constant(rewriter, loc, 0);
    if (Value mask = adaptor.getMask()) {
      ArrayRef<int64_t> m = cast<RankedTensorType>(mask.getType()).getShape();
      int64_t stride = 1;
      for (int64_t i = static_cast<int64_t>(m.size()) - 1; i >= 0; --i) {
        strides[4 - m.size() + i] = m[i] == 1 ? 0 : stride;
        stride *= m[i];
      }
      maskAddress = bufferAddress(rewriter, loc, mask);
    }
    SmallVector<Value> args;
    for (int64_t size : sizes)
      args.push_back(i64Constant(rewriter, loc, size));
    args.append({
        arith::ConstantIntOp::create(rewriter, loc, sequenceMajor, 32),
        bufferAddress(rewriter, loc, adaptor.getQuery()),
        bufferAddress(rewriter, loc, adaptor.getKeyT()),
        bufferAddress(rewriter, loc, adaptor.getValue()),
        maskAddress});
    for (int64_t stride : strides)
      args.push_back(i64Constant(rewriter, loc, stride));
    args.push_back(arith::ConstantOp::create(rewriter, loc, op.getScaleAttr()));
    args.push_back(arith::ConstantIntOp::create(rewriter, loc,
                                                op.getZeroNanRows(), 32));
    FailureOr<Value> result = callWritingResult(
        rewriter, op, MASE_SDPA_SYMBOL, args, op.getType().getShape());
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseFusedToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<SdpaOpLowering>(patterns.getContext());
}
