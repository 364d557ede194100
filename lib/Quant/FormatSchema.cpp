//===- FormatSchema.cpp - config keys of each MASE format -----------------===//

#include "mase/Quant/FormatSchema.h"

#include <algorithm>

namespace mase::quant {

namespace {

const std::vector<FormatSchema> &schemas() {
  static const std::vector<FormatSchema> all = {
      {"integer",
       {{"width", KeyType::Integer}, {"frac_width", KeyType::Integer}},
       false},
      {"fixed",
       {{"width", KeyType::Integer}, {"frac_width", KeyType::Integer}},
       true},
      {"minifloat_denorm",
       {{"width", KeyType::Integer},
        {"exponent_width", KeyType::Integer},
        {"exponent_bias", KeyType::OptionalInteger}},
       false},
      {"minifloat_ieee",
       {{"width", KeyType::Integer},
        {"exponent_width", KeyType::Integer},
        {"exponent_bias", KeyType::OptionalInteger}},
       false},
      {"block_fp",
       {{"width", KeyType::Integer},
        {"exponent_width", KeyType::Integer},
        {"exponent_bias", KeyType::OptionalInteger},
        {"block_size", KeyType::BlockSize}},
       false},
      // Not a MASE graph-pass name: OCP MXINT8 as MASE's lab computes it.
      {"mxint8", {{"block_size", KeyType::Integer}}, false},
  };
  return all;
}

std::optional<int> optionalInt(const ConfigValue &v) {
  if (v.kind == ConfigValue::Kind::Integer)
    return static_cast<int>(v.intValue);
  return std::nullopt;
}

std::vector<std::int64_t> blockSize(const ConfigValue &v) {
  if (v.kind == ConfigValue::Kind::Integer)
    return {v.intValue};
  std::vector<std::int64_t> sizes;
  for (const ConfigValue &e : v.elements)
    sizes.push_back(e.intValue);
  return sizes;
}

} // namespace

const FormatSchema *findFormatSchema(const std::string &name) {
  for (const FormatSchema &schema : schemas())
    if (name == schema.name)
      return &schema;
  return nullptr;
}

std::string supportedFormatNames() {
  std::string names;
  for (const FormatSchema &schema : schemas())
    names += (names.empty() ? "" : ", ") + std::string(schema.name);
  return names;
}

bool isOtherMaseFormat(const std::string &name) {
  static const char *const others[] = {
      "integer_floor", "flexround",       "lutnet",    "logicnets",
      "binary",        "binary_residual", "ternary",   "log",
      "block_minifloat", "block_log",     "mxint_hardware", "mxint",
      "mxfp"};
  return std::find(std::begin(others), std::end(others), name) !=
         std::end(others);
}

std::string buildFormat(const FormatSchema &schema, const LayerConfig &layer,
                        const ConfigValue &table, Role role,
                        numerics::Format &format) {
  auto key = [&](const char *suffix) -> const ConfigValue & {
    return *table.find(std::string(roleName(role)) + "_" + suffix);
  };
  const std::string name = schema.name;
  if (name == "integer" || name == "fixed") {
    numerics::IntegerFormat f;
    f.width = static_cast<int>(key("width").intValue);
    f.fracWidth = static_cast<int>(key("frac_width").intValue);
    f.rounding = layer.floor ? numerics::Rounding::Floor
                             : numerics::Rounding::NearestEven;
    format = f;
    return f.validate();
  }
  if (name == "minifloat_denorm" || name == "minifloat_ieee") {
    int width = static_cast<int>(key("width").intValue);
    int exponentWidth = static_cast<int>(key("exponent_width").intValue);
    std::optional<int> bias = optionalInt(key("exponent_bias"));
    if (name == "minifloat_denorm") {
      numerics::MinifloatDenormFormat f{width, exponentWidth, bias};
      format = f;
      return f.validate();
    }
    numerics::MinifloatIeeeFormat f{width, exponentWidth, bias};
    format = f;
    return f.validate();
  }
  if (name == "block_fp") {
    numerics::BlockFpFormat f;
    f.width = static_cast<int>(key("width").intValue);
    f.exponentWidth = static_cast<int>(key("exponent_width").intValue);
    f.exponentBias = optionalInt(key("exponent_bias"));
    f.blockSize = blockSize(key("block_size"));
    format = f;
    return f.validate();
  }
  numerics::Mxint8Format f;
  f.groupSize = key("block_size").intValue;
  format = f;
  return f.validate();
}

} // namespace mase::quant
