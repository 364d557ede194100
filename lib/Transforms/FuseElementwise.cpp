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

/// Fuses a producer only when it is an all-parallel generic whose every
/// use is in this consumer. Fusing a producer with other users copies its
/// computation into each of them; along a residual stream (layer norm,
/// residual add, next layer norm, ...) the copies nest, so that the last
/// layer recomputes every layer's elementwise chain from the embedding.
bool isFusableProducer(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  Operation *consumer = operand->getOwner();
  return producer && linalg::isElementwise(producer) &&
         llvm::all_of(producer->getUsers(),
                      [&](Operation *user) { return user == consumer; });
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
