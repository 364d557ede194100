//===- BlockMinifloat.h - MASE block minifloat ------------------*- C++ -*-===//
//
// block_minifloat exactly as MASE's block_minifloat_quantizer computes it in
// float32 (spec section 4.3): each block (see Blocking.h) shares an exponent
// bias derived from its max |x|,
//   beta = clamp(floor(log2 max|x|), 0, 2^exponentBiasWidth - 1),
// and every element is quantised with minifloat_ieee (Minifloat.h) using bias
// beta. A larger block maximum gives a larger bias and so a *smaller* range.
// No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_BLOCKMINIFLOAT_H
#define MASE_NUMERICS_BLOCKMINIFLOAT_H

#include "mase/Numerics/Shape.h"

#include <string>
#include <vector>

namespace mase::numerics {

struct BlockMinifloatFormat {
  /// Sign + exponent + mantissa bits of each element (MASE `width`).
  int width;
  /// Exponent bits of each element (MASE `exponent_width`).
  int exponentWidth;
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
std::string quantize(const BlockMinifloatFormat &format, const float *in,
                     float *out, const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_BLOCKMINIFLOAT_H
