//===- Integer.cpp - MASE fixed-point quantisation ------------------------===//

#include "mase/Numerics/Integer.h"

#include <cmath>

namespace mase::numerics {

std::string IntegerFormat::validate() const {
  if (width < 1 || width > 32)
    return "integer width must be in [1, 32], got " + std::to_string(width);
  if (fracWidth < -126 || fracWidth > 126)
    return "integer frac_width must be in [-126, 126], got " +
           std::to_string(fracWidth);
  return {};
}

double IntegerFormat::minCode() const {
  return isSigned ? -std::ldexp(1.0, width - 1) : 0.0;
}

double IntegerFormat::maxCode() const {
  return isSigned ? std::ldexp(1.0, width - 1) - 1 : std::ldexp(1.0, width) - 1;
}

std::string quantize(const IntegerFormat &format, const float *in, float *out,
                     const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  const std::int64_t n = numElements(shape);
  // torch evaluates every step in float32: the scale and the clamp bounds are
  // float32 values (2^31 - 1 becomes 2^31, as in MASE).
  const float scale = std::ldexp(1.0f, format.fracWidth);
  const float lo = static_cast<float>(format.minCode());
  const float hi = static_cast<float>(format.maxCode());
  const bool floor = format.rounding == Rounding::Floor;
  for (std::int64_t i = 0; i < n; ++i) {
    float scaled = in[i] * scale;
    float code = floor ? std::floor(scaled) : std::nearbyint(scaled);
    if (!std::isnan(code))
      code = code < lo ? lo : (code > hi ? hi : code);
    out[i] = code / scale;
  }
  return {};
}

} // namespace mase::numerics
