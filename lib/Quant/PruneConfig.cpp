//===- PruneConfig.cpp - MASE prune configs -------------------------------===//

#include "mase/Quant/PruneConfig.h"

#include "mase/Quant/ConfigTree.h"
#include "mase/Quant/RegexName.h"

#include <algorithm>
#include <cmath>

namespace mase::quant {

const char *pruneMethodName(PruneMethod method) {
  return method == PruneMethod::Random ? "random" : "l1-norm";
}

const char *pruneScopeName(PruneScope scope) {
  return scope == PruneScope::Local ? "local" : "global";
}

std::string pruneGranularityName(const PruneSpec &spec) {
  switch (spec.granularity) {
  case PruneGranularity::Elementwise:
    return "elementwise";
  case PruneGranularity::NOfM:
    return std::to_string(spec.n) + ":" + std::to_string(spec.m);
  case PruneGranularity::Block:
    return "block " + std::to_string(spec.blockRows) + "x" +
           std::to_string(spec.blockCols);
  }
  return "";
}

namespace {

std::string quotedString(const ConfigValue &value) {
  return value.kind == ConfigValue::Kind::String
             ? "\"" + value.stringValue + "\""
             : std::string(value.describe());
}

/// The keys a granularity needs, and no others; n:m fixes the sparsity.
void checkGranularity(const ConfigValue &table, const std::string &path,
                      PruneSpec &spec, std::vector<std::string> &errors) {
  auto error = [&](const std::string &key, const std::string &message) {
    errors.push_back(path + "." + key + ": " + message);
  };
  bool nm = spec.granularity == PruneGranularity::NOfM;
  bool block = spec.granularity == PruneGranularity::Block;
  for (const char *key : {"n", "m"}) {
    if (nm && !table.find(key))
      error(key, "missing (granularity \"n:m\" needs n and m)");
    if (!nm && table.find(key))
      error(key, "only granularity \"n:m\" takes n and m");
  }
  if (block && !table.find("block"))
    error("block", "missing (granularity \"block\" needs block = [rows, "
                   "columns])");
  if (!block && table.find("block"))
    error("block", "only granularity \"block\" takes block");
  if (!nm || !table.find("n") || !table.find("m"))
    return;
  if (spec.m < 1 || spec.n > spec.m) {
    error("n", "expected 0 <= n <= m and m >= 1, got n = " +
                   std::to_string(spec.n) + ", m = " + std::to_string(spec.m));
    return;
  }
  if (spec.scope == PruneScope::Global)
    error("scope", "n:m groups are local to each layer; use \"local\"");
  float implied = 1.0f - static_cast<float>(spec.n) / spec.m;
  if (table.find("sparsity") && std::fabs(spec.sparsity - implied) > 1e-4f)
    error("sparsity", "n:m with n = " + std::to_string(spec.n) + ", m = " +
                          std::to_string(spec.m) + " prunes " +
                          std::to_string(implied) +
                          "; give that sparsity or none");
  spec.sparsity = implied;
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
      if (value.kind == ConfigValue::Kind::String &&
          value.stringValue == "elementwise")
        spec.granularity = PruneGranularity::Elementwise;
      else if (value.kind == ConfigValue::Kind::String &&
               value.stringValue == "n:m")
        spec.granularity = PruneGranularity::NOfM;
      else if (value.kind == ConfigValue::Kind::String &&
               value.stringValue == "block")
        spec.granularity = PruneGranularity::Block;
      else
        error(key, "expected \"elementwise\" (the only granularity MASE "
                   "implements), \"n:m\" or \"block\", got " +
                       quotedString(value));
    } else if (key == "n" || key == "m") {
      if (value.kind != ConfigValue::Kind::Integer || value.intValue < 0 ||
          value.intValue > 1024)
        error(key, std::string("expected an integer in [0, 1024], got ") +
                       value.describe());
      else
        (key == "n" ? spec.n : spec.m) = static_cast<int>(value.intValue);
    } else if (key == "block") {
      bool ok = value.kind == ConfigValue::Kind::Array &&
                value.elements.size() == 2;
      for (size_t i = 0; ok && i < 2; ++i)
        ok = value.elements[i].kind == ConfigValue::Kind::Integer &&
             value.elements[i].intValue > 0;
      if (!ok)
        error(key, std::string("expected [rows, columns], two positive "
                               "integers, got ") +
                       value.describe());
      else {
        spec.blockRows = value.elements[0].intValue;
        spec.blockCols = value.elements[1].intValue;
      }
    } else {
      error(key, "unknown key (expected sparsity, scope, method, "
                 "granularity, n, m or block)");
    }
  }
  checkGranularity(table, path, spec, errors);
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
  if (const ConfigValue *by = table->find("by")) {
    if (by->kind == ConfigValue::Kind::String &&
        (by->stringValue == "name" || by->stringValue == "regex_name"))
      config.by = by->stringValue;
    else
      errors.push_back(prefix + "by: expected \"name\" or \"regex_name\", "
                                "got " +
                       quotedString(*by));
  }
  const ConfigValue empty;
  const ConfigValue *defaults[2] = {table->find("weight"),
                                    table->find("activation")};
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
    } else if (key == "by") {
      continue;
    } else if (config.by.empty() || value.kind != ConfigValue::Kind::Table) {
      errors.push_back(prefix + key +
                       ": unknown key (expected weight, activation, seed or "
                       "by; per-layer tables need by = \"name\" or "
                       "\"regex_name\")");
    } else {
      PruneRule rule;
      rule.key = key;
      rule.path = prefix + key;
      if (config.by == "regex_name") {
        std::string error;
        rule.pattern = compileRegexName(key, error);
        if (!rule.pattern)
          errors.push_back(rule.path + ": " + error);
      }
      for (const auto &[role, spec] : value.entries) {
        if (role != "weight" && role != "activation") {
          errors.push_back(rule.path + "." + role +
                           ": unknown key (expected weight or activation)");
          continue;
        }
        if (spec.kind != ConfigValue::Kind::Table)
          errors.push_back(rule.path + "." + role + ": expected a table, got " +
                           spec.describe());
      }
      // Each role: the default's keys with the rule's over them.
      for (int r = 0; r < 2; ++r) {
        const char *role = r == 0 ? "weight" : "activation";
        ConfigValue merged = defaults[r] && defaults[r]->kind ==
                                                ConfigValue::Kind::Table
                                 ? *defaults[r]
                                 : empty;
        merged.kind = ConfigValue::Kind::Table;
        if (const ConfigValue *own = value.find(role);
            own && own->kind == ConfigValue::Kind::Table)
          for (const auto &entry : own->entries) {
            auto it = std::find_if(
                merged.entries.begin(), merged.entries.end(),
                [&](const auto &e) { return e.first == entry.first; });
            if (it != merged.entries.end())
              it->second = entry.second;
            else
              merged.entries.push_back(entry);
          }
        parseSpec(merged, rule.path + "." + role,
                  r == 0 ? rule.weight : rule.activation, errors);
      }
      if (rule.activation.granularity != PruneGranularity::Elementwise)
        errors.push_back(rule.path + ".activation.granularity: activations "
                                     "are pruned elementwise");
      config.rules.push_back(std::move(rule));
    }
  }
  if (config.activation.granularity != PruneGranularity::Elementwise)
    errors.push_back(prefix + "activation.granularity: activations are "
                              "pruned elementwise (n:m and block are for "
                              "weights)");
  for (const char *required : {"weight", "activation"})
    if (!table->find(required))
      errors.push_back(prefix + required + ": missing (MASE requires both "
                                           "weight and activation)");
  return errors;
}

const PruneRule *PruneConfig::select(const std::string &name) const {
  for (const PruneRule &rule : rules)
    if (by == "name" ? rule.key == name
                     : rule.pattern && matchesRegexName(*rule.pattern, name))
      return &rule;
  return nullptr;
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
