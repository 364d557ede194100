//===- Mxint8Test.cpp - OCP / mase-cuda MXINT8 against the lab kernel -----===//

#include "mase/Numerics/Mxint8.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace mase::numerics;
using namespace mase::test;

namespace {

/// Decodes an array of hex strings (2 digits for bytes, 4 for bf16).
template <typename T> std::vector<T> decodeHex(const llvm::json::Array &hex) {
  std::vector<T> values;
  for (const llvm::json::Value &v : hex)
    values.push_back(static_cast<T>(
        std::stoul(v.getAsString().value_or("").str(), nullptr, 16)));
  return values;
}

float bf16ToFloat(std::uint16_t bits) {
  std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &wide, sizeof f);
  return f;
}

struct Packed {
  std::vector<std::int8_t> mantissas;
  std::vector<std::uint8_t> scales;
};

Packed pack(const Mxint8Format &format, const std::vector<float> &in) {
  Packed p{std::vector<std::int8_t>(in.size()),
           std::vector<std::uint8_t>(in.size() / format.groupSize)};
  EXPECT_EQ(encode(format, in.data(), {static_cast<std::int64_t>(in.size())},
                   p.mantissas.data(), p.scales.data()),
            "");
  return p;
}

// Every case the lab code computed (test/golden/mxint8_lab.json): mantissa
// bytes, scale bytes and bf16 output, bit for bit.
TEST(Mxint8Golden, AllCasesBitExact) {
  auto golden = loadGolden("mxint8_lab");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 3u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const std::string id = caseId(obj);
    Mxint8Format format{*obj.getObject("params")->getInteger("group_size")};
    ASSERT_EQ(format.validate(), "") << id;
    const Shape shape = shapeOf(obj);

    auto in = decodeF32(*obj.getArray("input_bits"));
    auto wantM = decodeHex<std::uint8_t>(*obj.getArray("mantissa_bytes"));
    auto wantS = decodeHex<std::uint8_t>(*obj.getArray("scale_bytes"));
    auto wantY = decodeHex<std::uint16_t>(*obj.getArray("output_bf16_bits"));
    const llvm::json::Array &ints = *obj.getArray("mantissas");
    ASSERT_EQ(wantS.size() * format.groupSize, in.size()) << id;

    Packed p = pack(format, in);
    for (std::size_t i = 0; i < in.size(); ++i) {
      ASSERT_EQ(static_cast<std::uint8_t>(p.mantissas[i]), wantM[i])
          << id << " mantissa " << i << " input " << in[i];
      ASSERT_EQ(p.mantissas[i], *ints[i].getAsInteger()) << id << " " << i;
    }
    EXPECT_EQ(p.scales, wantS) << id;

    std::vector<std::uint16_t> gotY(in.size());
    ASSERT_EQ(decodeBf16(format, p.mantissas.data(), p.scales.data(),
                         gotY.data(), shape),
              "");
    EXPECT_EQ(gotY, wantY) << id;

    std::vector<float> wantF, gotF(in.size()), simF(in.size());
    for (std::uint16_t b : wantY)
      wantF.push_back(bf16ToFloat(b));
    ASSERT_EQ(
        decode(format, p.mantissas.data(), p.scales.data(), gotF.data(), shape),
        "");
    expectBitExact(id, in, gotF, wantF);
    ASSERT_EQ(quantize(format, in.data(), simF.data(), shape), "");
    expectBitExact(id, in, simF, wantF);
  }
}

// Spec 5.5: OCP MXINT8 on [1.0, 0.01, 0.5, 0.3]; MASE mxint gives
// [0.9921875, 0.0078125, 0.5, 0.296875] (MxintTest).
TEST(Mxint8, OcpExample) {
  EXPECT_EQ(quantizeOk(Mxint8Format{4}, {1.0f, 0.01f, 0.5f, 0.3f}),
            (std::vector<float>{1.0f, 0.015625f, 0.5f, 0.296875f}));
  Packed p = pack({4}, {1.0f, 0.01f, 0.5f, 0.3f});
  EXPECT_EQ(p.mantissas, (std::vector<std::int8_t>{64, 1, 32, 19}));
  EXPECT_EQ(p.scales, (std::vector<std::uint8_t>{127}));
}

