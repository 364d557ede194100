//===- Binary.h - MASE binary quantisation ----------------------*- C++ -*-===//
//
// Binarisation exactly as MASE's binary_quantizer computes it in float32
// (spec section 4.6), deterministic variants only:
//   bipolar:     y = x >= 0 ? +1 : -1
//   non-bipolar: y = (x > 0) * mean(|x| over dims 1, 2, 3 of x's sample);
//                4-D tensors only, as in MASE.
// No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_BINARY_H
#define MASE_NUMERICS_BINARY_H

#include "mase/Numerics/Shape.h"

#include <string>

namespace mase::numerics {

struct BinaryFormat {
  bool bipolar = true;
  /// MASE thresholds against torch.rand; not reproducible, so rejected.
  bool stochastic = false;

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message when the format is invalid or the non-bipolar input is not 4-D.
std::string quantize(const BinaryFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_BINARY_H
