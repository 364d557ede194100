//===- PruneToLinalg.cpp - mase.prune_activation to a call and a mask -----===//
//
// The threshold needs a selection over the whole tensor, which the model
// support archive computes (`mase_activation_l1_threshold`, linked into
// every model library); the mask is an elementwise linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mase-c/ModelSupport.h"
#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

struct PruneActivationLowering : OpConversionPattern<PruneActivationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PruneActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto threshold = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        op, StringAttr::get(op.getContext(), MASE_ACTIVATION_L1_THRESHOLD_SYMBOL));
    if (!threshold)
      return op.emitOpError() << "needs the declaration of @"
                              << MASE_ACTIVATION_L1_THRESHOLD_SYMBOL
                              << ", which mase-prune adds";
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput();

    Value args[] = {
        bufferAddress(rewriter, loc, input),
        arith::ConstantIntOp::create(rewriter, loc, type.getNumElements(), 64),
        arith::ConstantOp::create(rewriter, loc, op.getSparsityAttr())};
    Value t =
        func::CallOp::create(rewriter, loc, threshold, args).getResult(0);

    // x * (|x| > t ? 1 : 0): a pruned negative is -0.0, as in MASE.
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    AffineMap id = rewriter.getMultiDimIdentityMap(type.getRank());
    SmallVector<utils::IteratorType> parallel(type.getRank(),
                                              utils::IteratorType::parallel);
    auto masked = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{input}, ValueRange{init},
        ArrayRef<AffineMap>{id, id}, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0];
          Value magnitude = math::AbsFOp::create(b, l, x);
          Value keep = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                             magnitude, t);
          Value one = arith::ConstantOp::create(b, l, b.getF32FloatAttr(1.0f));
          Value zero =
              arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f));
          Value factor = arith::SelectOp::create(b, l, keep, one, zero);
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::MulFOp::create(b, l, x,
                                                                   factor)});
        });
    rewriter.replaceOp(op, masked.getResult(0));
    return success();
  }
};

} // namespace

void mlir::mase::populateMasePruneToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<PruneActivationLowering>(patterns.getContext());
}
