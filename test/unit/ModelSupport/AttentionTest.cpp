//===- AttentionTest.cpp - mase_sdpa against a direct computation ---------===//
//
// The fused kernel (AVX-512, AVX2 and scalar: each the CPU has) against softmax(scale Q K^T + mask) V
// computed in double with the whole score row, for odd and even lengths,
// broadcast masks, rows masked with the float32 minimum (uniform weights,
// as the unfused graph gives) and with -inf (NaN, as softmax gives).
//
//===----------------------------------------------------------------------===//

#include "mase-c/ModelSupport.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

/// Every instruction set the kernel has: MASE_KERNEL_ISA values, and
/// nullptr for the best the CPU has (AVX-512 where present).
const char *const kIsas[] = {"scalar", "avx2", nullptr};

struct Shape {
  int64_t b, h, sq, sk, d, dv;
};

/// Runs mase_sdpa; `mask` is [b][1][sq][sk] (broadcast over heads) or empty.
std::vector<float> run(const char *isa, const Shape &s,
                       const std::vector<float> &q,
                       const std::vector<float> &kT,
                       const std::vector<float> &v,
                       const std::vector<float> &mask, float scale,
                       int32_t zeroNanRows = 0) {
  if (isa)
    setenv("MASE_KERNEL_ISA", isa, 1);
  std::vector<float> out(s.b * s.h * s.sq * s.dv, -1.0f);
  mase_sdpa(s.b, s.h, s.sq, s.sk, s.d, s.dv, /*sequence_major=*/0,
            reinterpret_cast<uintptr_t>(q.data()),
            reinterpret_cast<uintptr_t>(kT.data()),
            reinterpret_cast<uintptr_t>(v.data()),
            mask.empty() ? 0 : reinterpret_cast<uintptr_t>(mask.data()),
            s.sq * s.sk, 0, s.sk, 1, scale, zeroNanRows,
            reinterpret_cast<uintptr_t>(out.data()));
  unsetenv("MASE_KERNEL_ISA");
  return out;
}

