//===- LowerVectors.cpp - vector and math lowering for the CPU ------------===//

#include "mase/Target/CPU/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CPULOWERVECTORSPASS
#include "mase/Target/CPU/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// Transcendentals on the hot paths of transformers (GELU, softmax,
/// sigmoid, tanh-GELU); the others keep their libm calls.
bool isApproximated(StringRef opName) {
  return opName == math::ExpOp::getOperationName() ||
         opName == math::ErfOp::getOperationName() ||
         opName == math::TanhOp::getOperationName();
}

struct CPULowerVectorsPass
    : mase::impl::CPULowerVectorsPassBase<CPULowerVectorsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerReduction);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    if (approximateMath)
      populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
