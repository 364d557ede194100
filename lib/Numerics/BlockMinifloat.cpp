//===- BlockMinifloat.cpp - MASE block minifloat --------------------------===//

#include "mase/Numerics/BlockMinifloat.h"

#include "mase/Numerics/Blocking.h"
#include "mase/Numerics/Minifloat.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

std::string BlockMinifloatFormat::validate() const {
  if (exponentWidth < 1 || exponentWidth > 8)
    return "block_minifloat exponent_width must be in [1, 8], got " +
           std::to_string(exponentWidth);
  if (width < exponentWidth + 1 || width > 32)
    return "block_minifloat width must be in [exponent_width + 1, 32] = [" +
           std::to_string(exponentWidth + 1) + ", 32], got " +
           std::to_string(width);
  if (exponentBiasWidth < 1 || exponentBiasWidth > 16)
    return "block_minifloat exponent_bias_width must be in [1, 16], got " +
           std::to_string(exponentBiasWidth);
  return validateBlockSize(blockSize);
}

std::string quantize(const BlockMinifloatFormat &format, const float *in,
                     float *out, const Shape &shape) {
  BlockPartition partition;
  if (std::string error = validateAndPartition(format, shape, partition);
      !error.empty())
    return error;

  const float maxBias =
      static_cast<float>((1 << format.exponentBiasWidth) - 1);
  const std::vector<float> maxima = blockMaxima(partition, in);
  for (std::int64_t b = 0; b < partition.numBlocks; ++b) {
    const float bias =
        torch::clamp(torch::floorLog2(maxima[b]), 0.0f, maxBias);
    for (std::int64_t i : partition.elements(b)) {
      // A NaN bias (a NaN in the block, or a borrowed NaN maximum) makes
      // every bound NaN in MASE, so the whole block is NaN.
      const float y = std::isnan(bias)
                          ? bias
                          : quantizeMinifloatIeeeElement(
                                in[i], format.width, format.exponentWidth,
                                static_cast<int>(bias));
      out[i] = partition.unblocked(y);
    }
  }
  return {};
}

} // namespace mase::numerics
