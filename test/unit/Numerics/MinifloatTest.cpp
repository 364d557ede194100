//===- MinifloatTest.cpp - minifloat quantisation against MASE ------------===//

#include "mase/Numerics/Minifloat.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/minifloat.json) must agree bit for bit.
TEST(MinifloatGolden, AllCasesBitExact) {
  auto golden = loadGolden("minifloat");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 13u);
  int denorm = 0, ieee = 0;
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const llvm::json::Object &params = *obj.getObject("params");
    int width = *params.getInteger("width");
    int exponentWidth = *params.getInteger("exponent_width");
    std::optional<int> bias;
    if (auto b = params.getInteger("exponent_bias"))
      bias = static_cast<int>(*b);
    if (obj.getString("fn") == "minifloat_denorm_quantizer") {
      expectGoldenCase(obj, MinifloatDenormFormat{width, exponentWidth, bias});
      ++denorm;
    } else {
      ASSERT_EQ(obj.getString("fn"), "minifloat_ieee_quantizer");
      expectGoldenCase(obj, MinifloatIeeeFormat{width, exponentWidth, bias});
      ++ieee;
    }
  }
  EXPECT_EQ(denorm, 6);
  EXPECT_EQ(ieee, 7);
}

const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

// Spec section 3.1, w8 E4 (bias 7, M = 3).
TEST(MinifloatDenorm, WorkedExamplesE4M3) {
  MinifloatDenormFormat e4m3{8, 4, std::nullopt};
  EXPECT_EQ(e4m3.bias(), 7);
  EXPECT_EQ(quantizeOk(e4m3, {0.3f, 1.0f, 0.75f, 1000.f, -0.3f, 0.001f, 5e-9f,
                              0.5625f, 0.6875f, 2e-8f, 16.0f, 16.000001907f,
                              15.0f, 17.0f}),
            (std::vector<float>{0.3125f, 0.875f, 0.75f, 224.f, -0.3125f,
                                0.0009765625f, 5e-9f, 0.5f, 0.75f, 0.0f, 14.0f,
                                14.0f, 14.0f, 16.0f}));
}

// Spec section 3.1, w8 E5 (bias 15, M = 2): 2^k is exact only where 1e-9
// lifts log2 over the integer.
TEST(MinifloatDenorm, WorkedExamplesE5M2) {
  MinifloatDenormFormat e5m2{8, 5, std::nullopt};
  EXPECT_EQ(
      quantizeOk(e5m2, {0.25f, 0.5f, 1.0f, 0x1p-5f, 0x1p-6f, 0x1p-7f, 0x1p-8f,
                        0x1p-9f, 0x1p-10f, 3.0f}),
      (std::vector<float>{0.1875f, 0.375f, 0.75f, 0.0234375f, 0.01171875f,
                          0.005859375f, 0x1p-8f, 0x1p-9f, 0x1p-10f, 3.0f}));
}

TEST(MinifloatDenorm, NonFiniteAndZero) {
  auto out = quantizeOk(MinifloatDenormFormat{8, 4, std::nullopt},
                        {kInf, -kInf, kNaN, 0.0f, -0.0f});
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_EQ(bitsOf(out[3]), 0u);
  EXPECT_EQ(bitsOf(out[4]), 0u) << "-0.0 passes through as +0.0";
}

// Spec section 3.2, E4M3 (bias 7): no carry into the next binade.
TEST(MinifloatIeee, WorkedExamplesE4M3) {
  MinifloatIeeeFormat e4m3{8, 4, std::nullopt};
  EXPECT_EQ(
      quantizeOk(e4m3, {0.3f, 1.0f, 1.97f, 1.9375f, 1000.f, 0.001f,
                        0.0146484375f, 0.012f, 5e-9f, 2e-8f, -2.5f, 2.65625f,
                        1.0625f, 1.1875f, 480.f, 500.f, 0.0f}),
      (std::vector<float>{0.3125f, 1.0f, 1.875f, 1.875f, 480.f, 0.001953125f,
                          0.013671875f, 0.01171875f, 5e-9f, 0.0f, -2.5f, 2.75f,
                          1.0f, 1.25f, 480.f, 480.f, 0.0f}));
}

// Spec section 3.2, E5M2 (bias 15).
TEST(MinifloatIeee, WorkedExamplesE5M2) {
  MinifloatIeeeFormat e5m2{8, 5, std::nullopt};
  EXPECT_EQ(quantizeOk(e5m2, {1.0f, 1.75f, 1.875f, 0.1f, 1e5f, 6e-5f, 1e-5f}),
            (std::vector<float>{1.0f, 1.75f, 1.75f, 0.09375f, 98304.f,
                                4.57763671875e-05f, 1.52587890625e-05f}));
}

TEST(MinifloatIeee, NonFinite) {
  auto out =
      quantizeOk(MinifloatIeeeFormat{8, 4, std::nullopt}, {kInf, -kInf, kNaN});
  for (float v : out)
    EXPECT_TRUE(std::isnan(v));
}

// The per-element entry point with an explicit bias is the tensor function.
TEST(MinifloatIeee, ElementFunctionMatchesExplicitBias) {
  MinifloatIeeeFormat biased{8, 4, 9};
  std::vector<float> in{0.3f, 3.0f, -0.05f, 1000.f, 0.0009f};
  auto out = quantizeOk(biased, in);
  for (std::size_t i = 0; i < in.size(); ++i)
    EXPECT_EQ(bitsOf(out[i]),
              bitsOf(quantizeMinifloatIeeeElement(in[i], 8, 4, 9)));
}

TEST(Minifloat, RejectsBadParameters) {
  EXPECT_NE(MinifloatDenormFormat({8, 0, std::nullopt}).validate(), "");
  EXPECT_NE(MinifloatDenormFormat({8, 9, std::nullopt}).validate(), "");
  EXPECT_NE(MinifloatDenormFormat({4, 4, std::nullopt}).validate(), "");
  EXPECT_NE(MinifloatDenormFormat({33, 4, std::nullopt}).validate(), "");
  EXPECT_NE(MinifloatIeeeFormat({8, 4, 5000}).validate(), "");
  EXPECT_NE(MinifloatIeeeFormat({8, 4, -5000}).validate(), "");
  EXPECT_EQ(MinifloatIeeeFormat({5, 4, -3}).validate(), "");
  EXPECT_EQ(MinifloatDenormFormat({16, 8, std::nullopt}).validate(), "");

  std::string error = MinifloatIeeeFormat({8, 12, std::nullopt}).validate();
  EXPECT_NE(error.find("exponent_width"), std::string::npos) << error;
  EXPECT_NE(error.find("12"), std::string::npos) << error;

  std::vector<float> in{1.0f}, out{0.0f};
  EXPECT_NE(quantize(MinifloatIeeeFormat{3, 4, std::nullopt}, in.data(),
                     out.data(), {1}),
            "");
}

} // namespace
