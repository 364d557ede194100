//===- SignatureTest.cpp - model signature parsing ------------------------===//

#include "Signature.h"

#include <gtest/gtest.h>

using namespace mase::runtime;

namespace {

std::string parseError(const std::string &text) {
  Signature sig;
  std::string error;
  EXPECT_FALSE(parseSignature(text, sig, error)) << text;
  return error;
}

TEST(Signature, InputsOutputsScalarsAndEscapes) {
  Signature sig;
  std::string error;
  ASSERT_TRUE(parseSignature("mase-model\t1\n"
                             "input\tinput_ids\ti64\t2x128\n"
                             "input\ta%25b%09c%0Ad%0De\tf32\t\n"
                             "input\tempty\tbool\t0x4\n"
                             "output\tlogits\tbf16\t2x2\n",
                             sig, error))
      << error;
  EXPECT_EQ(sig.abiVersion, 1u);
  ASSERT_EQ(sig.inputs.size(), 3u);
  ASSERT_EQ(sig.outputs.size(), 1u);

  EXPECT_EQ(sig.inputs[0].name, "input_ids");
  EXPECT_EQ(sig.inputs[0].type, MASE_I64);
  EXPECT_EQ(sig.inputs[0].shape, (std::vector<int64_t>{2, 128}));
  EXPECT_EQ(sig.inputs[0].numElements, 256u);
  EXPECT_EQ(sig.inputs[0].sizeBytes, 2048u);

  EXPECT_EQ(sig.inputs[1].name, "a%b\tc\nd\re");
  EXPECT_EQ(sig.inputs[1].type, MASE_F32);
  EXPECT_TRUE(sig.inputs[1].shape.empty());
  EXPECT_EQ(sig.inputs[1].numElements, 1u);
  EXPECT_EQ(sig.inputs[1].sizeBytes, 4u);

  EXPECT_EQ(sig.inputs[2].shape, (std::vector<int64_t>{0, 4}));
  EXPECT_EQ(sig.inputs[2].numElements, 0u);
  EXPECT_EQ(sig.inputs[2].sizeBytes, 0u);

  EXPECT_EQ(sig.outputs[0].name, "logits");
  EXPECT_EQ(sig.outputs[0].type, MASE_BF16);
  EXPECT_EQ(sig.outputs[0].sizeBytes, 8u);
}

TEST(Signature, EveryElementType) {
  const char *names[] = {"f32", "f64", "f16", "bf16", "i8",  "i16", "i32",
                         "i64", "u8",  "u16", "u32",  "u64", "bool"};
  const size_t sizes[] = {4, 8, 2, 2, 1, 2, 4, 8, 1, 2, 4, 8, 1};
  for (int i = 0; i < 13; ++i) {
    MaseElementType type;
    ASSERT_TRUE(elementTypeFromName(names[i], type)) << names[i];
    EXPECT_EQ(static_cast<int>(type), i);
    EXPECT_STREQ(elementTypeName(type), names[i]);
    EXPECT_EQ(elementTypeSize(type), sizes[i]);
  }
  MaseElementType type;
  EXPECT_FALSE(elementTypeFromName("ui8", type));
  EXPECT_FALSE(elementTypeFromName("i1", type));
  EXPECT_STREQ(elementTypeName(static_cast<MaseElementType>(13)), "invalid");
  EXPECT_EQ(elementTypeSize(static_cast<MaseElementType>(-1)), 0u);
}

TEST(Signature, NoInputs) {
  Signature sig;
  std::string error;
  ASSERT_TRUE(parseSignature("mase-model\t1\noutput\ty\tu8\t3\n", sig, error))
      << error;
  EXPECT_TRUE(sig.inputs.empty());
  EXPECT_EQ(sig.outputs.size(), 1u);
}

TEST(Signature, HeaderErrors) {
  EXPECT_EQ(parseError(""), "the signature is empty");
  EXPECT_EQ(parseError("mase-model\t1\ninput\tx\tf32\t2"),
            "the signature does not end with a newline");
  EXPECT_EQ(parseError("mase-mode\t1\n"),
            "line 1: expected 'mase-model<TAB><abi version>', got "
            "'mase-mode\\t1'");
  EXPECT_EQ(parseError("mase-model 1\n"),
            "line 1: expected 'mase-model<TAB><abi version>', got "
            "'mase-model 1'");
  EXPECT_EQ(parseError("mase-model\tone\n"), "line 1: bad ABI version 'one'");
  EXPECT_EQ(parseError("mase-model\t99999999999\n"),
            "line 1: bad ABI version '99999999999'");
}

TEST(Signature, LineErrors) {
  const std::string h = "mase-model\t1\n";
  EXPECT_EQ(parseError(h + "input\tx\tf32\n"),
            "line 2: expected 4 TAB-separated fields ('input'|'output', name, "
            "type, shape), got 3: 'input\\tx\\tf32'");
  EXPECT_EQ(parseError(h + "\n"),
            "line 2: expected 4 TAB-separated fields ('input'|'output', name, "
            "type, shape), got 1: ''");
  EXPECT_EQ(parseError(h + "inputs\tx\tf32\t2\n"),
            "line 2: expected 'input' or 'output', got 'inputs'");
  EXPECT_EQ(parseError(h + "output\ty\tf32\t2\ninput\tx\tf32\t2\n"),
            "line 3: an input after the outputs");
  EXPECT_EQ(parseError(h + "input\tx%2\tf32\t2\n"),
            "line 2: bad escape in name 'x%2' ('%' must be followed by two "
            "hex digits)");
  EXPECT_EQ(parseError(h + "input\tx%zz\tf32\t2\n"),
            "line 2: bad escape in name 'x%zz' ('%' must be followed by two "
            "hex digits)");
  EXPECT_EQ(parseError(h + "input\t\tf32\t2\n"), "line 2: empty input name");
  EXPECT_EQ(parseError(h + "input\tx\tf32\t2\ninput\tx\tf32\t2\n"),
            "line 3: duplicate input name 'x'");
  EXPECT_EQ(parseError(h + "input\tx\tf128\t2\n"),
            "line 2: unknown element type 'f128' (expected one of: f32 f64 "
            "f16 bf16 i8 i16 i32 i64 u8 u16 u32 u64 bool)");
  EXPECT_EQ(parseError(h + "input\tx\tf32\t2\r\n"),
            "line 2: bad shape '2\\r' (expected non-negative dimensions joined "
            "by 'x', or nothing for a scalar)");
}

TEST(Signature, ShapeErrors) {
  for (const char *shape : {"2x", "x2", "-1", "2x3a", "2,3", "+2", " 2", "x",
                            "99999999999999999999"}) {
    std::string error =
        parseError(std::string("mase-model\t1\ninput\tx\tf32\t") + shape + "\n");
    EXPECT_NE(error.find("line 2: bad shape '"), std::string::npos)
        << shape << ": " << error;
  }
  EXPECT_EQ(parseError("mase-model\t1\ninput\tx\tf64\t"
                       "4294967296x4294967296\n"),
            "line 2: shape '4294967296x4294967296' is too large");
  EXPECT_EQ(parseError("mase-model\t1\ninput\tx\tf64\t4611686018427387904\n"),
            "line 2: shape '4611686018427387904' is too large");
}

TEST(Signature, SameNameAsInputAndOutput) {
  // An ONNX graph input may also be a graph output.
  Signature sig;
  std::string error;
  EXPECT_TRUE(parseSignature(
      "mase-model\t1\ninput\tx\tf32\t2\noutput\tx\tf32\t2\n", sig, error))
      << error;
}

} // namespace
