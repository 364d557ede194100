//===- ScaleIntegerTest.cpp - per-row scaled integers against MASE --------===//

#include "mase/Numerics/ScaleInteger.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/scale_integer.json) must agree bit
// for bit.
TEST(ScaleIntegerGolden, AllCasesBitExact) {
  auto golden = loadGolden("scale_integer");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 3u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    ASSERT_EQ(obj.getString("fn"), "scale_integer_quantizer");
    const llvm::json::Object &params = *obj.getObject("params");
    expectGoldenCase(
        obj, ScaleIntegerFormat{static_cast<int>(*params.getInteger("width")),
                                *params.getBoolean("is_signed")});
  }
}

// Spec section 4.6, w8: +max maps to code 127, -max to -128.
TEST(ScaleInteger, WorkedExample) {
  EXPECT_EQ(quantizeOk(ScaleIntegerFormat{8, true}, {1, 0.5f, -1, 0.3f}, {4}),
            (std::vector<float>{0.9921875f, 0.5f, -1.0f, 0.296875f}));
}

// Each row of the last dimension has its own scale.
TEST(ScaleInteger, ScalesPerRow) {
  EXPECT_EQ(quantizeOk(ScaleIntegerFormat{8, true}, {1, 0.5f, 4, -4}, {2, 2}),
            (std::vector<float>{0.9921875f, 0.5f, 3.96875f, -4.0f}));
}

TEST(ScaleInteger, UnsignedAndNaNRows) {
  auto out = quantizeOk(ScaleIntegerFormat{8, false},
                        {1, 0.5f, -0.5f, -0.001f, -0.0f}, {5});
  EXPECT_EQ(out[0], 255.f / 256.f);
  EXPECT_EQ(out[1], 0.5f);
  EXPECT_EQ(bitsOf(out[2]), 0u);
  EXPECT_EQ(bitsOf(out[3]), bitsOf(-0.0f)) << "the CPU clamp keeps -0.0";
  EXPECT_EQ(bitsOf(out[4]), bitsOf(-0.0f));

  auto nan =
      quantizeOk(ScaleIntegerFormat{8, true},
                 {1, std::numeric_limits<float>::quiet_NaN(), 2, -4}, {2, 2});
  EXPECT_TRUE(std::isnan(nan[0]) && std::isnan(nan[1]));
  EXPECT_EQ(nan[2], 2.0f);
  EXPECT_EQ(nan[3], -4.0f);
}

TEST(ScaleInteger, RejectsBadParametersAndShapes) {
  EXPECT_NE(ScaleIntegerFormat({0, true}).validate(), "");
  std::string error = ScaleIntegerFormat({33, false}).validate();
  EXPECT_NE(error.find("width"), std::string::npos) << error;
  EXPECT_NE(error.find("33"), std::string::npos) << error;
  EXPECT_EQ(ScaleIntegerFormat({1, true}).validate(), "");

  std::vector<float> in{1.0f}, out{0.0f};
  EXPECT_NE(
      quantize(ScaleIntegerFormat{8, true}, in.data(), out.data(), {1, 0}), "");
  EXPECT_NE(quantize(ScaleIntegerFormat{0, true}, in.data(), out.data(), {1}),
            "");
  EXPECT_EQ(quantize(ScaleIntegerFormat{8, true}, in.data(), out.data(), {}),
            "");
  EXPECT_EQ(out[0], 0.9921875f) << "a 0-D tensor is one row";
}

} // namespace
