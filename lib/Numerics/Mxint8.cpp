//===- Mxint8.cpp - OCP MXINT8 as mase-cuda computes it -------------------===//

#include "mase/Numerics/Mxint8.h"
#include "mase/Numerics/TorchFloat.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

namespace mase::numerics {

std::string Mxint8Format::validate() const {
  if (groupSize < 1)
    return "mxint8 group_size must be >= 1, got " + std::to_string(groupSize);
  return {};
}

namespace {

/// Validates the format and the shape; sets `n` to the element count.
std::string checkShape(const Mxint8Format &format, const Shape &shape,
                       std::int64_t &n) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  for (std::int64_t d : shape)
    if (d < 0)
      return "mxint8: negative dimension " + std::to_string(d);
  n = numElements(shape);
  if (n % format.groupSize != 0)
    return "mxint8: " + std::to_string(n) +
           " elements are not divisible by group_size " +
           std::to_string(format.groupSize);
  return {};
}

void encodeGroup(const float *in, std::int64_t size, std::int8_t *mantissas,
                 std::uint8_t &scale) {
  std::vector<float> w(size); // bf16-rounded inputs, subnormals flushed
  std::uint32_t maxExp = 0;
  for (std::int64_t k = 0; k < size; ++k) {
    w[k] = torch::fromBf16Bits(torch::toBf16Bits(in[k]));
    if (std::fabs(w[k]) < std::numeric_limits<float>::min())
      w[k] = 0.0f;
    maxExp = std::max(maxExp, (torch::bitsOf(w[k]) >> 23) & 0xff);
  }
  scale = static_cast<std::uint8_t>(maxExp);
  // An all-zero group divides by 2^-126 instead of 0; S = 255 divides by inf.
  const float divisor = torch::fromBits((maxExp == 0 ? 1u : maxExp) << 23);
  for (std::int64_t k = 0; k < size; ++k) {
    float q = torch::clamp(
        torch::roundHalfEven(std::fabs(w[k]) / divisor * 64.0f), 0.0f, 127.0f);
    int m = std::isnan(q) ? 0 : static_cast<int>(q);
    mantissas[k] = static_cast<std::int8_t>(w[k] < 0.0f ? -m : m);
  }
}

/// mase-cuda's bit rule: bf16 (sign | S << 7 | (|m| & 63) << 1) already is
/// the value when bit 6 of |m| is set; otherwise the implicit leading one
/// (sign | S << 7) is subtracted in float and rounded to bf16.
std::uint16_t decodeElement(std::int8_t m, std::uint8_t scale) {
  const std::uint16_t sign = m < 0 ? 0x8000 : 0;
  const std::uint16_t exp = static_cast<std::uint16_t>(scale) << 7;
  const unsigned a = static_cast<unsigned>(std::abs(static_cast<int>(m)));
  const std::uint16_t out =
      sign | exp | static_cast<std::uint16_t>((a & 0x3f) << 1);
  if (a & 0x40)
    return out;
  return torch::toBf16Bits(torch::fromBf16Bits(out) -
                           torch::fromBf16Bits(sign | exp));
}

} // namespace

std::string encode(const Mxint8Format &format, const float *in,
                   const Shape &shape, std::int8_t *mantissas,
                   std::uint8_t *scales) {
  std::int64_t n = 0;
  if (std::string error = checkShape(format, shape, n); !error.empty())
    return error;
  const std::int64_t gs = format.groupSize;
  for (std::int64_t g = 0; g < n / gs; ++g)
    encodeGroup(in + g * gs, gs, mantissas + g * gs, scales[g]);
  return {};
}

std::string decodeBf16(const Mxint8Format &format, const std::int8_t *mantissas,
                       const std::uint8_t *scales, std::uint16_t *out,
                       const Shape &shape) {
  std::int64_t n = 0;
  if (std::string error = checkShape(format, shape, n); !error.empty())
    return error;
  for (std::int64_t i = 0; i < n; ++i)
    out[i] = decodeElement(mantissas[i], scales[i / format.groupSize]);
  return {};
}

std::string decode(const Mxint8Format &format, const std::int8_t *mantissas,
                   const std::uint8_t *scales, float *out, const Shape &shape) {
  std::int64_t n = 0;
  if (std::string error = checkShape(format, shape, n); !error.empty())
    return error;
  for (std::int64_t i = 0; i < n; ++i)
    out[i] = torch::fromBf16Bits(
        decodeElement(mantissas[i], scales[i / format.groupSize]));
  return {};
}

std::string quantize(const Mxint8Format &format, const float *in, float *out,
                     const Shape &shape) {
  std::int64_t n = 0;
  if (std::string error = checkShape(format, shape, n); !error.empty())
    return error;
  std::vector<std::int8_t> mantissas(n);
  std::vector<std::uint8_t> scales(n / format.groupSize);
  encode(format, in, shape, mantissas.data(), scales.data()); // checked above
  return decode(format, mantissas.data(), scales.data(), out, shape);
}

} // namespace mase::numerics
