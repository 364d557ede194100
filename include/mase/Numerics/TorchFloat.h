//===- TorchFloat.h - float32 primitives as torch computes them -*- C++ -*-===//
//
// MASE does all quantisation arithmetic in float32 through torch. These
// helpers reproduce the torch behaviours the formats depend on (spec section
// 1): log2-based exponents, the +1e-9 offsets, the |x| <= 1e-8 pass-through
// and torch.sign. Header-only; no MLIR or LLVM dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_TORCHFLOAT_H
#define MASE_NUMERICS_TORCHFLOAT_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mase::numerics::torch {

/// The Python constant 1e-9 as torch adds it to a float32 tensor.
inline constexpr float kEpsilon = 1e-9f;

/// torch.log2 on float32: the correctly rounded float32 log2 (float64 log2
/// rounded to nearest), which is what ceil/floor of torch.log2 act on.
inline float log2(float v) {
  return static_cast<float>(std::log2(static_cast<double>(v)));
}
inline float ceilLog2(float v) { return std::ceil(log2(v)); }
inline float floorLog2(float v) { return std::floor(log2(v)); }

/// torch.round: round half to even (the default floating-point environment).
inline float roundHalfEven(float v) { return std::nearbyint(v); }

/// torch.clamp(v, lo, hi): NaN propagates.
inline float clamp(float v, float lo, float hi) {
  if (std::isnan(v))
    return v;
  return v < lo ? lo : (v > hi ? hi : v);
}

/// torch.isclose(x, 0) with the default tolerances: |x| <= f32(1e-8).
inline bool isCloseToZero(float x) { return std::fabs(x) <= 1e-8f; }

/// torch.sign(x + 1e-9) in float32: +1 for 0, NaN for NaN.
inline float signPlusEpsilon(float x) {
  float v = x + kEpsilon;
  if (std::isnan(v))
    return v;
  return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f);
}

/// 2^e as an exact float32 (e an integer-valued float); inf/0 outside range.
inline float exp2(float e) { return std::ldexp(1.0f, static_cast<int>(e)); }

/// torch.pow(2, e) in float32 for an integer-valued, infinite or NaN e:
/// exact 2^e, inf from e >= 128, (subnormal or) zero below, NaN for NaN.
inline float pow2(float e) {
  if (std::isnan(e))
    return e;
  const float clamped = std::fmax(-1000.0f, std::fmin(e, 1000.0f));
  return std::ldexp(1.0f, static_cast<int>(clamped));
}

inline std::uint32_t bitsOf(float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

inline float fromBits(std::uint32_t bits) {
  float v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

/// tensor.bfloat16(): float32 to bfloat16 bits, round to nearest even
/// (overflow gives inf); every NaN becomes 0x7fc0.
inline std::uint16_t toBf16Bits(float v) {
  if (std::isnan(v))
    return 0x7fc0;
  const std::uint32_t bits = bitsOf(v);
  return static_cast<std::uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >>
                                    16);
}

/// bfloat16 bits to float32 (exact).
inline float fromBf16Bits(std::uint16_t bits) {
  return fromBits(static_cast<std::uint32_t>(bits) << 16);
}

/// MASE's zero pass-through `(~isclose(x, 0)) * q + isclose(x, 0) * x` in
/// float32: q where |x| > 1e-8, x elsewhere. Both products are formed, so a
/// NaN or inf on the unused side still gives NaN, and -0.0 + 0.0 gives +0.0.
inline float passThroughNearZero(float x, float q) {
  const float close = isCloseToZero(x) ? 1.0f : 0.0f;
  return (1.0f - close) * q + close * x;
}

/// torch.sign on the CPU: +1, -1, or 0 for zeros and NaN.
inline float sign(float v) { return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f); }

/// torch.isclose(a, b) with the default rtol 1e-5, atol 1e-8, in float32.
inline bool isClose(float a, float b) {
  const float actual = std::fabs(a - b);
  return a == b ||
         (std::isfinite(actual) && actual <= 1e-8f + std::fabs(1e-5f * b));
}

