//===- Minifloat.h - MASE minifloat quantisation ----------------*- C++ -*-===//
//
// Minifloats exactly as MASE's minifloat_denorm_quantizer and
// minifloat_ieee_quantizer compute them in float32 (spec section 3): sign,
// E exponent bits with bias b, M = width - E - 1 mantissa bits, no inf/NaN
// encodings (the top binade is finite, large values saturate), and the
// |x| <= 1e-8 pass-through. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_MINIFLOAT_H
#define MASE_NUMERICS_MINIFLOAT_H

#include "mase/Numerics/Shape.h"

#include <cmath>
#include <optional>
#include <string>

namespace mase::numerics {

/// Minifloat without an implicit leading bit: |y| = 2^e * q / 2^M with
/// e in [-b, 2^E - 1 - b] chosen as ceil(log2 |x|), q in [0, 2^M - 1].
struct MinifloatDenormFormat {
  int width = 8;
  int exponentWidth = 4;
  /// Unset: defaultExponentBias(exponentWidth).
  std::optional<int> exponentBias;

  /// MASE's bias when the config leaves it unset: 2^(E-1) - 1 (for E in
  /// [1, 31]).
  static int defaultExponentBias(int exponentWidth) {
    return (1 << (exponentWidth - 1)) - 1;
  }
  int bias() const {
    return exponentBias.value_or(defaultExponentBias(exponentWidth));
  }
  int mantissaWidth() const { return width - exponentWidth - 1; }

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// Minifloat with an implicit leading bit and IEEE-style subnormals at the
/// lowest exponent -b; rounding never carries into the next binade.
struct MinifloatIeeeFormat {
  int width = 8;
  int exponentWidth = 4;
  /// Unset: defaultExponentBias(exponentWidth).
  std::optional<int> exponentBias;

  static int defaultExponentBias(int exponentWidth) {
    return MinifloatDenormFormat::defaultExponentBias(exponentWidth);
  }
  int bias() const {
    return exponentBias.value_or(defaultExponentBias(exponentWidth));
  }
  int mantissaWidth() const { return width - exponentWidth - 1; }

  std::string validate() const;
};

/// MASE's clamp bounds, Python ints converted to float32: the exponent
/// range [-bias, 2^E - 1 - bias], 2^M and 2^M - 1 for M = width - E - 1
/// mantissa bits. Shared by the element functions and the compiler's
/// run-time lowering, so both round with the same constants.
struct MinifloatGrid {
  float minExponent, maxExponent, shift, mantissaMax;
  MinifloatGrid(int width, int exponentWidth, int bias)
      : minExponent(static_cast<float>(-static_cast<double>(bias))),
        maxExponent(
            static_cast<float>(std::ldexp(1.0, exponentWidth) - 1.0 - bias)),
        shift(std::ldexp(1.0f, width - exponentWidth - 1)),
        mantissaMax(static_cast<float>(
            std::ldexp(1.0, width - exponentWidth - 1) - 1.0)) {}
};

/// One element of minifloat_denorm with an explicit bias.
float quantizeMinifloatDenormElement(float x, int width, int exponentWidth,
                                     int bias);

/// One element of minifloat_ieee with an explicit bias (block_minifloat calls
/// it with its per-block bias).
float quantizeMinifloatIeeeElement(float x, int width, int exponentWidth,
                                   int bias);

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message when the format is invalid.
std::string quantize(const MinifloatDenormFormat &format, const float *in,
                     float *out, const Shape &shape);
std::string quantize(const MinifloatIeeeFormat &format, const float *in,
                     float *out, const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_MINIFLOAT_H
