//===- IntegerPacking.cpp - packed storage for fixed-point codes ----------===//

#include "mase/Numerics/IntegerPacking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mase::numerics {

namespace {

/// Bits one code occupies in storage: the width itself up to 8 (bit
/// stream), otherwise a 16- or 32-bit word.
int storageBits(int width) {
  return width <= 8 ? width : (width <= 16 ? 16 : 32);
}

std::string checkShape(const IntegerFormat &format, const Shape &shape) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  for (std::int64_t d : shape)
    if (d < 0)
      return "integer packing: negative dimension " + std::to_string(d);
  return {};
}

std::uint64_t getBits(const std::uint8_t *packed, std::int64_t bitPos,
                      int bits) {
  std::uint64_t value = 0;
  for (int j = 0; j < bits; ++j, ++bitPos)
    value |=
        static_cast<std::uint64_t>((packed[bitPos / 8] >> (bitPos % 8)) & 1)
        << j;
  return value;
}

} // namespace

int codesPerByteGroup(int bits) { return 8 / std::gcd(bits, 8); }

bool packsInByteGroups(int bits, std::int64_t rowLength) {
  return bits < 8 && rowLength % codesPerByteGroup(bits) == 0;
}

void putBits(std::uint8_t *packed, std::int64_t bitPos, int bits,
             std::uint64_t value) {
  for (int j = 0; j < bits; ++j, ++bitPos)
    if ((value >> j) & 1)
      packed[bitPos / 8] |= static_cast<std::uint8_t>(1u << (bitPos % 8));
}

std::size_t packedBytes(const IntegerFormat &format, std::size_t numElements) {
  if (!format.validate().empty())
    return 0;
  return (numElements * storageBits(format.width) + 7) / 8;
}

std::string encode(const IntegerFormat &format, const float *in,
                   const Shape &shape, std::uint8_t *packed) {
  if (std::string error = checkShape(format, shape); !error.empty())
    return error;
  const std::int64_t n = numElements(shape);
  const int bits = storageBits(format.width);
  std::fill(packed, packed + packedBytes(format, n), 0);
  // The same float32 steps as quantize() in Integer.cpp.
  const float scale = std::ldexp(1.0f, format.fracWidth);
  const float lo = static_cast<float>(format.minCode());
  const float hi = static_cast<float>(format.maxCode());
  const bool floor = format.rounding == Rounding::Floor;
  for (std::int64_t i = 0; i < n; ++i) {
    const float scaled = in[i] * scale;
    float code = floor ? std::floor(scaled) : std::nearbyint(scaled);
    if (std::isnan(code))
      return "integer packing: element " + std::to_string(i) +
             " is NaN, which has no integer code";
    code = code < lo ? lo : (code > hi ? hi : code);
    // hi may have rounded up to 2^(w-1) or 2^w; store the true maximum.
    const double exact = std::min(static_cast<double>(code), format.maxCode());
    putBits(packed, i * bits, bits,
            static_cast<std::uint64_t>(static_cast<std::int64_t>(exact)));
  }
  return {};
}

std::string decode(const IntegerFormat &format, const std::uint8_t *packed,
                   float *out, const Shape &shape) {
  if (std::string error = checkShape(format, shape); !error.empty())
    return error;
  const std::int64_t n = numElements(shape);
  const int bits = storageBits(format.width);
  const float scale = std::ldexp(1.0f, format.fracWidth);
  for (std::int64_t i = 0; i < n; ++i) {
    std::uint64_t raw = getBits(packed, i * bits, bits);
    std::int64_t code = static_cast<std::int64_t>(raw);
    if (format.isSigned && ((raw >> (bits - 1)) & 1)) // sign-extend
      code -= static_cast<std::int64_t>(1) << bits;
    out[i] = static_cast<float>(code) / scale;
  }
  return {};
}

} // namespace mase::numerics
