//===- GemmKernelTest.cpp - the prebuilt GEMM on emulated threads --------===//
//
// lib/Target/CUDA/Kernels/Gemm.cu run by CudaEmulation.h against products
// computed in double from the same 16-bit values: every epilogue, both
// element types, both tile widths, tiles cut by M, N and K, and K loops
// shorter and longer than the four-stage pipeline.
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include "Gemm.cu"

#include <gtest/gtest.h>

using namespace mase::emulation;

namespace {

struct Shape {
  int m, n, k;
};

std::ostream &operator<<(std::ostream &os, const Shape &s) {
  return os << s.m << "x" << s.n << "x" << s.k;
}

using Kernel = void (*)(void *, const void *, const uint16_t *,
                        const uint16_t *, int, int, int);

/// Runs `kernel`, whose tiles are `tileN` wide, on `s`.
void run(Kernel kernel, int tileN, const Shape &s, void *out, const void *start,
         const uint16_t *a, const uint16_t *b) {
  dim3 grid{static_cast<unsigned>((s.n + tileN - 1) / tileN),
            static_cast<unsigned>((s.m + MASE_CUDA_GEMM_TILE_M - 1) /
                                  MASE_CUDA_GEMM_TILE_M),
            1};
  launch(grid, MASE_CUDA_GEMM_THREADS, MASE_CUDA_GEMM_SHARED_BYTES(tileN),
         [&] { kernel(out, start, a, b, s.m, s.n, s.k); });
}

/// A B in double, A [m, k] and B [k, n] row-major.
std::vector<double> product(const std::vector<double> &a,
                            const std::vector<double> &b, const Shape &s) {
  std::vector<double> c(static_cast<size_t>(s.m) * s.n, 0.0);
  for (int i = 0; i < s.m; ++i)
    for (int p = 0; p < s.k; ++p)
      for (int j = 0; j < s.n; ++j)
        c[i * s.n + j] += a[i * s.k + p] * b[p * s.n + j];
  return c;
}

double gelu(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }

class GemmKernel : public ::testing::TestWithParam<Shape> {};

// out = init + A B in f32.
void checkF32(const Shape &s, Kernel kernel, int tileN) {
  auto a = randomElements<__half>(size_t(s.m) * s.k, 1);
  auto b = randomElements<__half>(size_t(s.k) * s.n, 2);
  std::vector<float> init(size_t(s.m) * s.n), out(init.size(), NAN);
  for (size_t i = 0; i < init.size(); ++i)
    init[i] = static_cast<float>(i % 13) - 6.0f;
  run(kernel, tileN, s, out.data(), init.data(), a.data(), b.data());
  std::vector<double> expected =
      product(values<__half>(a), values<__half>(b), s);
  for (size_t i = 0; i < out.size(); ++i)
    ASSERT_NEAR(out[i], init[i] + expected[i], 1e-4 * (1 + s.k / 64.0))
        << s << " at " << i / s.n << ", " << i % s.n;
}

// out = round(bias + A B) and round(GELU(bias + A B)), f16 and bf16: within
// one rounding of the exact value (the f32 sum's order differs).
template <typename T>
void checkBias(const Shape &s, bool withGelu, Kernel kernel, int tileN) {
  auto a = randomElements<T>(size_t(s.m) * s.k, 3);
  auto b = randomElements<T>(size_t(s.k) * s.n, 4, 1.0f / std::sqrt(s.k));
  auto bias = randomElements<T>(s.n, 5);
  std::vector<uint16_t> out(size_t(s.m) * s.n, 0xffff);
  run(kernel, tileN, s, out.data(), bias.data(), a.data(), b.data());
  std::vector<double> expected = product(values<T>(a), values<T>(b), s);
  std::vector<double> biasValues = values<T>(bias);
  // Half an ulp of rounding plus the f32 sum's error, relative.
  double ulp = std::is_same_v<T, __half> ? 0x1p-10 : 0x1p-7;
  for (size_t i = 0; i < out.size(); ++i) {
    double exact = expected[i] + biasValues[i % s.n];
    if (withGelu)
      exact = gelu(exact);
    ASSERT_NEAR(Element<T>::toFloat(out[i]), exact,
                ulp * std::abs(exact) + 1e-5)
        << s << " at " << i / s.n << ", " << i % s.n;
  }
}

constexpr int kWide = MASE_CUDA_GEMM_TILE_N,
              kNarrow = MASE_CUDA_GEMM_NARROW_TILE_N;

TEST_P(GemmKernel, F32Result) { checkF32(GetParam(), mase_gemm_f16, kWide); }
TEST_P(GemmKernel, BiasF16) {
  checkBias<__half>(GetParam(), false, mase_gemm_f16_bias, kWide);
}
TEST_P(GemmKernel, BiasGeluF16) {
  checkBias<__half>(GetParam(), true, mase_gemm_f16_bias_gelu, kWide);
}
TEST_P(GemmKernel, BiasGeluBF16) {
  checkBias<__nv_bfloat16>(GetParam(), true, mase_gemm_bf16_bias_gelu, kWide);
}
// The narrow tiles' warps end in a fragment column of 8.
TEST_P(GemmKernel, F32ResultNarrow) {
  checkF32(GetParam(), mase_gemm_f16_narrow, kNarrow);
}
TEST_P(GemmKernel, BiasGeluF16Narrow) {
  checkBias<__half>(GetParam(), true, mase_gemm_f16_bias_gelu_narrow, kNarrow);
}
TEST_P(GemmKernel, BiasBF16Narrow) {
  checkBias<__nv_bfloat16>(GetParam(), false, mase_gemm_bf16_bias_narrow,
                           kNarrow);
}

// Full tiles; K of one tile (the pipeline's loads past K commit empty
// groups), of two with a partial last, and of eight (every stage reused
// twice); rows and columns past M and N; N whole narrow tiles (192).
INSTANTIATE_TEST_SUITE_P(Shapes, GemmKernel,
                         ::testing::Values(Shape{128, 128, 32},
                                           Shape{136, 128, 8},
                                           Shape{128, 136, 40},
                                           Shape{128, 192, 64},
                                           Shape{200, 256, 256}));

} // namespace