std::vector<double> reference(const Shape &s, const std::vector<float> &q,
                              const std::vector<float> &kT,
                              const std::vector<float> &v,
                              const std::vector<float> &mask, float scale) {
  std::vector<double> out(s.b * s.h * s.sq * s.dv);
  std::vector<double> p(s.sk);
  for (int64_t b = 0; b < s.b; ++b)
    for (int64_t h = 0; h < s.h; ++h)
      for (int64_t i = 0; i < s.sq; ++i) {
        double m = -INFINITY;
        for (int64_t j = 0; j < s.sk; ++j) {
          double dot = 0;
          for (int64_t c = 0; c < s.d; ++c)
            dot += double(q[((b * s.h + h) * s.sq + i) * s.d + c]) *
                   kT[((b * s.h + h) * s.d + c) * s.sk + j];
          p[j] = float(dot * scale) +
                 (mask.empty() ? 0.0 : mask[(b * s.sq + i) * s.sk + j]);
          m = std::max(m, p[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j < s.sk; ++j)
          sum += (p[j] = std::exp(p[j] - m));
        for (int64_t c = 0; c < s.dv; ++c) {
          double o = 0;
          for (int64_t j = 0; j < s.sk; ++j)
            o += p[j] / sum * v[((b * s.h + h) * s.sk + j) * s.dv + c];
          out[((b * s.h + h) * s.sq + i) * s.dv + c] = o;
        }
      }
  return out;
}

TEST(Attention, MatchesSoftmaxOfTheWholeRow) {
  std::mt19937 gen(5);
  std::normal_distribution<float> normal;
  for (Shape s : {Shape{1, 1, 1, 1, 1, 1}, Shape{2, 3, 17, 13, 8, 5},
                  Shape{1, 2, 64, 64, 16, 16}, Shape{2, 2, 9, 200, 32, 24},
                  Shape{1, 2, 13, 130, 72, 80}}) {
    std::vector<float> q(s.b * s.h * s.sq * s.d), kT(s.b * s.h * s.d * s.sk),
        v(s.b * s.h * s.sk * s.dv), mask(s.b * s.sq * s.sk);
    for (auto *t : {&q, &kT, &v})
      for (float &x : *t)
        x = normal(gen);
    for (float &x : mask)
      x = normal(gen) > 1.0f ? -10000.0f : 0.0f;
    float scale = 1.0f / std::sqrt(float(s.d));
    for (bool masked : {false, true}) {
      std::vector<float> m = masked ? mask : std::vector<float>();
      std::vector<double> want = reference(s, q, kT, v, m, scale);
      for (const char *isa : kIsas) {
        std::vector<float> got = run(isa, s, q, kT, v, m, scale);
        for (size_t i = 0; i < want.size(); ++i)
          ASSERT_NEAR(got[i], want[i], 1e-5 * (1 + std::fabs(want[i])))
              << "element " << i << (masked ? " masked" : "") << " with "
              << (isa ? isa : "default");
      }
    }
  }
}

/// [B, S, H, D] query, value and output give the same numbers as
/// [B, H, S, D].
TEST(Attention, SequenceMajorLayout) {
  std::mt19937 gen(8);
  std::normal_distribution<float> normal;
  Shape s{2, 3, 11, 21, 8, 6};
  std::vector<float> q(s.b * s.h * s.sq * s.d), kT(s.b * s.h * s.d * s.sk),
      v(s.b * s.h * s.sk * s.dv);
  for (auto *t : {&q, &kT, &v})
    for (float &x : *t)
      x = normal(gen);
  // [B, H, S, X] -> [B, S, H, X]
  auto swap = [&](const std::vector<float> &t, int64_t rows, int64_t depth) {
    std::vector<float> out(t.size());
    for (int64_t b = 0; b < s.b; ++b)
      for (int64_t h = 0; h < s.h; ++h)
        for (int64_t i = 0; i < rows; ++i)
          for (int64_t c = 0; c < depth; ++c)
            out[((b * rows + i) * s.h + h) * depth + c] =
                t[((b * s.h + h) * rows + i) * depth + c];
    return out;
  };
  std::vector<float> heads = run(nullptr, s, q, kT, v, {}, 0.3f);
  std::vector<float> qs = swap(q, s.sq, s.d), vs = swap(v, s.sk, s.dv);
  std::vector<float> out(heads.size());
  mase_sdpa(s.b, s.h, s.sq, s.sk, s.d, s.dv, /*sequence_major=*/1,
            reinterpret_cast<uintptr_t>(qs.data()),
            reinterpret_cast<uintptr_t>(kT.data()),
            reinterpret_cast<uintptr_t>(vs.data()), 0, 0, 0, 0, 0, 0.3f, 0,
            reinterpret_cast<uintptr_t>(out.data()));
  EXPECT_EQ(out, swap(heads, s.sq, s.dv));
}

TEST(Attention, FullyMaskedRowsBehaveAsSoftmax) {
  Shape s{1, 1, 2, 70, 4, 3};
  std::vector<float> q(8, 0.5f), kT(4 * 70), v(70 * 3), mask(2 * 70, 0.0f);
  for (size_t i = 0; i < kT.size(); ++i)
    kT[i] = float(i % 7) - 3.0f;
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = float(i % 11);
  // Row 0: every key at the float32 minimum (BERT's padding value): the
  // scores all become the minimum plus a little, softmax is uniform.
  // Row 1: -inf everywhere: softmax is NaN.
  for (int j = 0; j < 70; ++j) {
    mask[j] = std::numeric_limits<float>::lowest();
    mask[70 + j] = -INFINITY;
  }
  for (const char *isa : kIsas) {
    std::vector<float> got = run(isa, s, q, kT, v, mask, 1.0f);
    for (int c = 0; c < 3; ++c) {
      double mean = 0;
      for (int j = 0; j < 70; ++j)
        mean += v[j * 3 + c] / 70.0;
      EXPECT_NEAR(got[c], mean, 1e-4) << c;
      EXPECT_TRUE(std::isnan(got[3 + c])) << c;
    }
    // With zero_nan_rows, the -inf row is zeros; the other is unchanged.
    std::vector<float> zeroed = run(isa, s, q, kT, v, mask, 1.0f, 1);
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(zeroed[c], got[c]) << c;
      EXPECT_EQ(zeroed[3 + c], 0.0f) << c;
    }
  }
}

} // namespace
