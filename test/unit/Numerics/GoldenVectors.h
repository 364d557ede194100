//===- GoldenVectors.h - MASE golden vectors for unit tests -----*- C++ -*-===//
//
// Reads test/golden/<family>.json (vectors produced by running MASE itself)
// and compares float32 outputs bit for bit, any NaN matching any NaN.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TEST_UNIT_NUMERICS_GOLDENVECTORS_H
#define MASE_TEST_UNIT_NUMERICS_GOLDENVECTORS_H

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

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
std::vector<float> decodeF32(const llvm::json::Array &hexBits);

/// Index of the first element whose bits differ (NaN matches NaN), or -1.
long firstMismatch(const std::vector<float> &got,
                   const std::vector<float> &want);

std::uint32_t bitsOf(float v);

} // namespace mase::test

#endif // MASE_TEST_UNIT_NUMERICS_GOLDENVECTORS_H
