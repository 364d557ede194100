//===- SparseGemmTest.cpp - mase_sparse_gemm against a direct evaluation --===//
//
// Compressed sparse rows built from random pruned weights: the AVX2 and
// scalar kernels against fused multiply-adds in stored order (bit for
// bit), and against the dense product within float32 summation error.
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

struct Csr {
  std::vector<int32_t> offsets{0};
  std::vector<uint16_t> columns;
  std::vector<float> values;
};

Csr compress(const std::vector<float> &w, int64_t n, int64_t k) {
  Csr csr;
  for (int64_t j = 0; j < n; ++j) {
    for (int64_t q = 0; q < k; ++q)
      if (w[j * k + q] != 0.0f) {
        csr.columns.push_back(static_cast<uint16_t>(q));
        csr.values.push_back(w[j * k + q]);
      }
    csr.offsets.push_back(static_cast<int32_t>(csr.values.size()));
  }
  return csr;
}

std::vector<float> run(const char *isa, int64_t m, int64_t n, int64_t k,
                       const std::vector<float> &a, const Csr &csr) {
  if (isa)
    setenv("MASE_KERNEL_ISA", isa, 1);
  std::vector<float> c(m * n, -1.0f);
  mase_sparse_gemm(m, n, k, reinterpret_cast<uintptr_t>(a.data()),
                   reinterpret_cast<uintptr_t>(csr.offsets.data()),
                   reinterpret_cast<uintptr_t>(csr.columns.data()),
                   reinterpret_cast<uintptr_t>(csr.values.data()),
                   reinterpret_cast<uintptr_t>(c.data()));
  unsetenv("MASE_KERNEL_ISA");
  return c;
}

TEST(SparseGemm, MatchesStoredOrderAndDense) {
  std::mt19937 gen(9);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> uniform;
  struct Case {
    int64_t m, n, k;
    float sparsity;
  };
  for (Case s : {Case{1, 1, 1, 0.0f}, Case{3, 5, 7, 0.5f},
                 Case{64, 16, 96, 0.9f}, Case{130, 33, 200, 0.75f},
                 Case{7, 9, 40, 1.0f}}) {
    std::vector<float> a(s.m * s.k), w(s.n * s.k);
    for (float &v : a)
      v = normal(gen);
    for (float &v : w)
      v = uniform(gen) < s.sparsity ? 0.0f : normal(gen);
    Csr csr = compress(w, s.n, s.k);

    std::vector<float> expected(s.m * s.n);
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        float c = 0.0f;
        for (int32_t e = csr.offsets[j]; e < csr.offsets[j + 1]; ++e)
          c = std::fma(csr.values[e], a[i * s.k + csr.columns[e]], c);
        expected[i * s.n + j] = c;
      }
    for (const char *isa : {"scalar", static_cast<const char *>(nullptr)}) {
      std::vector<float> c = run(isa, s.m, s.n, s.k, a, csr);
      for (int64_t i = 0; i < s.m * s.n; ++i) {
        uint32_t e, g;
        std::memcpy(&e, &expected[i], 4);
        std::memcpy(&g, &c[i], 4);
        ASSERT_EQ(e, g) << "element " << i << " of " << s.m << "x" << s.n
                        << "x" << s.k << " with " << (isa ? isa : "default");
      }
    }
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        double dense = 0.0, magnitude = 0.0;
        for (int64_t q = 0; q < s.k; ++q) {
          dense += double(a[i * s.k + q]) * w[j * s.k + q];
          magnitude += std::fabs(double(a[i * s.k + q]) * w[j * s.k + q]);
        }
        EXPECT_NEAR(expected[i * s.n + j], dense,
                    s.k * std::ldexp(1.0, -24) * magnitude + 1e-30);
      }
  }
}

} // namespace
