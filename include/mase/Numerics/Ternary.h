//===- Ternary.h - MASE ternary quantisation --------------------*- C++ -*-===//
//
// Ternarisation exactly as MASE's ternary_quantizer computes it in float32
// (spec section 4.6). Per sample o (dim 0) of a 4-D tensor:
//   delta_o = 0.75 * sum|x_o| / n_o
//   y = +1 where x > delta_o, -1 where x < -delta_o, else 0
//   scaled: y * alpha_o, alpha_o = mean of the |x_o| above delta_o.
// MASE ignores any configured threshold and recomputes delta. No MLIR
// dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_TERNARY_H
#define MASE_NUMERICS_TERNARY_H

#include "mase/Numerics/Shape.h"

#include <string>

namespace mase::numerics {

struct TernaryFormat {
  /// MASE's scaling_factor: multiply by alpha_o.
  bool scalingFactor = false;

  /// Always empty: every combination is valid.
  std::string validate() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message when the input is not 4-D with at least one sample.
std::string quantize(const TernaryFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_TERNARY_H
