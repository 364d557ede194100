//===- GoldenVectors.h - MASE golden vectors for unit tests -----*- C++ -*-===//
//
// Reads test/golden/<family>.json (vectors produced by running MASE itself)
// and compares float32 outputs bit for bit, any NaN matching any NaN.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TEST_UNIT_NUMERICS_GOLDENVECTORS_H
#define MASE_TEST_UNIT_NUMERICS_GOLDENVECTORS_H

#include "mase/Numerics/Shape.h"

#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mase::numerics {
struct IntegerFormat;
} // namespace mase::numerics

namespace mase::test {

struct GoldenFile {
  std::string path;
  llvm::json::Value root = nullptr;
  /// The "cases" array; fails the current test if the file is unreadable.
  const llvm::json::Array &cases() const;
};

/// Loads test/golden/<family>.json; reports a gtest failure on error.
GoldenFile loadGolden(const std::string &family);

/// Decodes an array of 8-digit hex float32 bit patterns.
std::vector<float> decodeF32(const llvm::json::Array &bitPatterns);

/// Index of the first element whose bits differ (NaN matches NaN), or -1.
long firstMismatch(const std::vector<float> &got,
                   const std::vector<float> &want);

std::uint32_t bitsOf(float v);

/// A float with its bit pattern, e.g. "0.3125 (0x3ea00000)".
std::string hexBits(float v);

/// The integers of a JSON array (a shape, block_size, parallelism).
std::vector<std::int64_t> integers(const llvm::json::Array &values);

/// A golden case's "id", or "?".
std::string caseId(const llvm::json::Object &goldenCase);

/// A golden case's "shape".
numerics::Shape shapeOf(const llvm::json::Object &goldenCase);

/// Whether MASE raised: "expect_error" names the exception, or is null.
bool maseRaised(const llvm::json::Object &goldenCase);

/// The IntegerFormat of an integer.json case ("fn" gives the rounding).
numerics::IntegerFormat integerFormatOf(const llvm::json::Object &goldenCase);

/// Expects `got` to match `want` bit for bit; a mismatch is reported with
/// the case id, the element, its input and both outputs' bits.
void expectBitExact(const std::string &id, const std::vector<float> &in,
                    const std::vector<float> &got,
                    const std::vector<float> &want);

/// quantize() into outputs that start as `fill`; expects no error.
template <typename F>
std::vector<float> quantizeOk(const F &format, const std::vector<float> &in,
                              const numerics::Shape &shape, float fill = 0.0f) {
  std::vector<float> out(in.size(), fill);
  EXPECT_EQ(quantize(format, in.data(), out.data(), shape), "");
  return out;
}

/// quantizeOk() on the 1-D shape {in.size()}.
template <typename F>
std::vector<float> quantizeOk(const F &format, const std::vector<float> &in) {
  return quantizeOk(format, in, {static_cast<std::int64_t>(in.size())});
}

/// One golden case: quantize() fails where MASE raised, and otherwise
/// matches MASE's "output_bits" bit for bit.
template <typename F>
void expectGoldenCase(const llvm::json::Object &goldenCase, const F &format) {
  const std::string id = caseId(goldenCase);
  const std::vector<float> in = decodeF32(*goldenCase.getArray("input_bits"));
  std::vector<float> got(in.size());
  const std::string error =
      quantize(format, in.data(), got.data(), shapeOf(goldenCase));
  if (maseRaised(goldenCase)) {
    EXPECT_NE(error, "")
        << id << ": MASE raised "
        << goldenCase.getString("expect_error").value_or("").str() << ": "
        << goldenCase.getString("error_message").value_or("").str();
    return;
  }
  ASSERT_EQ(error, "") << id;
  expectBitExact(id, in, got, decodeF32(*goldenCase.getArray("output_bits")));
}

} // namespace mase::test

#endif // MASE_TEST_UNIT_NUMERICS_GOLDENVECTORS_H
