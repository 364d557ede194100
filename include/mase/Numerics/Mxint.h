//===- Mxint.h - MASE MXINT block quantisation ------------------*- C++ -*-===//
//
// MXINT exactly as MASE's mxint_quantizer computes it in float32 with
// quantile_search=False (spec section 5.1). It is NOT OCP MXINT8: the shared
// exponent is ceil(log2 amax), elements have w-1 fraction bits and the range
// is [-2^(w-1), 2^(w-1)-1]; see Mxint8.h for the OCP / mase-cuda format.
//
// Blocking: block_dim is moved to the last axis, the tensor is flattened in
// row-major order and cut into consecutive chunks of block_size elements, so
// blocks straddle rows when that dimension is not a multiple of block_size.
// Per block, in float32:
//   a = max(max|x|, 2^-126);  s = ceil(log2 a)
//   m = clamp(round_half_even(x / 2^s * 2^(w-1)), -2^(w-1), 2^(w-1)-1)
//   S = clamp(s + 2^(sb-1)-1, 0, 2^sb-1)
//   y = m / 2^(w-1) * 2^(S - (2^(sb-1)-1))
// A block holding inf or NaN, or whose max exceeds 2^127 (S = 255), becomes
// all NaN.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_MXINT_H
#define MASE_NUMERICS_MXINT_H

#include "mase/Numerics/Shape.h"

#include <string>

namespace mase::numerics {

struct MxintFormat {
  /// Elements per block (MASE `block_size`); required, 0 is rejected.
  std::int64_t blockSize = 0;
  /// Bits per element including the sign (MASE `element_bits`, `*_width`).
  int elementBits = 8;
  /// Axis the blocks run along (MASE `block_dim`); negative counts from the
  /// end. Checked against the tensor's rank by quantize().
  int blockDim = -1;
  /// Bits of the shared scale (MASE `scale_bits`); bias 2^(sb-1)-1.
  int scaleBits = 8;

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message for an invalid format, a block_dim outside the rank, or an element
/// count that is not a multiple of the block size (MASE asserts on these).
std::string quantize(const MxintFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_MXINT_H
