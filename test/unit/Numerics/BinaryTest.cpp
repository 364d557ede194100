//===- BinaryTest.cpp - binary quantisation against MASE ------------------===//

#include "mase/Numerics/Binary.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using mase::test::bitsOf;

namespace {

std::vector<float> run(const BinaryFormat &format, std::vector<float> in,
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

// Every case MASE computed (test/golden/binary.json) must agree bit for bit.
TEST(BinaryGolden, AllCasesBitExact) {
  auto golden = mase::test::loadGolden("binary");
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
    expectGolden(obj, format);
  }
  EXPECT_EQ(bipolar, 2);
}

// Spec section 4.6: zero and -0.0 become +1.
TEST(Binary, Bipolar) {
  auto out =
      run({true, false},
          {0.0f, -0.0f, 0.3f, -1e-30f, std::numeric_limits<float>::quiet_NaN()},
          {5});
  EXPECT_EQ(out, (std::vector<float>{1.f, 1.f, 1.f, -1.f, -1.f}));
}

// Spec section 4.6: w[2,1,2,2] scaled by each sample's mean |w| (the second
// mean is the float32 (0.3 + 0.3 + 0.3) / 4, printed 0.225).
TEST(Binary, ScaledWorkedExample) {
  auto out = run({false, false}, {1, -0.2f, 0.05f, -2, 0.3f, 0.3f, -0.3f, 0},
                 {2, 1, 2, 2});
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
