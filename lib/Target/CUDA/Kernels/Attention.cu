//===- Attention.cu - fused scaled dot-product attention on NVIDIA GPUs ---===//
//
// `softmax(scale * Q K^T + mask) V` in one kernel that never stores the
// score matrix (FlashAttention-2's loop): a block owns 128 query rows of one
// (batch, head) at depths up to 64 (64 rows at 128), its four warps a
// quarter each, and walks the keys in tiles of 64.
// Q K^T and P V run on tensor cores (mma.sync m16n8k16, f32 accumulation);
// the online softmax is in f32 in registers, the probabilities rounded to the
// element type for P V as the unfused graph rounds them. Tiles load with
// cp.async: up to depth 64 in two stages (the next key and value tiles load
// while the current ones are used), at depth 128 in one (the values load
// while the scores are computed, the next keys during P V). The launch
// contract is in AttentionKernel.h. The f32 kernels, on CUDA cores, are in
// AttentionF32.cuh.
//
// Built by nvcc into a fatbin that `mase-cuda-attention` embeds in models.
//
//===----------------------------------------------------------------------===//

#include "MmaSupport.cuh"

#include "mase/Target/CUDA/AttentionKernel.h"

namespace {

constexpr int kKeys = 64;
constexpr int kThreads = MASE_CUDA_SDPA_THREADS, kWarps = kThreads / 32;

// Sum or maximum over the four lanes that hold one accumulator row.
__device__ float rowMax(float x) {
  x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 1));
  return fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 2));
}
__device__ float rowSum(float x) {
  x += __shfl_xor_sync(0xffffffffu, x, 1);
  return x + __shfl_xor_sync(0xffffffffu, x, 2);
}

