//===- JsonReader.cpp - JSON text to a ConfigValue tree -------------------===//
//
// llvm::json parses and reports errors; its objects are hash maps, so the
// key order of every object is recovered by a small scan of the text that
// follows nesting and skips strings.
//
//===----------------------------------------------------------------------===//

#include "mase/Quant/ConfigTree.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <map>

namespace mase::quant {

namespace {

/// Keys of every object in text order, by the object's path (its keys and
/// array indices from the root, each followed by '/').
using KeyOrder = std::map<std::string, std::vector<std::string>>;

KeyOrder scanKeyOrder(const std::string &text) {
  struct Frame {
    bool isObject;
    std::string path;
    std::string lastKey;
    std::int64_t index = 0;
    bool expectKey = true;
  };
  KeyOrder order;
  std::vector<Frame> stack;
  auto childPath = [&]() -> std::string {
    if (stack.empty())
      return "";
    Frame &top = stack.back();
    return top.path +
           (top.isObject ? top.lastKey : std::to_string(top.index)) + "/";
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      std::string s;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size())
          ++i; // The key is only compared with llvm::json's own keys, which
               // are unescaped: keys with escapes keep their relative order.
        s += text[i];
      }
      if (!stack.empty() && stack.back().isObject && stack.back().expectKey) {
        stack.back().lastKey = s;
        stack.back().expectKey = false;
        order[stack.back().path].push_back(s);
      }
    } else if (c == '{' || c == '[') {
      std::string path = childPath();
      stack.push_back({c == '{', path, "", 0, true});
    } else if (c == '}' || c == ']') {
      if (!stack.empty())
        stack.pop_back();
    } else if (c == ',' && !stack.empty()) {
      stack.back().expectKey = true;
      ++stack.back().index;
    }
  }
  return order;
}

ConfigValue convert(const llvm::json::Value &node, const std::string &path,
                    const KeyOrder &order) {
  ConfigValue value;
  if (const llvm::json::Object *object = node.getAsObject()) {
    value.kind = ConfigValue::Kind::Table;
    auto it = order.find(path);
    std::vector<std::string> keys;
    if (it != order.end())
      keys = it->second;
    // Keys the scan could not pair (escaped names) come last.
    for (const auto &entry : *object)
      if (std::find(keys.begin(), keys.end(), entry.first.str()) == keys.end())
        keys.push_back(entry.first.str());
    for (const std::string &key : keys)
      if (const llvm::json::Value *child = object->get(key))
        if (!value.find(key))
          value.entries.emplace_back(key,
                                     convert(*child, path + key + "/", order));
  } else if (const llvm::json::Array *array = node.getAsArray()) {
    value.kind = ConfigValue::Kind::Array;
    for (auto [i, element] : llvm::enumerate(*array))
      value.elements.push_back(
          convert(element, path + std::to_string(i) + "/", order));
  } else if (auto b = node.getAsBoolean()) {
    value.kind = ConfigValue::Kind::Bool;
    value.boolValue = *b;
  } else if (auto i = node.getAsInteger()) {
    // llvm::json also reads an integral number written as 8.0 as an integer.
    value.kind = ConfigValue::Kind::Integer;
    value.intValue = *i;
  } else if (auto d = node.getAsNumber()) {
    value.kind = ConfigValue::Kind::Float;
    value.floatValue = *d;
  } else if (auto s = node.getAsString()) {
    value.kind = ConfigValue::Kind::String;
    value.stringValue = s->str();
  }
  return value;
}

} // namespace

std::string parseJson(const std::string &text, ConfigValue &root) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed)
    return llvm::toString(parsed.takeError());
  root = convert(*parsed, "", scanKeyOrder(text));
  return {};
}

} // namespace mase::quant
