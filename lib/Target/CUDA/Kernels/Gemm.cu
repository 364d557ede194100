//===- Gemm.cu - 16-bit matmul with f32 accumulation on tensor cores ------===//
//
// out = init + A B, out = round(bias + A B) to the element type, or
// out = round(GELU(bias + A B)), for mase-cuda-gemm (launch contract in
// GemmKernel.h).
// A block owns a 128 x 128 tile of out (or 128 x 96, `_narrow`); its eight
// warps are 2 x 4, each 64 x 32 (4 x 4 mma.sync m16n8k16 fragments, 64 f32
// accumulators a thread; 64 x 24 narrow). K advances 32 at a time through
// four stages of padded dynamic shared memory: the next three A and B
// tiles load with cp.async while the current ones feed the tensor cores.
// Rows and columns past M and N load as zeros and are not stored.
//
// Built by nvcc into a fatbin that `mase-cuda-gemm` embeds in models.
//
//===----------------------------------------------------------------------===//

#include "MmaSupport.cuh"

#include "mase/Target/CUDA/GemmKernel.h"

namespace {

constexpr int kTileM = MASE_CUDA_GEMM_TILE_M, kTileK = MASE_CUDA_GEMM_TILE_K;
constexpr int kStages = MASE_CUDA_GEMM_STAGES;
constexpr int kThreads = MASE_CUDA_GEMM_THREADS;
// Eight warps, two down and four across: each 64 rows by a quarter of the
// tile's columns (32, or 24 for the narrow tile).
constexpr int kWarpM = 64, kWarpRows = kTileM / kWarpM, kWarpCols = 4;
constexpr int kStrideA = kTileK + kPad, kStageA = kTileM * kStrideA;
static_assert(kWarpRows * kWarpCols * 32 == kThreads, "warps");
static_assert(kStages >= 2, "stages");

// What the kernel does with a sum (GemmKernel.h's three kernels).
enum class Epilogue { Init, Bias, BiasGelu };

// The exact GELU, x Phi(x), as mase.gelu computes it.
__device__ float gelu(float x) {
  return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
}

// Bias and BiasGelu: `start` is a [n] vector of elements broadcast over
// rows and `out` holds elements; Init: both are [m, n] f32. A block
// computes a kTileM x TILE_N tile.
template <typename T, Epilogue E, int TILE_N>
__device__ void gemm(void *out, const void *start, const uint16_t *a,
                     const uint16_t *b, int m, int n, int k) {
  constexpr int kTileN = TILE_N, kWarpN = kTileN / kWarpCols;
  constexpr int kStrideB = kTileN + kPad, kStageB = kTileK * kStrideB;
  static_assert(kWarpN % 8 == 0, "whole mma fragments a warp");
  static_assert(MASE_CUDA_GEMM_SHARED_BYTES(TILE_N) ==
                    kStages * (kStageA + kStageB) * 2,
                "the launch's shared memory holds every stage");
  MASE_DYNAMIC_SHARED(uint4, stages); // 16-byte aligned
  uint16_t *tileA = reinterpret_cast<uint16_t *>(stages);
  uint16_t *tileB = tileA + kStages * kStageA;
  const int row0 = blockIdx.y * kTileM, col0 = blockIdx.x * kTileN;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int warpRow = warp / kWarpCols * kWarpM;
  const int warpCol = warp % kWarpCols * kWarpN;
  a += static_cast<int64_t>(row0) * k;
  b += col0;
  const int steps = (k + kTileK - 1) / kTileK;
  // Every step commits two groups (A's tile and B's), empty past the last
  // tile, so that waiting for all but the newest 2 * (kStages - 2) groups
  // always means waiting for the current step's tiles.
  auto load = [&](int step) {
    if (step >= steps) {
      commitCopies();
      commitCopies();
      return;
    }
    int k0 = step * kTileK, stage = step % kStages;
    loadTile<kThreads, kTileM, kTileK>(tileA + stage * kStageA, a + k0, k,
                                       m - row0, k - k0, true);
    loadTile<kThreads, kTileK, kTileN>(tileB + stage * kStageB,
                                       b + static_cast<int64_t>(k0) * n, n,
                                       k - k0, n - col0, true);
  };

  float acc[kWarpM / 16][kWarpN / 8][4] = {};
  for (int step = 0; step < kStages - 1; ++step)
    load(step);
  for (int step = 0; step < steps; ++step) {
    // The wait's barrier also means every warp is done with the previous
    // step's stage, which the load below overwrites.
    waitTiles<2 * (kStages - 2)>();
    load(step + kStages - 1);
    const uint16_t *sa = tileA + step % kStages * kStageA;
    const uint16_t *sb = tileB + step % kStages * kStageB;
    #pragma unroll
    for (int kk = 0; kk < kTileK; kk += 16) {
      uint32_t fa[kWarpM / 16][4];
      #pragma unroll
      for (int i = 0; i < kWarpM / 16; ++i)
        loadMatrices(fa[i], blockRow(sa, kStrideA, warpRow + i * 16, kk));
      #pragma unroll
      for (int j = 0; j < kWarpN / 16; ++j) {
        uint32_t fb[4];
        loadMatricesTransposed(fb,
                               blockRow(sb, kStrideB, kk, warpCol + j * 16));
        #pragma unroll
        for (int i = 0; i < kWarpM / 16; ++i) {
          Element<T>::mma(acc[i][2 * j], fa[i], fb[0], fb[1]);
          Element<T>::mma(acc[i][2 * j + 1], fa[i], fb[2], fb[3]);
        }
      }
      // A last fragment column of 8 (the narrow tile's 24 a warp).
      if constexpr (kWarpN % 16 != 0) {
        constexpr int j = kWarpN / 16;
        uint32_t fb[2];
        loadTwoMatricesTransposed(
            fb, blockRow(sb, kStrideB, kk, warpCol + j * 16));
        #pragma unroll
        for (int i = 0; i < kWarpM / 16; ++i)
          Element<T>::mma(acc[i][2 * j], fa[i], fb[0], fb[1]);
      }
    }
  }

  // acc[i][j] holds rows group and group + 8 of fragment row i, columns
  // pairCol and pairCol + 1 of fragment column j.
  const int group = lane / 4, pairCol = lane % 4 * 2;
  #pragma unroll
  for (int i = 0; i < kWarpM / 16; ++i)
    #pragma unroll
    for (int half = 0; half < 2; ++half) {
      int row = row0 + warpRow + i * 16 + group + half * 8;
      if (row >= m)
        continue;
      #pragma unroll
      for (int j = 0; j < kWarpN / 8; ++j) {
        int col = col0 + warpCol + j * 8 + pairCol;
        if (col >= n)
          continue;
        // n is even, so a pair never straddles it.
        int64_t at = static_cast<int64_t>(row) * n + col;
        const float *sum = &acc[i][j][2 * half];
        if (E != Epilogue::Init) {
          const uint16_t *bias = static_cast<const uint16_t *>(start) + col;
          float first = Element<T>::toFloat(bias[0]) + sum[0];
          float second = Element<T>::toFloat(bias[1]) + sum[1];
          if (E == Epilogue::BiasGelu) {
            first = gelu(first);
            second = gelu(second);
          }
          *reinterpret_cast<uint32_t *>(static_cast<uint16_t *>(out) + at) =
              Element<T>::pack(first, second);
        } else {
          const float *init = static_cast<const float *>(start) + at;
          float2 first = *reinterpret_cast<const float2 *>(init);
          *reinterpret_cast<float2 *>(static_cast<float *>(out) + at) =
              make_float2(first.x + sum[0], first.y + sum[1]);
        }
      }
    }
}

} // namespace