template <typename T, int DEPTH>
__device__ void attention(uint16_t *out, const uint16_t *query,
                          const uint16_t *keyT, const uint16_t *value,
                          const uint16_t *mask, int sq, int sk, int d, int dv,
                          const int64_t queryStrides[3],
                          const int64_t valueStrides[3],
                          const int64_t outStrides[3],
                          const int64_t keyStrides[2],
                          const int64_t maskStrides[4], float scale,
                          int flags) {
  static_assert(DEPTH % 16 == 0 && DEPTH <= MASE_CUDA_SDPA_MAX_DEPTH, "depth");
  // Each warp owns kTiles tiles of 16 query rows: the key and value
  // fragments it loads serve all of them.
  constexpr int kRows = MASE_CUDA_SDPA_ROWS(DEPTH);
  constexpr int kTiles = kRows / (16 * kWarps);
  static_assert(kRows % (16 * kWarps) == 0 && kRows >= kKeys, "rows");
  constexpr int kRowStride = DEPTH + kPad, kKeyStride = kKeys + kPad;
  // The query tile, then (once it is in registers) the value tiles. Up to
  // depth 64 there are two stages: key and value tiles alternate between
  // two buffers each (the value buffers share the query tile's memory), the
  // next tiles loading while the current ones are used. Deeper tiles have
  // one stage (48 KiB of static shared memory): the values load while the
  // scores are computed, the next keys while P V runs.
  constexpr int kStages = DEPTH <= 64 ? 2 : 1;
  static_assert(kRows >= kStages * kKeys, "value buffers");
  __shared__ __align__(16) uint16_t queryOrValue[kRows * kRowStride];
  __shared__ __align__(16) uint16_t keyBuffers[kStages][DEPTH * kKeyStride];
  auto valueBuffer = [&](int tile) {
    return queryOrValue + tile % kStages * kKeys * kRowStride;
  };

  const bool aligned = flags & MASE_CUDA_SDPA_ALIGNED;
  const int b = blockIdx.z, h = blockIdx.y, row0 = blockIdx.x * kRows;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int group = lane / 4, pairCol = lane % 4 * 2;
  const int warpRow0 = warp * kTiles * 16;
  query += b * queryStrides[0] + h * queryStrides[1] + row0 * queryStrides[2];
  value += b * valueStrides[0] + h * valueStrides[1];
  keyT += b * keyStrides[0] + h * keyStrides[1];
  auto loadValues = [&](int tile) {
    int key0 = tile * kKeys;
    loadTile<kThreads, kKeys, DEPTH>(valueBuffer(tile),
                                     value + key0 * valueStrides[2],
                                     valueStrides[2], sk - key0, dv, aligned);
  };
  auto loadKeys = [&](int tile) {
    int key0 = tile * kKeys;
    loadTile<kThreads, DEPTH, kKeys>(keyBuffers[tile % kStages], keyT + key0,
                                     sk, d, sk - key0, aligned);
  };

  loadTile<kThreads, kRows, DEPTH>(queryOrValue, query, queryStrides[2],
                                   sq - row0, d, aligned);
  loadKeys(0);
  waitTiles();
  uint32_t q[kTiles][DEPTH / 16][4];
  #pragma unroll
  for (int t = 0; t < kTiles; ++t)
    #pragma unroll
    for (int c = 0; c < DEPTH / 16; ++c)
      loadMatrices(q[t][c], blockRow(queryOrValue, kRowStride,
                                     warpRow0 + t * 16, c * 16));
  __syncthreads();
  if (kStages == 2) {
    loadValues(0);
    waitTiles();
  }

  // This lane's rows (group and group + 8 of each of its tiles): running
  // maximum and (this lane's part of the) sum of exponentials, in log2 units.
  const float log2e = 1.4426950408889634f, scaleLog2 = scale * log2e;
  int rows[kTiles][2];
  float runningMax[kTiles][2], runningSum[kTiles][2];
  #pragma unroll
  for (int t = 0; t < kTiles; ++t)
    #pragma unroll
    for (int r = 0; r < 2; ++r) {
      rows[t][r] = row0 + warpRow0 + t * 16 + group + r * 8;
      runningMax[t][r] = -INFINITY;
      runningSum[t][r] = 0.f;
    }
  float o[kTiles][DEPTH / 8][4] = {};
  const bool hasMask = flags & MASE_CUDA_SDPA_HAS_MASK;
  if (hasMask)
    mask += b * maskStrides[0] + h * maskStrides[1];

  const int tiles = (sk + kKeys - 1) / kKeys;
  for (int tile = 0; tile < tiles; ++tile) {
    const int key0 = tile * kKeys;
    const uint16_t *keys = keyBuffers[tile % kStages];
    const uint16_t *values = valueBuffer(tile);
    const bool next = tile + 1 < tiles;
    if (kStages == 2 && next) {
      loadKeys(tile + 1);
      loadValues(tile + 1);
    }
    if (kStages == 1)
      loadValues(tile);

    // A whole tile of keys with no mask keeps its raw scores: the scale
    // goes into the exponential's FMA (a positive scale keeps the maximum).
    const bool rawScores = key0 + kKeys <= sk && !hasMask && scaleLog2 > 0.f;
    const float exponentScale = rawScores ? scaleLog2 : 1.f;
    // Scores of 16 rows x 64 keys a tile: s[t][n] holds keys 8n + pairCol
    // (+1) of both rows.
    float s[kTiles][kKeys / 8][4] = {};
    #pragma unroll
    for (int c = 0; c < DEPTH / 16; ++c)
      #pragma unroll
      for (int n = 0; n < kKeys / 16; ++n) {
        uint32_t k[4];
        loadMatricesTransposed(k, blockRow(keys, kKeyStride, c * 16, n * 16));
        #pragma unroll
        for (int t = 0; t < kTiles; ++t) {
          Element<T>::mma(s[t][2 * n], q[t][c], k[0], k[1]);
          Element<T>::mma(s[t][2 * n + 1], q[t][c], k[2], k[3]);
        }
      }

    #pragma unroll

    for (int t = 0; t < kTiles; ++t) {
      float tileMax[2] = {-INFINITY, -INFINITY};
      if (rawScores) {
        #pragma unroll
        for (int n = 0; n < kKeys / 8; ++n)
          #pragma unroll
          for (int e = 0; e < 4; ++e)
            tileMax[e / 2] = fmaxf(tileMax[e / 2], s[t][n][e]);
        tileMax[0] *= scaleLog2;
        tileMax[1] *= scaleLog2;
      } else {
        // Scaled and masked, in log2 units; keys past Sk are -inf.
        #pragma unroll
        for (int n = 0; n < kKeys / 8; ++n)
          #pragma unroll
          for (int e = 0; e < 4; ++e) {
            int key = key0 + n * 8 + pairCol + e % 2, row = rows[t][e / 2];
            float x = -INFINITY;
            if (key < sk) {
              x = s[t][n][e] * scaleLog2;
              if (hasMask && row < sq)
                x += log2e *
                     Element<T>::toFloat(
                         mask[row * maskStrides[2] + key * maskStrides[3]]);
            }
            s[t][n][e] = x;
            tileMax[e / 2] = fmaxf(tileMax[e / 2], x);
          }
      }
      float base[2];
      #pragma unroll
      for (int r = 0; r < 2; ++r) {
        float newMax = fmaxf(runningMax[t][r], rowMax(tileMax[r]));
        // While every key so far is masked, exponentials are taken from 0
        // (giving 0) rather than from -inf (giving NaN).
        base[r] = newMax == -INFINITY ? 0.f : newMax;
        float rescale = exp2Approx(runningMax[t][r] - base[r]);
        runningMax[t][r] = newMax;
        runningSum[t][r] *= rescale;
        #pragma unroll
        for (int n = 0; n < DEPTH / 8; ++n) {
          o[t][n][2 * r] *= rescale;
          o[t][n][2 * r + 1] *= rescale;
        }
      }
      #pragma unroll
      for (int n = 0; n < kKeys / 8; ++n)
        #pragma unroll
        for (int e = 0; e < 4; ++e) {
          s[t][n][e] = exp2Approx(fmaf(s[t][n][e], exponentScale, -base[e / 2]));
          runningSum[t][e / 2] += s[t][n][e];
        }
    }

    // One stage: the values are in and every warp is done with the keys,
    // so the next keys load while P V runs.
    if (kStages == 1) {
      waitTiles();
      if (next)
        loadKeys(tile + 1);
    }
    // The score accumulators of two key blocks form P's A fragment.
    #pragma unroll
    for (int c = 0; c < kKeys / 16; ++c) {
      uint32_t p[kTiles][4];
      #pragma unroll
      for (int t = 0; t < kTiles; ++t) {
        p[t][0] = Element<T>::pack(s[t][2 * c][0], s[t][2 * c][1]);
        p[t][1] = Element<T>::pack(s[t][2 * c][2], s[t][2 * c][3]);
        p[t][2] = Element<T>::pack(s[t][2 * c + 1][0], s[t][2 * c + 1][1]);
        p[t][3] = Element<T>::pack(s[t][2 * c + 1][2], s[t][2 * c + 1][3]);
      }
      #pragma unroll
      for (int n = 0; n < DEPTH / 16; ++n) {
        uint32_t v[4];
        loadMatricesTransposed(
            v, blockRow(values, kRowStride, c * 16, n * 16));
        #pragma unroll
        for (int t = 0; t < kTiles; ++t) {
          Element<T>::mma(o[t][2 * n], p[t], v[0], v[1]);
          Element<T>::mma(o[t][2 * n + 1], p[t], v[2], v[3]);
        }
      }
    }
    waitTiles();
  }

  const bool zeroNanRows = flags & MASE_CUDA_SDPA_ZERO_NAN_ROWS;
  #pragma unroll
  for (int t = 0; t < kTiles; ++t)
    #pragma unroll
    for (int r = 0; r < 2; ++r) {
      // Every lane of the row's four takes part in the sum's shuffles.
      float sum = rowSum(runningSum[t][r]);
      if (rows[t][r] >= sq)
        continue;
      // A row with every key masked is NaN, as softmax makes it.
      float factor = runningMax[t][r] == -INFINITY
                         ? (zeroNanRows ? 0.f : __int_as_float(0x7fc00000))
                         : 1.f / sum;
      uint16_t *to = out + b * outStrides[0] + h * outStrides[1] +
                     rows[t][r] * outStrides[2];
      #pragma unroll
      for (int n = 0; n < DEPTH / 8; ++n) {
        int col = n * 8 + pairCol;
        uint32_t pair = Element<T>::pack(o[t][n][2 * r] * factor,
                                         o[t][n][2 * r + 1] * factor);
        if (aligned && col < dv)
          *reinterpret_cast<uint32_t *>(to + col) = pair;
        else if (col < dv) {
          to[col] = pair & 0xffffu;
          if (col + 1 < dv)
            to[col + 1] = pair >> 16;
        }
      }
    }
}

} // namespace

