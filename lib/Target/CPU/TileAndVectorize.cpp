//===- TileAndVectorize.cpp - thread and register tiling, vectorization ---===//

#include "mase/Target/CPU/Passes.h"
#include "mase/Target/LinalgTiling.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CPUTILEANDVECTORIZEPASS
#include "mase/Target/CPU/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using mlir::mase::largestDivisorAtMost;
using mlir::mase::tileLinalgOp;
using mlir::mase::vectorizeIfPossible;

namespace {

/// Ops smaller than this (in iterations) run on one thread: a parallel region
/// costs microseconds to open.
constexpr int64_t kMinParallelWork = 1 << 15;
/// A parallel op is split into at most this many tasks.
constexpr int64_t kMaxTasks = 64;
/// Reductions up to this many vector registers long become one vector
/// reduction; longer ones a loop of such steps. A whole long row in
/// registers spills, and its straight-line code makes code generation
/// superlinearly slow (BERT-base's 768-wide rows).
constexpr int64_t kMaxReductionRegisters = 8;
/// Vector registers the matmul micro-kernel may fill with accumulators
/// (of 16 on AVX2; the rest hold the rhs row and the broadcast lhs element).
constexpr int64_t kAccumulatorRegisters = 12;

/// The smallest multiple of `step` dividing `size` that leaves at most
/// `maxTiles` tiles (`size` itself when none does better).
int64_t smallestTileForCount(int64_t size, int64_t step, int64_t maxTiles) {
  for (int64_t t = step; t < size; t += step)
    if (size % t == 0 && size / t <= maxTiles)
      return t;
  return size;
}

/// Tile sizes per loop: across threads (0 = not tiled) and the register tile.
struct TilePlan {
  SmallVector<int64_t> threadTiles;
  SmallVector<int64_t> registerTiles;
};

int64_t product(ArrayRef<int64_t> sizes) {
  int64_t p = 1;
  for (int64_t s : sizes)
    p *= s;
  return p;
}

/// `linalg.matmul` (m, n, k) or `linalg.batch_matmul` (b, m, n, k): an
/// mr x nr register tile with a reduction step of one (outer products), and
/// thread tasks made of whole rows of register tiles.
TilePlan planMatmul(ArrayRef<int64_t> ranges, int64_t width) {
  size_t batchDims = ranges.size() - 3;
  int64_t m = ranges[batchDims], n = ranges[batchDims + 1];
  int64_t nr = largestDivisorAtMost(n, 2 * width);
  int64_t vectorsPerRow = std::max<int64_t>(1, nr / width);
  int64_t mr = largestDivisorAtMost(m, kAccumulatorRegisters / vectorsPerRow);

  TilePlan plan;
  plan.registerTiles.assign(batchDims, 1);
  plan.registerTiles.append({mr, nr, 1});

  int64_t batchTasks = product(ranges.take_front(batchDims));
  int64_t nt = n <= 256 ? n : smallestTileForCount(n, nr, n / 256);
  int64_t nTasks = n / nt;
  int64_t mt = smallestTileForCount(
      m, mr, std::max<int64_t>(1, kMaxTasks / (batchTasks * nTasks)));
  plan.threadTiles.assign(batchDims, 1);
  plan.threadTiles.append({mt, nt, 0});
  return plan;
}

/// Any other op: one vector (up to four registers) along the innermost loop
/// when it is parallel, reductions in steps of up to kMaxReductionRegisters,
/// other loops one at a time; thread tasks split the outermost non-unit
/// parallel loop.
TilePlan planGeneric(ArrayRef<int64_t> ranges,
                     ArrayRef<utils::IteratorType> iterators, int64_t width) {
  size_t loops = ranges.size();
  TilePlan plan;
  plan.registerTiles.assign(loops, 1);
  plan.threadTiles.assign(loops, 0);
  size_t inner = loops - 1;
  plan.registerTiles[inner] = largestDivisorAtMost(
      ranges[inner],
      (iterators[inner] == utils::IteratorType::parallel
           ? 4
           : kMaxReductionRegisters) *
          width);

  for (size_t d = 0; d < loops; ++d) {
    if (iterators[d] != utils::IteratorType::parallel || ranges[d] == 1)
      continue;
    plan.threadTiles[d] =
        smallestTileForCount(ranges[d], plan.registerTiles[d], kMaxTasks);
    break;
  }
  return plan;
}

/// Replaces the rhs of a matmul register tile whose operands differ in
/// element type (f32 rows times i8 weight codes) by its element-wise
/// conversion to the lhs type, which it returns: the vectorizer's
/// vector.contract needs operands of one type. Inside the reduction loop the
/// tile is one rhs row, so the codes are converted as they are read and the
/// weight stays i8 in memory.
linalg::GenericOp convertMixedRhs(RewriterBase &rewriter,
                                  linalg::MatmulOp matmul) {
  Value rhs = matmul.getInputs()[1];
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type lhsElement = getElementTypeOrSelf(matmul.getInputs()[0].getType());
  Location loc = matmul.getLoc();
  rewriter.setInsertionPoint(matmul);
  Value init =
      tensor::EmptyOp::create(rewriter, loc, rhsType.getShape(), lhsElement);
  AffineMap identity = rewriter.getMultiDimIdentityMap(rhsType.getRank());
  auto conversion = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{rhs},
      ValueRange{init}, ArrayRef<AffineMap>{identity, identity},
      SmallVector<utils::IteratorType>(rhsType.getRank(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &b, Location nloc, ValueRange args) {
        linalg::YieldOp::create(
            b, nloc,
            convertScalarToDtype(b, nloc, args[0], lhsElement,
                                 /*isUnsignedCast=*/false));
      });
  rewriter.modifyOpInPlace(matmul, [&] {
    matmul.getDpsInputOperand(1)->set(conversion.getResult(0));
  });
  return conversion;
}

bool hasBooleanOperand(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.getElementType().isInteger(1);
  });
}

