//===- ConfigText.cpp - config files and text to a ConfigValue tree ------===//

#include "mase/Quant/ConfigTree.h"

#include <fstream>
#include <sstream>

namespace mase::quant {

std::string parseConfigText(const std::string &text, ConfigValue &root) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  bool isJson = first != std::string::npos && text[first] == '{';
  // `"key": ...`: a JSON object whose braces MLIR's pass-option syntax
  // stripped (--mase-quantize=config-text={"by": ...}).
  std::string body = text;
  if (first != std::string::npos && text[first] == '"') {
    std::size_t close = text.find('"', first + 1);
    std::size_t next = close == std::string::npos
                           ? close
                           : text.find_first_not_of(" \t", close + 1);
    if (next != std::string::npos && text[next] == ':') {
      isJson = true;
      body = "{" + text + "}";
    }
  }
  std::string message = isJson ? parseJson(body, root) : parseToml(body, root);
  if (!message.empty())
    return std::string(isJson ? "invalid JSON: " : "invalid TOML: ") + message;
  if (root.kind != ConfigValue::Kind::Table)
    return "the config must be a table (a JSON object)";
  return "";
}

std::string readConfigFile(const std::string &path, const char *what,
                           std::string &text) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return std::string("cannot open ") + what + " config '" + path + "'";
  std::ostringstream contents;
  contents << file.rdbuf();
  text = contents.str();
  return "";
}

} // namespace mase::quant
