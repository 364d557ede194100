//===- PruneConfig.cpp - MASE prune configs -------------------------------===//

#include "mase/Quant/PruneConfig.h"

#include "mase/Quant/ConfigTree.h"

namespace mase::quant {

const char *pruneMethodName(PruneMethod method) {
  return method == PruneMethod::Random ? "random" : "l1-norm";
}

const char *pruneScopeName(PruneScope scope) {
  return scope == PruneScope::Local ? "local" : "global";
}

namespace {

std::string quotedString(const ConfigValue &value) {
  return value.kind == ConfigValue::Kind::String
             ? "\"" + value.stringValue + "\""
             : std::string(value.describe());
}

void parseSpec(const ConfigValue &table, const std::string &path,
               PruneSpec &spec, std::vector<std::string> &errors) {
  auto error = [&](const std::string &key, const std::string &message) {
    errors.push_back(path + "." + key + ": " + message);
  };
  for (const auto &[key, value] : table.entries) {
    if (key == "sparsity") {
      bool number = value.kind == ConfigValue::Kind::Float ||
                    value.kind == ConfigValue::Kind::Integer;
      double s = value.kind == ConfigValue::Kind::Float
                     ? value.floatValue
                     : static_cast<double>(value.intValue);
      if (!number)
        error(key, std::string("expected a number in [0, 1], got ") +
                       value.describe());
      else if (!(s >= 0.0 && s <= 1.0))
        error(key, "expected a number in [0, 1], got " + std::to_string(s));
      else
        spec.sparsity = static_cast<float>(s);
    } else if (key == "scope") {
      if (value.kind == ConfigValue::Kind::String &&
          (value.stringValue == "local" || value.stringValue == "global"))
        spec.scope = value.stringValue == "local" ? PruneScope::Local
                                                  : PruneScope::Global;
      else
        error(key, "expected \"local\" or \"global\", got " +
                       quotedString(value));
    } else if (key == "method") {
      if (value.kind == ConfigValue::Kind::String &&
          (value.stringValue == "random" || value.stringValue == "l1-norm"))
        spec.method = value.stringValue == "random" ? PruneMethod::Random
                                                    : PruneMethod::L1Norm;
      else
        error(key, "expected \"random\" or \"l1-norm\", got " +
                       quotedString(value));
    } else if (key == "granularity") {
      // MASE validates "channel" but has no implementation of it.
      if (value.kind != ConfigValue::Kind::String ||
          value.stringValue != "elementwise")
        error(key, "expected \"elementwise\" (the only granularity MASE "
                   "implements), got " +
                       quotedString(value));
    } else {
      error(key, "unknown key (expected sparsity, scope, method or "
                 "granularity)");
    }
  }
}

} // namespace

std::vector<std::string> parsePruneConfig(const std::string &text,
                                          PruneConfig &config) {
  ConfigValue root;
  if (std::string error = parseConfigText(text, root); !error.empty())
    return {error};
  std::vector<std::string> errors;
  const ConfigValue *table = &root;
  std::string prefix;
  if (const ConfigValue *passes = root.find("passes")) {
    const ConfigValue *prune = passes->kind == ConfigValue::Kind::Table
                                   ? passes->find("prune")
                                   : nullptr;
    if (!prune || prune->kind != ConfigValue::Kind::Table)
      return {"passes.prune: missing: the config has a [passes] table "
              "without a [passes.prune] table"};
    table = prune;
    prefix = "passes.prune.";
  }
  config = PruneConfig();
  for (const auto &[key, value] : table->entries) {
    if (key == "weight" || key == "activation") {
      if (value.kind != ConfigValue::Kind::Table)
        errors.push_back(prefix + key + ": expected a table, got " +
                         value.describe());
      else
        parseSpec(value, prefix + key,
                  key == "weight" ? config.weight : config.activation, errors);
    } else if (key == "seed") {
      if (value.kind != ConfigValue::Kind::Integer || value.intValue < 0)
        errors.push_back(prefix + key + ": expected a non-negative integer, "
                                        "got " +
                         value.describe());
      else
        config.seed = static_cast<std::uint64_t>(value.intValue);
    } else {
      errors.push_back(prefix + key +
                       ": unknown key (expected weight, activation or seed)");
    }
  }
  for (const char *required : {"weight", "activation"})
    if (!table->find(required))
      errors.push_back(prefix + required + ": missing (MASE requires both "
                                           "weight and activation)");
  return errors;
}

std::vector<std::string> loadPruneConfigFile(const std::string &path,
                                             PruneConfig &config) {
  std::string text;
  if (std::string error = readConfigFile(path, "pruning", text);
      !error.empty())
    return {error};
  std::vector<std::string> errors = parsePruneConfig(text, config);
  for (std::string &e : errors)
    e = path + ": " + e;
  return errors;
}

} // namespace mase::quant
