//===- BlockMinifloatTest.cpp - block minifloat against MASE --------------===//

#include "mase/Numerics/BlockMinifloat.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/block_minifloat.json) must agree bit
// for bit.
TEST(BlockMinifloatGolden, AllCasesBitExact) {
  auto golden = loadGolden("block_minifloat");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 6u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const llvm::json::Object &params = *obj.getObject("params");
    BlockMinifloatFormat format{
        static_cast<int>(*params.getInteger("width")),
        static_cast<int>(*params.getInteger("exponent_width")),
        static_cast<int>(*params.getInteger("exponent_bias_width")),
        integers(*params.getArray("block_size")),
        *params.getBoolean("skip_first_dim")};
    expectGoldenCase(obj, format);
  }
}

// The worked examples of spec section 4.3 (w8, E4, bias width 4, bs [4]).
TEST(BlockMinifloat, SharedBiasFromFloorLog2OfTheMax) {
  BlockMinifloatFormat f{8, 4, 4, {4}, false};
  auto out = quantizeOk(f, {3.0f, 0.3f, -0.05f, 0.0f}, {4}); // beta = 1
  EXPECT_EQ(out, (std::vector<float>{3.0f, 0.25f, -0.0f, 0.0f}));
  EXPECT_EQ(bitsOf(out[2]), 0x80000000u);
  // A large max gives a large bias and so a small range: 1000 saturates.
  EXPECT_EQ(quantizeOk(f, {1000, 1, 0, 0}, {4}),
            (std::vector<float>{120.0f, 1.0f, 0, 0}));
  // A max below 1 gives beta = 0: 0.1 is below the subnormal step's half.
  EXPECT_EQ(quantizeOk(f, {0.3f, 0.1f, 0, 0}, {4}),
            (std::vector<float>{0.25f, 0.0f, 0, 0}));
}

TEST(BlockMinifloat, NanSpoilsItsBlockAndEveryZeroBlock) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = quantizeOk(BlockMinifloatFormat{8, 4, 4, {2}, true},
                        {nan, 1.0f, 0.0f, 0.0f, 2.0f, 1.0f}, {1, 6});
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(std::isnan(out[i])) << i;
  EXPECT_EQ(out[4], 2.0f);
  EXPECT_EQ(out[5], 1.0f);
}

TEST(BlockMinifloat, RejectsBadFormatsAndRanks) {
  EXPECT_NE((BlockMinifloatFormat{8, 0, 4, {16}, true}).validate(), "");
  EXPECT_NE((BlockMinifloatFormat{4, 4, 4, {16}, true}).validate(), "");
  EXPECT_NE((BlockMinifloatFormat{40, 4, 4, {16}, true}).validate(), "");
  EXPECT_NE((BlockMinifloatFormat{8, 4, 0, {16}, true}).validate(), "");
  EXPECT_NE((BlockMinifloatFormat{8, 4, 4, {0}, true}).validate(), "");
  EXPECT_EQ((BlockMinifloatFormat{5, 4, 4, {16}, true}).validate(), "");

  std::vector<float> in(16, 1.0f), out(16);
  EXPECT_NE(quantize(BlockMinifloatFormat{8, 4, 4, {16}, true}, in.data(),
                     out.data(), {16}),
            "");
  EXPECT_NE(quantize(BlockMinifloatFormat{8, 4, 4, {4}, false}, in.data(),
                     out.data(), {2, 2, 4}),
            "");
}

} // namespace
