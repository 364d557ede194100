//===- LinalgTiling.cpp - tiling and vectorizing linalg ops ---------------===//

#include "mase/Target/LinalgTiling.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

int64_t mase::largestDivisorAtMost(int64_t size, int64_t bound) {
  for (int64_t d = std::min(size, bound); d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

FailureOr<Operation *>
mase::tileLinalgOp(RewriterBase &rewriter, Operation *op,
                   ArrayRef<int64_t> ranges, SmallVector<int64_t> tileSizes,
                   scf::SCFTilingOptions::LoopType loopType, StringRef pass) {
  for (auto [size, range] : llvm::zip(tileSizes, ranges))
    if (size == range)
      size = 0;
  if (llvm::all_of(tileSizes, [](int64_t size) { return size == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), tileSizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return op->emitError() << pass << ": tiling failed";
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.back();
}

void mase::vectorizeIfPossible(RewriterBase &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
      rewriter, op, {}, {}, /*vectorizeNDExtract=*/true,
      /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false,
      /*createNamedContraction=*/true);
  if (succeeded(vectorized))
    rewriter.replaceOp(op, vectorized->replacements);
}
