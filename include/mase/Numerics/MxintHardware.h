//===- MxintHardware.h - MASE mxint_hardware tiles --------------*- C++ -*-===//
//
// MXINT exactly as MASE's mxint_hardware computes it in float32 (spec
// section 5.2). Blocks are p1 x p0 tiles over the last two dimensions; all
// leading dimensions are independent, a 1-D tensor is one row. Per tile:
//   beta = 2^(E-1)
//   e = clamp(ceil(log2 max|x|) - beta, -beta, 2^(E-1) - 1)
//   y = 2^e * clamp(floor(x / 2^e), -2^(w-1), 2^(w-1) - 1)
// Rounding is floor (toward -inf). An all-zero tile gets e = -beta; a tile
// holding NaN becomes all NaN; +-inf saturates to the range ends.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_MXINTHARDWARE_H
#define MASE_NUMERICS_MXINTHARDWARE_H

#include "mase/Numerics/Shape.h"

#include <array>
#include <string>

namespace mase::numerics {

struct MxintHardwareFormat {
  /// Bits per element including the sign (MASE `*_width`); MASE's default 12.
  int width = 12;
  /// Bits of the shared exponent (MASE `*_exponent_width`); default 6.
  int exponentWidth = 6;
  /// Tile [p1, p0] over the last two dimensions (MASE `*_parallelism`);
  /// required. MASE's one-entry form [p] means [1, p].
  std::array<std::int64_t, 2> parallelism = {0, 0};

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message for an invalid format or a tile that does not divide the last two
/// dimensions (MASE asserts on that).
std::string quantize(const MxintHardwareFormat &format, const float *in,
                     float *out, const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_MXINTHARDWARE_H
