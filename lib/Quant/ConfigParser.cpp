//===- ConfigParser.cpp - MASE quantize configs from TOML or JSON ---------===//

#include "mase/Quant/FormatSchema.h"
#include "mase/Quant/LayerSelection.h"
#include "mase/Quant/QuantConfig.h"
#include "mase/Quant/RegexName.h"


namespace mase::quant {

const char *roleName(Role role) {
  switch (role) {
  case Role::DataIn:
    return "data_in";
  case Role::Weight:
    return "weight";
  case Role::Bias:
    return "bias";
  case Role::DataOut:
    return "data_out";
  }
  return "data_in";
}

namespace {

constexpr Role kRoles[] = {Role::DataIn, Role::Weight, Role::Bias,
                           Role::DataOut};

class Parser {
public:
  explicit Parser(std::vector<std::string> &errors) : errors(errors) {}

  void parseRoot(const ConfigValue &root, QuantConfig &config) {
    const ConfigValue *table = &root;
    std::string path;
    if (const ConfigValue *passes = root.find("passes")) {
      const ConfigValue *quantize =
          passes->kind == ConfigValue::Kind::Table ? passes->find("quantize")
                                                   : nullptr;
      if (!quantize || quantize->kind != ConfigValue::Kind::Table) {
        error("passes.quantize", "missing: the config has a [passes] table "
                                 "without a [passes.quantize] table");
        return;
      }
      table = quantize;
      path = "passes.quantize.";
    }
    parseQuantize(*table, path, config);
  }

private:
  std::vector<std::string> &errors;

  void error(const std::string &path, const std::string &message) {
    errors.push_back(path + ": " + message);
  }

  void parseQuantize(const ConfigValue &table, const std::string &path,
                     QuantConfig &config) {
    const ConfigValue *by = table.find("by");
    if (!by) {
      error(path + "by",
            "missing (expected \"type\", \"name\" or \"regex_name\")");
      return;
    }
    if (by->kind != ConfigValue::Kind::String ||
        (by->stringValue != "type" && by->stringValue != "name" &&
         by->stringValue != "regex_name")) {
      error(path + "by", "expected \"type\", \"name\" or \"regex_name\", got " +
                             describe(*by));
      return;
    }
    config.by = by->stringValue == "type"   ? Selector::Type
                : by->stringValue == "name" ? Selector::Name
                                            : Selector::RegexName;
    for (const auto &[key, value] : table.entries) {
      if (key == "by")
        continue;
      Rule rule;
      rule.key = key;
      rule.path = path + key + ".config";
      if (!parseRule(config.by, value, path + key, rule))
        continue;
      if (key == "default")
        config.defaultRule = static_cast<int>(config.rules.size());
      config.rules.push_back(std::move(rule));
    }
  }

  static std::string describe(const ConfigValue &value) {
    if (value.kind == ConfigValue::Kind::String)
      return "\"" + value.stringValue + "\"";
    return value.describe();
  }

  bool parseRule(Selector by, const ConfigValue &value, const std::string &path,
                 Rule &rule) {
    if (by == Selector::Type && rule.key != "default") {
      if (!isQuantizableOpType(rule.key)) {
        error(path, "'" + rule.key +
                        "' is not an op type mase-quantize can quantise "
                        "(supported: " +
                        supportedOpTypeNames() + ")");
        return false;
      }
    }
    if (by == Selector::RegexName) {
      std::string message;
      rule.pattern = compileRegexName(rule.key, message);
      if (!rule.pattern) {
        error(path, "invalid regular expression: " + message);
        return false;
      }
    }
    if (value.kind != ConfigValue::Kind::Table) {
      error(path, std::string("expected a table with a 'config' table, got ") +
                      value.describe());
      return false;
    }
    bool ok = true;
    for (const auto &[key, child] : value.entries)
      if (key != "config") {
        error(path + "." + key, "unknown key (a rule holds only 'config')");
        ok = false;
      }
    const ConfigValue *config = value.find("config");
    if (!config || config->kind != ConfigValue::Kind::Table) {
      error(path + ".config",
            config ? "expected a table, got " + std::string(config->describe())
                   : std::string("missing"));
      return false;
    }
    return parseLayerConfig(*config, path + ".config", rule.config) && ok;
  }

  bool expectBool(const ConfigValue &value, const std::string &path,
                  bool &out) {
    if (value.kind != ConfigValue::Kind::Bool) {
      error(path, "expected a boolean, got " + describe(value));
      return false;
    }
    out = value.boolValue;
    return true;
  }

  bool checkType(const ConfigValue &value, KeyType type,
                 const std::string &path) {
    using Kind = ConfigValue::Kind;
    switch (type) {
    case KeyType::Integer:
      if (value.kind == Kind::Integer)
        return true;
      error(path, "expected an integer, got " + describe(value));
      return false;
    case KeyType::OptionalInteger:
      if (value.kind == Kind::Integer || value.kind == Kind::Null ||
          (value.kind == Kind::String &&
           (value.stringValue == "None" || value.stringValue == "none")))
        return true;
      error(path, "expected an integer or \"None\", got " + describe(value));
      return false;
    case KeyType::BlockSize:
      if (value.kind == Kind::Integer)
        return true;
      if (value.kind == Kind::Array && !value.elements.empty()) {
        bool allInts = true;
        for (const ConfigValue &e : value.elements)
          allInts &= e.kind == Kind::Integer;
        if (allInts)
          return true;
      }
      error(path, "expected an integer or a list of integers, got " +
                      describe(value));
      return false;
    }
    return false;
  }

