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
    if (!op.getType().getElementType().isF32())
      return op.emitOpError("has no CPU kernel in ")
             << op.getType().getElementType()
             << " (the CPU attention kernel takes f32)";
    Value maskAddress = adaptor.getMask()
                            ? bufferAddress(rewriter, loc, adaptor.getMask())
                            : i64Constant(rewriter, loc, 0);
    SmallVector<Value> args;
    for (int64_t size : op.getSizes())
      args.push_back(i64Constant(rewriter, loc, size));
    args.append({
        arith::ConstantIntOp::create(rewriter, loc, op.getSequenceMajor(), 32),
        bufferAddress(rewriter, loc, adaptor.getQuery()),
        bufferAddress(rewriter, loc, adaptor.getKeyT()),
        bufferAddress(rewriter, loc, adaptor.getValue()),
        maskAddress});
    for (int64_t stride : op.getMaskStrides())
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
