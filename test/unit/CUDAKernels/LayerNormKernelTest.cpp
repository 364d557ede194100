//===- LayerNormKernelTest.cpp - the prebuilt layer norm, emulated -------===//
//
// lib/Target/CUDA/Kernels/LayerNorm.cu run by CudaEmulation.h against the
// generated lowering's arithmetic in double: with and without the residual
// sum, weight and bias, rows that leave the last block part empty, and row
// lengths from one chunk a lane to the largest.
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include "LayerNorm.cu"

#include <gtest/gtest.h>

using namespace mase::emulation;

namespace {

struct Case {
  int rows, columns, flags;
};

std::ostream &operator<<(std::ostream &os, const Case &c) {
  return os << c.rows << "x" << c.columns << " flags " << c.flags;
}

class LayerNormKernel : public ::testing::TestWithParam<Case> {};

template <typename T>
void check(const Case &c,
           void (*kernel)(uint16_t *, const uint16_t *, const uint16_t *,
                          const uint16_t *, const uint16_t *, int, int, float,
                          int)) {
  size_t size = size_t(c.rows) * c.columns;
  auto input = randomElements<T>(size, 6, 2.0f);
  auto residual = randomElements<T>(size, 7);
  auto weight = randomElements<T>(c.columns, 8);
  auto bias = randomElements<T>(c.columns, 9);
  std::vector<uint16_t> out(size, 0xffff);
  const float epsilon = 1e-5f;
  unsigned blocks =
      (c.rows + MASE_CUDA_LAYER_NORM_ROWS - 1) / MASE_CUDA_LAYER_NORM_ROWS;
  launch({blocks, 1, 1}, 32 * MASE_CUDA_LAYER_NORM_ROWS, 0, [&] {
    kernel(out.data(), input.data(), residual.data(), weight.data(),
           bias.data(), c.rows, c.columns, epsilon, c.flags);
  });
  double ulp = std::is_same_v<T, __half> ? 0x1p-10 : 0x1p-7;
  for (int r = 0; r < c.rows; ++r) {
    std::vector<double> x(c.columns);
    double sum = 0;
    for (int j = 0; j < c.columns; ++j) {
      size_t at = size_t(r) * c.columns + j;
      x[j] = Element<T>::toFloat(input[at]);
      if (c.flags & MASE_CUDA_LAYER_NORM_RESIDUAL)
        x[j] = Element<T>::toFloat(Element<T>::round(
            static_cast<float>(x[j] + Element<T>::toFloat(residual[at]))));
      sum += x[j];
    }
    double mean = sum / c.columns, squares = 0;
    for (double v : x)
      squares += (v - mean) * (v - mean);
    double rstd = 1 / std::sqrt(squares / c.columns + epsilon);
    for (int j = 0; j < c.columns; ++j) {
      double y = (x[j] - mean) * rstd;
      if (c.flags & MASE_CUDA_LAYER_NORM_WEIGHT)
        y *= Element<T>::toFloat(weight[j]);
      if (c.flags & MASE_CUDA_LAYER_NORM_BIAS)
        y += Element<T>::toFloat(bias[j]);
      ASSERT_NEAR(Element<T>::toFloat(out[size_t(r) * c.columns + j]), y,
                  ulp * std::abs(y) + 1e-4)
          << c << " at " << r << ", " << j;
    }
  }
}

TEST_P(LayerNormKernel, F16) { check<__half>(GetParam(), mase_layer_norm_f16); }
TEST_P(LayerNormKernel, BF16) {
  check<__nv_bfloat16>(GetParam(), mase_layer_norm_bf16);
}

constexpr int kAll = MASE_CUDA_LAYER_NORM_RESIDUAL |
                     MASE_CUDA_LAYER_NORM_WEIGHT | MASE_CUDA_LAYER_NORM_BIAS;
INSTANTIATE_TEST_SUITE_P(
    Cases, LayerNormKernel,
    ::testing::Values(Case{13, 768, kAll}, Case{8, 128, 0},
                      Case{3, 1024, MASE_CUDA_LAYER_NORM_WEIGHT},
                      Case{9, 40,
                           MASE_CUDA_LAYER_NORM_RESIDUAL |
                               MASE_CUDA_LAYER_NORM_BIAS}));

} // namespace
