//===- ScaleInteger.cpp - MASE per-row scaled integers --------------------===//

#include "mase/Numerics/ScaleInteger.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

std::string ScaleIntegerFormat::validate() const {
  if (width < 1 || width > 32)
    return "scale_integer width must be in [1, 32], got " +
           std::to_string(width);
  return {};
}

double ScaleIntegerFormat::minCode() const {
  return isSigned ? -std::ldexp(1.0, width - 1) : 0.0;
}

double ScaleIntegerFormat::maxCode() const {
  return isSigned ? std::ldexp(1.0, width - 1) - 1 : std::ldexp(1.0, width) - 1;
}

std::string quantize(const ScaleIntegerFormat &format, const float *in,
                     float *out, const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  for (std::int64_t d : shape)
    if (d < 0)
      return "scale_integer: negative dimension " + std::to_string(d);
  const std::int64_t rowLength = shape.empty() ? 1 : shape.back();
  const std::int64_t n = numElements(shape);
  if (rowLength == 0)
    return "scale_integer needs a non-empty last dimension";
  const float lo = static_cast<float>(format.minCode());
  const float hi = static_cast<float>(format.maxCode());
  // max|x| maps to 2^(w-1) (signed, one above the largest code) or 2^w.
  const float numerator =
      std::ldexp(1.0f, format.isSigned ? format.width - 1 : format.width);
  for (std::int64_t row = 0; row < n; row += rowLength) {
    const float *x = in + row;
    float max = std::fabs(x[0]); // torch.max propagates NaN
    for (std::int64_t i = 1; i < rowLength && !std::isnan(max); ++i)
      max = std::isnan(x[i]) ? x[i] : std::fmax(max, std::fabs(x[i]));
    // Python's `2^k / tensor` is tensor.reciprocal() * 2^k.
    const float scale = 1.0f / (max + torch::kEpsilon) * numerator;
    for (std::int64_t i = 0; i < rowLength; ++i)
      out[row + i] =
          torch::clamp(torch::roundHalfEven(x[i] * scale), lo, hi) / scale;
  }
  return {};
}

} // namespace mase::numerics
