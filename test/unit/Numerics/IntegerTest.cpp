//===- IntegerTest.cpp - fixed-point quantisation against MASE ------------===//

#include "mase/Numerics/Integer.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/integer.json) must agree bit for bit.
TEST(IntegerGolden, AllCasesBitExact) {
  auto golden = loadGolden("integer");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 14u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    IntegerFormat format = integerFormatOf(obj);
    ASSERT_EQ(format.validate(), "") << caseId(obj);
    expectGoldenCase(obj, format);
  }
}

// The worked examples of spec section 2.5.
TEST(Integer, RoundsHalfToEvenAndClamps) {
  IntegerFormat w8f3{8, 3, true, Rounding::NearestEven};
  EXPECT_EQ(
      quantizeOk(w8f3,
                 {0.3f, 0.3125f, 0.4375f, -0.3125f, 100.f, -100.f, -0.3f}),
      (std::vector<float>{0.25f, 0.25f, 0.5f, -0.25f, 15.875f, -16.f, -0.25f}));
}

TEST(Integer, FloorRounding) {
  IntegerFormat w8f3{8, 3, true, Rounding::Floor};
  EXPECT_EQ(quantizeOk(
                w8f3, {0.3f, 0.3125f, 0.4375f, -0.3125f, 100.f, -100.f, -0.3f}),
            (std::vector<float>{0.25f, 0.25f, 0.375f, -0.375f, 15.875f, -16.f,
                                -0.375f}));
}

TEST(Integer, UnsignedAndNegativeFracWidth) {
  EXPECT_EQ(quantizeOk(IntegerFormat{8, 3, false, Rounding::NearestEven},
                       {-1.f, 40.f, 0.3f}),
            (std::vector<float>{0.f, 31.875f, 0.25f}));
  EXPECT_EQ(quantizeOk(IntegerFormat{4, -2, true, Rounding::NearestEven},
                       {13.f, 100.f, -3.f}),
            (std::vector<float>{12.f, 28.f, -4.f}));
}

TEST(Integer, NonFiniteInputs) {
  const float inf = std::numeric_limits<float>::infinity();
  auto out = quantizeOk(IntegerFormat{8, 3, true, Rounding::NearestEven},
                        {inf, -inf, std::numeric_limits<float>::quiet_NaN()});
  EXPECT_EQ(out[0], 15.875f);
  EXPECT_EQ(out[1], -16.f);
  EXPECT_TRUE(std::isnan(out[2]));
}

TEST(Integer, RejectsBadWidths) {
  EXPECT_NE(IntegerFormat({0, 0}).validate(), "");
  EXPECT_NE(IntegerFormat({33, 0}).validate(), "");
  EXPECT_NE(IntegerFormat({8, 200}).validate(), "");
  EXPECT_EQ(IntegerFormat({32, 16}).validate(), "");
}

} // namespace
