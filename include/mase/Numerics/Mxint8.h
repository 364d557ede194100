//===- Mxint8.h - OCP MXINT8 as mase-cuda computes it -----------*- C++ -*-===//
//
// MXINT8 as OCP Microscaling v1.0 defines it and as MASE's lab computes it
// (DeepWok/mase-cuda quantize1d_simulated / dequantize1d_simulated; spec
// sections 5.4, 5.5 and 8.3). Not MASE's `mxint` (see Mxint.h).
//
// Groups: groupSize consecutive elements of the row-major flattened tensor
// (they straddle rows when the last dimension is not a multiple of it); the
// element count must be a multiple of groupSize. Per group:
//   1. every input is rounded to bfloat16 (nearest even), then used as fp32;
//   2. |w| < 2^-126 is flushed to 0;
//   3. scale byte S = the largest fp32 biased exponent field of |w| in the
//      group = floor(log2 amax) + 127 (E8M0, bias 127); 0 for an all-zero
//      group, 255 when the group holds inf/NaN (also from bf16 overflow);
//   4. mantissa m = sign(w) * clamp(round_half_even(|w| / 2^(S-127) * 64), 0,
//      127): int8 two's complement, symmetric +-127 (-128 is never produced);
//   5. value = m * 2^(S-133), decoded to bfloat16 by the lab's bit rule.
//
// PACKED LAYOUT (mase-cuda QLinearPacked / PackedWeight; 8 + 8/groupSize bits
// per element): two separate arrays,
//   mantissas: numElements int8, one per element, in row-major order;
//   scales:    numElements / groupSize uint8, scales[g] for elements
//              [g*groupSize, (g+1)*groupSize).
// The decoder applies the lab's rule to any bytes: for 1 <= S <= 254 and
// |m| <= 127 it gives m * 2^(S-133) exactly; m = -128 gives +0, S = 0 is
// not the scale 2^-127 and S = 255 gives NaN (or +-inf for m = +-64), as in
// mase-cuda. The encoder stores mantissa 0 for every element of a group with
// S = 255 (mase-cuda leaves the non-finite element's byte to an undefined
// float-to-int8 cast), so such a group decodes to all NaN, as OCP's NaN
// scale 0xFF means.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_MXINT8_H
#define MASE_NUMERICS_MXINT8_H

#include "mase/Numerics/Shape.h"

#include <cstdint>
#include <string>

namespace mase::numerics {

struct Mxint8Format {
  /// Elements per shared scale: OCP's k = 32 and the lab's choice
  /// (mase-cuda's QLinearPacked defaults to 16).
  std::int64_t groupSize = 32;

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// The simulate path: bf16 pre-rounding, encode, decode to bf16, widen to
/// float32. `out` has the size of `in` and does not alias it. Returns an
/// empty string on success, or a message for an invalid format or an element
/// count that is not a multiple of groupSize.
std::string quantize(const Mxint8Format &format, const float *in, float *out,
                     const Shape &shape);

/// Encodes `in` into the packed layout above: `mantissas` receives
/// numElements(shape) bytes, `scales` numElements(shape) / groupSize bytes.
std::string encode(const Mxint8Format &format, const float *in,
                   const Shape &shape, std::int8_t *mantissas,
                   std::uint8_t *scales);

/// Decodes the packed layout to bfloat16 bit patterns, as mase-cuda does.
std::string decodeBf16(const Mxint8Format &format, const std::int8_t *mantissas,
                       const std::uint8_t *scales, std::uint16_t *out,
                       const Shape &shape);

/// Decodes the packed layout to float32 (the bfloat16 result, widened).
std::string decode(const Mxint8Format &format, const std::int8_t *mantissas,
                   const std::uint8_t *scales, float *out, const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_MXINT8_H
