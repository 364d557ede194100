//===- AttentionKernelTest.cpp - the prebuilt attention, emulated --------===//
//
// lib/Target/CUDA/Kernels/Attention.cu run by CudaEmulation.h against
// softmax(scale Q K^T + mask) V in double from the same 16-bit values: a
// sequence of whole tiles with 16-byte copies and a padding mask, and one
// whose rows, keys and depth leave tiles part full (element copies).
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

TEST_P(AttentionKernel, MatchesSoftmaxAttention) {
  Case c = GetParam();
  const int h = c.heads, d = c.depth;
  // [1, H, S, D] query, value and out; [1, H, D, Sk] key_t; mask [Sk].
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
  int rows = MASE_CUDA_SDPA_ROWS(d <= 32 ? 32 : d <= 64 ? 64 : 128);
  auto kernel = d <= 32   ? mase_sdpa_f16_d32
                : d <= 64 ? mase_sdpa_f16_d64
                          : mase_sdpa_f16_d128;
  int64_t qs = d, qh = int64_t(c.sq) * d, ks = int64_t(d) * c.sk;
  int64_t vh = int64_t(c.sk) * d;
  launch({static_cast<unsigned>((c.sq + rows - 1) / rows),
          static_cast<unsigned>(h), 1},
         MASE_CUDA_SDPA_THREADS, 0, [&] {
           kernel(out.data(), query.data(), keyT.data(), value.data(),
                  mask.data(), c.sq, c.sk, d, d, h * qh, qh, qs, h * vh, vh, d,
                  h * qh, qh, qs, h * ks, ks, 0, 0, 0, 1, scale, flags);
         });

  auto q = values<__half>(query), kt = values<__half>(keyT),
       v = values<__half>(value), m = values<__half>(mask);
  double largest = 0, worst = 0;
  for (int head = 0; head < h; ++head)
    for (int i = 0; i < c.sq; ++i) {
      std::vector<double> p(c.sk);
      double top = -INFINITY, total = 0;
      for (int k = 0; k < c.sk; ++k) {
        double s = 0;
        for (int j = 0; j < d; ++j)
          s += q[head * qh + i * qs + j] * kt[head * ks + j * c.sk + k];
        p[k] = s * scale + (c.masked ? m[k] : 0.0);
        top = std::max(top, p[k]);
      }
      for (double &x : p)
        total += x = std::exp(x - top);
      for (int j = 0; j < d; ++j) {
        double y = 0;
        for (int k = 0; k < c.sk; ++k)
          y += p[k] / total * v[head * vh + k * d + j];
        double got = Element<__half>::toFloat(out[head * qh + i * qs + j]);
        largest = std::max(largest, std::abs(y));
        worst = std::max(worst, std::abs(got - y));
      }
    }
  // The kernel rounds P to f16 for the tensor cores: 1e-2 of the largest
  // output, the GPU benchmark's check.
  EXPECT_LT(worst, 1e-2 * largest) << c;
}

INSTANTIATE_TEST_SUITE_P(Cases, AttentionKernel,
                         ::testing::Values(Case{2, 128, 128, 64, true},
                                           Case{1, 77, 77, 40, false},
                                           Case{1, 70, 136, 128, true}));

} // namespace
