//===- BlockFpTest.cpp - block floating point against MASE ----------------===//

#include "mase/Numerics/BlockFp.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

/// A block_fp format with the given widths and every other field defaulted.
BlockFpFormat bfp(int width, int exponentWidth = 8) {
  BlockFpFormat format;
  format.width = width;
  format.exponentWidth = exponentWidth;
  return format;
}

BlockFpFormat w8(std::vector<std::int64_t> blockSize, bool skipFirstDim) {
  return {8, 8, 127, std::move(blockSize), skipFirstDim};
}

// Every case MASE computed (test/golden/block_fp.json) must agree bit for bit.
TEST(BlockFpGolden, AllCasesBitExact) {
  auto golden = loadGolden("block_fp");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 14u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const llvm::json::Object &params = *obj.getObject("params");
    BlockFpFormat format = bfp(static_cast<int>(*params.getInteger("width")));
    format.exponentWidth = *params.getInteger("exponent_width");
    if (auto bias = params.getInteger("exponent_bias"))
      format.exponentBias = static_cast<int>(*bias);
    format.blockSize = integers(*params.getArray("block_size"));
    format.skipFirstDim = *params.getBoolean("skip_first_dim");
    expectGoldenCase(obj, format);
  }
}

// The worked examples of spec section 4.2 (w8: M = 7, E8, bias 127).
TEST(BlockFp, OneDimensionalAndPadded) {
  EXPECT_EQ(quantizeOk(w8({4}, false), {1.0f, 0.5f, -0.3f, 0.0f}, {4}),
            (std::vector<float>{0.9921875f, 0.5f, -0.296875f, 0.0f}));
  EXPECT_EQ(
      quantizeOk(w8({4}, false), {0.1f, 0.2f, 0.3f, 0.4f, 8.0f, 0.3f}, {6}),
      (std::vector<float>{0.1015625f, 0.19921875f, 0.30078125f, 0.3984375f,
                          7.9375f, 0.3125f}));
}

TEST(BlockFp, WeightTilesVersusRows) {
  std::vector<float> w = {1.0f, 0.1f, 8.0f, 0.2f};
  EXPECT_EQ(quantizeOk(w8({2}, false), w, {2, 2}),
            (std::vector<float>{1.0f, 0.125f, 7.9375f, 0.1875f}));
  EXPECT_EQ(quantizeOk(w8({1, 2}, false), w, {2, 2}),
            (std::vector<float>{0.9921875f, 0.1015625f, 7.9375f, 0.1875f}));
}

TEST(BlockFp, ActivationsPerRowAndPerToken) {
  EXPECT_EQ(quantizeOk(w8({4}, true),
                       {0.1f, 0.2f, 0.3f, 0.4f, 8.0f, 0.3f, 1.0f, 0.5f, -0.3f,
                        0, 0, 0},
                       {2, 6}),
            (std::vector<float>{0.1015625f, 0.19921875f, 0.30078125f,
                                0.3984375f, 7.9375f, 0.3125f, 0.9921875f, 0.5f,
                                -0.296875f, 0, 0, 0}));
  std::vector<float> x = {1, 0.5f, -0.3f, 0, 8, 0.1f, 0.2f, 0.3f};
  // [4] on [1,2,4] spans both tokens; [1,4] blocks per token.
  EXPECT_EQ(quantizeOk(w8({4}, true), x, {1, 2, 4}),
            (std::vector<float>{1.0f, 0.5f, -0.3125f, 0, 7.9375f, 0.125f,
                                0.1875f, 0.3125f}));
  EXPECT_EQ(quantizeOk(w8({1, 4}, true), x, {1, 2, 4}),
            (std::vector<float>{0.9921875f, 0.5f, -0.296875f, 0, 7.9375f,
                                0.125f, 0.1875f, 0.3125f}));
}

TEST(BlockFp, ExponentClamping) {
  BlockFpFormat e4{8, 4, std::nullopt, {4}, false}; // bias 7
  EXPECT_EQ(quantizeOk(e4, {1000, 1, 0, 0}, {4}),
            (std::vector<float>{254.0f, 0.0f, 0, 0}));
  EXPECT_EQ(quantizeOk(e4, {0.001f, 0.0005f, 0, 0}, {4}),
            (std::vector<float>{0.0009765625f, 0.00048828125f, 0, 0}));
}

TEST(BlockFp, TinyValuesPassThrough) {
  auto out = quantizeOk(w8({4}, true), {5e-9f, 2e-8f, -0.0f, 1.0f}, {1, 4});
  EXPECT_EQ(bitsOf(out[0]), bitsOf(5e-9f));
  EXPECT_EQ(bitsOf(out[1]), 0u);
  EXPECT_EQ(bitsOf(out[2]), 0u); // -0.0 + 0.0 in the pass-through blend
}

// E8 with bias 127: an inf maximum gives E_blk = 128 and 2^128 = inf.
TEST(BlockFp, InfOrNanMakesTheBlockNan) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out =
      quantizeOk(w8({2}, true), {inf, 1.0f, nan, 1.0f, 0.5f, 1.0f}, {1, 6});
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(std::isnan(out[i])) << i;
  EXPECT_EQ(out[4], 0.5f);
}

// 2-D tiles come back through F.fold in MASE: -0.0 results become +0.0.
TEST(BlockFp, FoldedBlocksLoseNegativeZero) {
  EXPECT_EQ(bitsOf(quantizeOk(w8({1, 2}, false), {-0.001f, 100.0f}, {1, 2})[0]),
            0u);
  EXPECT_EQ(bitsOf(quantizeOk(w8({2}, true), {-0.001f, 100.0f}, {1, 2})[0]),
            0x80000000u);
}

TEST(BlockFp, RejectsBadFormatsAndRanks) {
  EXPECT_NE(bfp(0).validate(), "");
  EXPECT_NE(bfp(33).validate(), "");
  EXPECT_NE(bfp(8, 0).validate(), "");
  EXPECT_NE((BlockFpFormat{8, 8, 1 << 20}).validate(), "");
  EXPECT_NE((BlockFpFormat{8, 8, std::nullopt, {0}}).validate(), "");
  EXPECT_NE((BlockFpFormat{8, 8, std::nullopt, {1, -2}}).validate(), "");
  EXPECT_EQ((BlockFpFormat{8, 8, std::nullopt, {-1, 16}}).validate(), "");

  std::vector<float> in(16, 1.0f), out(16);
  EXPECT_NE(quantize(bfp(8), in.data(), out.data(), {16}), "");
  EXPECT_NE(quantize(BlockFpFormat{8, 8, {}, {4}, false}, in.data(), out.data(),
                     {2, 2, 4}),
            "");
  EXPECT_NE(quantize(bfp(8), in.data(), out.data(), {1, 2, 2, 4}), "");
  EXPECT_NE(quantize(bfp(0), in.data(), out.data(), {1, 16}), "");
}

} // namespace
