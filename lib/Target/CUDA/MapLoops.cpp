//===- MapLoops.cpp - parallel loops shaped into GPU blocks and threads ---===//

#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

#include <numeric>

namespace mlir::mase {
#define GEN_PASS_DEF_CUDAMAPLOOPSPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// Whether `op`, at the top level of a host function, reads or writes a
/// buffer's contents (allocation, deallocation and views do not).
bool touchesBufferContents(Operation *op) {
  if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
          memref::GetGlobalOp>(op) ||
      isa<ViewLikeOpInterface>(op))
    return false;
  if (isa<scf::ForOp, scf::IfOp, scf::WhileOp>(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return op->getNumRegions() > 0;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect()) &&
           e.getValue() && isa<MemRefType>(e.getValue().getType());
  });
}

struct CUDAMapLoopsPass
    : mase::impl::CUDAMapLoopsPassBase<CUDAMapLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (blockSize < 1) {
      func.emitError() << "mase-cuda-map-loops: block-size must be at least "
                          "1, got "
                       << blockSize;
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    if (failed(wrapSequentialCode(func, rewriter)))
      return signalPassFailure();
    for (scf::ParallelOp loop : outermostLoops(func)) {
      unsigned rank = loop.getNumLoops();
      if (rank == 1)
        continue;
      std::vector<unsigned> all(rank);
      std::iota(all.begin(), all.end(), 0u);
      rewriter.setInsertionPoint(loop);
      collapseParallelLoops(rewriter, loop, {all});
    }
    // Tiles are blocks, points of a tile threads; a tile past the end is
    // guarded by an `scf.if` rather than given a smaller (dynamic) size.
    for (scf::ParallelOp loop : outermostLoops(func))
      scf::tileParallelLoop(loop, {int64_t(blockSize)},
                            /*noMinMaxBounds=*/true);
  }

  static SmallVector<scf::ParallelOp> outermostLoops(func::FuncOp func) {
    SmallVector<scf::ParallelOp> loops;
    func.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    return loops;
  }

  /// Wraps each top-level op that touches buffer contents outside a
  /// parallel loop in a one-iteration `scf.parallel`.
  LogicalResult wrapSequentialCode(func::FuncOp func, IRRewriter &rewriter) {
    SmallVector<Operation *> sequential;
    for (Block &block : func.getBody())
      for (Operation &op : block)
        if (!isa<scf::ParallelOp>(op) && !op.hasTrait<OpTrait::IsTerminator>() &&
            touchesBufferContents(&op))
          sequential.push_back(&op);
    for (Operation *op : sequential) {
      if (!op->use_empty())
        return op->emitError()
               << "mase-cuda-map-loops: the host needs this value from a "
                  "buffer, but every buffer lives in GPU memory";
      rewriter.setInsertionPoint(op);
      Location loc = op->getLoc();
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      auto once = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                          ValueRange{one}, ValueRange{one});
      rewriter.moveOpBefore(op, once.getBody()->getTerminator());
    }
    return success();
  }
};

} // namespace
