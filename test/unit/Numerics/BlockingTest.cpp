//===- BlockingTest.cpp - MASE's partition of tensors into blocks ---------===//

#include "mase/Numerics/Blocking.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;

namespace {

constexpr std::int64_t P = BlockPartition::kPadding;
using Slots = std::vector<std::int64_t>;

BlockPartition partition(const Shape &shape, const Slots &blockSize,
                         bool skipFirstDim) {
  BlockPartition p;
  EXPECT_EQ(partitionIntoBlocks(shape, blockSize, skipFirstDim, p), "");
  return p;
}

TEST(Blocking, InferBlockShapeRightAlignsAndFillsFullExtents) {
  EXPECT_EQ(inferBlockShape({20}, {16}), (Shape{16}));
  EXPECT_EQ(inferBlockShape({10}, {16}), (Shape{10}));
  EXPECT_EQ(inferBlockShape({40}, {1, 16}), (Shape{16}));
  EXPECT_EQ(inferBlockShape({32, 20}, {16}), (Shape{32, 16}));
  EXPECT_EQ(inferBlockShape({32, 20}, {1, 16}), (Shape{1, 16}));
  EXPECT_EQ(inferBlockShape({1, 5, 20}, {16}), (Shape{1, 5, 16}));
  EXPECT_EQ(inferBlockShape({1, 5, 20}, {1, 16}), (Shape{1, 1, 16}));
  EXPECT_EQ(inferBlockShape({8, 6}, {-1, 4}), (Shape{8, 4}));
  EXPECT_EQ(inferBlockShape({8, 6}, {2, 3, 4}), (Shape{3, 4}));
  EXPECT_EQ(inferBlockShape({8, 6}, {}), (Shape{8, 6}));
}

TEST(Blocking, InferPaddingRoundsUpToBlockMultiples) {
  EXPECT_EQ(inferPadding({20}, {16}), (Shape{12}));
  EXPECT_EQ(inferPadding({10}, {10}), (Shape{0}));
  EXPECT_EQ(inferPadding({3, 4}, {2, 2}), (Shape{1, 0}));
  EXPECT_EQ(inferPadding({2, 6}, {1, 4}), (Shape{0, 2}));
}

// Spec 4.1: W[3,4] with [2,2] pads to 4x4; tiles row-major over the grid.
TEST(Blocking, WeightTilesOfThreeByFour) {
  BlockPartition p = partition({3, 4}, {2, 2}, false);
  EXPECT_EQ(p.blockShape, (Shape{2, 2}));
  EXPECT_EQ(p.paddedShape, (Shape{4, 4}));
  ASSERT_EQ(p.numBlocks, 4);
  EXPECT_EQ(p.blockSlots(0), (Slots{0, 1, 4, 5}));
  EXPECT_EQ(p.blockSlots(1), (Slots{2, 3, 6, 7}));
  EXPECT_EQ(p.blockSlots(2), (Slots{8, 9, P, P}));
  EXPECT_EQ(p.blockSlots(3), (Slots{10, 11, P, P}));
  EXPECT_EQ(p.elements(3), (Slots{10, 11}));
  EXPECT_TRUE(p.unblockAddsZero);
}

TEST(Blocking, BiasBlocksArePaddedOrShrunk) {
  BlockPartition p = partition({20}, {16}, false);
  ASSERT_EQ(p.numBlocks, 2);
  EXPECT_EQ(p.blockVolume, 16);
  EXPECT_EQ(p.elements(1), (Slots{16, 17, 18, 19}));
  EXPECT_EQ(p.blockSlots(1)[4], P);
  EXPECT_FALSE(p.unblockAddsZero);
  EXPECT_EQ(partition({10}, {16}, false).blockShape, (Shape{10}));
}

// Activations never straddle rows; weights with a 1-entry block span rows.
TEST(Blocking, StraddlingRules) {
  BlockPartition act = partition({2, 6}, {4}, true);
  ASSERT_EQ(act.numBlocks, 4);
  EXPECT_EQ(act.blockSlots(0), (Slots{0, 1, 2, 3}));
  EXPECT_EQ(act.blockSlots(1), (Slots{4, 5, P, P}));
  EXPECT_EQ(act.blockSlots(2), (Slots{6, 7, 8, 9}));
  EXPECT_EQ(act.blockSlots(3), (Slots{10, 11, P, P}));
  EXPECT_FALSE(act.unblockAddsZero);

  BlockPartition weight = partition({32, 20}, {16}, false);
  EXPECT_EQ(weight.blockShape, (Shape{32, 16}));
  EXPECT_EQ(weight.numBlocks, 2);
  EXPECT_EQ(partition({32, 20}, {1, 16}, false).numBlocks, 64);

  BlockPartition tokens = partition({1, 5, 20}, {16}, true);
  EXPECT_EQ(tokens.blockShape, (Shape{1, 5, 16}));
  ASSERT_EQ(tokens.numBlocks, 2);
  EXPECT_EQ(tokens.elements(1).size(), 20u); // 5 tokens x 4 columns
  EXPECT_TRUE(tokens.unblockAddsZero);
  BlockPartition perToken = partition({2, 5, 20}, {1, 16}, true);
  EXPECT_EQ(perToken.blockShape, (Shape{1, 1, 16}));
  EXPECT_EQ(perToken.numBlocks, 20);
  EXPECT_EQ(perToken.elements(19), (Slots{196, 197, 198, 199}));
}

TEST(Blocking, UnsupportedRanksAndSizes) {
  BlockPartition p;
  EXPECT_NE(partitionIntoBlocks({16}, {16}, true, p), "");
  EXPECT_NE(partitionIntoBlocks({2, 3, 4}, {4}, false, p), "");
  EXPECT_NE(partitionIntoBlocks({1, 2, 3, 4}, {4}, true, p), "");
  EXPECT_NE(partitionIntoBlocks({}, {4}, false, p), "");
  EXPECT_NE(partitionIntoBlocks({8}, {0}, false, p), "");
  EXPECT_NE(partitionIntoBlocks({8}, {-2}, false, p), "");
  EXPECT_NE(partitionIntoBlocks({4, 0}, {4}, true, p), "");
  // A skipped leading dimension may be empty: no blocks, no error.
  EXPECT_EQ(partitionIntoBlocks({0, 8}, {4}, true, p), "");
  EXPECT_EQ(p.numBlocks, 0);
}

TEST(Blocking, MaximaIncludePaddingAndPropagateNan) {
  BlockPartition p = partition({6}, {4}, false);
  std::vector<float> x = {0.5f, -3.0f, 1.0f, 0.0f, -0.25f, 0.0f};
  EXPECT_EQ(blockMaxima(p, x.data()), (std::vector<float>{3.0f, 0.25f}));
  x[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(blockMaxima(p, x.data())[1]));
}

TEST(Blocking, ZeroBlocksBorrowTheSmallestMaximum) {
  std::vector<float> m = {0.0f, 2.0f, 0.5f, 0.0f};
  applyZeroBlockRule(m);
  EXPECT_EQ(m, (std::vector<float>{0.5f, 2.0f, 0.5f, 0.5f}));

  std::vector<float> allZero = {0.0f, 0.0f};
  applyZeroBlockRule(allZero);
  EXPECT_EQ(allZero, (std::vector<float>{1.0f, 1.0f}));

  // Spec 11.2: with a NaN maximum, all-zero blocks become NaN too.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> withNan = {0.0f, 2.0f, nan};
  applyZeroBlockRule(withNan);
  EXPECT_TRUE(std::isnan(withNan[0]));
  EXPECT_EQ(withNan[1], 2.0f);
}

} // namespace