struct CPUTileAndVectorizePass
    : mase::impl::CPUTileAndVectorizePassBase<CPUTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && op.getNumLoops() > 0)
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(tileAndVectorize(rewriter, op)))
        return signalPassFailure();
  }

  LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ShapedType::isDynamicShape(ranges) || product(ranges) == 0)
      return success();
    int64_t width = std::max<int64_t>(1, vectorWidth);
    TilePlan plan = isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op)
                        ? planMatmul(ranges, width)
                        : planGeneric(ranges, op.getIteratorTypesArray(),
                                      width);

    Operation *current = op;
    SmallVector<int64_t> tileRanges(ranges);
    if (parallel && product(ranges) >= kMinParallelWork) {
      FailureOr<Operation *> tiled =
          tileLinalgOp(rewriter, current, tileRanges, plan.threadTiles,
                       scf::SCFTilingOptions::LoopType::ForallOp, getArgument());
      if (failed(tiled))
        return failure();
      current = *tiled;
      for (auto [range, size] : llvm::zip(tileRanges, plan.threadTiles))
        if (size != 0)
          range = size;
    }
    FailureOr<Operation *> tiled =
        tileLinalgOp(rewriter, current, tileRanges, plan.registerTiles,
                     scf::SCFTilingOptions::LoopType::ForOp, getArgument());
    if (failed(tiled))
      return failure();
    current = *tiled;

    // An op that reads or writes i1 tensors stays a scalar tile: LLVM stores
    // a vector of i1 as packed bits while an i1 memref holds one byte per
    // element.
    if (hasBooleanOperand(current))
      return success();
    auto matmul = dyn_cast<linalg::MatmulOp>(current);
    if (matmul && getElementTypeOrSelf(matmul.getInputs()[0].getType()) !=
                      getElementTypeOrSelf(matmul.getInputs()[1].getType()))
      vectorizeIfPossible(rewriter, convertMixedRhs(rewriter, matmul));
    vectorizeIfPossible(rewriter, current);
    return success();
  }
};

} // namespace
