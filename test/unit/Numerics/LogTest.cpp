//===- LogTest.cpp - base-2 log quantisation against MASE -----------------===//

#include "mase/Numerics/Log.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/log.json) must agree bit for bit.
TEST(LogGolden, AllCasesBitExact) {
  auto golden = loadGolden("log");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 5u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    ASSERT_EQ(obj.getString("fn"), "log_quantizer");
    const llvm::json::Object &params = *obj.getObject("params");
    LogFormat format{static_cast<int>(*params.getInteger("width")),
                     std::nullopt};
    if (auto b = params.getInteger("exponent_bias"))
      format.exponentBias = static_cast<int>(*b);
    expectGoldenCase(obj, format);
  }
}

// Spec section 4.4, w4 with the default bias 3 (exponents in [-3, 4]).
TEST(Log, WorkedExamples) {
  LogFormat w4{4, std::nullopt};
  EXPECT_EQ(w4.bias(), 3);
  EXPECT_EQ(quantizeOk(w4, {3.0f, 2.8f, 0.0f, -0.01f, 100.f, -0.3f, 1.0f}),
            (std::vector<float>{4.f, 2.f, 0.125f, 0.125f, 16.f, -0.25f, 1.f}));
}

// Rounding happens in the log domain: the midpoint of 2^k and 2^(k+1) is
// 2^(k + 1/2), not 1.5 * 2^k.
TEST(Log, RoundsInTheLogDomain) {
  LogFormat w8{8, std::nullopt};
  EXPECT_EQ(quantizeOk(w8, {1.41f, 1.42f, 1.5f, -2.83f}),
            (std::vector<float>{1.f, 2.f, 2.f, -4.f}));
}

TEST(Log, NonFiniteAndZero) {
  const float inf = std::numeric_limits<float>::infinity();
  auto out =
      quantizeOk(LogFormat{4, std::nullopt},
                 {inf, -inf, std::numeric_limits<float>::quiet_NaN(), -0.0f});
  EXPECT_EQ(out[0], 16.f);
  EXPECT_EQ(out[1], -16.f);
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_EQ(out[3], 0.125f);
}

// The example config (w8, bias 128) caps every magnitude at 2^-1.
TEST(Log, LargeBiasCapsMagnitude) {
  auto out = quantizeOk(LogFormat{8, 128}, {1000.f, -3.f, 0.0f});
  EXPECT_EQ(out[0], 0.5f);
  EXPECT_EQ(out[1], -0.5f);
  EXPECT_EQ(out[2], 0x1p-128f);
}

TEST(Log, ElementFunctionMatchesExplicitBias) {
  std::vector<float> in{0.3f, 3.0f, -0.05f, 1000.f, 0.0f};
  auto out = quantizeOk(LogFormat{5, 10}, in);
  for (std::size_t i = 0; i < in.size(); ++i)
    EXPECT_EQ(bitsOf(out[i]), bitsOf(quantizeLogElement(in[i], 5, 10)));
}

TEST(Log, RejectsBadParameters) {
  EXPECT_NE(LogFormat({1, std::nullopt}).validate(), "");
  EXPECT_NE(LogFormat({33, std::nullopt}).validate(), "");
  EXPECT_NE(LogFormat({8, 2000}).validate(), "");
  EXPECT_EQ(LogFormat({2, std::nullopt}).validate(), "");
  EXPECT_EQ(LogFormat({6, 0}).validate(), "");
  std::string error = LogFormat({8, -2000}).validate();
  EXPECT_NE(error.find("exponent_bias"), std::string::npos) << error;
  EXPECT_NE(error.find("-2000"), std::string::npos) << error;

  std::vector<float> in{1.0f}, out{0.0f};
  EXPECT_NE(quantize(LogFormat{0, std::nullopt}, in.data(), out.data(), {1}),
            "");
}

} // namespace
