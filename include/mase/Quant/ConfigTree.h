//===- ConfigTree.h - a parsed TOML or JSON document ------------*- C++ -*-===//
//
// The quantisation config as a plain tree, whatever file format it came
// from: the TOML and JSON readers build it, the schema checks read it. Tables
// keep their keys in file order, because MASE's `regex_name` rules apply in
// that order. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_CONFIGTREE_H
#define MASE_QUANT_CONFIGTREE_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mase::quant {

struct ConfigValue {
  enum class Kind { Null, Bool, Integer, Float, String, Array, Table };

  Kind kind = Kind::Null;
  bool boolValue = false;
  std::int64_t intValue = 0;
  double floatValue = 0;
  std::string stringValue;
  std::vector<ConfigValue> elements;
  /// Table entries in file order.
  std::vector<std::pair<std::string, ConfigValue>> entries;

  /// The entry `key` of a table, or nullptr.
  const ConfigValue *find(const std::string &key) const {
    for (const auto &[k, v] : entries)
      if (k == key)
        return &v;
    return nullptr;
  }

  /// "a table", "an integer", ... for diagnostics.
  const char *describe() const {
    switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "a boolean";
    case Kind::Integer:
      return "an integer";
    case Kind::Float:
      return "a float";
    case Kind::String:
      return "a string";
    case Kind::Array:
      return "an array";
    case Kind::Table:
      return "a table";
    }
    return "a value";
  }
};

/// Parses TOML text. Returns "" or a message with the line and column.
std::string parseToml(const std::string &text, ConfigValue &root);

/// Parses JSON text. Returns "" or a message with the line and column.
std::string parseJson(const std::string &text, ConfigValue &root);

/// Parses a config's text: JSON when the first non-blank character is '{'
/// or the text starts `"key":` (a JSON object without its braces, as MLIR's
/// pass-option syntax leaves it), else TOML. The root must be a table.
/// Returns "" or a message.
std::string parseConfigText(const std::string &text, ConfigValue &root);

/// Reads the file at `path` into `text`; returns "" or a message naming the
/// file as a `what` ("quantisation", "pruning") config.
std::string readConfigFile(const std::string &path, const char *what,
                           std::string &text);

} // namespace mase::quant

#endif // MASE_QUANT_CONFIGTREE_H
