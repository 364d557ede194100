//===- Log.cpp - MASE base-2 logarithmic quantisation ---------------------===//

#include "mase/Numerics/Log.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

std::string LogFormat::validate() const {
  if (width < 2 || width > 32)
    return "log width must be in [2, 32], got " + std::to_string(width);
  // Wider biases only move every exponent out of the float32 range.
  if (exponentBias && (*exponentBias < -1000 || *exponentBias > 1000))
    return "log exponent_bias must be in [-1000, 1000], got " +
           std::to_string(*exponentBias);
  return {};
}

float quantizeLogElement(float x, int width, int bias) {
  const float exponentMin = static_cast<float>(-static_cast<double>(bias));
  const float exponentMax =
      static_cast<float>(std::ldexp(1.0, width - 1) - 1.0 - bias);
  // 0.1 * 2^-b: MASE forms it in double for an integer bias (log) and as
  // f32(2^-b) * f32(0.1) for a tensor bias (block_log); the two round to the
  // same float32 for every bias in [-127, 1000] (block_log's are >= 0).
  const float epsilon = static_cast<float>(0.1 * std::ldexp(1.0, -bias));
  const float sign = torch::sign(x + epsilon);
  const float exponent =
      torch::clamp(torch::roundHalfEven(torch::log2(std::fabs(x) + epsilon)),
                   exponentMin, exponentMax);
  return sign * torch::pow2(exponent);
}

std::string quantize(const LogFormat &format, const float *in, float *out,
                     const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  const int bias = format.bias();
  const std::int64_t n = numElements(shape);
  for (std::int64_t i = 0; i < n; ++i)
    out[i] = quantizeLogElement(in[i], format.width, bias);
  return {};
}

} // namespace mase::numerics
