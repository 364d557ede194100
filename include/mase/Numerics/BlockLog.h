//===- BlockLog.h - MASE block logarithmic quantisation ---------*- C++ -*-===//
//
// block_log exactly as MASE's block_log_quantizer computes it in float32
// (spec section 4.5): each block (see Blocking.h) shares an exponent bias
// chosen so that the block maximum sits at the top exponent,
//   beta = clamp(2^(width-1) - 1 - ceil(log2 max|x|), 0, 2^exponentBiasWidth - 1),
// and every element is quantised with the log format (Log.h) using bias
// beta: y = sign * 2^e. Zero is not representable (it becomes 2^-beta).
// No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_BLOCKLOG_H
#define MASE_NUMERICS_BLOCKLOG_H

#include "mase/Numerics/Shape.h"

#include <string>
#include <vector>

namespace mase::numerics {

struct BlockLogFormat {
  /// Sign bit + width-1 exponent bits per element (MASE `width`).
  int width;
  /// Bits of the shared bias (MASE `exponent_bias_width`).
  int exponentBiasWidth;
  /// MASE `block_size`, right-aligned to the tensor (see Blocking.h).
  std::vector<std::int64_t> blockSize;
  /// MASE `skip_first_dim`: true blocks per row / per batch item.
  bool skipFirstDim;

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message for an invalid format or a rank/skipFirstDim MASE cannot block.
std::string quantize(const BlockLogFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_BLOCKLOG_H
