//===- GoldenVectors.cpp - MASE golden vectors for unit tests -------------===//

#include "GoldenVectors.h"

#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

namespace mase::test {

const llvm::json::Array &GoldenFile::cases() const {
  static const llvm::json::Array empty;
  const llvm::json::Object *obj = root.getAsObject();
  const llvm::json::Array *arr = obj ? obj->getArray("cases") : nullptr;
  if (!arr) {
    ADD_FAILURE() << path << ": no \"cases\" array";
    return empty;
  }
  return *arr;
}

GoldenFile loadGolden(const std::string &family) {
  GoldenFile file;
  file.path = std::string(MASE_GOLDEN_DIR) + "/" + family + ".json";
  auto buffer = llvm::MemoryBuffer::getFile(file.path);
  if (!buffer) {
    ADD_FAILURE() << file.path << ": " << buffer.getError().message();
    return file;
  }
  auto parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) {
    ADD_FAILURE() << file.path << ": " << llvm::toString(parsed.takeError());
    return file;
  }
  file.root = std::move(*parsed);
  return file;
}

std::uint32_t bitsOf(float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

std::vector<float> decodeF32(const llvm::json::Array &hexBits) {
  std::vector<float> values;
  values.reserve(hexBits.size());
  for (const llvm::json::Value &v : hexBits) {
    std::uint32_t bits = std::stoul(v.getAsString().value_or("").str(), nullptr, 16);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    values.push_back(f);
  }
  return values;
}

long firstMismatch(const std::vector<float> &got,
                   const std::vector<float> &want) {
  if (got.size() != want.size())
    return 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(got[i]) && std::isnan(want[i]))
      continue;
    if (bitsOf(got[i]) != bitsOf(want[i]))
      return static_cast<long>(i);
  }
  return -1;
}

} // namespace mase::test