// Spec 5.5 tie example: RNE (the lab) rounds 0.5 to 0, where microxcaling's
// half-away-from-zero gives 1.
TEST(Mxint8, TiesToEven) {
  EXPECT_EQ(quantizeOk(Mxint8Format{2}, {1.5f, 0.0078125f}),
            (std::vector<float>{1.5f, 0.0f}));
  EXPECT_EQ(quantizeOk(Mxint8Format{2}, {1.0f, 3 * 0.0078125f}), // 1.5 -> 2
            (std::vector<float>{1.0f, 0.03125f}));
}

// Spec 8.3: the end-to-end example with group size 4.
TEST(Mxint8, PackedLayoutExample) {
  std::vector<float> w = {1, 0.5f, -0.3f, 0,     3,          0.1f,
                          0, 0,    1,     0.01f, 0.0078125f, 0};
  Packed p = pack({4}, w);
  EXPECT_EQ(p.mantissas, (std::vector<std::int8_t>{64, 32, -19, 0, 96, 3, 0, 0,
                                                   64, 1, 0, 0}));
  EXPECT_EQ(p.scales, (std::vector<std::uint8_t>{127, 128, 127}));
  EXPECT_EQ(quantizeOk(Mxint8Format{4}, w),
            (std::vector<float>{1, 0.5f, -0.296875f, 0, 3, 0.09375f, 0, 0, 1,
                                0.015625f, 0, 0}));
}

// Spec 8.3 bit-level examples and the decoder's edge cases.
TEST(Mxint8, DecoderBitRule) {
  auto one = [](std::int8_t m, std::uint8_t s) {
    std::uint16_t y;
    EXPECT_EQ(decodeBf16({1}, &m, &s, &y, {1}), "");
    return y;
  };
  EXPECT_EQ(one(-19, 127), 0xbe98); // -0.296875
  EXPECT_EQ(bf16ToFloat(one(-19, 127)), -0.296875f);
  EXPECT_EQ(one(96, 128), 0x4040);          // 3.0
  EXPECT_EQ(one(-128, 127), 0x0000);        // -128 decodes to +0
  EXPECT_EQ(bf16ToFloat(one(64, 0)), 0.0f); // S = 0 is wrong, as in the lab
  EXPECT_EQ(bf16ToFloat(one(32, 0)), std::ldexp(1.0f, -127));
  EXPECT_TRUE(std::isnan(bf16ToFloat(one(1, 255))));
  EXPECT_EQ(bf16ToFloat(one(64, 255)), std::numeric_limits<float>::infinity());
  // m * 2^(S-133) exactly for 1 <= S <= 254, |m| <= 127.
  for (int s : {1, 2, 60, 127, 133, 200, 254})
    for (int m = -127; m <= 127; ++m)
      EXPECT_EQ(bf16ToFloat(one(static_cast<std::int8_t>(m),
                                static_cast<std::uint8_t>(s))),
                std::ldexp(static_cast<float>(m), s - 133))
          << m << " " << s;
}

