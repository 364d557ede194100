//===- Prune.cpp - MASE's pruning masks -----------------------------------===//

#include "mase/Numerics/Prune.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mase::numerics {
namespace {

/// torch.lerp(a, b, w) for float32, with its two formulas.
float torchLerp(float a, float b, float w) {
  return std::fabs(w) < 0.5f ? a + w * (b - a) : b - (b - a) * (1.0f - w);
}

} // namespace

float quantileLinear(std::vector<float> values, float q) {
  if (values.empty() ||
      std::any_of(values.begin(), values.end(),
                  [](float v) { return std::isnan(v); }))
    return std::numeric_limits<float>::quiet_NaN();
  // torch computes the rank in the input's dtype.
  float rank = q * static_cast<float>(values.size() - 1);
  std::size_t lo = static_cast<std::size_t>(std::floor(rank));
  std::size_t hi = static_cast<std::size_t>(std::ceil(rank));
  hi = std::min(hi, values.size() - 1);
  lo = std::min(lo, hi);
  std::nth_element(values.begin(), values.begin() + lo, values.end());
  float low = values[lo];
  float high = low;
  if (hi != lo)
    high = *std::min_element(values.begin() + lo + 1, values.end());
  return torchLerp(low, high, rank - static_cast<float>(lo));
}

float l1NormThreshold(const std::vector<FloatSpan> &tensors, float sparsity) {
  std::vector<float> magnitudes;
  for (const FloatSpan &tensor : tensors)
    for (std::size_t i = 0; i < tensor.size; ++i)
      magnitudes.push_back(std::fabs(tensor.data[i]));
  return quantileLinear(std::move(magnitudes), sparsity);
}

void l1NormMask(FloatSpan in, float threshold, std::uint8_t *mask) {
  for (std::size_t i = 0; i < in.size; ++i)
    mask[i] = std::fabs(in.data[i]) > threshold;
}

void uniformDraws(std::size_t size, std::uint64_t seed, float *out) {
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < size; ++i) {
    // splitmix64, then the top 24 bits as a float in [0, 1).
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    out[i] = static_cast<float>(z >> 40) * 0x1.0p-24f;
  }
}

void randomMask(std::size_t size, float sparsity, std::uint64_t seed,
                std::uint8_t *mask) {
  std::vector<float> u(size);
  uniformDraws(size, seed, u.data());
  for (std::size_t i = 0; i < size; ++i)
    mask[i] = u[i] >= sparsity;
}

void nOfMMask(FloatSpan scores, std::int64_t rowLength, int n, int m,
              std::uint8_t *mask) {
  std::vector<std::int64_t> order;
  for (std::size_t row = 0; row < scores.size; row += rowLength)
    for (std::int64_t start = 0; start < rowLength; start += m) {
      std::int64_t end = std::min<std::int64_t>(start + m, rowLength);
      order.clear();
      for (std::int64_t i = start; i < end; ++i)
        order.push_back(static_cast<std::int64_t>(row) + i);
      // The n largest magnitudes; equal ones in index order; NaN counts
      // as the smallest (a strict order for std::sort).
      auto magnitude = [&](std::int64_t i) {
        float v = std::fabs(scores.data[i]);
        return v == v ? v : -1.0f;
      };
      std::sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
        float x = magnitude(a), y = magnitude(b);
        return x > y || (x == y && a < b);
      });
      for (std::size_t k = 0; k < order.size(); ++k)
        mask[order[k]] = k < static_cast<std::size_t>(n);
    }
}

std::vector<float> blockL1Norms(FloatSpan in, std::int64_t rows,
                                std::int64_t cols, std::int64_t blockRows,
                                std::int64_t blockCols) {
  std::int64_t gridCols = (cols + blockCols - 1) / blockCols;
  std::int64_t gridRows = (rows + blockRows - 1) / blockRows;
  std::vector<float> norms(gridRows * gridCols, 0.0f);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j)
      norms[(i / blockRows) * gridCols + j / blockCols] +=
          std::fabs(in.data[i * cols + j]);
  return norms;
}

void expandBlockMask(const std::uint8_t *keep, std::int64_t rows,
                     std::int64_t cols, std::int64_t blockRows,
                     std::int64_t blockCols, std::uint8_t *mask) {
  std::int64_t gridCols = (cols + blockCols - 1) / blockCols;
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j)
      mask[i * cols + j] = keep[(i / blockRows) * gridCols + j / blockCols];
}

void applyMask(FloatSpan in, const std::uint8_t *mask, float *out) {
  for (std::size_t i = 0; i < in.size; ++i)
    out[i] = in.data[i] * (mask[i] ? 1.0f : 0.0f);
}

} // namespace mase::numerics
