//===- MxintTest.cpp - MASE MXINT against MASE
//-----------------------------===//

#include "mase/Numerics/Mxint.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mase::numerics;
using namespace mase::test;

namespace {

// Every case MASE computed (test/golden/mxint.json) must agree bit for bit.
TEST(MxintGolden, AllCasesBitExact) {
  auto golden = loadGolden("mxint");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 10u);
  int errors = 0;
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const std::string id = caseId(obj);
    const llvm::json::Object &params = *obj.getObject("params");
    ASSERT_EQ(params.getBoolean("quantile_search"), false) << id;
    MxintFormat format;
    format.blockSize = *params.getInteger("block_size");
    format.elementBits = *params.getInteger("element_bits");
    format.blockDim = *params.getInteger("block_dim");
    format.scaleBits = *params.getInteger("scale_bits");
    ASSERT_EQ(format.validate(), "") << id;
    errors += maseRaised(obj);
    expectGoldenCase(obj, format);
  }
  EXPECT_EQ(errors, 1);
}

// The worked examples of spec section 5.1 (B=4, w=8 unless stated).
TEST(Mxint, WorkedExamples) {
  MxintFormat b4{4};
  EXPECT_EQ(quantizeOk(b4, {1.0f, 0.5f, -0.3f, 0.0f}),
            (std::vector<float>{0.9921875f, 0.5f, -0.296875f, 0.0f}));
  EXPECT_EQ(quantizeOk(b4, {3.0f, 0.1f, -3.0f, 0.0f}),
            (std::vector<float>{3.0f, 0.09375f, -3.0f, 0.0f}));
  EXPECT_EQ(quantizeOk(b4, {-1.0f, 0.25f, 0.3f, 0.01f}),
            (std::vector<float>{-1.0f, 0.25f, 0.296875f, 0.0078125f}));
  EXPECT_EQ(quantizeOk(b4, {1.5f, 0.0078125f, 0.0f, 0.0f}), // tie 0.5 -> 0
            (std::vector<float>{1.5f, 0.0f, 0.0f, 0.0f}));
  EXPECT_EQ(quantizeOk(MxintFormat{2, 8, 0}, {1.0f, 3.0f, 0.5f, 0.1f}, {2, 2}),
            (std::vector<float>{0.9921875f, 3.0f, 0.5f, 0.09375f}));
  EXPECT_EQ(quantizeOk(MxintFormat{4, 4}, {1.0f, 0.3f, -0.6f, 0.1f}),
            (std::vector<float>{0.875f, 0.25f, -0.625f, 0.125f}));
}

// Spec 5.5: the same block under MASE mxint (OCP gives 1.0, 0.015625, ...).
TEST(Mxint, DiffersFromOcpOnPowerOfTwoMax) {
  EXPECT_EQ(quantizeOk(MxintFormat{4}, {1.0f, 0.01f, 0.5f, 0.3f}),
            (std::vector<float>{0.9921875f, 0.0078125f, 0.5f, 0.296875f}));
}

// [2,6] with B=4: the second block mixes row 0 columns 4-5 with row 1
// columns 0-1, so row 1's large values set row 0's scale.
TEST(Mxint, BlocksStraddleRows) {
  std::vector<float> in = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f,
                           4.0f, 4.0f, 0.1f, 0.1f, 0.1f, 0.1f};
  auto out = quantizeOk(MxintFormat{4}, in, {2, 6});
  EXPECT_EQ(out[0], 0.099609375f); // block of 0.1s: s = -3, m = 102
  EXPECT_EQ(out[4], 0.09375f);     // shares s = 2 with the 4.0s: m = 3
  EXPECT_EQ(out[5], 0.09375f);
  EXPECT_EQ(out[6], 3.96875f); // 4.0 saturates at 127/128 * 4
}

