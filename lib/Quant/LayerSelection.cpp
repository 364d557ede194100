//===- LayerSelection.cpp - which rule quantises which op -----------------===//

#include "mase/Quant/LayerSelection.h"
#include "mase/Quant/RegexName.h"

#include <algorithm>
#include <vector>

namespace mase::quant {

namespace {

struct OpSupport {
  const char *type;
  /// Roles every config for this op must give (bias is added for ops that
  /// have one).
  std::vector<Role> requiredRoles;
  /// Formats MASE's quantised version of the op takes (spec 6.1), among
  /// those mase-quantize supports.
  std::vector<const char *> formats;
  /// Whether a `default` rule applies to the op. MASE's graph pass never
  /// quantises embeddings (its module pass does, by name), so a table is
  /// only quantised by a rule that selects it: its type, name or pattern.
  bool byDefault = true;
};

const std::vector<OpSupport> &supportMatrix() {
  static const std::vector<const char *> elementwise = {
      "integer", "fixed", "minifloat_denorm", "minifloat_ieee", "block_fp"};
  static const std::vector<const char *> withMx = {
      "integer",        "fixed",    "minifloat_denorm",
      "minifloat_ieee", "block_fp", "mxint8"};
  static const std::vector<OpSupport> matrix = {
      {"linear", {Role::DataIn, Role::Weight}, withMx},
      {"matmul", {Role::DataIn, Role::Weight}, withMx},
      {"bmm", {Role::DataIn, Role::Weight}, withMx},
      {"add", {Role::DataIn}, elementwise},
      {"sub", {Role::DataIn}, elementwise},
      {"mul", {Role::DataIn}, elementwise},
      {"relu", {Role::DataIn}, elementwise},
      {"tanh", {Role::DataIn}, elementwise},
      {"gelu", {Role::DataIn}, elementwise},
      {"layer_norm", {Role::DataIn}, {"integer"}},
      {"embedding", {Role::Weight}, {"mxint8"}, /*byDefault=*/false},
  };
  return matrix;
}

const OpSupport *findOp(const std::string &type) {
  for (const OpSupport &op : supportMatrix())
    if (type == op.type)
      return &op;
  return nullptr;
}

const Rule *findKey(const QuantConfig &config, const std::string &key) {
  for (const Rule &rule : config.rules)
    if (rule.key == key)
      return &rule;
  return nullptr;
}

} // namespace

bool isQuantizableOpType(const std::string &type) {
  return findOp(type) != nullptr;
}

std::string supportedOpTypeNames() {
  std::string names;
  for (const OpSupport &op : supportMatrix())
    names += (names.empty() ? "" : ", ") + std::string(op.type);
  return names;
}

const Rule *selectRule(const QuantConfig &config, const LayerInfo &layer) {
  const OpSupport *op = findOp(layer.type);
  const Rule *fallback = config.defaultRule >= 0 && op && op->byDefault
                             ? &config.rules[config.defaultRule]
                             : nullptr;
  switch (config.by) {
  case Selector::Type:
    if (const Rule *rule = findKey(config, layer.type))
      return rule;
    // MASE's bmm is a matmul of 3-D operands; a `matmul` rule covers both.
    if (layer.type == "bmm")
      if (const Rule *rule = findKey(config, "matmul"))
        return rule;
    return fallback;
  case Selector::Name:
    if (const Rule *rule = layer.name.empty() ? nullptr
                                              : findKey(config, layer.name))
      return rule;
    return fallback;
  case Selector::RegexName:
    for (const Rule &rule : config.rules)
      if (rule.pattern && matchesRegexName(*rule.pattern, layer.name))
        return &rule;
    return fallback;
  }
  return fallback;
}

std::string resolveFormats(const Rule &rule, const LayerInfo &layer,
                           std::map<Role, numerics::Format> &formats) {
  formats.clear();
  const LayerConfig &config = rule.config;
  if (config.name.empty() || config.bypass)
    return {};
  const OpSupport *op = findOp(layer.type);
  if (!op)
    return "op type '" + layer.type + "' cannot be quantised";
  if (std::find_if(op->formats.begin(), op->formats.end(), [&](const char *f) {
        return config.name == f;
      }) == op->formats.end()) {
    std::string supported;
    for (const char *f : op->formats)
      supported += (supported.empty() ? "" : ", ") + std::string(f);
    return rule.path + ".name: " + layer.type + " cannot take format '" +
           config.name + "' (it takes: " + supported + ")";
  }
  std::vector<Role> roles = op->requiredRoles;
  if (layer.hasBias)
    roles.push_back(Role::Bias);
  for (Role role : roles) {
    auto it = config.formats.find(role);
    if (it == config.formats.end())
      return rule.path + "." + config.missingKeys.at(role) + ": missing (" +
             layer.type + " quantises its " + roleName(role) + ")";
    formats[role] = it->second;
  }
  // MASE quantises the output of a linear layer only (name "fixed").
  if (layer.type == "linear")
    if (auto it = config.formats.find(Role::DataOut);
        it != config.formats.end())
      formats[Role::DataOut] = it->second;
  return {};
}

} // namespace mase::quant
