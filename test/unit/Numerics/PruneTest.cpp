//===- PruneTest.cpp - MASE's pruning masks -------------------------------===//

#include "GoldenVectors.h"

#include "mase/Numerics/Prune.h"

#include <cmath>
#include <limits>

using namespace mase::numerics;
using namespace mase::test;

namespace {

/// Checks one golden tensor: mask, and output bits (signed zeros included).
void expectMasked(const std::string &id, const llvm::json::Object &tensor,
                  float threshold) {
  std::vector<float> in = decodeF32(*tensor.getArray("input_bits"));
  std::vector<float> want = decodeF32(*tensor.getArray("output_bits"));
  std::vector<std::int64_t> wantMask = integers(*tensor.getArray("mask"));
  std::vector<std::uint8_t> mask(in.size());
  l1NormMask({in.data(), in.size()}, threshold, mask.data());
  for (size_t i = 0; i < in.size(); ++i)
    ASSERT_EQ(mask[i], wantMask[i]) << id << " element " << i;
  std::vector<float> out(in.size());
  applyMask({in.data(), in.size()}, mask.data(), out.data());
  expectBitExact(id, in, out, want);
}

float sparsityOf(const llvm::json::Object &c) {
  return static_cast<float>(*c.getObject("params")->getNumber("sparsity"));
}

TEST(PruneGolden, LocalAndGlobalL1NormMatchMase) {
  auto golden = loadGolden("prune");
  int local = 0, global = 0;
  for (const llvm::json::Value &value : golden.cases()) {
    const llvm::json::Object &c = *value.getAsObject();
    std::string id = caseId(c);
    float want = decodeF32(llvm::json::Array{*c.get("threshold_bits")})[0];
    std::vector<std::vector<float>> inputs;
    std::vector<const llvm::json::Object *> tensors;
    if (*c.getString("fn") == "l1") {
      tensors.push_back(&c);
      ++local;
    } else {
      for (const llvm::json::Value &t : *c.getArray("tensors"))
        tensors.push_back(t.getAsObject());
      ++global;
    }
    std::vector<FloatSpan> spans;
    for (const llvm::json::Object *t : tensors)
      inputs.push_back(decodeF32(*t->getArray("input_bits")));
    for (const std::vector<float> &in : inputs)
      spans.push_back({in.data(), in.size()});
    float threshold = l1NormThreshold(spans, sparsityOf(c));
    ASSERT_EQ(bitsOf(threshold), bitsOf(want))
        << id << ": threshold " << hexBits(threshold) << ", MASE "
        << hexBits(want);
    for (const llvm::json::Object *t : tensors)
      expectMasked(id, *t, threshold);
  }
  EXPECT_EQ(local, 25);
  EXPECT_EQ(global, 5);
}

// The spec's worked examples (section 7.5).
TEST(Prune, WorkedExamples) {
  std::vector<float> w = {0.1f, -0.5f, 0.3f, -0.2f};
  FloatSpan span{w.data(), w.size()};
  EXPECT_EQ(l1NormThreshold({span}, 0.5f), 0.25f);
  EXPECT_EQ(l1NormThreshold({span}, 0.25f), 0.17499999701976776f);
  EXPECT_EQ(l1NormThreshold({span}, 0.0f), 0.1f);

  std::uint8_t mask[4];
  l1NormMask(span, 0.1f, mask); // sparsity 0 still prunes the minimum
  EXPECT_EQ(std::vector<int>(mask, mask + 4), (std::vector<int>{0, 1, 1, 1}));

  // A constant tensor is pruned whole: ties at the threshold go.
  std::vector<float> ones(4, 1.0f);
  l1NormMask({ones.data(), 4}, l1NormThreshold({{ones.data(), 4}}, 0.5f),
             mask);
  EXPECT_EQ(std::vector<int>(mask, mask + 4), (std::vector<int>{0, 0, 0, 0}));

  // Global: one threshold over both tensors.
  std::vector<float> w2 = {1.0f, 2.0f};
  float t = l1NormThreshold({span, {w2.data(), 2}}, 0.5f);
  EXPECT_FLOAT_EQ(t, 0.4f);
  l1NormMask(span, t, mask);
  EXPECT_EQ(std::vector<int>(mask, mask + 4), (std::vector<int>{0, 1, 0, 0}));
}

TEST(Prune, NegativeWeightsBecomeNegativeZero) {
  std::vector<float> w = {-0.5f, 0.5f};
  std::uint8_t mask[2] = {0, 0};
  float out[2];
  applyMask({w.data(), 2}, mask, out);
  EXPECT_TRUE(std::signbit(out[0]));
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_FALSE(std::signbit(out[1]));
}

TEST(Prune, NaNPrunesEverything) {
  std::vector<float> w = {1.0f, std::numeric_limits<float>::quiet_NaN(), 2.0f};
  float t = l1NormThreshold({{w.data(), w.size()}}, 0.5f);
  EXPECT_TRUE(std::isnan(t));
  std::uint8_t mask[3];
  l1NormMask({w.data(), w.size()}, t, mask);
  EXPECT_EQ(std::vector<int>(mask, mask + 3), (std::vector<int>{0, 0, 0}));
}

TEST(Prune, RandomMaskIsSeededAndKeepsAboutOneMinusSparsity) {
  std::vector<std::uint8_t> a(100000), b(100000), c(100000);
  randomMask(a.size(), 0.75f, 42, a.data());
  randomMask(b.size(), 0.75f, 42, b.data());
  randomMask(c.size(), 0.75f, 43, c.data());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  size_t kept = 0;
  for (std::uint8_t m : a)
    kept += m;
  EXPECT_NEAR(static_cast<double>(kept) / a.size(), 0.25, 0.01);
  randomMask(a.size(), 0.0f, 1, a.data());
  EXPECT_EQ(std::count(a.begin(), a.end(), 1), static_cast<long>(a.size()));
}

TEST(Prune, NOfMKeepsTheLargestOfEachGroup) {
  // Two rows of 6: groups of 4 then a short group of 2 per row.
  const float w[12] = {0.1f, -0.9f, 0.5f, 0.2f, 3.0f, -1.0f,
                       1.0f, 1.0f, -1.0f, 0.0f, 0.0f, 0.0f};
  uint8_t mask[12];
  nOfMMask({w, 12}, 6, 2, 4, mask);
  const uint8_t expected[12] = {0, 1, 1, 0, 1, 1,
                                // ties in index order; a short group of
                                // zeros keeps its first two
                                1, 1, 0, 0, 1, 1};
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(mask[i], expected[i]) << i;
}

TEST(Prune, RandomNOfMKeepsExactlyNPerGroup) {
  std::vector<float> draws(64);
  uniformDraws(draws.size(), 7, draws.data());
  std::vector<uint8_t> mask(64);
  nOfMMask({draws.data(), draws.size()}, 16, 2, 4, mask.data());
  for (int g = 0; g < 16; ++g)
    EXPECT_EQ(mask[4 * g] + mask[4 * g + 1] + mask[4 * g + 2] + mask[4 * g + 3],
              2);
}

TEST(Prune, BlockNormsAndMask) {
  // 3 x 4 in 2 x 2 blocks: a 2 x 2 grid, the bottom blocks one row tall.
  const float w[12] = {1, -1, 0, 2,
                       1, 1, 0, -2,
                       -5, 0, 0.5f, 0};
  std::vector<float> norms = blockL1Norms({w, 12}, 3, 4, 2, 2);
  EXPECT_EQ(norms, (std::vector<float>{4.0f, 4.0f, 5.0f, 0.5f}));
  const uint8_t keep[4] = {1, 0, 1, 0};
  uint8_t mask[12];
  expandBlockMask(keep, 3, 4, 2, 2, mask);
  const uint8_t expected[12] = {1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0};
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(mask[i], expected[i]) << i;
}

} // namespace
