//===- AttentionKernelTest.cpp - the prebuilt attention, emulated --------===//
//
// lib/Target/CUDA/Kernels/Attention.cu run by CudaEmulation.h against
// softmax(scale Q K^T + mask) V in double from the same values, f16 and
// f32: a sequence of whole tiles (16-byte copies in f16) and a padding
// mask, and shapes whose rows, keys and depth leave tiles part full.
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include "Attention.cu"

#include <gtest/gtest.h>

using namespace mase::emulation;

namespace {

struct Case {
  int heads, sq, sk, depth;
  bool masked;
};

std::ostream &operator<<(std::ostream &os, const Case &c) {
  return os << c.heads << " heads, " << c.sq << "x" << c.sk << ", depth "
            << c.depth << (c.masked ? ", masked" : "");
}

class AttentionKernel : public ::testing::TestWithParam<Case> {};

/// The largest error of `out` ([H, Sq, D]) against softmax(scale Q K^T +
/// mask) V in double, and the largest reference magnitude.
std::pair<double, double> compare(const Case &c, const std::vector<double> &q,
                                  const std::vector<double> &kt,
                                  const std::vector<double> &v,
                                  const std::vector<double> &m,
                                  const std::vector<double> &out,
                                  double scale) {
  const int d = c.depth;
  const int64_t qh = int64_t(c.sq) * d, ks = int64_t(d) * c.sk,
                vh = int64_t(c.sk) * d;
  double largest = 0, worst = 0;
  for (int head = 0; head < c.heads; ++head)
    for (int i = 0; i < c.sq; ++i) {
      std::vector<double> p(c.sk);
      double top = -INFINITY, total = 0;
      for (int k = 0; k < c.sk; ++k) {
        double s = 0;
        for (int j = 0; j < d; ++j)
          s += q[head * qh + i * d + j] * kt[head * ks + j * c.sk + k];
        p[k] = s * scale + (c.masked ? m[k] : 0.0);
        top = std::max(top, p[k]);
      }
      for (double &x : p)
        total += x = std::exp(x - top);
      for (int j = 0; j < d; ++j) {
        double y = 0;
        for (int k = 0; k < c.sk; ++k)
          y += p[k] / total * v[head * vh + k * d + j];
        largest = std::max(largest, std::abs(y));
        worst = std::max(worst, std::abs(out[head * qh + i * d + j] - y));
      }
    }
  return {worst, largest};
}

/// Runs `kernel` on [1, H, S, D] operands (key_t [1, H, D, Sk], mask [Sk]).
template <typename Element, typename Kernel>
void run(const Case &c, Kernel kernel, int rows, int flags, float scale,
         const std::vector<Element> &query, const std::vector<Element> &keyT,
         const std::vector<Element> &value, const std::vector<Element> &mask,
         std::vector<Element> &out) {
  const int h = c.heads, d = c.depth;
  int64_t qs = d, qh = int64_t(c.sq) * d, ks = int64_t(d) * c.sk;
  int64_t vh = int64_t(c.sk) * d;
  launch({static_cast<unsigned>((c.sq + rows - 1) / rows),
          static_cast<unsigned>(h), 1},
         MASE_CUDA_SDPA_THREADS, 0, [&] {
           kernel(out.data(), query.data(), keyT.data(), value.data(),
                  mask.data(), c.sq, c.sk, d, d, h * qh, qh, qs, h * vh, vh, d,
                  h * qh, qh, qs, h * ks, ks, 0, 0, 0, 1, scale, flags);
         });
}

TEST_P(AttentionKernel, F16MatchesSoftmaxAttention) {
  Case c = GetParam();
  const int h = c.heads, d = c.depth;
  auto query = randomElements<__half>(size_t(h) * c.sq * d, 10);
  auto keyT = randomElements<__half>(size_t(h) * d * c.sk, 11);
  auto value = randomElements<__half>(size_t(h) * c.sk * d, 12);
  std::vector<uint16_t> mask(c.sk, Element<__half>::round(0.0f));
  for (int k = c.sk - 5; c.masked && k < c.sk; ++k)
    mask[k] = Element<__half>::round(-65504.0f);
  std::vector<uint16_t> out(query.size(), 0xffff);
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  int flags = (d % 8 == 0 && c.sk % 8 == 0 ? MASE_CUDA_SDPA_ALIGNED : 0) |
              (c.masked ? MASE_CUDA_SDPA_HAS_MASK : 0);
  auto kernel = d <= 32   ? mase_sdpa_f16_d32
                : d <= 64 ? mase_sdpa_f16_d64
                          : mase_sdpa_f16_d128;
  run(c, kernel,
      MASE_CUDA_SDPA_ROWS(d <= 32   ? 32
                          : d <= 64 ? 64
                                    : 128),
      flags, scale, query, keyT, value, mask, out);
  auto [worst, largest] = compare(
      c, values<__half>(query), values<__half>(keyT), values<__half>(value),
      values<__half>(mask), values<__half>(out), scale);
  // The kernel rounds P to f16 for the tensor cores: 1e-2 of the largest
  // output, the GPU benchmark's check.
  EXPECT_LT(worst, 1e-2 * largest) << c;
}

// The f32 kernel keeps f32 models' agreement: 1e-5 relative.
TEST_P(AttentionKernel, F32MatchesSoftmaxAttention) {
  Case c = GetParam();
  const int h = c.heads, d = c.depth;
  auto normal = [](size_t count, unsigned seed) {
    std::mt19937 generator(seed);
    std::normal_distribution<float> distribution;
    std::vector<float> result(count);
    for (float &x : result)
      x = distribution(generator);
    return result;
  };
  auto query = normal(size_t(h) * c.sq * d, 10);
  auto keyT = normal(size_t(h) * d * c.sk, 11);
  auto value = normal(size_t(h) * c.sk * d, 12);
  std::vector<float> mask(c.sk, 0.0f), out(query.size(), NAN);
  for (int k = c.sk - 5; c.masked && k < c.sk; ++k)
    mask[k] = -INFINITY;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  auto kernel = d <= 32   ? mase_sdpa_f32_d32
                : d <= 64 ? mase_sdpa_f32_d64
                          : mase_sdpa_f32_d128;
  run(c, kernel, MASE_CUDA_SDPA_F32_ROWS,
      c.masked ? MASE_CUDA_SDPA_HAS_MASK : 0, scale, query, keyT, value, mask,
      out);
  auto widen = [](const std::vector<float> &x) {
    return std::vector<double>(x.begin(), x.end());
  };
  auto [worst, largest] = compare(c, widen(query), widen(keyT), widen(value),
                                  widen(mask), widen(out), scale);
  EXPECT_LT(worst, 1e-5 * largest) << c;
}

// Every key masked with -inf: NaN rows, or zeros with zero_nan_rows.
TEST(AttentionKernelF32, FullyMaskedRows) {
  Case c{1, 40, 16, 32, true};
  std::vector<float> query(40 * 32, 1.0f), keyT(32 * 16, 1.0f),
      value(16 * 32, 1.0f), mask(16, -INFINITY), out(query.size(), 7.0f);
  run(c, mase_sdpa_f32_d32, MASE_CUDA_SDPA_F32_ROWS, MASE_CUDA_SDPA_HAS_MASK,
      1.0f, query, keyT, value, mask, out);
  for (float x : out)
    ASSERT_TRUE(std::isnan(x));
  run(c, mase_sdpa_f32_d32, MASE_CUDA_SDPA_F32_ROWS,
      MASE_CUDA_SDPA_HAS_MASK | MASE_CUDA_SDPA_ZERO_NAN_ROWS, 1.0f, query, keyT,
      value, mask, out);
  for (float x : out)
    ASSERT_EQ(x, 0.0f);
}

INSTANTIATE_TEST_SUITE_P(Cases, AttentionKernel,
                         ::testing::Values(Case{2, 128, 128, 64, true},
                                           Case{1, 77, 77, 40, false},
                                           Case{1, 70, 136, 128, true}));

} // namespace
