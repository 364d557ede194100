//===- Signature.cpp - parse a compiled model's signature -----------------===//

#include "Signature.h"

#include <limits>
#include <set>

namespace mase::runtime {

namespace {

struct TypeEntry {
  MaseElementType type;
  const char *name;
  size_t size;
};

// Indexed by MaseElementType.
constexpr TypeEntry kTypes[] = {
    {MASE_F32, "f32", 4}, {MASE_F64, "f64", 8},   {MASE_F16, "f16", 2},
    {MASE_BF16, "bf16", 2}, {MASE_I8, "i8", 1},   {MASE_I16, "i16", 2},
    {MASE_I32, "i32", 4}, {MASE_I64, "i64", 8},   {MASE_U8, "u8", 1},
    {MASE_U16, "u16", 2}, {MASE_U32, "u32", 4},   {MASE_U64, "u64", 8},
    {MASE_BOOL, "bool", 1},
};
constexpr size_t kNumTypes = sizeof(kTypes) / sizeof(kTypes[0]);

bool validType(MaseElementType type) {
  auto i = static_cast<long long>(type);
  return i >= 0 && i < static_cast<long long>(kNumTypes);
}

/// At most 60 characters of `text`, quoted, with control characters escaped.
std::string quote(const std::string &text) {
  std::string out = "'";
  size_t n = 0;
  for (unsigned char c : text) {
    if (++n > 60) {
      out += "...";
      break;
    }
    if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else
      out += static_cast<char>(c);
  }
  return out + "'";
}

std::vector<std::string> splitFields(const std::string &line, char sep) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t end = line.find(sep, start);
    if (end == std::string::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Decodes %HH escapes.
bool decodeName(const std::string &text, std::string &out, std::string &error) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      error = "bad escape in name " + quote(text) +
              " ('%' must be followed by two hex digits)";
      return false;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

/// A decimal integer of digits only that fits `max`.
bool parseUnsigned(const std::string &text, uint64_t max, uint64_t &value) {
  if (text.empty() || text.size() > 20)
    return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  return true;
}

std::string typeList() {
  std::string out;
  for (const TypeEntry &e : kTypes) {
    if (!out.empty())
      out += ' ';
    out += e.name;
  }
  return out;
}

} // namespace

const char *elementTypeName(MaseElementType type) {
  return validType(type) ? kTypes[type].name : "invalid";
}

size_t elementTypeSize(MaseElementType type) {
  return validType(type) ? kTypes[type].size : 0;
}

bool elementTypeFromName(const std::string &name, MaseElementType &type) {
  for (const TypeEntry &e : kTypes)
    if (name == e.name) {
      type = e.type;
      return true;
    }
  return false;
}

std::string describe(MaseElementType type, const int64_t *shape, size_t rank) {
  std::string out = elementTypeName(type);
  out += '[';
  for (size_t i = 0; i < rank; ++i) {
    if (i)
      out += 'x';
    out += std::to_string(shape[i]);
  }
  return out + ']';
}

bool parseSignature(const std::string &text, Signature &out,
                    std::string &error) {
  out = Signature();
  if (text.empty()) {
    error = "the signature is empty";
    return false;
  }
  if (text.back() != '\n') {
    error = "the signature does not end with a newline";
    return false;
  }
  std::vector<std::string> lines =
      splitFields(text.substr(0, text.size() - 1), '\n');

  auto fail = [&](size_t lineIndex, const std::string &message) {
    error = "line " + std::to_string(lineIndex + 1) + ": " + message;
    return false;
  };

  std::vector<std::string> header = splitFields(lines[0], '\t');
  uint64_t version = 0;
  if (header.size() != 2 || header[0] != "mase-model")
    return fail(0, "expected 'mase-model<TAB><abi version>', got " +
                       quote(lines[0]));
  if (!parseUnsigned(header[1], std::numeric_limits<uint32_t>::max(), version))
    return fail(0, "bad ABI version " + quote(header[1]));
  out.abiVersion = static_cast<uint32_t>(version);

  std::set<std::string> inputNames, outputNames;
  for (size_t l = 1; l < lines.size(); ++l) {
    std::vector<std::string> fields = splitFields(lines[l], '\t');
    if (fields.size() != 4)
      return fail(l, "expected 4 TAB-separated fields "
                     "('input'|'output', name, type, shape), got " +
                         std::to_string(fields.size()) + ": " +
                         quote(lines[l]));
    bool isInput = fields[0] == "input";
    if (!isInput && fields[0] != "output")
      return fail(l, "expected 'input' or 'output', got " + quote(fields[0]));
    if (isInput && !out.outputs.empty())
      return fail(l, "an input after the outputs");

    TensorSpec spec;
    std::string nameError;
    if (!decodeName(fields[1], spec.name, nameError))
      return fail(l, nameError);
    if (spec.name.empty())
      return fail(l, std::string("empty ") + fields[0] + " name");
    std::set<std::string> &names = isInput ? inputNames : outputNames;
    if (!names.insert(spec.name).second)
      return fail(l, "duplicate " + fields[0] + " name " + quote(spec.name));

    if (!elementTypeFromName(fields[2], spec.type))
      return fail(l, "unknown element type " + quote(fields[2]) +
                         " (expected one of: " + typeList() + ")");

    size_t count = 1;
    if (!fields[3].empty()) {
      for (const std::string &dim : splitFields(fields[3], 'x')) {
        uint64_t d = 0;
        if (!parseUnsigned(dim,
                           static_cast<uint64_t>(
                               std::numeric_limits<int64_t>::max()),
                           d))
          return fail(l, "bad shape " + quote(fields[3]) +
                             " (expected non-negative dimensions joined by "
                             "'x', or nothing for a scalar)");
        if (d != 0 && count > std::numeric_limits<size_t>::max() / d)
          return fail(l, "shape " + quote(fields[3]) + " is too large");
        count *= static_cast<size_t>(d);
        spec.shape.push_back(static_cast<int64_t>(d));
      }
    }
    size_t width = elementTypeSize(spec.type);
    if (count > std::numeric_limits<size_t>::max() / width)
      return fail(l, "shape " + quote(fields[3]) + " is too large");
    spec.numElements = count;
    spec.sizeBytes = count * width;
    (isInput ? out.inputs : out.outputs).push_back(std::move(spec));
  }
  return true;
}

} // namespace mase::runtime