#define MASE_GEMM_KERNEL(NAME, T, EPILOGUE, TILE_N)                            \
  extern "C" __global__ void __launch_bounds__(kThreads, 2)                    \
      NAME(void *out, const void *start, const uint16_t *a, const uint16_t *b, \
           int m, int n, int k) {                                              \
    gemm<T, Epilogue::EPILOGUE, TILE_N>(out, start, a, b, m, n, k);            \
  }
#define MASE_GEMM_KERNELS(NAME, T, EPILOGUE)                                   \
  MASE_GEMM_KERNEL(NAME, T, EPILOGUE, MASE_CUDA_GEMM_TILE_N)                   \
  MASE_GEMM_KERNEL(NAME##_narrow, T, EPILOGUE, MASE_CUDA_GEMM_NARROW_TILE_N)

MASE_GEMM_KERNELS(mase_gemm_f16, __half, Init)
MASE_GEMM_KERNELS(mase_gemm_bf16, __nv_bfloat16, Init)
MASE_GEMM_KERNELS(mase_gemm_f16_bias, __half, Bias)
MASE_GEMM_KERNELS(mase_gemm_bf16_bias, __nv_bfloat16, Bias)
MASE_GEMM_KERNELS(mase_gemm_f16_bias_gelu, __half, BiasGelu)
MASE_GEMM_KERNELS(mase_gemm_bf16_bias_gelu, __nv_bfloat16, BiasGelu)
