//===- BinaryTest.cpp - binary quantisation against MASE ------------------===//

#include "mase/Numerics/Binary.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/binary.json) must agree bit for bit.
TEST(BinaryGolden, AllCasesBitExact) {
  auto golden = loadGolden("binary");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 4u);
  int bipolar = 0;
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    ASSERT_EQ(obj.getString("fn"), "binary_quantizer");
    const llvm::json::Object &params = *obj.getObject("params");
    BinaryFormat format{*params.getBoolean("bipolar"),
                        *params.getBoolean("stochastic")};
    bipolar += format.bipolar;
    expectGoldenCase(obj, format);
  }
  EXPECT_EQ(bipolar, 2);
}

// Spec section 4.6: zero and -0.0 become +1.
TEST(Binary, Bipolar) {
  auto out = quantizeOk(
      BinaryFormat{true, false},
      {0.0f, -0.0f, 0.3f, -1e-30f, std::numeric_limits<float>::quiet_NaN()},
      {5});
  EXPECT_EQ(out, (std::vector<float>{1.f, 1.f, 1.f, -1.f, -1.f}));
}

// Spec section 4.6: w[2,1,2,2] scaled by each sample's mean |w| (the second
// mean is the float32 (0.3 + 0.3 + 0.3) / 4, printed 0.225).
TEST(Binary, ScaledWorkedExample) {
  auto out =
      quantizeOk(BinaryFormat{false, false},
                 {1, -0.2f, 0.05f, -2, 0.3f, 0.3f, -0.3f, 0}, {2, 1, 2, 2});
  const float mean = (0.3f + 0.3f + 0.3f) / 4;
  EXPECT_EQ(out,
            (std::vector<float>{0.8125f, 0, 0.8125f, 0, mean, mean, 0, 0}));
}

TEST(Binary, ScaledNeeds4D) {
  std::vector<float> in(8, 1.0f), out(8);
  std::string error =
      quantize(BinaryFormat{false, false}, in.data(), out.data(), {2, 4});
  EXPECT_NE(error.find("4-D"), std::string::npos) << error;
  EXPECT_EQ(quantize(BinaryFormat{true, false}, in.data(), out.data(), {2, 4}),
            "");
}

TEST(Binary, RejectsStochastic) {
  std::string error = BinaryFormat{true, true}.validate();
  EXPECT_NE(error.find("stochastic"), std::string::npos) << error;
  EXPECT_NE(BinaryFormat({false, true}).validate(), "");
  std::vector<float> in{1.0f}, out{0.0f};
  EXPECT_NE(quantize(BinaryFormat{true, true}, in.data(), out.data(), {1}), "");
}

} // namespace
