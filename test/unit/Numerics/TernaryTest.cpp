//===- TernaryTest.cpp - ternary quantisation against MASE ----------------===//

#include "mase/Numerics/Ternary.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/ternary.json) must agree bit for bit.
TEST(TernaryGolden, AllCasesBitExact) {
  auto golden = loadGolden("ternary");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 2u);
  int scaled = 0;
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    ASSERT_EQ(obj.getString("fn"), "ternary_quantizer");
    const llvm::json::Object &params = *obj.getObject("params");
    TernaryFormat format{*params.getBoolean("scaling_factor")};
    scaled += format.scalingFactor;
    expectGoldenCase(obj, format);
  }
  EXPECT_EQ(scaled, 1);
}

// Spec section 4.6: w[2,1,2,2], delta = 0.75 * mean|w| per sample.
const std::vector<float> kWeights{1, -0.2f, 0.05f, -2, 0.3f, 0.3f, -0.3f, 0};

TEST(Ternary, WorkedExample) {
  EXPECT_EQ(quantizeOk(TernaryFormat{false}, kWeights, {2, 1, 2, 2}),
            (std::vector<float>{1, 0, 0, -1, 1, 1, -1, 0}));
}

TEST(Ternary, ScaledWorkedExample) {
  // alpha is the mean of the magnitudes above delta: (1 + 2) / 2 and the
  // float32 (0.3 + 0.3 + 0.3) / 3 (printed 0.3).
  const float alpha1 = (0.3f + 0.3f + 0.3f) / 3;
  EXPECT_EQ(
      quantizeOk(TernaryFormat{true}, kWeights, {2, 1, 2, 2}),
      (std::vector<float>{1.5f, 0, 0, -1.5f, alpha1, alpha1, -alpha1, 0}));
}

// No magnitude above delta (a constant-zero sample): alpha is 0/0.
TEST(Ternary, ScaledAllZeroSampleIsNaN) {
  auto out = quantizeOk(TernaryFormat{true}, {0, 0, 0, 0}, {1, 1, 2, 2});
  for (float v : out)
    EXPECT_TRUE(std::isnan(v));
  EXPECT_EQ(quantizeOk(TernaryFormat{false}, {0, 0, 0, 0}, {1, 1, 2, 2}),
            (std::vector<float>{0, 0, 0, 0}));
}

// MASE raises IndexError for anything but 4-D (a Linear weight is 2-D).
TEST(Ternary, RejectsShapesMaseCannotTake) {
  EXPECT_EQ(TernaryFormat{true}.validate(), "");
  std::vector<float> in(8, 1.0f), out(8);
  for (const Shape &shape :
       {Shape{8}, Shape{2, 4}, Shape{2, 2, 2}, Shape{1, 2, 2, 2, 1}}) {
    std::string error = quantize(TernaryFormat{}, in.data(), out.data(), shape);
    EXPECT_NE(error.find("4-D"), std::string::npos) << error;
  }
  EXPECT_NE(quantize(TernaryFormat{}, in.data(), out.data(), {0, 2, 2, 2}), "");
  EXPECT_NE(quantize(TernaryFormat{}, in.data(), out.data(), {-1, 2, 2, 2}),
            "");
}

} // namespace
