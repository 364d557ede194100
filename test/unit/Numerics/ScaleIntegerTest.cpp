//===- ScaleIntegerTest.cpp - per-row scaled integers against MASE --------===//

#include "mase/Numerics/ScaleInteger.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using mase::test::bitsOf;

namespace {

std::vector<float> run(const ScaleIntegerFormat &format, std::vector<float> in,
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

// Every case MASE computed (test/golden/scale_integer.json) must agree bit
// for bit.
TEST(ScaleIntegerGolden, AllCasesBitExact) {
  auto golden = mase::test::loadGolden("scale_integer");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 3u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    ASSERT_EQ(obj.getString("fn"), "scale_integer_quantizer");
    const llvm::json::Object &params = *obj.getObject("params");
    expectGolden(
        obj, ScaleIntegerFormat{static_cast<int>(*params.getInteger("width")),
                                *params.getBoolean("is_signed")});
  }
}

// Spec section 4.6, w8: +max maps to code 127, -max to -128.
TEST(ScaleInteger, WorkedExample) {
  EXPECT_EQ(run({8, true}, {1, 0.5f, -1, 0.3f}, {4}),
            (std::vector<float>{0.9921875f, 0.5f, -1.0f, 0.296875f}));
}

// Each row of the last dimension has its own scale.
TEST(ScaleInteger, ScalesPerRow) {
  EXPECT_EQ(run({8, true}, {1, 0.5f, 4, -4}, {2, 2}),
            (std::vector<float>{0.9921875f, 0.5f, 3.96875f, -4.0f}));
}

TEST(ScaleInteger, UnsignedAndNaNRows) {
  auto out = run({8, false}, {1, 0.5f, -0.5f, -0.001f, -0.0f}, {5});
  EXPECT_EQ(out[0], 255.f / 256.f);
  EXPECT_EQ(out[1], 0.5f);
  EXPECT_EQ(bitsOf(out[2]), 0u);
  EXPECT_EQ(bitsOf(out[3]), bitsOf(-0.0f)) << "the CPU clamp keeps -0.0";
  EXPECT_EQ(bitsOf(out[4]), bitsOf(-0.0f));

  auto nan = run({8, true}, {1, std::numeric_limits<float>::quiet_NaN(), 2, -4},
                 {2, 2});
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
