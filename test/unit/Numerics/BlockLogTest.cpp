//===- BlockLogTest.cpp - block logarithmic quantisation against MASE -----===//

#include "GoldenVectors.h"
#include "mase/Numerics/BlockLog.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using mase::test::bitsOf;

namespace {

std::vector<float> run(const BlockLogFormat &format, std::vector<float> in,
                       const Shape &shape) {
  std::vector<float> out(in.size());
  EXPECT_EQ(quantize(format, in.data(), out.data(), shape), "");
  return out;
}

// Every case MASE computed (test/golden/block_log.json) must agree bit for
// bit.
TEST(BlockLogGolden, AllCasesBitExact) {
  auto golden = mase::test::loadGolden("block_log");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 6u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    std::string id = obj.getString("id").value_or("?").str();
    const llvm::json::Object &params = *obj.getObject("params");
    BlockLogFormat format{
        static_cast<int>(*params.getInteger("width")),
        static_cast<int>(*params.getInteger("exponent_bias_width")),
        {},
        *params.getBoolean("skip_first_dim")};
    for (const llvm::json::Value &v : *params.getArray("block_size"))
      format.blockSize.push_back(*v.getAsInteger());
    Shape shape;
    for (const llvm::json::Value &v : *obj.getArray("shape"))
      shape.push_back(*v.getAsInteger());

    auto in = mase::test::decodeF32(*obj.getArray("input_bits"));
    std::vector<float> got(in.size());
    std::string error = quantize(format, in.data(), got.data(), shape);
    if (obj.getBoolean("expect_error").value_or(false)) {
      EXPECT_NE(error, "") << id;
      continue;
    }
    ASSERT_EQ(error, "") << id;
    auto want = mase::test::decodeF32(*obj.getArray("output_bits"));
    long bad = mase::test::firstMismatch(got, want);
    EXPECT_EQ(bad, -1) << id << ": element " << bad << " input " << in[bad]
                       << " got " << got[bad] << " (0x" << std::hex
                       << bitsOf(got[bad]) << ") want " << want[bad] << " (0x"
                       << bitsOf(want[bad]) << ")";
  }
}

// Spec section 4.5 (w4, bias width 4, bs [4]): beta = 7 - ceil(log2 3) = 5,
// so exponents run over [-5, 2] and the zero becomes 2^-5.
TEST(BlockLog, SharedBiasPutsTheMaxAtTheTopExponent) {
  EXPECT_EQ(run({4, 4, {4}, false}, {3.0f, 0.3f, -0.05f, 0.0f}, {4}),
            (std::vector<float>{4.0f, 0.25f, -0.0625f, 0.03125f}));
}

// All maxima zero: every maximum becomes 1, beta = 7, zeros become 2^-7.
TEST(BlockLog, AllZeroTensor) {
  EXPECT_EQ(run({4, 4, {2}, false}, {0.0f, 0.0f, 0.0f, -0.0f}, {4}),
            (std::vector<float>(4, 0.0078125f)));
}

// A zero block borrows the smallest block maximum of the tensor (here 0.5:
// beta = 8, clamped to 7 by the 3-bit bias), so its zeros become 2^-7.
TEST(BlockLog, ZeroBlockBorrowsTheSmallestMaximum) {
  auto out = run({4, 3, {2}, true}, {0.0f, 0.0f, 0.5f, 0.25f, 8.0f, 1.0f},
                 {1, 6});
  EXPECT_EQ(out, (std::vector<float>{0.0078125f, 0.0078125f, 0.5f, 0.25f,
                                     8.0f, 1.0f}));
}

TEST(BlockLog, NanSpoilsItsBlockAndEveryZeroBlock) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = run({5, 4, {2}, true}, {nan, 1.0f, 0.0f, 0.0f, 2.0f, 1.0f},
                 {1, 6});
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(std::isnan(out[i])) << i;
  EXPECT_EQ(out[4], 2.0f);
  EXPECT_EQ(out[5], 1.0f);
}

TEST(BlockLog, RejectsBadFormatsAndRanks) {
  EXPECT_NE((BlockLogFormat{1, 4, {16}, true}).validate(), "");
  EXPECT_NE((BlockLogFormat{17, 4, {16}, true}).validate(), "");
  EXPECT_NE((BlockLogFormat{4, 0, {16}, true}).validate(), "");
  EXPECT_NE((BlockLogFormat{4, 4, {-3}, true}).validate(), "");
  EXPECT_EQ((BlockLogFormat{4, 4, {-1}, true}).validate(), "");

  std::vector<float> in(16, 1.0f), out(16);
  EXPECT_NE(quantize(BlockLogFormat{4, 4, {16}, true}, in.data(), out.data(),
                     {16}),
            "");
  EXPECT_NE(quantize(BlockLogFormat{4, 4, {16}, true}, in.data(), out.data(),
                     {1, 1, 4, 4}),
            "");
}

} // namespace
