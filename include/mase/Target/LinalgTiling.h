//===- LinalgTiling.h - tiling and vectorizing linalg ops -------*- C++ -*-===//
//
// The pieces of register tiling that the CPU and GPU code generators share.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_LINALGTILING_H
#define MASE_TARGET_LINALGTILING_H

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mase {

/// The largest divisor of `size` that is at most `bound` (at least 1).
int64_t largestDivisorAtMost(int64_t size, int64_t bound);

/// Tiles `op` (whose loops have the static `ranges`) with `tileSizes` (0 or a
/// loop's full size: untiled) into loops of `loopType`, replacing it; returns
/// the innermost tiled op, or `op` when nothing is tiled. A failure is
/// reported on `op`, naming `pass`.
FailureOr<Operation *> tileLinalgOp(RewriterBase &rewriter, Operation *op,
                                    ArrayRef<int64_t> ranges,
                                    SmallVector<int64_t> tileSizes,
                                    scf::SCFTilingOptions::LoopType loopType,
                                    StringRef pass);

/// Vectorizes `op`, or leaves it scalar when the vectorizer cannot take it
/// (it checks before rewriting).
void vectorizeIfPossible(RewriterBase &rewriter, Operation *op);

} // namespace mlir::mase

#endif // MASE_TARGET_LINALGTILING_H