TEST(Mxint, EdgeCases) {
  const float inf = std::numeric_limits<float>::infinity();
  auto nanBlock = quantizeOk(MxintFormat{4}, {inf, 1.0f, 0.0f, 2.0f});
  for (float v : nanBlock)
    EXPECT_TRUE(std::isnan(v));
  auto zeros = quantizeOk(MxintFormat{4}, {0.0f, -0.0f, 0.0f, 0.0f});
  EXPECT_EQ(bitsOf(zeros[1]), 0x80000000u);
  EXPECT_EQ(quantizeOk(MxintFormat{4}, {1e-40f, 0, 0, 0})[0],
            std::ldexp(1.0f, -133));
  // A max above 2^127 gives scale byte 255 and 2^128 = inf: all NaN.
  for (float v : quantizeOk(MxintFormat{2}, {3e38f, 1.0f}))
    EXPECT_TRUE(std::isnan(v));
}

TEST(Mxint, RejectsBadInput) {
  EXPECT_NE(MxintFormat{}.validate(), ""); // block_size is required
  EXPECT_NE(MxintFormat({4, 0}).validate(), "");
  EXPECT_NE(MxintFormat({4, 33}).validate(), "");
  EXPECT_NE(MxintFormat({4, 8, -1, 0}).validate(), "");
  EXPECT_NE(MxintFormat({4, 8, -1, 17}).validate(), "");
  EXPECT_EQ(MxintFormat({32, 4, 0, 8}).validate(), "");
  std::vector<float> in(15), out(15);
  EXPECT_NE(quantize(MxintFormat{4}, in.data(), out.data(), {3, 5}), "");
  EXPECT_NE(quantize(MxintFormat{5, 8, 2}, in.data(), out.data(), {3, 5}), "");
  EXPECT_NE(quantize(MxintFormat{5, 8, -3}, in.data(), out.data(), {3, 5}), "");
  EXPECT_NE(quantize(MxintFormat{1}, in.data(), out.data(), {}), "");
  EXPECT_EQ(quantize(MxintFormat{5, 8, -2}, in.data(), out.data(), {3, 5}), "");
}

// Every output of a block is m * 2^(s - (w-1)) with s = ceil(log2 amax) and
// m in [-2^(w-1), 2^(w-1)-1], m the nearest-even rounding of x / step.
TEST(Mxint, OutputsAreRepresentable) {
  std::mt19937 rng(1234);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> scaleExp(-30, 30);
  for (int w : {3, 4, 6, 8}) {
    // Blocks of 16 along dim 0 of [8, 6]: each spans two columns.
    MxintFormat format{16, w, 0};
    const int rows = 8, cols = 6;
    std::vector<float> in(rows * cols), out(rows * cols);
    for (int j = 0; j < cols; ++j) {
      int e = scaleExp(rng);
      for (int i = 0; i < rows; ++i)
        in[i * cols + j] = normal(rng) * std::ldexp(1.0f, e);
    }
    ASSERT_EQ(quantize(format, in.data(), out.data(), {rows, cols}), "");
    // MASE's order is the transpose [6, 8] flattened.
    for (int b = 0; b < rows * cols / 16; ++b) {
      std::vector<int> idx;
      for (int p = b * 16; p < b * 16 + 16; ++p)
        idx.push_back((p % rows) * cols + p / rows);
      float amax = 0;
      for (int i : idx)
        amax = std::fmax(amax, std::fabs(in[i]));
      int s = static_cast<int>(
          std::ceil(static_cast<float>(std::log2(double(amax)))));
      double step = std::ldexp(1.0, s - (w - 1));
      for (int i : idx) {
        double m = out[i] / step;
        EXPECT_EQ(m, std::nearbyint(m));
        EXPECT_GE(m, -std::ldexp(1.0, w - 1));
        EXPECT_LE(m, std::ldexp(1.0, w - 1) - 1);
        double want = std::nearbyint(in[i] / step);
        want = std::fmin(std::fmax(want, -std::ldexp(1.0, w - 1)),
                         std::ldexp(1.0, w - 1) - 1);
        EXPECT_EQ(m, want) << "w" << w << " x=" << in[i];
      }
    }
  }
}

} // namespace
