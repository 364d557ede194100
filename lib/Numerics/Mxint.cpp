//===- Mxint.cpp - MASE MXINT block quantisation --------------------------===//

#include "mase/Numerics/Mxint.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>
#include <limits>
#include <vector>

namespace mase::numerics {

std::string MxintFormat::validate() const {
  if (blockSize < 1)
    return "mxint block_size must be >= 1, got " + std::to_string(blockSize);
  if (elementBits < 1 || elementBits > 32)
    return "mxint element_bits must be in [1, 32], got " +
           std::to_string(elementBits);
  if (scaleBits < 1 || scaleBits > 16)
    return "mxint scale_bits must be in [1, 16], got " +
           std::to_string(scaleBits);
  return {};
}

namespace {

/// Original (row-major) index of every element, in the order MASE visits
/// them after moving `dim` to the last axis and flattening.
std::vector<std::int64_t> blockOrder(const Shape &shape, int dim) {
  std::int64_t outer = 1, inner = 1, len = shape[dim];
  for (int d = 0; d < dim; ++d)
    outer *= shape[d];
  for (std::size_t d = dim + 1; d < shape.size(); ++d)
    inner *= shape[d];
  std::vector<std::int64_t> order;
  order.reserve(outer * inner * len);
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t i = 0; i < inner; ++i)
      for (std::int64_t k = 0; k < len; ++k)
        order.push_back((o * len + k) * inner + i);
  return order;
}

} // namespace

std::string quantize(const MxintFormat &format, const float *in, float *out,
                     const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  const int rank = static_cast<int>(shape.size());
  if (format.blockDim < -rank || format.blockDim >= rank)
    return "mxint block_dim " + std::to_string(format.blockDim) +
           " is out of range for a tensor of rank " + std::to_string(rank);
  for (std::int64_t d : shape)
    if (d < 0)
      return "mxint: negative dimension " + std::to_string(d) + " in shape";
  const std::int64_t n = numElements(shape), bs = format.blockSize;
  if (n % bs != 0)
    return "mxint: input tensor size " + std::to_string(n) +
           " is not divisible by block size " + std::to_string(bs);

  const std::vector<std::int64_t> order =
      blockOrder(shape, (format.blockDim + rank) % rank);
  // Every constant is a float32 value, as torch uses it.
  const float elemScale = std::ldexp(1.0f, format.elementBits - 1);
  const float lo = -elemScale;
  const float hi =
      static_cast<float>(std::ldexp(1.0, format.elementBits - 1) - 1);
  const float bias = static_cast<float>((1 << (format.scaleBits - 1)) - 1);
  const float maxScale = static_cast<float>((1 << format.scaleBits) - 1);
  const float tiny = std::numeric_limits<float>::min();

  for (std::int64_t b = 0; b < n; b += bs) {
    float amax = 0.0f; // torch.quantile(1.0): the max, NaN if any NaN
    for (std::int64_t k = b; k < b + bs; ++k) {
      float a = std::fabs(in[order[k]]);
      if (std::isnan(a) || a > amax) // once NaN, amax stays NaN
        amax = a;
    }
    const float s = torch::ceilLog2(torch::clamp(amax, tiny, INFINITY));
    const float divisor = torch::pow2(s); // inf when s >= 128
    // The stored scale is clamped; the mantissa used the unclamped s.
    const float outScale =
        torch::pow2(torch::clamp(s + bias, 0.0f, maxScale) - bias);
    for (std::int64_t k = b; k < b + bs; ++k) {
      const std::int64_t i = order[k];
      float m = torch::roundHalfEven(in[i] / divisor * elemScale);
      m = torch::clamp(m, lo, hi);
      out[i] = m / elemScale * outScale;
    }
  }
  return {};
}

} // namespace mase::numerics
