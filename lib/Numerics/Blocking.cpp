//===- Blocking.cpp - MASE's partition of a tensor into blocks ------------===//

#include "mase/Numerics/Blocking.h"

#include <algorithm>
#include <cmath>

namespace mase::numerics {

std::string validateBlockSize(const std::vector<std::int64_t> &blockSize) {
  for (std::size_t i = 0; i < blockSize.size(); ++i)
    if (blockSize[i] < 1 && blockSize[i] != -1)
      return "block_size[" + std::to_string(i) +
             "] must be a positive extent or -1, got " +
             std::to_string(blockSize[i]);
  return {};
}

Shape inferBlockShape(const Shape &shape,
                      const std::vector<std::int64_t> &blockSize) {
  const std::size_t rank = shape.size();
  Shape block(rank, -1);
  // Right-align: block[d] pairs with blockSize[d + blockSize.size() - rank].
  for (std::size_t d = 0; d < rank; ++d)
    if (d + blockSize.size() >= rank)
      block[d] = blockSize[d + blockSize.size() - rank];
  for (std::size_t d = 0; d < rank; ++d)
    if (block[d] == -1 || block[d] > shape[d])
      block[d] = shape[d];
  return block;
}

Shape inferPadding(const Shape &shape, const Shape &blockShape) {
  Shape padding(shape.size(), 0);
  for (std::size_t d = 0; d < shape.size(); ++d) {
    const std::int64_t b = blockShape[d];
    if (b >= 1 && shape[d] >= b)
      padding[d] = (shape[d] + b - 1) / b * b - shape[d];
  }
  return padding;
}

namespace {

/// MASE's block shape for each supported (rank, skipFirstDim), or the error
/// it raises.
std::string blockShapeFor(const Shape &shape,
                          const std::vector<std::int64_t> &blockSize,
                          bool skipFirstDim, Shape &blockShape) {
  switch (shape.size()) {
  case 1:
    if (skipFirstDim)
      return "skip_first_dim must be false to block a 1-D tensor (bias)";
    blockShape = inferBlockShape(shape, blockSize);
    return {};
  case 2:
    blockShape = skipFirstDim ? inferBlockShape({1, shape[1]}, blockSize)
                              : inferBlockShape(shape, blockSize);
    return {};
  case 3:
    if (!skipFirstDim)
      return "blocking a 3-D tensor requires skip_first_dim (block 3d weight "
             "is not supported)";
    blockShape = inferBlockShape({1, shape[1], shape[2]}, blockSize);
    return {};
  default:
    return "unsupported tensor rank for blocking: x.ndim = " +
           std::to_string(shape.size());
  }
}

/// Advances a row-major multi-index over `extent`; false after the last one.
bool next(Shape &index, const Shape &extent) {
  for (std::size_t d = index.size(); d-- > 0;) {
    if (++index[d] < extent[d])
      return true;
    index[d] = 0;
  }
  return false;
}

} // namespace

std::string partitionIntoBlocks(const Shape &shape,
                                const std::vector<std::int64_t> &blockSize,
                                bool skipFirstDim, BlockPartition &partition) {
  if (std::string error = validateBlockSize(blockSize); !error.empty())
    return error;
  Shape blockShape;
  if (std::string error = blockShapeFor(shape, blockSize, skipFirstDim,
                                        blockShape);
      !error.empty())
    return error;
  // MASE divides by the block extent (ZeroDivisionError).
  for (std::size_t d = 0; d < shape.size(); ++d)
    if (blockShape[d] == 0)
      return "cannot block dimension " + std::to_string(d) + " of extent 0";

  const std::size_t rank = shape.size();
  Shape padding = inferPadding(shape, blockShape);
  partition = BlockPartition();
  partition.shape = shape;
  partition.blockShape = blockShape;
  partition.unblockAddsZero = (rank == 2 && !skipFirstDim) || rank == 3;
  partition.numBlocks = 1;
  partition.blockVolume = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    partition.paddedShape.push_back(shape[d] + padding[d]);
    partition.numBlocks *= partition.paddedShape[d] / blockShape[d];
    partition.blockVolume *= blockShape[d];
  }
  return {};
}

std::vector<std::int64_t> BlockPartition::blockSlots(std::int64_t b) const {
  const std::size_t rank = shape.size();
  // The block's first coordinate per dimension: b unravelled row-major over
  // the grid of blocks.
  Shape origin(rank);
  for (std::size_t d = rank; d-- > 0;) {
    const std::int64_t blocksInDim = paddedShape[d] / blockShape[d];
    origin[d] = b % blocksInDim * blockShape[d];
    b /= blocksInDim;
  }
  std::vector<std::int64_t> slots;
  slots.reserve(blockVolume);
  Shape offset(rank, 0);
  do {
    std::int64_t flat = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      const std::int64_t coord = origin[d] + offset[d];
      if (coord >= shape[d]) {
        flat = kPadding;
        break;
      }
      flat = flat * shape[d] + coord;
    }
    slots.push_back(flat);
  } while (next(offset, blockShape));
  return slots;
}

std::vector<std::int64_t> BlockPartition::elements(std::int64_t b) const {
  std::vector<std::int64_t> indices;
  for (std::int64_t slot : blockSlots(b))
    if (slot != kPadding)
      indices.push_back(slot);
  return indices;
}

std::vector<float> blockMaxima(const BlockPartition &partition,
                               const float *in) {
  std::vector<float> maxima(partition.numBlocks, 0.0f);
  for (std::int64_t b = 0; b < partition.numBlocks; ++b)
    for (std::int64_t i : partition.elements(b)) {
      float v = std::fabs(in[i]);
      if (std::isnan(v)) { // torch.max propagates NaN
        maxima[b] = v;
        break;
      }
      maxima[b] = std::max(maxima[b], v);
    }
  applyZeroBlockRule(maxima);
  return maxima;
}

void applyZeroBlockRule(std::vector<float> &maxima) {
  bool anyNonZero = false;
  float smallest = INFINITY;
  for (float m : maxima) {
    if (m == 0.0f)
      continue;
    anyNonZero = true;
    // torch.min propagates NaN.
    if (std::isnan(m) || (!std::isnan(smallest) && m < smallest))
      smallest = m;
  }
  for (float &m : maxima)
    if (m == 0.0f)
      m = anyNonZero ? smallest : 1.0f;
}

} // namespace mase::numerics
