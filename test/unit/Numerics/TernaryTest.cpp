//===- TernaryTest.cpp - ternary quantisation against MASE ----------------===//

#include "mase/Numerics/Ternary.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mase::numerics;
using mase::test::bitsOf;

namespace {

std::vector<float> run(const TernaryFormat &format, std::vector<float> in,
                       const Shape &shape) {
  std::vector<float> out(in.size());
  EXPECT_EQ(quantize(format, in.data(), out.data(), shape), "");
  return out;
}

// One golden case: MASE's output bit for bit, or an error where MASE raised.
template <typename Format>
void expectGolden(const llvm::json::Object &obj, const Format &format) {
  std::string id = obj.getString("id").value_or("?").str();
  Shape shape;
  for (const llvm::json::Value &d : *obj.getArray("shape"))
    shape.push_back(*d.getAsInteger());
  auto in = mase::test::decodeF32(*obj.getArray("input_bits"));
  std::vector<float> got(in.size());
  std::string error = quantize(format, in.data(), got.data(), shape);
  // expect_error names the exception MASE raised.
  const llvm::json::Value *raised = obj.get("expect_error");
  if (raised && raised->kind() != llvm::json::Value::Null &&
      raised->getAsBoolean().value_or(true)) {
    EXPECT_NE(error, "") << id << ": MASE raised "
                         << obj.getString("error_message").value_or("").str();
    return;
  }
  ASSERT_EQ(error, "") << id;
  auto want = mase::test::decodeF32(*obj.getArray("output_bits"));
  long bad = mase::test::firstMismatch(got, want);
  EXPECT_EQ(bad, -1) << id << ": element " << bad << " input " << in[bad]
                     << " got " << got[bad] << " (0x" << std::hex
                     << bitsOf(got[bad]) << ") want " << want[bad] << " (0x"
                     << bitsOf(want[bad]) << ")";
}

// Every case MASE computed (test/golden/ternary.json) must agree bit for bit.
TEST(TernaryGolden, AllCasesBitExact) {
  auto golden = mase::test::loadGolden("ternary");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 2u);
  int scaled = 0;
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    ASSERT_EQ(obj.getString("fn"), "ternary_quantizer");
    const llvm::json::Object &params = *obj.getObject("params");
    TernaryFormat format{*params.getBoolean("scaling_factor")};
    scaled += format.scalingFactor;
    expectGolden(obj, format);
  }
  EXPECT_EQ(scaled, 1);
}

// Spec section 4.6: w[2,1,2,2], delta = 0.75 * mean|w| per sample.
const std::vector<float> kWeights{1, -0.2f, 0.05f, -2, 0.3f, 0.3f, -0.3f, 0};

TEST(Ternary, WorkedExample) {
  EXPECT_EQ(run({false}, kWeights, {2, 1, 2, 2}),
            (std::vector<float>{1, 0, 0, -1, 1, 1, -1, 0}));
}

TEST(Ternary, ScaledWorkedExample) {
  // alpha is the mean of the magnitudes above delta: (1 + 2) / 2 and the
  // float32 (0.3 + 0.3 + 0.3) / 3 (printed 0.3).
  const float alpha1 = (0.3f + 0.3f + 0.3f) / 3;
  EXPECT_EQ(
      run({true}, kWeights, {2, 1, 2, 2}),
      (std::vector<float>{1.5f, 0, 0, -1.5f, alpha1, alpha1, -alpha1, 0}));
}

// No magnitude above delta (a constant-zero sample): alpha is 0/0.
TEST(Ternary, ScaledAllZeroSampleIsNaN) {
  auto out = run({true}, {0, 0, 0, 0}, {1, 1, 2, 2});
  for (float v : out)
    EXPECT_TRUE(std::isnan(v));
  EXPECT_EQ(run({false}, {0, 0, 0, 0}, {1, 1, 2, 2}),
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
