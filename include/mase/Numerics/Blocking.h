//===- Blocking.h - MASE's partition of a tensor into blocks ----*- C++ -*-===//
//
// The block formats (block_fp, block_minifloat, block_log) share one
// parameter per block of elements. This file reproduces how MASE cuts a
// tensor into those blocks (spec section 4.1) and the per-block maximum that
// the shared parameter is derived from. A format only has to turn each
// maximum into its shared parameter and quantise the block's elements:
//
//   BlockPartition p;
//   if (std::string e = partitionIntoBlocks(shape, blockSize, skipFirstDim, p);
//       !e.empty())
//     return e;
//   std::vector<float> maxima = blockMaxima(p, in);
//   for (std::int64_t b = 0; b < p.numBlocks; ++b)
//     for (std::int64_t i : p.elements(b))   // padding slots already skipped
//       out[i] = p.unblocked(quantiseElement(in[i], maxima[b]));
//
// No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_BLOCKING_H
#define MASE_NUMERICS_BLOCKING_H

#include "mase/Numerics/Shape.h"

#include <string>
#include <vector>

namespace mase::numerics {

/// Empty when every block-size entry is a positive extent or -1 ("the whole
/// dimension"), otherwise a message naming the bad entry.
std::string validateBlockSize(const std::vector<std::int64_t> &blockSize);

/// MASE's _infer_block_shape: right-aligns `blockSize` to `shape` (dropping
/// surplus leading entries, prepending -1 for missing ones) and replaces -1
/// and entries larger than the dimension by the dimension's extent.
Shape inferBlockShape(const Shape &shape,
                      const std::vector<std::int64_t> &blockSize);

/// MASE's _infer_padding_shape, per dimension: how many zeros are appended
/// to the end of the dimension to make it a multiple of the block extent
/// (`blockShape` as inferBlockShape returns it, every entry >= 1).
Shape inferPadding(const Shape &shape, const Shape &blockShape);

/// A row-major tensor cut into equally sized blocks, as MASE's `block()`.
///
/// Every dimension d is zero-padded at its end to paddedShape[d], a multiple
/// of blockShape[d]; the blocks tile the padded tensor. Blocks are numbered
/// row-major over the grid of blocks, and the slots inside a block row-major
/// over blockShape. With skipFirstDim the first dimension has extent 1 in
/// blockShape: blocks never span rows (2-D) or batch items (3-D).
///
/// Example: W[3,4] with block size [2,2] and skipFirstDim=false pads to 4x4
/// and gives 4 blocks of 4 slots, {0,1,4,5} {2,3,6,7} {8,9,-,-} {10,11,-,-}
/// where '-' is a padding slot.
struct BlockPartition {
  static constexpr std::int64_t kPadding = -1;

  Shape shape;       ///< tensor shape
  Shape blockShape;  ///< block extent per dimension (1 in a skipped dim)
  Shape paddedShape; ///< shape after zero padding
  std::int64_t numBlocks = 0;
  std::int64_t blockVolume = 0; ///< slots per block, padding included
  /// MASE puts 2-D tiles and 3-D activation blocks back with F.fold, which
  /// adds each value to a +0.0: a -0.0 block result comes back as +0.0.
  bool unblockAddsZero = false;

  /// The slots of block `b` in order (blockVolume entries): the row-major
  /// index of each slot's element in the unpadded tensor, or kPadding.
  /// Computed on demand; the partition itself stores no per-element data.
  std::vector<std::int64_t> blockSlots(std::int64_t b) const;
  /// The element indices of block `b`, padding skipped.
  std::vector<std::int64_t> elements(std::int64_t b) const;
  /// A quantised block value as MASE's unblock() returns it.
  float unblocked(float v) const { return unblockAddsZero ? 0.0f + v : v; }
};

/// Partitions a tensor of `shape` like MASE's block(x, blockSize,
/// skipFirstDim). Supported, as in MASE: 1-D tensors with skipFirstDim=false
/// (biases), 2-D tensors either way (false: 2-D tiles, "weight"; true: per
/// row, "activation") and 3-D tensors with skipFirstDim=true (per batch item;
/// the block is inferred from [1, d1, d2]). Returns an empty string, or the
/// error MASE raises for other ranks, or a message for an invalid block size
/// or a blocked dimension of extent 0.
std::string partitionIntoBlocks(const Shape &shape,
                                const std::vector<std::int64_t> &blockSize,
                                bool skipFirstDim, BlockPartition &partition);

/// The common first step of a block format's quantize: validates `format`
/// (any struct with validate(), blockSize and skipFirstDim) and partitions
/// `shape` by its block settings. Returns "" or the first error.
template <typename BlockFormat>
std::string validateAndPartition(const BlockFormat &format, const Shape &shape,
                                 BlockPartition &partition) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  return partitionIntoBlocks(shape, format.blockSize, format.skipFirstDim,
                             partition);
}

/// Per-block max |x| over the block's slots (padding counts as 0; a NaN
/// element makes the maximum NaN), with MASE's all-zero-block rule applied
/// (see applyZeroBlockRule).
std::vector<float> blockMaxima(const BlockPartition &partition,
                               const float *in);

/// MASE's guard against log2(0): if every maximum is 0 they all become 1;
/// otherwise each 0 maximum becomes the smallest non-zero maximum, which is
/// NaN as soon as any maximum is NaN (spec 11.2).
void applyZeroBlockRule(std::vector<float> &maxima);

} // namespace mase::numerics

#endif // MASE_NUMERICS_BLOCKING_H
