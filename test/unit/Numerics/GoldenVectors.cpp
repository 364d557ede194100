//===- GoldenVectors.cpp - MASE golden vectors for unit tests -------------===//

#include "GoldenVectors.h"

#include "mase/Numerics/Integer.h"

#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <sstream>

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

std::string hexBits(float v) {
  std::ostringstream os;
  os.precision(9);
  os << v << " (0x" << std::hex << bitsOf(v) << ")";
  return os.str();
}

std::vector<float> decodeF32(const llvm::json::Array &bitPatterns) {
  std::vector<float> values;
  values.reserve(bitPatterns.size());
  for (const llvm::json::Value &v : bitPatterns) {
    std::uint32_t bits =
        std::stoul(v.getAsString().value_or("").str(), nullptr, 16);
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

std::vector<std::int64_t> integers(const llvm::json::Array &values) {
  std::vector<std::int64_t> result;
  result.reserve(values.size());
  for (const llvm::json::Value &v : values)
    result.push_back(*v.getAsInteger());
  return result;
}

std::string caseId(const llvm::json::Object &goldenCase) {
  return goldenCase.getString("id").value_or("?").str();
}

numerics::Shape shapeOf(const llvm::json::Object &goldenCase) {
  return integers(*goldenCase.getArray("shape"));
}

bool maseRaised(const llvm::json::Object &goldenCase) {
  const llvm::json::Value *raised = goldenCase.get("expect_error");
  return raised && raised->kind() != llvm::json::Value::Null &&
         raised->getAsBoolean().value_or(true);
}

numerics::IntegerFormat integerFormatOf(const llvm::json::Object &goldenCase) {
  const llvm::json::Object &params = *goldenCase.getObject("params");
  numerics::IntegerFormat format;
  format.width = *params.getInteger("width");
  format.fracWidth =
      params.getInteger("frac_width")
          .value_or(numerics::IntegerFormat::defaultFracWidth(format.width));
  format.isSigned = params.getBoolean("is_signed").value_or(true);
  format.rounding = goldenCase.getString("fn") == "integer_floor_quantizer"
                        ? numerics::Rounding::Floor
                        : numerics::Rounding::NearestEven;
  return format;
}

void expectBitExact(const std::string &id, const std::vector<float> &in,
                    const std::vector<float> &got,
                    const std::vector<float> &want) {
  if (got.size() != want.size() || in.size() != got.size()) {
    ADD_FAILURE() << id << ": " << in.size() << " inputs, " << got.size()
                  << " outputs, want " << want.size();
    return;
  }
  long bad = firstMismatch(got, want);
  EXPECT_EQ(bad, -1) << id << ": element " << bad << " input "
                     << hexBits(in[bad]) << " got " << hexBits(got[bad])
                     << " want " << hexBits(want[bad]);
}

} // namespace mase::test
