//===- Signature.h - parse a compiled model's signature ---------*- C++ -*-===//
//
// The text format of `mase_model_signature` (include/mase-c/ModelABI.h) into
// a list of named, typed, shaped inputs and outputs. Plain C++17; internal to
// lib/Runtime (and its unit tests).
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_RUNTIME_SIGNATURE_H
#define MASE_LIB_RUNTIME_SIGNATURE_H

#include "mase-c/Runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mase::runtime {

struct TensorSpec {
  std::string name;
  MaseElementType type = MASE_F32;
  std::vector<int64_t> shape;
  size_t numElements = 1;
  size_t sizeBytes = 0;
};

struct Signature {
  uint32_t abiVersion = 0;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

/// Parses `text`. On failure returns false and sets `error` to a message
/// naming the line and what is wrong (without the file name).
bool parseSignature(const std::string &text, Signature &out,
                    std::string &error);

/// "f32" ... "bool"; "invalid" for a value outside the enum.
const char *elementTypeName(MaseElementType type);
/// Bytes per element; 0 for a value outside the enum.
size_t elementTypeSize(MaseElementType type);
/// "f32" ... "bool" to the element type; false for anything else.
bool elementTypeFromName(const std::string &name, MaseElementType &type);

/// "f32[2x3]", "i64[]" for a scalar.
std::string describe(MaseElementType type, const int64_t *shape, size_t rank);

} // namespace mase::runtime

#endif // MASE_LIB_RUNTIME_SIGNATURE_H
