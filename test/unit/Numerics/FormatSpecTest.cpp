//===- FormatSpecTest.cpp - formats from MASE names and keywords ----------===//

#include "mase/Numerics/FormatSpec.h"

#include "gtest/gtest.h"

#include <array>

using namespace mase::numerics;

namespace {

/// Parses a format that must be valid.
Format parse(std::string_view name, std::string_view params) {
  Format format;
  EXPECT_EQ(parseFormat(name, params, format), "") << name << " " << params;
  return format;
}

/// The error for a format that must be rejected.
std::string error(std::string_view name, std::string_view params) {
  Format format;
  return parseFormat(name, params, format);
}

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(FormatSpec, EveryNameWithItsRequiredKeys) {
  const std::vector<std::pair<std::string, std::string>> minimal = {
      {"integer", "width=8"},
      {"integer_floor", "width=8"},
      {"minifloat_denorm", "width=8,exponent_width=4"},
      {"minifloat_ieee", "width=8,exponent_width=4"},
      {"block_fp", ""},
      {"block_minifloat", "width=8,exponent_width=4,exponent_bias_width=4"},
      {"log", "width=8"},
      {"block_log", "width=4,exponent_bias_width=4"},
      {"binary", ""},
      {"ternary", ""},
      {"scale_integer", "width=8"},
      {"mxint", "block_size=32,element_bits=8"},
      {"mxint_hardware", "parallelism=[1,16]"},
      {"mxint8", ""}};
  ASSERT_EQ(formatNames().size(), minimal.size());
  for (std::size_t i = 0; i < minimal.size(); ++i) {
    EXPECT_EQ(formatNames()[i], minimal[i].first);
    parse(minimal[i].first, minimal[i].second);
  }
}

TEST(FormatSpec, DefaultsAreMases) {
  auto integer = std::get<IntegerFormat>(parse("integer", "width=6"));
  EXPECT_EQ(integer.fracWidth, 3);
  EXPECT_TRUE(integer.isSigned);
  EXPECT_EQ(integer.rounding, Rounding::NearestEven);
  EXPECT_EQ(std::get<IntegerFormat>(parse("integer_floor", "width=6")).rounding,
            Rounding::Floor);

  auto bfp = std::get<BlockFpFormat>(parse("block_fp", ""));
  EXPECT_EQ(bfp.width, 12);
  EXPECT_EQ(bfp.exponentWidth, 8);
  EXPECT_FALSE(bfp.exponentBias);
  EXPECT_EQ(bfp.blockSize, (std::vector<std::int64_t>{16}));
  EXPECT_TRUE(bfp.skipFirstDim);

  auto bmf = std::get<BlockMinifloatFormat>(parse(
      "block_minifloat", "width=8,exponent_width=4,exponent_bias_width=4"));
  EXPECT_FALSE(bmf.skipFirstDim);
  EXPECT_FALSE(std::get<BinaryFormat>(parse("binary", "")).bipolar);

  auto mxint =
      std::get<MxintFormat>(parse("mxint", "block_size=16,element_bits=6"));
  EXPECT_EQ(mxint.blockSize, 16);
  EXPECT_EQ(mxint.elementBits, 6);
  EXPECT_EQ(mxint.blockDim, -1);
  EXPECT_EQ(mxint.scaleBits, 8);

  auto hw = std::get<MxintHardwareFormat>(
      parse("mxint_hardware", "parallelism=[16]"));
  EXPECT_EQ(hw.width, 12);
  EXPECT_EQ(hw.exponentWidth, 6);
  EXPECT_EQ(hw.parallelism, (std::array<std::int64_t, 2>{1, 16}));
  EXPECT_EQ(std::get<Mxint8Format>(parse("mxint8", "")).groupSize, 32);
}

TEST(FormatSpec, ValueSyntax) {
  auto bfp = std::get<BlockFpFormat>(
      parse("block_fp", " width = 8 , exponent_bias=None,block_size=[ 1, 16 ],"
                        "skip_first_dim=False"));
  EXPECT_EQ(bfp.width, 8);
  EXPECT_FALSE(bfp.exponentBias);
  EXPECT_EQ(bfp.blockSize, (std::vector<std::int64_t>{1, 16}));
  EXPECT_FALSE(bfp.skipFirstDim);
  EXPECT_EQ(
      std::get<BlockFpFormat>(parse("block_fp", "block_size=32")).blockSize,
      (std::vector<std::int64_t>{32}));
  EXPECT_EQ(std::get<BlockFpFormat>(parse("block_fp", "exponent_bias=-3"))
                .exponentBias,
            -3);
  auto integer = std::get<IntegerFormat>(
      parse("integer", "width=8,frac_width=none,is_signed=false"));
  EXPECT_EQ(integer.fracWidth, 4);
  EXPECT_FALSE(integer.isSigned);
  // Keys MASE accepts and ignores take numbers or None.
  parse("scale_integer", "width=8,quantile=0.99");
  parse("ternary", "threshold=0.5,mean=None,scaling_factor=true");
}

TEST(FormatSpec, UnknownNameListsTheNames) {
  std::string e = error("int8", "width=8");
  EXPECT_CONTAINS(e, "unknown format 'int8'");
  EXPECT_CONTAINS(e, "integer, integer_floor,");
  EXPECT_CONTAINS(e, "mxint8");
}

TEST(FormatSpec, UnknownKeyListsTheKeys) {
  std::string e = error("integer", "width=8,fracwidth=4");
  EXPECT_CONTAINS(e, "unknown key 'fracwidth'");
  EXPECT_CONTAINS(e, "valid keys: width, frac_width, is_signed");
}

TEST(FormatSpec, MissingRepeatedAndMalformed) {
  EXPECT_CONTAINS(error("minifloat_ieee", "width=8"),
                  "missing required key 'exponent_width'");
  EXPECT_CONTAINS(error("integer", "width=8,width=4"),
                  "'width' is given twice");
  EXPECT_CONTAINS(error("integer", "width"), "expected key=value");
  EXPECT_CONTAINS(error("integer", "width=8,"), "expected key=value");
  EXPECT_CONTAINS(error("integer", "=8"), "expected key=value");
  EXPECT_CONTAINS(error("block_fp", "block_size=[1,16"), "unbalanced '['");
  EXPECT_CONTAINS(error("block_fp", "block_size=1,16]"), "unbalanced ']'");
  EXPECT_CONTAINS(error("block_fp", "block_size=[[1]]"), "nested");
  EXPECT_CONTAINS(error("integer", "width=eight"), "cannot read value 'eight'");
  EXPECT_CONTAINS(error("integer", "width="), "cannot read value ''");
}

TEST(FormatSpec, WronglyTypedValues) {
  EXPECT_CONTAINS(error("integer", "width=true"),
                  "key 'width' expects an integer, got 'true'");
  EXPECT_CONTAINS(error("integer", "width=8.5"), "expects an integer");
  EXPECT_CONTAINS(error("integer", "width=None"), "expects an integer");
  EXPECT_CONTAINS(error("integer", "width=8,is_signed=1"),
                  "'is_signed' expects true or false");
  EXPECT_CONTAINS(error("log", "width=8,exponent_bias=[1]"),
                  "expects an integer or None");
  EXPECT_CONTAINS(error("block_fp", "block_size=true"), "a list of integers");
  EXPECT_CONTAINS(error("block_fp", "block_size=[1,2.5]"),
                  "a list holds integers only");
  EXPECT_CONTAINS(error("scale_integer", "width=8,quantile=[1]"),
                  "a number or None");
  EXPECT_CONTAINS(error("integer", "width=4294967304"), "out of range");
  EXPECT_CONTAINS(error("integer", "width=99999999999999999999"),
                  "expects an integer");
}

TEST(FormatSpec, InvalidFormats) {
  EXPECT_CONTAINS(error("integer", "width=0"), "width");
  EXPECT_CONTAINS(error("mxint", "block_size=32,element_bits=8,"
                                 "quantile_search=true"),
                  "quantile_search=true is not supported");
  EXPECT_CONTAINS(error("mxint_hardware", "parallelism=[1,2,3]"),
                  "1 or 2 entries");
  EXPECT_NE(error("binary", "stochastic=true"), "");
  EXPECT_NE(error("mxint8", "group_size=0"), "");
  EXPECT_NE(error("block_fp", "block_size=[0]"), "");
}

TEST(FormatSpec, QuantizeDispatches) {
  const std::vector<float> in = {1.0f, 0.5f, -0.3f, 0.0f};
  std::vector<float> viaSpec(4), direct(4);
  Format format = parse("block_fp", "width=8,exponent_bias=127,block_size=[4],"
                                    "skip_first_dim=false");
  ASSERT_EQ(quantize(format, in.data(), viaSpec.data(), {4}), "");
  ASSERT_EQ(
      quantize(std::get<BlockFpFormat>(format), in.data(), direct.data(), {4}),
      "");
  EXPECT_EQ(viaSpec, direct);
  EXPECT_EQ(viaSpec, (std::vector<float>{0.9921875f, 0.5f, -0.296875f, 0.0f}));
}

} // namespace
