//===- Log.h - MASE base-2 logarithmic quantisation -------------*- C++ -*-===//
//
// Base-2 log quantisation exactly as MASE's log_quantizer computes it in
// float32 (spec section 4.4): one sign bit and width - 1 exponent bits,
//   y = sign(x + eps) * 2^clamp(round(log2(|x| + eps)), -b, 2^(w-1) - 1 - b)
// with eps = 0.1 * 2^-b and round = nearest-even. Zero is not representable.
// No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_LOG_H
#define MASE_NUMERICS_LOG_H

#include "mase/Numerics/Shape.h"

#include <optional>
#include <string>

namespace mase::numerics {

struct LogFormat {
  /// Sign bit plus width - 1 exponent bits.
  int width = 8;
  /// Unset: defaultExponentBias(width).
  std::optional<int> exponentBias;

  /// MASE's bias when the config leaves it unset: 2^(w-2) - 1 (for w in
  /// [2, 32]).
  static int defaultExponentBias(int width) { return (1 << (width - 2)) - 1; }
  int bias() const { return exponentBias.value_or(defaultExponentBias(width)); }

  /// Empty when the format is valid, otherwise a message naming the problem.
  std::string validate() const;
};

/// One element of log_quantizer with an explicit bias (block_log calls it
/// with its per-block bias).
float quantizeLogElement(float x, int width, int bias);

/// Quantises the row-major float32 tensor `in` of the given shape into `out`
/// (same size, not aliasing `in`). Returns an empty string on success, or a
/// message when the format is invalid.
std::string quantize(const LogFormat &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_LOG_H
