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

#include "mase/Numerics/Shape.h"

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

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message when the format is invalid.
std::string quantize(const IntegerFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_INTEGER_H
