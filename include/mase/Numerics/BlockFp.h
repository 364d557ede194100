//===- BlockFp.h - MASE block floating point (MSFP) -------------*- C++ -*-===//
//
// block_fp exactly as MASE's block_fp_quantizer computes it in float32 (spec
// section 4.2): each block (see Blocking.h) shares one exponent, each element
// keeps a sign and width-1 mantissa bits without an implicit leading bit:
//   E_blk = clamp(ceil(log2 max|x|), -bias, 2^E - 1 - bias)
//   q     = clamp(round_half_even((|x| + 1e-9) / 2^E_blk * 2^M), 0, 2^M - 1)
//   y     = sign(x + 1e-9) * 2^E_blk * q / 2^M          (M = width - 1)
// and |x| <= 1e-8 passes through unchanged. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_BLOCKFP_H
#define MASE_NUMERICS_BLOCKFP_H

#include "mase/Numerics/Shape.h"

#include <optional>
#include <string>
#include <vector>

namespace mase::numerics {

struct BlockFpFormat {
  /// Sign plus mantissa bits of each element (MASE `width`).
  int width;
  /// Bits of the shared exponent (MASE `exponent_width`).
  int exponentWidth = 8;
  /// Shared-exponent bias; unset means 2^(exponentWidth-1) - 1.
  std::optional<int> exponentBias;
  /// MASE `block_size`, right-aligned to the tensor (see Blocking.h).
  std::vector<std::int64_t> blockSize = {16};
  /// MASE `skip_first_dim`: true blocks per row / per batch item.
  bool skipFirstDim = true;

  /// The bias in effect (the default when exponentBias is unset).
  int bias() const {
    return exponentBias.value_or((1 << (exponentWidth - 1)) - 1);
  }

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message for an invalid format or a rank/skipFirstDim MASE cannot block.
std::string quantize(const BlockFpFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_BLOCKFP_H
