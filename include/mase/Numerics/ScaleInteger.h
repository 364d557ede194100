//===- ScaleInteger.h - MASE per-row scaled integers ------------*- C++ -*-===//
//
// Scaled integer quantisation exactly as MASE's scale_integer_quantizer
// computes it in float32 (spec section 4.6). Per row r of the last dimension:
//   s_r = 2^(w-1) / (max|x_r| + 1e-9)      (2^w when unsigned)
//   y   = clamp(round(x * s_r), lo, hi) / s_r
// with [lo, hi] = [-2^(w-1), 2^(w-1) - 1], or [0, 2^w - 1] unsigned.
// MASE's `quantile` argument is ignored. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_SCALEINTEGER_H
#define MASE_NUMERICS_SCALEINTEGER_H

#include "mase/Numerics/Shape.h"

#include <string>

namespace mase::numerics {

struct ScaleIntegerFormat {
  int width = 8;
  bool isSigned = true;

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;

  /// Smallest and largest integer codes.
  double minCode() const;
  double maxCode() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`); a 0-D tensor is one row of one element.
/// Returns an empty string on success, or a message when the format is
/// invalid or the last dimension is empty (MASE's max() raises).
std::string quantize(const ScaleIntegerFormat &format, const float *in,
                     float *out, const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_SCALEINTEGER_H
