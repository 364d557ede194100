//===- TomlReader.cpp - TOML text to a ConfigValue tree -------------------===//
//
// toml++ is used header-only: the project builds without C++ exceptions, and
// Debian's compiled toml++ is built with them (a different ABI namespace).
// toml++ tables are sorted maps, so file order is recovered from the source
// position of each key.
//
//===----------------------------------------------------------------------===//

#include "mase/Quant/ConfigTree.h"

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

namespace mase::quant {

namespace {

ConfigValue convert(const toml::node &node) {
  ConfigValue value;
  if (const toml::table *table = node.as_table()) {
    value.kind = ConfigValue::Kind::Table;
    std::vector<std::pair<toml::source_position, std::string>> keys;
    for (const auto &[key, child] : *table)
      keys.emplace_back(key.source().begin, std::string(key.str()));
    std::sort(keys.begin(), keys.end(), [](auto &a, auto &b) {
      return a.first < b.first;
    });
    for (const auto &[position, key] : keys)
      value.entries.emplace_back(key, convert(*table->get(key)));
  } else if (const toml::array *array = node.as_array()) {
    value.kind = ConfigValue::Kind::Array;
    for (const toml::node &element : *array)
      value.elements.push_back(convert(element));
  } else if (auto v = node.value<bool>(); v && node.is_boolean()) {
    value.kind = ConfigValue::Kind::Bool;
    value.boolValue = *v;
  } else if (node.is_integer()) {
    value.kind = ConfigValue::Kind::Integer;
    value.intValue = *node.value<std::int64_t>();
  } else if (node.is_floating_point()) {
    value.kind = ConfigValue::Kind::Float;
    value.floatValue = *node.value<double>();
  } else if (node.is_string()) {
    value.kind = ConfigValue::Kind::String;
    value.stringValue = *node.value<std::string>();
  } else {
    // Dates and times: no quantisation key takes them.
    value.kind = ConfigValue::Kind::String;
    value.stringValue = "<date or time>";
  }
  return value;
}

} // namespace

std::string parseToml(const std::string &text, ConfigValue &root) {
  toml::parse_result result = toml::parse(text);
  if (!result) {
    const toml::parse_error &error = result.error();
    std::ostringstream os;
    os << "line " << error.source().begin.line << ", column "
       << error.source().begin.column << ": " << error.description();
    return os.str();
  }
  root = convert(result.table());
  return {};
}

} // namespace mase::quant
