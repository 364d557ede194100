//===- BlockFp.cpp - MASE block floating point (MSFP) ---------------------===//

#include "mase/Numerics/BlockFp.h"

#include "mase/Numerics/Blocking.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

std::string BlockFpFormat::validate() const {
  if (width < 1 || width > 32)
    return "block_fp width must be in [1, 32], got " + std::to_string(width);
  if (exponentWidth < 1 || exponentWidth > 16)
    return "block_fp exponent_width must be in [1, 16], got " +
           std::to_string(exponentWidth);
  if (exponentBias && (*exponentBias < -65536 || *exponentBias > 65536))
    return "block_fp exponent_bias must be in [-65536, 65536], got " +
           std::to_string(*exponentBias);
  return validateBlockSize(blockSize);
}

std::string quantize(const BlockFpFormat &format, const float *in, float *out,
                     const Shape &shape) {
  BlockPartition partition;
  if (std::string error = validateAndPartition(format, shape, partition);
      !error.empty())
    return error;

  const int mantissaBits = format.width - 1;
  const float shift = std::ldexp(1.0f, mantissaBits);
  const float maxCode = static_cast<float>(std::ldexp(1.0, mantissaBits) - 1);
  const float minExponent = static_cast<float>(-format.bias());
  const float maxExponent = static_cast<float>(
      (std::int64_t{1} << format.exponentWidth) - 1 - format.bias());
  const std::vector<float> maxima = blockMaxima(partition, in);
  for (std::int64_t b = 0; b < partition.numBlocks; ++b) {
    // The shared exponent: ceil, so the mantissa is in [0, 1). An exponent of
    // 128 or more makes 2^E_blk inf and the block NaN, as in MASE.
    const float scale = torch::pow2(torch::clamp(
        torch::ceilLog2(maxima[b]), minExponent, maxExponent));
    for (std::int64_t i : partition.elements(b)) {
      const float x = in[i];
      const float mantissa = (std::fabs(x) + torch::kEpsilon) / scale;
      const float code = torch::clamp(
          torch::roundHalfEven(mantissa * shift), 0.0f, maxCode);
      const float y = torch::signPlusEpsilon(x) * scale * (code / shift);
      out[i] = torch::passThroughNearZero(x, partition.unblocked(y));
    }
  }
  return {};
}

} // namespace mase::numerics
