//===- Prune.h - MASE's pruning masks ---------------------------*- C++ -*-===//
//
// MASE's prune transform pass (spec section 7), bit for bit: the l1-norm
// threshold is torch.quantile of |W| with linear interpolation computed in
// float32, the mask keeps |w| > threshold (ties at the threshold are
// pruned), and applying it multiplies by 0 or 1 (a pruned negative weight is
// -0.0). Random masks use this project's generator: seeded and reproducible,
// but not torch's random numbers.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_PRUNE_H
#define MASE_NUMERICS_PRUNE_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mase::numerics {

/// A read-only float32 tensor, flattened.
struct FloatSpan {
  const float *data;
  std::size_t size;
};

/// torch.quantile(values, q) (linear interpolation): NaN when any value is
/// NaN or there are none.
float quantileLinear(std::vector<float> values, float q);

/// MASE's l1-norm threshold at `sparsity` over the magnitudes of all
/// `tensors` together (one tensor: local scope; every pruned layer: global).
float l1NormThreshold(const std::vector<FloatSpan> &tensors, float sparsity);

/// mask[i] = |in[i]| > threshold.
void l1NormMask(FloatSpan in, float threshold, std::uint8_t *mask);

/// mask[i] = u[i] >= sparsity for uniform u in [0, 1) drawn from `seed`
/// (splitmix64): each element is kept with probability 1 - sparsity.
void randomMask(std::size_t size, float sparsity, std::uint64_t seed,
                std::uint8_t *mask);

/// `size` uniform draws in [0, 1) from `seed` (splitmix64), as randomMask
/// uses them.
void uniformDraws(std::size_t size, std::uint64_t seed, float *out);

// Structured masks (mase's extensions; MASE prunes elementwise only).

/// n:m: of every m consecutive elements of each row (`rowLength` elements;
/// a shorter last group too), mask keeps the n with the largest |score|,
/// equal magnitudes in index order, NaN counting as the smallest. Scores are
/// the weights for l1-norm and uniformDraws for random.
void nOfMMask(FloatSpan scores, std::int64_t rowLength, int n, int m,
              std::uint8_t *mask);

/// The L1 norm (float32 sum of |w|) of every [blockRows, blockCols] block of
/// the [rows, cols] matrix `in`, blocks in row-major order (edge blocks
/// smaller).
std::vector<float> blockL1Norms(FloatSpan in, std::int64_t rows,
                                std::int64_t cols, std::int64_t blockRows,
                                std::int64_t blockCols);

/// The element mask of a [rows, cols] matrix from one keep flag per block.
void expandBlockMask(const std::uint8_t *keep, std::int64_t rows,
                     std::int64_t cols, std::int64_t blockRows,
                     std::int64_t blockCols, std::uint8_t *mask);

/// out[i] = in[i] * (mask[i] ? 1 : 0), as MASE's parametrisation computes it.
void applyMask(FloatSpan in, const std::uint8_t *mask, float *out);

} // namespace mase::numerics

#endif // MASE_NUMERICS_PRUNE_H
