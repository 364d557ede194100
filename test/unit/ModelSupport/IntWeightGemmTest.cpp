//===- IntWeightGemmTest.cpp - mase_int_weight_gemm against its definition ===//
//
// Every kernel the CPU has (scalar, AVX2, AVX-512) against a plain C++
// chain of fused multiply-adds in depth order, bit for bit, for weights
// packed at every width, with and without start values, at shapes that
// leave partial tiles of rows and features.
//
//===----------------------------------------------------------------------===//

#include "mase-c/ModelSupport.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

const char *const kIsas[] = {"scalar", "avx2", nullptr};

struct Case {
  int64_t m, n, k;
};

TEST(IntWeightGemm, FusedMultiplyAddChainInDepthOrder) {
  std::mt19937 gen(13);
  std::normal_distribution<float> normal;
  for (int bits = 1; bits <= 8; ++bits) {
    int top = 1 << (bits - 1);
    std::uniform_int_distribution<int> code(-top, top - 1);
    for (Case s : {Case{1, 1, 1}, Case{3, 17, 5}, Case{9, 48, 64},
                   Case{13, 40, 37}, Case{17, 33, 300}}) {
      std::vector<float> a(s.m * s.k), start(s.n);
      std::vector<int8_t> w(s.n * s.k);
      for (float &v : a)
        v = normal(gen);
      for (float &v : start)
        v = normal(gen);
      for (int8_t &v : w)
        v = static_cast<int8_t>(code(gen));
      std::vector<int8_t> packed(mase_qgemm_packed_size(s.n, s.k, bits));
      mase_qgemm_pack_weights(w.data(), s.n, s.k, bits, packed.data());
      for (bool withStart : {false, true}) {
        const float scale = 0.25f;
        std::vector<float> expected(s.m * s.n);
        for (int64_t i = 0; i < s.m; ++i)
          for (int64_t j = 0; j < s.n; ++j) {
            float c = withStart ? start[j] : 0.0f;
            for (int64_t q = 0; q < s.k; ++q)
              c = std::fma(a[i * s.k + q],
                           static_cast<float>(w[j * s.k + q]), c);
            expected[i * s.n + j] = c * scale;
          }
        for (const char *isa : kIsas) {
          if (isa)
            setenv("MASE_KERNEL_ISA", isa, 1);
          else
            unsetenv("MASE_KERNEL_ISA");
          std::vector<float> c(s.m * s.n, -1.0f);
          mase_int_weight_gemm(
              s.m, s.n, s.k, reinterpret_cast<uintptr_t>(a.data()),
              reinterpret_cast<uintptr_t>(packed.data()), bits,
              withStart ? reinterpret_cast<uintptr_t>(start.data()) : 0,
              scale, reinterpret_cast<uintptr_t>(c.data()));
          unsetenv("MASE_KERNEL_ISA");
          for (size_t e = 0; e < c.size(); ++e) {
            uint32_t x, y;
            std::memcpy(&x, &expected[e], 4);
            std::memcpy(&y, &c[e], 4);
            ASSERT_EQ(x, y) << "bits " << bits << ", " << s.m << "x" << s.n
                            << "x" << s.k << ", element " << e << ", kernel "
                            << (isa ? isa : "default") << ": " << expected[e]
                            << " vs " << c[e];
          }
        }
      }
    }
  }
}

/// NaN and infinity in a row reach exactly the outputs of that row.
TEST(IntWeightGemm, NonFiniteInputStaysInItsRow) {
  const int64_t m = 3, n = 20, k = 8;
  std::vector<float> a(m * k, 1.0f);
  a[1 * k + 2] = NAN;
  std::vector<int8_t> w(n * k, 1);
  std::vector<int8_t> packed(mase_qgemm_packed_size(n, k, 8));
  mase_qgemm_pack_weights(w.data(), n, k, 8, packed.data());
  std::vector<float> c(m * n);
  mase_int_weight_gemm(m, n, k, reinterpret_cast<uintptr_t>(a.data()),
                       reinterpret_cast<uintptr_t>(packed.data()), 8, 0, 1.0f,
                       reinterpret_cast<uintptr_t>(c.data()));
  for (int64_t j = 0; j < n; ++j) {
    EXPECT_EQ(c[j], 8.0f);
    EXPECT_TRUE(std::isnan(c[n + j]));
    EXPECT_EQ(c[2 * n + j], 8.0f);
  }
}

} // namespace
