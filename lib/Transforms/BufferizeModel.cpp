//===- BufferizeModel.cpp - whole-module bufferization for compiled models ===//

#include "mase/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::mase {
#define GEN_PASS_DEF_BUFFERIZEMODELPASS
#include "mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// Copies as `linalg.copy`, which lowers to loops (or vectors): a
/// `memref.copy` between strided views would need MLIR's runtime library.
LogicalResult createLinalgCopy(OpBuilder &builder, Location loc, Value from,
                               Value to) {
  linalg::CopyOp::create(builder, loc, from, to);
  return success();
}

struct BufferizeModelPass
    : mase::impl::BufferizeModelPassBase<BufferizeModelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();

    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    options.memCpyFn = createLinalgCopy;
    bufferization::BufferizationState state;
    if (failed(bufferization::runOneShotModuleBufferize(module, options,
                                                        state)))
      return signalPassFailure();

    bufferization::BufferResultsToOutParamsOpts outParams;
    outParams.memCpyFn = createLinalgCopy;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    if (failed(bufferization::promoteBufferResultsToOutParams(module,
                                                              outParams)))
      return signalPassFailure();
  }
};

} // namespace
