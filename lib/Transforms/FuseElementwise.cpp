//===- FuseElementwise.cpp - elementwise fusion that keeps named matmuls --===//

#include "mase/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mase {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// Fuses a producer only when it is an all-parallel generic.
bool isFusableProducer(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  return producer && linalg::isElementwise(producer);
}

struct FuseElementwisePass
    : mase::impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, isFusableProducer);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
