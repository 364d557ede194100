//===- MxintHardware.cpp - MASE mxint_hardware tiles ----------------------===//

#include "mase/Numerics/MxintHardware.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

std::string MxintHardwareFormat::validate() const {
  if (width < 1 || width > 32)
    return "mxint_hardware width must be in [1, 32], got " +
           std::to_string(width);
  if (exponentWidth < 1 || exponentWidth > 8)
    return "mxint_hardware exponent_width must be in [1, 8], got " +
           std::to_string(exponentWidth);
  for (std::int64_t p : parallelism)
    if (p < 1)
      return "mxint_hardware parallelism entries must be >= 1, got " +
             std::to_string(p);
  return {};
}

std::string quantize(const MxintHardwareFormat &format, const float *in,
                     float *out, const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  if (shape.empty())
    return "mxint_hardware needs a tensor of rank >= 1";
  for (std::int64_t d : shape)
    if (d < 0)
      return "mxint_hardware: negative dimension " + std::to_string(d);
  const std::int64_t p1 = format.parallelism[0], p0 = format.parallelism[1];
  const std::int64_t t0 = shape.back();
  const std::int64_t t1 = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  if (t1 % p1 != 0 || t0 % p0 != 0)
    return "mxint_hardware: tile [" + std::to_string(p1) + ", " +
           std::to_string(p0) + "] does not divide the last two dimensions [" +
           std::to_string(t1) + ", " + std::to_string(t0) + "]";
  const std::int64_t n = numElements(shape);
  if (n == 0)
    return {};

  const float beta = std::ldexp(1.0f, format.exponentWidth - 1);
  const float eMax = beta - 1;
  const float lo = -std::ldexp(1.0f, format.width - 1);
  const float hi = static_cast<float>(std::ldexp(1.0, format.width - 1) - 1);
  // The rows of all leading dimensions stack into n / t0 rows; p1 divides t1,
  // so no tile crosses from one leading index into the next.
  for (std::int64_t rowBase = 0; rowBase < n / t0; rowBase += p1) {
    for (std::int64_t colBase = 0; colBase < t0; colBase += p0) {
      auto at = [&](std::int64_t r, std::int64_t c) {
        return (rowBase + r) * t0 + colBase + c;
      };
      float amax = 0.0f; // torch max: NaN if any NaN
      for (std::int64_t r = 0; r < p1; ++r)
        for (std::int64_t c = 0; c < p0; ++c) {
          float a = std::fabs(in[at(r, c)]);
          if (std::isnan(a) || a > amax)
            amax = a;
        }
      // log2(0) = -inf clamps to -beta.
      const float e = torch::clamp(torch::ceilLog2(amax) - beta, -beta, eMax);
      const float step = torch::pow2(e);
      for (std::int64_t r = 0; r < p1; ++r)
        for (std::int64_t c = 0; c < p0; ++c) {
          const std::int64_t i = at(r, c);
          out[i] = step * torch::clamp(std::floor(in[i] / step), lo, hi);
        }
    }
  }
  return {};
}

} // namespace mase::numerics