TEST(Mxint8, BfloatRoundingFlushAndNonFinite) {
  // 1.5/32 - 2^-20 is 1.5/32 in bf16, so 32x it is the tie 1.5 -> 2, not 1.
  EXPECT_EQ(quantizeOk(Mxint8Format{2}, {2.0f, 0.046875f - 0x1p-20f}),
            (std::vector<float>{2.0f, 0.0625f}));
  // Subnormals are flushed; the group of only subnormals has scale 0.
  Packed p = pack({2}, {1e-40f, -1e-39f});
  EXPECT_EQ(p.scales[0], 0);
  EXPECT_EQ(p.mantissas, (std::vector<std::int8_t>{0, 0}));
  auto zeros = quantizeOk(Mxint8Format{2}, {-0.0f, 1e-40f});
  EXPECT_EQ(bitsOf(zeros[0]), 0u); // no negative zero in int8
  const float inf = std::numeric_limits<float>::infinity();
  for (auto group :
       {std::vector<float>{inf, 1.0f}, {1.0f, NAN}, {3.4e38f, 1}}) {
    Packed q = pack({2}, group);
    EXPECT_EQ(q.scales[0], 255);
    EXPECT_EQ(q.mantissas, (std::vector<std::int8_t>{0, 0}));
    for (float v : quantizeOk(Mxint8Format{2}, group))
      EXPECT_TRUE(std::isnan(v));
  }
}

TEST(Mxint8, RejectsBadInput) {
  EXPECT_NE(Mxint8Format{0}.validate(), "");
  EXPECT_NE(Mxint8Format{-4}.validate(), "");
  EXPECT_EQ(Mxint8Format{}.validate(), "");
  std::vector<float> in(10), out(10);
  std::vector<std::int8_t> m(10);
  std::vector<std::uint8_t> s(10);
  std::vector<std::uint16_t> y(10);
  EXPECT_NE(quantize({4}, in.data(), out.data(), {10}), "");
  EXPECT_NE(encode({4}, in.data(), {2, 5}, m.data(), s.data()), "");
  EXPECT_NE(decode({4}, m.data(), s.data(), out.data(), {10}), "");
  EXPECT_NE(decodeBf16({4}, m.data(), s.data(), y.data(), {10}), "");
  EXPECT_NE(quantize({0}, in.data(), out.data(), {10}), "");
  EXPECT_EQ(quantize({5}, in.data(), out.data(), {2, 5}), "");
}

// Random inputs over many binades: decode(encode(x)) == quantize(x), and
// every output is m * 2^(S-133) with S = floor(log2 amax(bf16(x))) + 127,
// |m| <= 127 the nearest-even rounding of bf16(x) / 2^(S-133).
TEST(Mxint8, PackUnpackAndRepresentable) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> scaleExp(-100, 100);
  for (std::int64_t gs : {1, 4, 16, 32}) {
    std::vector<float> in(256 * gs / 4), sim(in.size()), dec(in.size());
    for (std::size_t g = 0; g < in.size(); g += gs) {
      float scale = std::ldexp(1.0f, scaleExp(rng));
      for (std::int64_t k = 0; k < gs; ++k)
        in[g + k] = normal(rng) * scale;
    }
    const Shape shape = {static_cast<std::int64_t>(in.size())};
    Packed p = pack({gs}, in);
    ASSERT_EQ(
        decode({gs}, p.mantissas.data(), p.scales.data(), dec.data(), shape),
        "");
    ASSERT_EQ(quantize({gs}, in.data(), sim.data(), shape), "");
    EXPECT_EQ(firstMismatch(dec, sim), -1) << gs;
    for (std::size_t g = 0; g < in.size(); g += gs) {
      double amax = 0;
      std::vector<double> bf(gs);
      for (std::int64_t k = 0; k < gs; ++k) {
        std::uint32_t b = bitsOf(in[g + k]);
        b = (b + 0x7fff + ((b >> 16) & 1)) & 0xffff0000u;
        float r;
        std::memcpy(&r, &b, sizeof r);
        bf[k] = r;
        amax = std::fmax(amax, std::fabs(r));
      }
      int s = static_cast<int>(std::floor(std::log2(amax))) + 127;
      EXPECT_EQ(p.scales[g / gs], s);
      for (std::int64_t k = 0; k < gs; ++k) {
        double step = std::ldexp(1.0, s - 133);
        double m = std::nearbyint(bf[k] / step);
        m = std::fmin(std::fmax(m, -127.0), 127.0);
        EXPECT_EQ(p.mantissas[g + k], m);
        EXPECT_EQ(sim[g + k], m * step) << in[g + k];
      }
    }
  }
}

} // namespace
