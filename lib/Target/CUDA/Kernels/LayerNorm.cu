//===- LayerNorm.cu - layer normalisation, a residual add before it -------===//
//
// For mase-cuda-layer-norm (launch contract in LayerNormKernel.h). A warp
// owns a row: each lane loads up to four 16-byte chunks of it (and of the
// residual) into registers, the two sums are warp shuffles, and the row is
// written once. The arithmetic follows the generated kernels' (mean by
// division, the centred second pass, 1 / sqrt), in float32.
//
// Built by nvcc into a fatbin that `mase-cuda-layer-norm` embeds in models.
//
//===----------------------------------------------------------------------===//

#include "MmaSupport.cuh"

#include "mase/Target/CUDA/LayerNormKernel.h"

namespace {

constexpr int kRows = MASE_CUDA_LAYER_NORM_ROWS;
constexpr int kChunks = MASE_CUDA_LAYER_NORM_MAX_COLUMNS / (32 * 8);

__device__ float warpSum(float value) {
  #pragma unroll
  for (int offset = 16; offset > 0; offset /= 2)
    value += __shfl_xor_sync(0xffffffffu, value, offset);
  return value;
}

// The eight elements of a 16-byte chunk, as floats.
template <typename T> __device__ void unpack(uint4 chunk, float values[8]) {
  const uint16_t *bits = reinterpret_cast<const uint16_t *>(&chunk);
  #pragma unroll
  for (int e = 0; e < 8; ++e)
    values[e] = Element<T>::toFloat(bits[e]);
}

template <typename T>
__device__ void layerNorm(uint16_t *out, const uint16_t *input,
                          const uint16_t *residual, const uint16_t *weight,
                          const uint16_t *bias, int rows, int columns,
                          float epsilon, int flags) {
  const int row = blockIdx.x * kRows + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (row >= rows)
    return;
  const int64_t start = static_cast<int64_t>(row) * columns;
  float x[kChunks][8];
  float sum = 0;
  #pragma unroll
  for (int c = 0; c < kChunks; ++c) {
    int column = (c * 32 + lane) * 8;
    if (column >= columns)
      continue;
    unpack<T>(*reinterpret_cast<const uint4 *>(input + start + column), x[c]);
    if (flags & MASE_CUDA_LAYER_NORM_RESIDUAL) {
      float r[8];
      unpack<T>(*reinterpret_cast<const uint4 *>(residual + start + column),
                r);
      // The sum is an element of the graph: rounded before it normalises.
      #pragma unroll
      for (int e = 0; e < 8; e += 2) {
        uint32_t pair =
            Element<T>::pack(x[c][e] + r[e], x[c][e + 1] + r[e + 1]);
        x[c][e] = Element<T>::toFloat(pair & 0xffff);
        x[c][e + 1] = Element<T>::toFloat(pair >> 16);
      }
    }
    #pragma unroll
    for (int e = 0; e < 8; ++e)
      sum += x[c][e];
  }
  const float n = static_cast<float>(columns);
  const float mean = warpSum(sum) / n;
  float squares = 0;
  #pragma unroll
  for (int c = 0; c < kChunks; ++c) {
    if ((c * 32 + lane) * 8 >= columns)
      continue;
    #pragma unroll
    for (int e = 0; e < 8; ++e) {
      x[c][e] -= mean;
      squares += x[c][e] * x[c][e];
    }
  }
  const float rstd = 1.0f / sqrtf(warpSum(squares) / n + epsilon);
  #pragma unroll
  for (int c = 0; c < kChunks; ++c) {
    int column = (c * 32 + lane) * 8;
    if (column >= columns)
      continue;
    float w[8], b[8];
    if (flags & MASE_CUDA_LAYER_NORM_WEIGHT)
      unpack<T>(*reinterpret_cast<const uint4 *>(weight + column), w);
    if (flags & MASE_CUDA_LAYER_NORM_BIAS)
      unpack<T>(*reinterpret_cast<const uint4 *>(bias + column), b);
    uint4 chunk;
    uint32_t *pairs = reinterpret_cast<uint32_t *>(&chunk);
    #pragma unroll
    for (int e = 0; e < 8; e += 2) {
      float y[2];
      #pragma unroll
      for (int i = 0; i < 2; ++i) {
        y[i] = x[c][e + i] * rstd;
        if (flags & MASE_CUDA_LAYER_NORM_WEIGHT)
          y[i] *= w[e + i];
        if (flags & MASE_CUDA_LAYER_NORM_BIAS)
          y[i] += b[e + i];
      }
      pairs[e / 2] = Element<T>::pack(y[0], y[1]);
    }
    *reinterpret_cast<uint4 *>(out + start + column) = chunk;
  }
}

} // namespace

#define MASE_LAYER_NORM_KERNEL(NAME, T)                                        \
  extern "C" __global__ void __launch_bounds__(32 * kRows)                     \
      NAME(uint16_t *out, const uint16_t *input, const uint16_t *residual,     \
           const uint16_t *weight, const uint16_t *bias, int rows,             \
           int columns, float epsilon, int flags) {                            \
    layerNorm<T>(out, input, residual, weight, bias, rows, columns, epsilon,   \
                 flags);                                                       \
  }

MASE_LAYER_NORM_KERNEL(mase_layer_norm_f16, __half)
MASE_LAYER_NORM_KERNEL(mase_layer_norm_bf16, __nv_bfloat16)
