//===- DeviceMemory.cpp - host functions' buffers in GPU memory -----------===//

#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDADEVICEMEMORYPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

struct CUDADeviceMemoryPass
    : mase::impl::CUDADeviceMemoryPassBase<CUDADeviceMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (failed(rejectHostKernels(func, module)))
        return signalPassFailure();
      if (failed(allocateOnDevice(func, rewriter)))
        return signalPassFailure();
      if (func.getSymName() == "main" && failed(stageArguments(func, rewriter)))
        return signalPassFailure();
    }
  }

  /// A call of an external function is a CPU kernel of the model support
  /// library (attention, quantised or sparse GEMMs, activation pruning):
  /// it would be handed device pointers.
  static LogicalResult rejectHostKernels(func::FuncOp func, ModuleOp module) {
    WalkResult walk = func.walk([&](func::CallOp call) {
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
      if (callee && !callee.isExternal())
        return WalkResult::advance();
      call.emitError() << "mase-cuda-device-memory: @" << call.getCallee()
                       << " is a CPU kernel with no GPU version yet";
      return WalkResult::interrupt();
    });
    return failure(walk.wasInterrupted());
  }

  /// Host allocations become device allocations.
  static LogicalResult allocateOnDevice(func::FuncOp func,
                                        IRRewriter &rewriter) {
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        gpu::DeallocOp::create(rewriter, op->getLoc(), TypeRange(),
                               ValueRange(), dealloc.getMemref());
        rewriter.eraseOp(op);
        continue;
      }
      auto type = cast<MemRefType>(op->getResult(0).getType());
      if (!type.getLayout().isIdentity() || type.getMemorySpace())
        return op->emitError() << "mase-cuda-device-memory: cannot place a "
                                  "buffer of type "
                               << type << " in GPU memory";
      auto alloc = gpu::AllocOp::create(
          rewriter, op->getLoc(), type, /*asyncToken=*/Type(),
          /*asyncDependencies=*/ValueRange(), op->getOperands(),
          /*symbolOperands=*/ValueRange(), /*hostShared=*/false);
      rewriter.replaceOp(op, alloc.getMemref());
      // A stack buffer has no dealloc; it lives until the function returns.
      if (isa<memref::AllocaOp>(op))
        for (Block &block : func.getBody())
          if (auto ret = dyn_cast<func::ReturnOp>(block.getTerminator())) {
            rewriter.setInsertionPoint(ret);
            gpu::DeallocOp::create(rewriter, ret.getLoc(), TypeRange(),
                                   ValueRange(), alloc.getMemref());
          }
    }
    return success();
  }

  /// Each argument of @main is the caller's buffer: the body works on a
  /// device buffer, filled from an input at entry and copied to an output
  /// before each return.
  static LogicalResult stageArguments(func::FuncOp func,
                                      IRRewriter &rewriter) {
    Block &entry = func.getBody().front();
    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
    for (BlockArgument argument : func.getArguments()) {
      auto type = dyn_cast<MemRefType>(argument.getType());
      if (!type || !type.getLayout().isIdentity())
        return func.emitError()
               << "mase-cuda-device-memory: @main's argument #"
               << argument.getArgNumber()
               << " must be a buffer with the identity layout, got "
               << argument.getType();
      Location loc = argument.getLoc();
      rewriter.setInsertionPointToStart(&entry);
      Value device = gpu::AllocOp::create(rewriter, loc, type, Type(),
                                          ValueRange(), ValueRange(),
                                          ValueRange(), false)
                         .getMemref();
      rewriter.replaceAllUsesWith(argument, device);
      bool input = static_cast<bool>(
          func.getArgAttr(argument.getArgNumber(), "mase.input_name"));
      if (input)
        gpu::MemcpyOp::create(rewriter, loc, TypeRange(), ValueRange(), device,
                              argument);
      for (func::ReturnOp ret : returns) {
        rewriter.setInsertionPoint(ret);
        if (!input)
          gpu::MemcpyOp::create(rewriter, loc, TypeRange(), ValueRange(),
                                argument, device);
        gpu::DeallocOp::create(rewriter, loc, TypeRange(), ValueRange(),
                               device);
      }
    }
    return success();
  }
};

} // namespace
