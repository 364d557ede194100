//===- MapLoops.cpp - parallel loops shaped into GPU blocks and threads ---===//

#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <algorithm>
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
                       << blockSize.getValue();
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
    for (scf::ParallelOp loop : outermostLoops(func)) {
      int64_t threads = blockSize;
      std::optional<int64_t> lower =
          getConstantIntValue(loop.getLowerBound()[0]);
      std::optional<int64_t> upper =
          getConstantIntValue(loop.getUpperBound()[0]);
      std::optional<int64_t> step = getConstantIntValue(loop.getStep()[0]);
      // A short loop (a one-iteration wrapper) gets a block of its size.
      if (lower && upper && step && *step > 0)
        threads = std::clamp<int64_t>(llvm::divideCeil(*upper - *lower, *step),
                                      1, threads);
      scf::tileParallelLoop(loop, {threads}, /*noMinMaxBounds=*/true);
    }
  }

  static SmallVector<scf::ParallelOp> outermostLoops(func::FuncOp func) {
    SmallVector<scf::ParallelOp> loops;
    func.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    return loops;
  }

  /// Wraps each run of top-level ops that touch buffer contents outside a
  /// parallel loop (with the ops that use their values, such as the store of
  /// a loop's result) in a one-iteration `scf.parallel`.
  LogicalResult wrapSequentialCode(func::FuncOp func, IRRewriter &rewriter) {
    SmallVector<SmallVector<Operation *>> runs;
    for (Block &block : func.getBody()) {
      bool open = false;
      for (Operation &op : block) {
        bool joins =
            !isa<scf::ParallelOp, gpu::LaunchOp, gpu::LaunchFuncOp>(op) &&
            !op.hasTrait<OpTrait::IsTerminator>() &&
            (touchesBufferContents(&op) ||
             (open && llvm::any_of(op.getOperands(), [&](Value v) {
                return v.getDefiningOp() &&
                       llvm::is_contained(runs.back(), v.getDefiningOp());
              })));
        if (joins && !open)
          runs.emplace_back();
        if (joins)
          runs.back().push_back(&op);
        open = joins;
      }
    }
    for (ArrayRef<Operation *> run : runs) {
      for (Operation *op : run)
        for (Operation *user : op->getUsers())
          if (!llvm::is_contained(run, user))
            return op->emitError()
                   << "mase-cuda-map-loops: the host needs this value from "
                      "a buffer, but every buffer lives in GPU memory";
      rewriter.setInsertionPoint(run.front());
      Location loc = run.front()->getLoc();
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      auto once = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                          ValueRange{one}, ValueRange{one});
      for (Operation *op : run)
        rewriter.moveOpBefore(op, once.getBody()->getTerminator());
    }
    return success();
  }
};

} // namespace