// One entry point per element type and depth bound (AttentionKernel.h).
#define MASE_SDPA_KERNEL(NAME, T, DEPTH)                                       \
  extern "C" __global__ void __launch_bounds__(kThreads) NAME(                 \
      uint16_t *out, const uint16_t *query, const uint16_t *keyT,              \
      const uint16_t *value, const uint16_t *mask, int sq, int sk, int d,      \
      int dv, int64_t qB, int64_t qH, int64_t qS, int64_t vB, int64_t vH,      \
      int64_t vS, int64_t oB, int64_t oH, int64_t oS, int64_t kB, int64_t kH,  \
      int64_t mB, int64_t mH, int64_t mQ, int64_t mK, float scale,             \
      int flags) {                                                             \
    const int64_t queryStrides[3] = {qB, qH, qS}, valueStrides[3] = {vB, vH, vS}, \
                  outStrides[3] = {oB, oH, oS}, keyStrides[2] = {kB, kH},      \
                  maskStrides[4] = {mB, mH, mQ, mK};                           \
    attention<T, DEPTH>(out, query, keyT, value, mask, sq, sk, d, dv,          \
                        queryStrides, valueStrides, outStrides, keyStrides,    \
                        maskStrides, scale, flags);                            \
  }

MASE_SDPA_KERNEL(mase_sdpa_f16_d32, __half, 32)
MASE_SDPA_KERNEL(mase_sdpa_f16_d64, __half, 64)
MASE_SDPA_KERNEL(mase_sdpa_f16_d128, __half, 128)
MASE_SDPA_KERNEL(mase_sdpa_bf16_d32, __nv_bfloat16, 32)
MASE_SDPA_KERNEL(mase_sdpa_bf16_d64, __nv_bfloat16, 64)
MASE_SDPA_KERNEL(mase_sdpa_bf16_d128, __nv_bfloat16, 128)

#include "AttentionF32.cuh"
