//===- Binary.cpp - MASE binary quantisation ------------------------------===//

#include "mase/Numerics/Binary.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>
#include <vector>

namespace mase::numerics {

std::string BinaryFormat::validate() const {
  if (stochastic)
    return "binary stochastic=true is not supported: MASE compares against "
           "torch.rand, which cannot be reproduced";
  return {};
}

std::string quantize(const BinaryFormat &format, const float *in, float *out,
                     const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  if (format.bipolar) {
    const std::int64_t n = numElements(shape);
    for (std::int64_t i = 0; i < n; ++i)
      out[i] = in[i] >= 0 ? 1.0f : -1.0f; // NaN gives -1
    return {};
  }
  // MASE indexes dims 1..3 unconditionally (IndexError otherwise).
  if (shape.size() != 4)
    return "binary with bipolar=false needs a 4-D tensor, got " +
           std::to_string(shape.size()) + "-D";
  for (std::int64_t d : shape)
    if (d < 0)
      return "binary: negative dimension " + std::to_string(d);
  const std::int64_t samples = shape[0];
  const std::int64_t perSample = shape[1] * shape[2] * shape[3];
  std::vector<float> magnitude(perSample);
  for (std::int64_t s = 0; s < samples; ++s) {
    const float *x = in + s * perSample;
    for (std::int64_t i = 0; i < perSample; ++i)
      magnitude[i] = std::fabs(x[i]);
    // torch.mean on the CPU: the float32 sum, then divided by the count.
    const float alpha = torch::sumContiguous(magnitude.data(), perSample) /
                        static_cast<float>(perSample);
    for (std::int64_t i = 0; i < perSample; ++i)
      out[s * perSample + i] = (x[i] > 0 ? 1.0f : 0.0f) * alpha;
  }
  return {};
}

} // namespace mase::numerics
