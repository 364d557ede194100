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

struct BufferizeModelPass
    : mase::impl::BufferizeModelPassBase<BufferizeModelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();

    // The caller's input buffers are read only (include/mase-c/ModelABI.h):
    // writes into an input get a copy instead.
    if (auto main = module.lookupSymbol<func::FuncOp>("main"))
      for (unsigned i = 0; i < main.getNumArguments(); ++i)
        main.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(module.getContext(), false));

    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    bufferization::BufferizationState state;
    if (failed(bufferization::runOneShotModuleBufferize(module, options,
                                                        state)))
      return signalPassFailure();

    bufferization::BufferResultsToOutParamsOpts outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    if (failed(bufferization::promoteBufferResultsToOutParams(module,
                                                              outParams)))
      return signalPassFailure();
    module.walk(writeResultsInPlace);
  }

  /// A result computed into a fresh allocation and then copied into its
  /// out-parameter is computed in the out-parameter directly (the upstream
  /// hoisting misses allocations that carry an alignment).
  static void writeResultsInPlace(func::FuncOp func) {
    if (func.isExternal())
      return;
    for (BlockArgument out : func.getArguments()) {
      if (!out.hasOneUse())
        continue;
      auto copy = dyn_cast<memref::CopyOp>(*out.getUsers().begin());
      if (!copy || copy.getTarget() != out ||
          copy->getBlock() != &func.getBody().front())
        continue;
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      if (!alloc || alloc.getType() != out.getType() ||
          llvm::any_of(alloc->getUsers(), [&](Operation *user) {
            Operation *at = copy->getBlock()->findAncestorOpInBlock(*user);
            return !at || (at != copy && copy->isBeforeInBlock(at));
          }))
        continue;
      copy.erase();
      alloc.replaceAllUsesWith(out);
      alloc.erase();
    }
  }
};

} // namespace
