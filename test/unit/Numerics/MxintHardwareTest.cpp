//===- MxintHardwareTest.cpp - MASE mxint_hardware against MASE ----------===//

#include "mase/Numerics/MxintHardware.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mase::numerics;
using namespace mase::test;

namespace {

MxintHardwareFormat fmt(int width, int exponentWidth, std::int64_t p1,
                        std::int64_t p0) {
  MxintHardwareFormat format;
  format.width = width;
  format.exponentWidth = exponentWidth;
  format.parallelism = {p1, p0};
  return format;
}

// Every case MASE computed (test/golden/mxint_hardware.json), bit for bit.
TEST(MxintHardwareGolden, AllCasesBitExact) {
  auto golden = loadGolden("mxint_hardware");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 7u);
  int errors = 0;
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const std::string id = caseId(obj);
    const llvm::json::Object &params = *obj.getObject("params");
    const llvm::json::Object &q = *params.getObject("q_config");
    const std::vector<std::int64_t> par =
        integers(*params.getArray("parallelism"));
    ASSERT_EQ(par.size(), 2u) << id;
    auto format = fmt(*q.getInteger("width"), *q.getInteger("exponent_width"),
                      par[0], par[1]);
    ASSERT_EQ(format.validate(), "") << id;
    errors += maseRaised(obj);
    expectGoldenCase(obj, format);
  }
  EXPECT_EQ(errors, 1);
}

// The worked examples of spec section 5.2.
TEST(MxintHardware, WorkedExamples) {
  EXPECT_EQ(quantizeOk(fmt(8, 4, 1, 4), {1.0f, 0.5f, -0.3f, 0.0f}),
            (std::vector<float>{0.49609375f, 0.49609375f, -0.30078125f, 0.0f}));
  EXPECT_EQ(quantizeOk(fmt(8, 4, 1, 4), {100.0f, 1.0f, 0.001f, -0.001f}),
            (std::vector<float>{63.5f, 1.0f, 0.0f, -0.5f}));
  EXPECT_EQ(quantizeOk(fmt(12, 4, 1, 4), {1.0f, 0.5f, -0.3f, 0.0f}),
            (std::vector<float>{1.0f, 0.5f, -0.30078125f, 0.0f}));
}

TEST(MxintHardware, NonFiniteAndZeroTiles) {
  const float inf = std::numeric_limits<float>::infinity();
  auto out =
      quantizeOk(fmt(8, 4, 1, 2), {inf, 1.0f, -inf, -0.0f, 0.0f, -0.0f,
                                   std::numeric_limits<float>::quiet_NaN(), 1});
  EXPECT_EQ(out[0], 16256.0f); // 127 * 2^7
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], -16384.0f); // -128 * 2^7
  EXPECT_EQ(bitsOf(out[3]), 0x80000000u);
  EXPECT_EQ(bitsOf(out[5]), 0x80000000u);
  EXPECT_TRUE(std::isnan(out[6]) && std::isnan(out[7]));
}

// A [2, 4, 4] tensor with [2, 2] tiles: one tile's max must not leak into
// its neighbours (columns, rows, or the next leading index).
TEST(MxintHardware, TilesAreIndependent) {
  std::vector<float> in(32, 0.75f), out(32);
  in[0] = 100.0f; // tile (batch 0, rows 0-1, cols 0-1)
  ASSERT_EQ(quantize(fmt(8, 4, 2, 2), in.data(), out.data(), {2, 4, 4}), "");
  for (int i : {1, 4, 5})
    EXPECT_EQ(out[i], 0.5f) << i; // e = 7 - 8 = -1: floor(1.5) * 0.5
  for (int i : {2, 3, 6, 7, 8, 16, 31})
    EXPECT_EQ(out[i], 0.49609375f) << i; // e = -8: saturates at 127/256
}

TEST(MxintHardware, RejectsBadInput) {
  EXPECT_NE(MxintHardwareFormat{}.validate(), ""); // parallelism required
  EXPECT_NE(fmt(0, 4, 1, 4).validate(), "");
  EXPECT_NE(fmt(33, 4, 1, 4).validate(), "");
  EXPECT_NE(fmt(8, 0, 1, 4).validate(), "");
  EXPECT_NE(fmt(8, 9, 1, 4).validate(), "");
  EXPECT_NE(fmt(8, 4, 0, 4).validate(), "");
  EXPECT_EQ(fmt(8, 4, 1, 4).validate(), "");
  std::vector<float> in(24), out(24);
  EXPECT_NE(quantize(fmt(8, 4, 1, 5), in.data(), out.data(), {4, 6}), "");
  EXPECT_NE(quantize(fmt(8, 4, 3, 2), in.data(), out.data(), {4, 6}), "");
  EXPECT_NE(quantize(fmt(8, 4, 2, 4), in.data(), out.data(), {24}), "");
  EXPECT_NE(quantize(fmt(8, 4, 1, 1), in.data(), out.data(), {}), "");
  EXPECT_EQ(quantize(fmt(8, 4, 2, 3), in.data(), out.data(), {4, 6}), "");
}

// Every output of a tile is m * 2^e with one e in [-2^(E-1), 2^(E-1)-1] and
// m = clamp(floor(x / 2^e)) in [-2^(w-1), 2^(w-1)-1].
TEST(MxintHardware, OutputsAreRepresentable) {
  std::mt19937 rng(99);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> scaleExp(-12, 12);
  for (auto [w, E] : {std::pair{8, 4}, {12, 4}, {8, 6}, {4, 3}, {10, 5}}) {
    const int rows = 6, cols = 8, p1 = 2, p0 = 4;
    std::vector<float> in(rows * cols), out(rows * cols);
    for (int t = 0; t < 6; ++t) { // one scale per tile
      float scale = std::ldexp(1.0f, scaleExp(rng));
      for (int r = 0; r < p1; ++r)
        for (int c = 0; c < p0; ++c)
          in[((t / 2) * p1 + r) * cols + (t % 2) * p0 + c] =
              normal(rng) * scale;
    }
    ASSERT_EQ(quantize(fmt(w, E, p1, p0), in.data(), out.data(), {rows, cols}),
              "");
    const double beta = std::ldexp(1.0, E - 1);
    const double lo = -std::ldexp(1.0, w - 1), hi = -lo - 1;
    for (int t = 0; t < 6; ++t) {
      std::vector<int> idx;
      double amax = 0;
      for (int r = 0; r < p1; ++r)
        for (int c = 0; c < p0; ++c) {
          idx.push_back(((t / 2) * p1 + r) * cols + (t % 2) * p0 + c);
          amax = std::fmax(amax, std::fabs(in[idx.back()]));
        }
      double e = std::ceil(static_cast<float>(std::log2(amax))) - beta;
      e = std::fmin(std::fmax(e, -beta), beta - 1);
      for (int i : idx) {
        double m = out[i] / std::ldexp(1.0, static_cast<int>(e));
        EXPECT_EQ(m, std::floor(m));
        EXPECT_EQ(
            m,
            std::fmin(
                std::fmax(std::floor(in[i] / std::ldexp(1.0, int(e))), lo), hi))
            << "w" << w << " E" << E << " x=" << in[i];
      }
    }
  }
}

} // namespace
