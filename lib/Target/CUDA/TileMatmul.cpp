//===- TileMatmul.cpp - a register tile of a matmul per GPU thread --------===//

#include "mase/Target/CUDA/Passes.h"
#include "mase/Target/CUDA/TensorCoreMatmul.h"
#include "mase/Target/LinalgTiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDATILEMATMULPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// A matmul with fewer thread tiles than this and a K of at least
/// kWarpMinK is left as a reduction, one warp an output (see the pass
/// description).
constexpr int64_t kMinThreadTiles = 1024;
constexpr int64_t kWarpMinK = 256;

struct CUDATileMatmulPass
    : mase::impl::CUDATileMatmulPassBase<CUDATileMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tile < 1) {
      getOperation().emitError()
          << getArgument() << ": tile must be at least 1, got "
          << tile.getValue();
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      if ((isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
           isGenericContraction(op)) &&
          op.hasPureTensorSemantics() &&
          !ShapedType::isDynamicShape(op.getStaticLoopRanges()) &&
          !(tensorCores && mase::isTensorCoreMatmul(op)))
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : matmuls) {
      rewriter.setInsertionPoint(op);
      // Operands of two element types (f32 rows by i8 weight codes) take
      // the generic form, whose body converts them: a vector.contract
      // cannot.
      if (!isa<linalg::GenericOp>(op) && hasMixedInputs(op)) {
        FailureOr<linalg::GenericOp> generic =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generic))
          return signalPassFailure();
        op = *generic;
      }
      if (isSmallWithLongReduction(op)) {
        // A generic is left to loop lowering: one thread an output.
        if (!isa<linalg::GenericOp>(op) &&
            failed(linalg::generalizeNamedOp(rewriter, op)))
          return signalPassFailure();
      } else if (failed(tileForThreads(rewriter, op))) {
        return signalPassFailure();
      }
    }
  }

  static bool hasMixedInputs(linalg::LinalgOp op) {
    return getElementTypeOrSelf(op.getDpsInputOperand(0)->get().getType()) !=
           getElementTypeOrSelf(op.getDpsInputOperand(1)->get().getType());
  }

  /// A `linalg.generic` shaped like a matmul: (batch,) m, n loops, then
  /// only reductions (k, or native quantisation's (block, element)), one
  /// output indexed by the parallel loops in order, and two inputs that
  /// each lack a parallel loop (A lacks n, B lacks m). A row reduction
  /// (layer norm's sums, whose inputs span every parallel loop) is not
  /// one: mase-cuda-warp-reductions gives it a warp a row.
  static bool isGenericContraction(linalg::LinalgOp op) {
    if (!isa<linalg::GenericOp>(op) || op.getNumDpsInits() != 1)
      return false;
    unsigned loops = op.getNumLoops(), parallel = parallelLoops(op);
    if (parallel < 2 || parallel == loops ||
        op.getNumParallelLoops() != parallel)
      return false;
    auto lacksParallelLoop = [&](OpOperand *input) {
      AffineMap map = op.getMatchingIndexingMap(input);
      return llvm::any_of(llvm::seq(0u, parallel), [&](unsigned loop) {
        return !map.isFunctionOfDim(loop);
      });
    };
    if (llvm::count_if(op.getDpsInputOperands(), lacksParallelLoop) < 2)
      return false;
    return op.getMatchingIndexingMap(op.getDpsInitOperand(0)) ==
           AffineMap::getMultiDimIdentityMap(loops, op.getContext())
               .getMajorSubMap(parallel);
  }

  /// The loops before the first reduction.
  static unsigned parallelLoops(linalg::LinalgOp op) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    return llvm::find(iterators, utils::IteratorType::reduction) -
           iterators.begin();
  }

  /// Whether `op` has too few thread tiles to occupy a GPU while each would
  /// walk a long K alone (the pooler's 1-row matmul: 192 threads of 768
  /// steps).
  bool isSmallWithLongReduction(linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    size_t parallel = parallelLoops(op), batchDims = parallel - 2;
    int64_t m = ranges[batchDims], n = ranges[batchDims + 1];
    int64_t tiles = m / mase::largestDivisorAtMost(m, tile) *
                    (n / mase::largestDivisorAtMost(n, tile));
    for (size_t d = 0; d < batchDims; ++d)
      tiles *= ranges[d];
    int64_t depth = 1;
    for (int64_t range : ArrayRef(ranges).drop_front(parallel))
      depth *= range;
    return tiles < kMinThreadTiles && depth >= kWarpMinK;
  }

  /// (batch,) m, n, then the reductions: a forall over (1,) tm x tn output
  /// tiles, then loops over the reductions in steps of one, whose step is
  /// vectorized.
  LogicalResult tileForThreads(RewriterBase &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    size_t parallel = parallelLoops(op), batchDims = parallel - 2;
    int64_t m = ranges[batchDims], n = ranges[batchDims + 1];
    SmallVector<int64_t> threadTiles(batchDims, 1);
    threadTiles.append({mase::largestDivisorAtMost(m, tile),
                        mase::largestDivisorAtMost(n, tile)});
    threadTiles.resize(ranges.size(), 0);
    FailureOr<Operation *> perThread = mase::tileLinalgOp(
        rewriter, op, ranges, threadTiles,
        scf::SCFTilingOptions::LoopType::ForallOp, getArgument());
    if (failed(perThread))
      return failure();
    SmallVector<int64_t> tileRanges(threadTiles);
    SmallVector<int64_t> steps(ranges.size(), 0);
    for (size_t d = parallel; d < ranges.size(); ++d) {
      tileRanges[d] = ranges[d];
      steps[d] = 1;
    }
    FailureOr<Operation *> step = mase::tileLinalgOp(
        rewriter, *perThread, tileRanges, steps,
        scf::SCFTilingOptions::LoopType::ForOp, getArgument());
    if (failed(step))
      return failure();
    mase::vectorizeIfPossible(rewriter, *step);
    return success();
  }
};

} // namespace