  bool parseLayerConfig(const ConfigValue &table, const std::string &path,
                        LayerConfig &layer) {
    const ConfigValue *name = table.find("name");
    if (!name || name->kind == ConfigValue::Kind::Null ||
        (name->kind == ConfigValue::Kind::String &&
         (name->stringValue == "None" || name->stringValue == "none")))
      return true; // left in float; MASE ignores the other keys
    if (name->kind != ConfigValue::Kind::String) {
      error(path + ".name", "expected a format name, got " + describe(*name));
      return false;
    }
    const FormatSchema *schema = findFormatSchema(name->stringValue);
    if (!schema) {
      error(path + ".name",
            "'" + name->stringValue + "' " +
                (isOtherMaseFormat(name->stringValue)
                     ? "is a MASE format mase-quantize does not support yet"
                     : "is not a MASE format") +
                " (supported: " + supportedFormatNames() + ")");
      return false;
    }
    layer.name = schema->name;
    const bool isInteger = layer.name == "integer" || layer.name == "fixed";

    bool ok = true;
    for (const auto &[key, value] : table.entries) {
      const std::string keyPath = path + "." + key;
      if (key == "name")
        continue;
      if (key == "bypass") {
        ok &= expectBool(value, keyPath, layer.bypass);
        continue;
      }
      if (key == "floor" && isInteger) {
        ok &= expectBool(value, keyPath, layer.floor);
        continue;
      }
      if (key == "data_in_skip_first_dim" && layer.name == "block_fp") {
        ok &= expectBool(value, keyPath, layer.dataInSkipFirstDim);
        continue;
      }
      const KeySpec *spec = findRoleKey(*schema, key);
      if (!spec) {
        if (key.rfind("data_out_", 0) == 0 && !schema->hasDataOut)
          error(keyPath, "'" + layer.name +
                             "' has no data_out keys in MASE's quantize pass "
                             "(only 'fixed' quantises data_out)");
        else
          error(keyPath, "unknown key for format '" + layer.name +
                             "' (keys: " + keyList(*schema) + ")");
        ok = false;
        continue;
      }
      ok &= checkType(value, spec->type, keyPath);
    }
    if (!ok)
      return false;

    for (Role role : kRoles) {
      if (role == Role::DataOut && !schema->hasDataOut)
        continue;
      const std::string prefix = std::string(roleName(role)) + "_";
      const KeySpec *missing = nullptr;
      bool anyPresent = false;
      for (const KeySpec &spec : schema->roleKeys) {
        if (table.find(prefix + spec.suffix))
          anyPresent = true;
        else if (!missing)
          missing = &spec;
      }
      if (!anyPresent) {
        layer.missingKeys[role] = prefix + schema->roleKeys.front().suffix;
        continue;
      }
      if (missing) {
        error(path + "." + prefix + missing->suffix,
              "missing: the " + std::string(roleName(role)) +
                  " keys of '" + layer.name + "' must be given together");
        ok = false;
        continue;
      }
      numerics::Format format;
      std::string message = buildFormat(*schema, layer, table, role, format);
      if (!message.empty()) {
        error(path + "." + prefix + "*", message);
        ok = false;
        continue;
      }
      layer.formats[role] = format;
    }
    return ok;
  }

  static const KeySpec *findRoleKey(const FormatSchema &schema,
                                    const std::string &key) {
    for (Role role : kRoles) {
      if (role == Role::DataOut && !schema.hasDataOut)
        continue;
      const std::string prefix = std::string(roleName(role)) + "_";
      if (key.rfind(prefix, 0) != 0)
        continue;
      for (const KeySpec &spec : schema.roleKeys)
        if (key.substr(prefix.size()) == spec.suffix)
          return &spec;
    }
    return nullptr;
  }

  static std::string keyList(const FormatSchema &schema) {
    std::string keys = "name, bypass";
    if (std::string(schema.name) == "integer" ||
        std::string(schema.name) == "fixed")
      keys += ", floor";
    if (std::string(schema.name) == "block_fp")
      keys += ", data_in_skip_first_dim";
    for (Role role : kRoles) {
      if (role == Role::DataOut && !schema.hasDataOut)
        continue;
      for (const KeySpec &spec : schema.roleKeys)
        keys += ", " + std::string(roleName(role)) + "_" + spec.suffix;
    }
    return keys;
  }
};

} // namespace

std::vector<std::string> parseConfig(const std::string &text,
                                     QuantConfig &config) {
  ConfigValue root;
  if (std::string error = parseConfigText(text, root); !error.empty())
    return {error};
  std::vector<std::string> errors;
  config = QuantConfig();
  Parser(errors).parseRoot(root, config);
  return errors;
}

std::vector<std::string> loadConfigFile(const std::string &path,
                                        QuantConfig &config) {
  std::string text;
  if (std::string error = readConfigFile(path, "quantisation", text);
      !error.empty())
    return {error};
  std::vector<std::string> errors = parseConfig(text, config);
  for (std::string &e : errors)
    e = path + ": " + e;
  return errors;
}

} // namespace mase::quant
