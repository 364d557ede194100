//===- EarlyDealloc.cpp - free temporaries after their last use -----------===//

#include "mase/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::mase {
#define GEN_PASS_DEF_EARLYDEALLOCPASS
#include "mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// Whether `op`, or an op nested in it, has an operand in `derived`.
bool usesAny(Operation *op, const llvm::DenseSet<Value> &derived) {
  WalkResult walk = op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (derived.contains(operand))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return walk.wasInterrupted();
}

/// The last op of the allocation's block, between it and `dealloc`, that
/// uses `buffer` or a value derived from it (null when none does). Every
/// result of an op that uses a derived value counts as derived: views,
/// casts and pointers for calls alias the buffer, and anything else is
/// followed too rather than proved harmless.
Operation *lastUse(Value buffer, memref::DeallocOp dealloc) {
  llvm::DenseSet<Value> derived = {buffer};
  Operation *last = nullptr;
  for (Operation *op = buffer.getDefiningOp()->getNextNode(); op != dealloc;
       op = op->getNextNode()) {
    if (!usesAny(op, derived))
      continue;
    last = op;
    for (Value result : op->getResults())
      derived.insert(result);
  }
  return last;
}

struct EarlyDeallocPass : mase::impl::EarlyDeallocPassBase<EarlyDeallocPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &body = func.getBody().front();
    SmallVector<memref::DeallocOp> deallocs(body.getOps<memref::DeallocOp>());
    for (memref::DeallocOp dealloc : deallocs) {
      Value buffer = dealloc.getMemref();
      Operation *alloc = buffer.getDefiningOp();
      if (!isa_and_present<memref::AllocOp>(alloc) ||
          alloc->getBlock() != &body)
        continue;
      Operation *last = lastUse(buffer, dealloc);
      dealloc->moveAfter(last ? last : alloc);
    }
  }
};

} // namespace
