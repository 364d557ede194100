//===- IntegerPackingTest.cpp - packed fixed-point codes ------------------===//

#include "mase/Numerics/IntegerPacking.h"
#include "GoldenVectors.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mase::numerics;
using namespace mase::test;

namespace {

std::vector<std::uint8_t> pack(const IntegerFormat &format,
                               const std::vector<float> &in) {
  std::vector<std::uint8_t> packed(packedBytes(format, in.size()), 0xaa);
  EXPECT_EQ(encode(format, in.data(), {static_cast<std::int64_t>(in.size())},
                   packed.data()),
            "");
  return packed;
}

std::vector<float> unpack(const IntegerFormat &format,
                          const std::vector<std::uint8_t> &packed,
                          std::size_t n) {
  std::vector<float> out(n);
  EXPECT_EQ(
      decode(format, packed.data(), out.data(), {static_cast<std::int64_t>(n)}),
      "");
  return out;
}

/// What decode(encode(x)) must give: quantize(x) with -0.0 turned into +0.0.
std::vector<float> withPositiveZero(std::vector<float> v) {
  for (float &x : v)
    if (x == 0.0f)
      x = 0.0f;
  return v;
}

// Every non-NaN input of test/golden/integer.json packs and unpacks to MASE's
// output, up to the sign of zero.
TEST(IntegerPackingGolden, RoundTripMatchesMase) {
  auto golden = loadGolden("integer");
  const auto &cases = golden.cases();
  ASSERT_EQ(cases.size(), 14u);
  for (const llvm::json::Value &c : cases) {
    const llvm::json::Object &obj = *c.getAsObject();
    const std::string id = caseId(obj);
    IntegerFormat format = integerFormatOf(obj);
    auto allIn = decodeF32(*obj.getArray("input_bits"));
    auto allWant = decodeF32(*obj.getArray("output_bits"));
    std::vector<float> in, want;
    for (std::size_t i = 0; i < allIn.size(); ++i)
      if (!std::isnan(allIn[i])) {
        in.push_back(allIn[i]);
        want.push_back(allWant[i]);
      }
    ASSERT_LT(in.size(), allIn.size()) << id; // the NaNs were there
    auto got = unpack(format, pack(format, in), in.size());
    expectBitExact(id, in, got, withPositiveZero(want));
  }
}

TEST(IntegerPacking, Int4IsTwoPerByteLowNibbleFirst) {
  IntegerFormat w4{4, 0};
  EXPECT_EQ(packedBytes(w4, 5), 3u);
  std::vector<float> in = {1, -2, 7, -8, 3};
  EXPECT_EQ(pack(w4, in), (std::vector<std::uint8_t>{0xe1, 0x87, 0x03}));
  EXPECT_EQ(unpack(w4, {0xe1, 0x87, 0x03}, 5), in);
}

TEST(IntegerPacking, OddWidthsFormOneBitStream) {
  IntegerFormat w3{3, 0};
  EXPECT_EQ(packedBytes(w3, 4), 2u);
  // Codes 1, 2, 3, -1 = 0b111 at bits 0, 3, 6 and 9: code 3 spans two bytes.
  EXPECT_EQ(pack(w3, {1, 2, 3, -1}), (std::vector<std::uint8_t>{0xd1, 0x0e}));
  IntegerFormat u1{1, 0, false};
  EXPECT_EQ(pack(u1, {1, 0, 0, 1, 1, 1, 1, 1, 1}),
            (std::vector<std::uint8_t>{0xf9, 0x01}));
}

TEST(IntegerPacking, WordsAreLittleEndianTwosComplement) {
  IntegerFormat w12{12, 4};
  EXPECT_EQ(packedBytes(w12, 2), 4u);
  EXPECT_EQ(pack(w12, {-0.1875f, 1000.0f}), // codes -3, 2047
            (std::vector<std::uint8_t>{0xfd, 0xff, 0xff, 0x07}));
  IntegerFormat u16{16, 0, false};
  EXPECT_EQ(pack(u16, {65535.0f, 258.0f}),
            (std::vector<std::uint8_t>{0xff, 0xff, 0x02, 0x01}));
  IntegerFormat w20{20, 2};
  EXPECT_EQ(pack(w20, {-1.0f}),
            (std::vector<std::uint8_t>{0xfc, 0xff, 0xff, 0xff}));
}

// quantize's float32 bound 2^31 - 1 rounds to 2^31; the stored code is
// 2^31 - 1 and decodes to the same float.
TEST(IntegerPacking, Width32Saturates) {
  IntegerFormat w32{32, 16};
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> in = {1e30f, -1e30f, inf, -inf}, want(4);
  ASSERT_EQ(quantize(w32, in.data(), want.data(), {4}), "");
  auto packed = pack(w32, in);
  EXPECT_EQ(std::vector<std::uint8_t>(packed.begin(), packed.begin() + 8),
            (std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0x80}));
  EXPECT_EQ(unpack(w32, packed, 4), want);
  IntegerFormat u32{32, 0, false};
  EXPECT_EQ(pack(u32, {inf}),
            (std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(unpack(u32, pack(u32, {inf}), 1)[0], 4294967296.0f);
}

// quantize keeps -0.0 (e.g. -0.01 rounds to -0 * 2^-f); a code cannot.
TEST(IntegerPacking, NegativeZeroDecodesAsPositiveZero) {
  IntegerFormat w8{8, 3};
  std::vector<float> in = {-0.0f, -0.01f}, q(2);
  ASSERT_EQ(quantize(w8, in.data(), q.data(), {2}), "");
  EXPECT_EQ(bitsOf(q[0]), 0x80000000u);
  EXPECT_EQ(bitsOf(q[1]), 0x80000000u);
  auto out = unpack(w8, pack(w8, in), 2);
  EXPECT_EQ(bitsOf(out[0]), 0u);
  EXPECT_EQ(bitsOf(out[1]), 0u);
}

TEST(IntegerPacking, RejectsBadInput) {
  std::vector<float> in = {1.0f, std::numeric_limits<float>::quiet_NaN()};
  std::vector<std::uint8_t> packed(2);
  std::vector<float> out(2);
  EXPECT_NE(encode({8, 3}, in.data(), {2}, packed.data()), "");
  EXPECT_NE(encode({0, 0}, in.data(), {1}, packed.data()), "");
  EXPECT_NE(decode({33, 0}, packed.data(), out.data(), {1}), "");
  EXPECT_NE(decode({8, 0}, packed.data(), out.data(), {-1}), "");
  EXPECT_EQ(packedBytes({40, 0}, 10), 0u);
}

// For random inputs and many formats: decode(encode(x)) is quantize(x) with
// -0.0 as +0.0, and every value is code / 2^f with code in the format's range.
TEST(IntegerPacking, RoundTripEqualsQuantize) {
  std::mt19937 rng(42);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> scaleExp(-12, 24);
  for (int width : {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 24, 25, 26, 31, 32})
    for (bool isSigned : {true, false})
      for (Rounding rounding : {Rounding::NearestEven, Rounding::Floor})
        for (int frac : {-3, 0, width / 2, width + 2}) {
          IntegerFormat format{width, frac, isSigned, rounding};
          std::vector<float> in(37), q(37);
          for (float &x : in)
            x = normal(rng) * std::ldexp(1.0f, scaleExp(rng) - frac);
          in[0] = -0.0f;
          in[1] = std::numeric_limits<float>::infinity();
          ASSERT_EQ(quantize(format, in.data(), q.data(), {37}), "");
          auto got = unpack(format, pack(format, in), in.size());
          EXPECT_EQ(firstMismatch(got, withPositiveZero(q)), -1)
              << "w" << width << " f" << frac << " signed " << isSigned;
          const double lo = static_cast<float>(format.minCode());
          const double hi = static_cast<float>(format.maxCode());
          for (float y : got) {
            double code = std::ldexp(static_cast<double>(y), frac);
            EXPECT_EQ(code, std::floor(code));
            EXPECT_GE(code, lo);
            EXPECT_LE(code, hi);
          }
        }
}

} // namespace
