//===- Ternary.cpp - MASE ternary quantisation ----------------------------===//

#include "mase/Numerics/Ternary.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>
#include <vector>

namespace mase::numerics {

std::string TernaryFormat::validate() const { return {}; }

std::string quantize(const TernaryFormat &format, const float *in, float *out,
                     const Shape &shape) {
  // MASE indexes dims 1..3 and sample 0 unconditionally (IndexError).
  if (shape.size() != 4)
    return "ternary needs a 4-D tensor, got " + std::to_string(shape.size()) +
           "-D";
  for (std::int64_t d : shape)
    if (d < 0)
      return "ternary: negative dimension " + std::to_string(d);
  if (shape[0] == 0)
    return "ternary needs at least one sample in dim 0";
  const std::int64_t perSample = shape[1] * shape[2] * shape[3];
  std::vector<float> magnitude(perSample), above(perSample),
      aboveMagnitude(perSample);
  for (std::int64_t s = 0; s < shape[0]; ++s) {
    const float *x = in + s * perSample;
    float *y = out + s * perSample;
    for (std::int64_t i = 0; i < perSample; ++i)
      magnitude[i] = std::fabs(x[i]);
    const float delta = 0.75f *
                        torch::sumContiguous(magnitude.data(), perSample) /
                        static_cast<float>(perSample);
    for (std::int64_t i = 0; i < perSample; ++i)
      y[i] = (x[i] > delta ? 1.0f : 0.0f) + (x[i] < -delta ? -1.0f : 0.0f);
    if (!format.scalingFactor)
      continue;
    for (std::int64_t i = 0; i < perSample; ++i) {
      above[i] = magnitude[i] > delta ? 1.0f : 0.0f;
      aboveMagnitude[i] = above[i] * magnitude[i];
    }
    // 0/0 = NaN when no element is above delta, as in MASE.
    const float alpha = torch::sumContiguous(aboveMagnitude.data(), perSample) /
                        torch::sumContiguous(above.data(), perSample);
    for (std::int64_t i = 0; i < perSample; ++i)
      y[i] *= alpha;
  }
  return {};
}

} // namespace mase::numerics
