//===- ActivationPruneTest.cpp - run-time threshold vs the numerics one ---===//
//
// The model support archive computes MASE's activation threshold in C at
// run time; lib/Numerics/Prune computes it for weights at compile time (and
// reproduces MASE's golden cases). They must agree bit for bit.
//
//===----------------------------------------------------------------------===//

#include "mase-c/ModelSupport.h"
#include "mase/Numerics/Prune.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <gtest/gtest.h>

namespace {

uint32_t bits(float v) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof(b));
  return b;
}

float runtimeThreshold(const std::vector<float> &x, float sparsity) {
  return mase_activation_l1_threshold(reinterpret_cast<uintptr_t>(x.data()),
                                      static_cast<int64_t>(x.size()),
                                      sparsity);
}

TEST(ActivationPrune, MatchesTheNumericsLibrary) {
  std::mt19937 gen(11);
  std::normal_distribution<float> normal;
  for (size_t n : {1u, 2u, 3u, 7u, 64u, 1000u, 4097u}) {
    std::vector<float> x(n);
    for (float &v : x)
      v = normal(gen);
    if (n > 4)
      x[1] = x[3] = -x[2]; // ties in magnitude
    for (float s : {0.0f, 0.1f, 0.25f, 1.0f / 3.0f, 0.5f, 0.9f, 1.0f}) {
      float want = mase::numerics::l1NormThreshold({{x.data(), x.size()}}, s);
      EXPECT_EQ(bits(runtimeThreshold(x, s)), bits(want))
          << "n=" << n << " sparsity=" << s;
    }
  }
}

TEST(ActivationPrune, NaNGivesNaN) {
  std::vector<float> x = {1.0f, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_TRUE(std::isnan(runtimeThreshold(x, 0.5f)));
}

} // namespace
