//===- QuantConfig.h - MASE quantisation configs ----------------*- C++ -*-===//
//
// MASE's quantize pass config (spec section 6) read from TOML or JSON:
//
//   [passes.quantize]            # or the same keys at the top level
//   by = "type"                  # "type" | "name" | "regex_name"
//   [passes.quantize.default.config]
//   name = "integer"
//   data_in_width = 8
//   ...
//
// loadConfig checks every key against the schema of its format (FormatSchema.h)
// and returns one message per problem, naming the key by its dotted path.
// Which rule applies to an op, and whether that op can take the rule's
// formats, is LayerSelection.h. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_QUANTCONFIG_H
#define MASE_QUANT_QUANTCONFIG_H

#include "mase/Numerics/FormatSpec.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Regex;
} // namespace llvm

namespace mase::quant {

/// What a rule's key is matched against (`by`).
enum class Selector { Type, Name, RegexName };

/// The operands of a layer MASE quantises separately.
enum class Role { DataIn, Weight, Bias, DataOut };

/// "data_in", "weight", "bias", "data_out": the key prefix of the role.
const char *roleName(Role role);

/// The `config` table of one rule.
struct LayerConfig {
  /// MASE's arithmetic name ("integer", "block_fp", ...); empty when the
  /// rule leaves its layers in float (`name` absent or "None").
  std::string name;
  /// `bypass = true`: MASE builds the layer unquantised.
  bool bypass = false;
  /// `floor = true` (integer and fixed): round towards -inf.
  bool floor = false;
  /// `data_in_skip_first_dim` (block_fp); MASE's default is true.
  bool dataInSkipFirstDim = true;
  /// The formats of the roles whose keys are present.
  std::map<Role, numerics::Format> formats;
  /// For each role without keys, the first key it would need (diagnostics).
  std::map<Role, std::string> missingKeys;
};

struct Rule {
  /// The op type, layer name or pattern ("default" for the fallback).
  std::string key;
  /// The dotted path of the rule's config table, for diagnostics.
  std::string path;
  LayerConfig config;
  /// The compiled pattern of a `regex_name` rule.
  std::shared_ptr<llvm::Regex> pattern;
};

struct QuantConfig {
  Selector by = Selector::Type;
  /// Rules in file order, `default` included.
  std::vector<Rule> rules;
  /// Index of the `default` rule in `rules`, or -1.
  int defaultRule = -1;
};

/// Reads a config from TOML or JSON text (JSON when the first non-blank
/// character is '{', or when the text starts `"key":`, a JSON object without
/// its braces). Returns the problems found, empty on success.
std::vector<std::string> parseConfig(const std::string &text,
                                     QuantConfig &config);

/// Reads the config file at `path` (see parseConfig).
std::vector<std::string> loadConfigFile(const std::string &path,
                                        QuantConfig &config);

} // namespace mase::quant

#endif // MASE_QUANT_QUANTCONFIG_H
