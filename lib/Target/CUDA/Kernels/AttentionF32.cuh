//===- AttentionF32.cuh - fused attention in f32 on CUDA cores ------------===//
//
// The f32 kernels of Attention.cu's launch contract (AttentionKernel.h):
// tensor cores would round f32 operands to tf32, losing the 1e-5 agreement
// f32 models keep, so these compute with f32 FMAs. Four threads (a quad)
// own a query row, each a quarter of its depth (elements quadLane + 4 i) in
// registers with its quarter of the output; a block of 128 threads owns 32
// rows of one (batch, head) and walks the keys in tiles of 32 staged in
// shared memory. Each key's score is a quad sum (two shuffles), then the
// online softmax (expf, the running maximum and sum) updates the row.
// Included by Attention.cu (whose fatbin holds both) after its 16-bit
// kernels, whose helpers it uses.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CUDA_KERNELS_ATTENTIONF32_CUH
#define MASE_TARGET_CUDA_KERNELS_ATTENTIONF32_CUH

#include "mase/Target/CUDA/AttentionKernel.h"

#include <math.h>

namespace {

constexpr int kF32Rows = MASE_CUDA_SDPA_F32_ROWS, kF32Keys = 32;
static_assert(kF32Rows * 4 == MASE_CUDA_SDPA_THREADS, "a quad a row");

template <int DEPTH>
__device__ void attentionF32(float *out, const float *query, const float *keyT,
                             const float *value, const float *mask, int sq,
                             int sk, int d, int dv,
                             const int64_t queryStrides[3],
                             const int64_t valueStrides[3],
                             const int64_t outStrides[3],
                             const int64_t keyStrides[2],
                             const int64_t maskStrides[4], float scale,
                             int flags) {
  constexpr int kSlice = DEPTH / 4;
  // Keys and values of a tile, a row of DEPTH each (zero past d and dv);
  // the keys' rows padded, as the tile's load writes them down columns.
  __shared__ float keys[kF32Keys][DEPTH + 1], values[kF32Keys][DEPTH];
  const int b = blockIdx.z, h = blockIdx.y;
  const int row = blockIdx.x * kF32Rows + threadIdx.x / 4;
  const int quadLane = threadIdx.x % 4;
  const bool inside = row < sq;
  query += b * queryStrides[0] + h * queryStrides[1] + row * queryStrides[2];
  keyT += b * keyStrides[0] + h * keyStrides[1];
  value += b * valueStrides[0] + h * valueStrides[1];
  const bool masked = flags & MASE_CUDA_SDPA_HAS_MASK;
  if (masked)
    mask += b * maskStrides[0] + h * maskStrides[1] + row * maskStrides[2];

  float q[kSlice], acc[kSlice];
  #pragma unroll
  for (int i = 0; i < kSlice; ++i) {
    int j = quadLane + 4 * i;
    q[i] = inside && j < d ? query[j] : 0.f;
    acc[i] = 0.f;
  }
  float runningMax = -INFINITY, sum = 0.f;
  for (int key0 = 0; key0 < sk; key0 += kF32Keys) {
    __syncthreads(); // every quad is done with the previous tile
    for (int i = threadIdx.x; i < kF32Keys * DEPTH;
         i += MASE_CUDA_SDPA_THREADS) {
      // keyT rows are depths, keys contiguous; value rows are keys.
      int depth = i / kF32Keys, key = i % kF32Keys;
      int64_t at = depth * static_cast<int64_t>(sk) + key0 + key;
      keys[key][depth] = key0 + key < sk && depth < d ? keyT[at] : 0.f;
      int vKey = i / DEPTH, vDepth = i % DEPTH;
      values[vKey][vDepth] =
          key0 + vKey < sk && vDepth < dv
              ? value[(key0 + vKey) * valueStrides[2] + vDepth]
              : 0.f;
    }
    __syncthreads();
    const int tileKeys = min(kF32Keys, sk - key0);
    for (int key = 0; key < tileKeys; ++key) {
      float partial = 0.f;
      #pragma unroll
      for (int i = 0; i < kSlice; ++i)
        partial += q[i] * keys[key][quadLane + 4 * i];
      // Attention.cu's sum over a quad's four lanes.
      float score = rowSum(partial) * scale;
      if (masked && inside)
        score += mask[(key0 + key) * maskStrides[3]];
      // A key masked with -inf adds nothing (the four lanes agree).
      if (score == -INFINITY)
        continue;
      float newMax = fmaxf(runningMax, score);
      float correction = expf(runningMax - newMax), p = expf(score - newMax);
      sum = sum * correction + p;
      #pragma unroll
      for (int i = 0; i < kSlice; ++i)
        acc[i] = acc[i] * correction + p * values[key][quadLane + 4 * i];
      runningMax = newMax;
    }
  }
  if (!inside)
    return;
  // A row with every key masked is NaN, as softmax makes it (zeros under
  // the SDPA guard).
  float factor = runningMax == -INFINITY
                     ? (flags & MASE_CUDA_SDPA_ZERO_NAN_ROWS ? 0.f : NAN)
                     : 1.f / sum;
  float *to = out + b * outStrides[0] + h * outStrides[1] + row * outStrides[2];
  #pragma unroll
  for (int i = 0; i < kSlice; ++i) {
    int j = quadLane + 4 * i;
    if (j < dv)
      to[j] = acc[i] * factor;
  }
}

} // namespace

// One entry point per depth bound (AttentionKernel.h).
#define MASE_SDPA_F32_KERNEL(NAME, DEPTH)                                      \
  extern "C" __global__ void __launch_bounds__(MASE_CUDA_SDPA_THREADS) NAME(   \
      float *out, const float *query, const float *keyT, const float *value,  \
      const float *mask, int sq, int sk, int d, int dv, int64_t qB,            \
      int64_t qH, int64_t qS, int64_t vB, int64_t vH, int64_t vS, int64_t oB,  \
      int64_t oH, int64_t oS, int64_t kB, int64_t kH, int64_t mB, int64_t mH,  \
      int64_t mQ, int64_t mK, float scale, int flags) {                        \
    const int64_t queryStrides[3] = {qB, qH, qS},                              \
                  valueStrides[3] = {vB, vH, vS},                              \
                  outStrides[3] = {oB, oH, oS}, keyStrides[2] = {kB, kH},      \
                  maskStrides[4] = {mB, mH, mQ, mK};                           \
    attentionF32<DEPTH>(out, query, keyT, value, mask, sq, sk, d, dv,          \
                        queryStrides, valueStrides, outStrides, keyStrides,    \
                        maskStrides, scale, flags);                            \
  }

MASE_SDPA_F32_KERNEL(mase_sdpa_f32_d32, 32)
MASE_SDPA_F32_KERNEL(mase_sdpa_f32_d64, 64)
MASE_SDPA_F32_KERNEL(mase_sdpa_f32_d128, 128)

#endif // MASE_TARGET_CUDA_KERNELS_ATTENTIONF32_CUH
