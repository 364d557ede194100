//===- BlockLog.cpp - MASE block logarithmic quantisation -----------------===//

#include "mase/Numerics/BlockLog.h"

#include "mase/Numerics/Blocking.h"
#include "mase/Numerics/Log.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

std::string BlockLogFormat::validate() const {
  if (width < 2 || width > 16)
    return "block_log width must be in [2, 16], got " + std::to_string(width);
  if (exponentBiasWidth < 1 || exponentBiasWidth > 16)
    return "block_log exponent_bias_width must be in [1, 16], got " +
           std::to_string(exponentBiasWidth);
  return validateBlockSize(blockSize);
}

std::string quantize(const BlockLogFormat &format, const float *in, float *out,
                     const Shape &shape) {
  BlockPartition partition;
  if (std::string error = validateAndPartition(format, shape, partition);
      !error.empty())
    return error;

  const float topExponent = static_cast<float>((1 << (format.width - 1)) - 1);
  const float maxBias =
      static_cast<float>((1 << format.exponentBiasWidth) - 1);
  const std::vector<float> maxima = blockMaxima(partition, in);
  for (std::int64_t b = 0; b < partition.numBlocks; ++b) {
    const float bias = torch::clamp(topExponent - torch::ceilLog2(maxima[b]),
                                    0.0f, maxBias);
    for (std::int64_t i : partition.elements(b)) {
      // A NaN bias (a NaN in the block, or a borrowed NaN maximum) makes the
      // whole block NaN in MASE.
      const float y = std::isnan(bias)
                          ? bias
                          : quantizeLogElement(in[i], format.width,
                                               static_cast<int>(bias));
      out[i] = partition.unblocked(y);
    }
  }
  return {};
}

} // namespace mase::numerics
