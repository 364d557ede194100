//===- BlockLogTest.cpp - block logarithmic quantisation against MASE -----===//

#include "mase/Numerics/BlockLog.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/block_log.json) must agree bit for
// bit.
TEST(BlockLogGolden, AllCasesBitExact) {
  auto golden = loadGolden("block_log");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 6u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const llvm::json::Object &params = *obj.getObject("params");
    BlockLogFormat format{
        static_cast<int>(*params.getInteger("width")),
        static_cast<int>(*params.getInteger("exponent_bias_width")),
        integers(*params.getArray("block_size")),
        *params.getBoolean("skip_first_dim")};
    expectGoldenCase(obj, format);
  }
}

// Spec section 4.5 (w4, bias width 4, bs [4]): beta = 7 - ceil(log2 3) = 5,
// so exponents run over [-5, 2] and the zero becomes 2^-5.
TEST(BlockLog, SharedBiasPutsTheMaxAtTheTopExponent) {
  EXPECT_EQ(quantizeOk(BlockLogFormat{4, 4, {4}, false},
                       {3.0f, 0.3f, -0.05f, 0.0f}, {4}),
            (std::vector<float>{4.0f, 0.25f, -0.0625f, 0.03125f}));
}

// All maxima zero: every maximum becomes 1, beta = 7, zeros become 2^-7.
TEST(BlockLog, AllZeroTensor) {
  EXPECT_EQ(quantizeOk(BlockLogFormat{4, 4, {2}, false},
                       {0.0f, 0.0f, 0.0f, -0.0f}, {4}),
            (std::vector<float>(4, 0.0078125f)));
}

// A zero block borrows the smallest block maximum of the tensor (here 0.5:
// beta = 8, clamped to 7 by the 3-bit bias), so its zeros become 2^-7.
TEST(BlockLog, ZeroBlockBorrowsTheSmallestMaximum) {
  auto out = quantizeOk(BlockLogFormat{4, 3, {2}, true},
                        {0.0f, 0.0f, 0.5f, 0.25f, 8.0f, 1.0f}, {1, 6});
  EXPECT_EQ(out, (std::vector<float>{0.0078125f, 0.0078125f, 0.5f, 0.25f, 8.0f,
                                     1.0f}));
}

TEST(BlockLog, NanSpoilsItsBlockAndEveryZeroBlock) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = quantizeOk(BlockLogFormat{5, 4, {2}, true},
                        {nan, 1.0f, 0.0f, 0.0f, 2.0f, 1.0f}, {1, 6});
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
  EXPECT_NE(
      quantize(BlockLogFormat{4, 4, {16}, true}, in.data(), out.data(), {16}),
      "");
  EXPECT_NE(quantize(BlockLogFormat{4, 4, {16}, true}, in.data(), out.data(),
                     {1, 1, 4, 4}),
            "");
}

} // namespace
