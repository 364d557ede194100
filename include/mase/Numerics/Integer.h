//===- Integer.h - MASE fixed-point quantisation ----------------*- C++ -*-===//
//
// Fixed-point ("integer") quantisation exactly as MASE's integer_quantizer and
// integer_floor_quantizer compute it in float32 (spec section 2):
//   y = clamp(round(x * 2^f), lo, hi) / 2^f
// with round = nearest-even (torch.round) or floor. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_INTEGER_H
#define MASE_NUMERICS_INTEGER_H

#include <cstddef>
#include <string>

namespace mase::numerics {

enum class Rounding { NearestEven, Floor };

struct IntegerFormat {
  int width = 8;
  /// Fractional bits; may be negative (scale 2^f < 1) or exceed the width.
  int fracWidth = 4;
  bool isSigned = true;
  Rounding rounding = Rounding::NearestEven;

  /// MASE's default fractional width when the config leaves it unset.
  static int defaultFracWidth(int width) { return width / 2; }

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;

  /// Smallest and largest representable integer codes (before scaling).
  double minCode() const;
  double maxCode() const;
};

/// Quantises `n` floats from `in` into `out` (which may alias `in`).
/// The format must be valid.
void quantize(const IntegerFormat &format, const float *in, float *out,
              std::size_t n);

} // namespace mase::numerics

#endif // MASE_NUMERICS_INTEGER_H