namespace detail {

/// ATen's multi_row_sum: Rows x Width running sums over `size` steps (element
/// (i, r, l) is data[(i * Rows + r) * Width + l]), cascaded through 4 levels of
/// 2^levelPower steps so that only partial sums of similar size meet.
template <int Rows, int Width>
void multiRowSum(const float *data, std::int64_t size,
                 float (&result)[Rows][Width]) {
  constexpr int kLevels = 4;
  const int ceilLog2 = size <= 2 ? 1 : 64 - __builtin_clzll(size - 1);
  const int levelPower = ceilLog2 / kLevels > 4 ? ceilLog2 / kLevels : 4;
  const std::int64_t levelStep = std::int64_t(1) << levelPower;
  float acc[kLevels][Rows][Width] = {};
  auto addStep = [&](std::int64_t i) {
    for (int r = 0; r < Rows; ++r)
      for (int l = 0; l < Width; ++l)
        acc[0][r][l] += data[(i * Rows + r) * Width + l];
  };
  auto addLevel = [&](int to, int from, bool clear) {
    for (int r = 0; r < Rows; ++r)
      for (int l = 0; l < Width; ++l) {
        acc[to][r][l] += acc[from][r][l];
        if (clear)
          acc[from][r][l] = 0.0f;
      }
  };
  std::int64_t i = 0;
  while (i + levelStep <= size) {
    for (std::int64_t j = 0; j < levelStep; ++j, ++i)
      addStep(i);
    for (int j = 1; j < kLevels; ++j) {
      addLevel(j, j - 1, /*clear=*/true);
      if ((i & ((levelStep - 1) << (j * levelPower))) != 0)
        break;
    }
  }
  for (; i < size; ++i)
    addStep(i);
  for (int j = 1; j < kLevels; ++j)
    addLevel(0, j, /*clear=*/false);
  for (int r = 0; r < Rows; ++r)
    for (int l = 0; l < Width; ++l)
      result[r][l] = acc[0][r][l];
}

/// ATen's row_sum: `size` units of Width lanes through 4 interleaved
/// accumulators, the leftover units into the first, then the four combined.
template <int Width>
void rowSum(const float *data, std::int64_t size, float (&result)[Width]) {
  float partial[4][Width];
  const std::int64_t sizeIlp = size / 4;
  multiRowSum<4, Width>(data, sizeIlp, partial);
  for (std::int64_t i = sizeIlp * 4; i < size; ++i)
    for (int l = 0; l < Width; ++l)
      partial[0][l] += data[i * Width + l];
  for (int k = 1; k < 4; ++k)
    for (int l = 0; l < Width; ++l)
      partial[0][l] += partial[k][l];
  for (int l = 0; l < Width; ++l)
    result[l] = partial[0][l];
}

} // namespace detail

/// Float32 lanes of the vectors torch's CPU sum kernel uses: 8, also where
/// torch reports AVX512 (checked against torch 2.11's torch.sum).
inline constexpr int kSumLanes = 8;

/// torch.sum of n contiguous float32 values in the order ATen's CPU kernel
/// adds them (cascade_sum over an inner dimension, float accumulators,
/// kSumLanes-wide vectors); bit-exact against torch 2.11 for n = 1..100000.
/// Torch splits a reduction to a single value over 32768+ elements across
/// threads, so there its last bits depend on the thread count.
inline float sumContiguous(const float *data, std::int64_t n) {
  if (n < kSumLanes) {
    float sum[1];
    detail::rowSum<1>(data, n, sum);
    return sum[0];
  }
  const std::int64_t vectors = n / kSumLanes;
  float lanes[kSumLanes];
  detail::rowSum<kSumLanes>(data, vectors, lanes);
  float sum = 0.0f;
  for (std::int64_t k = vectors * kSumLanes; k < n; ++k)
    sum += data[k];
  for (float lane : lanes)
    sum += lane;
  return sum;
}

} // namespace mase::numerics::torch

#endif // MASE_NUMERICS_TORCHFLOAT_H
