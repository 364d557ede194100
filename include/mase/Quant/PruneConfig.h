//===- PruneConfig.h - MASE prune configs -----------------------*- C++ -*-===//
//
// MASE's prune-pass config (spec section 7.1), from TOML or JSON, bare or
// wrapped in `[passes.prune]`: `weight` and `activation` tables (both
// required), each with `sparsity` in [0, 1], `scope` (local, global),
// `method` (random, l1-norm) and `granularity` (elementwise). mase adds a
// top-level integer `seed` for random masks, for weights the granularities
// "n:m" (keys `n`, `m`) and "block" (key `block = [r, c]`), and per-layer
// overrides: with `by = "name"` or `by = "regex_name"` every other
// top-level table is a rule, keyed by a layer name or pattern, holding
// `weight` and/or `activation` tables whose keys override the defaults. No
// MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_PRUNECONFIG_H
#define MASE_QUANT_PRUNECONFIG_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Regex;
} // namespace llvm

namespace mase::quant {

enum class PruneMethod { Random, L1Norm };
enum class PruneScope { Local, Global };
/// MASE prunes elementwise; n:m and block are mase's structured options.
enum class PruneGranularity { Elementwise, NOfM, Block };

struct PruneSpec {
  float sparsity = 0.0f;
  PruneScope scope = PruneScope::Local;
  PruneMethod method = PruneMethod::Random;
  PruneGranularity granularity = PruneGranularity::Elementwise;
  /// n:m: keep n of every m consecutive weights along a row (the reduction
  /// dimension); the sparsity is then 1 - n/m.
  int n = 0, m = 0;
  /// block: [rows, columns] of the weight matrix pruned together.
  std::int64_t blockRows = 0, blockCols = 0;

  /// Whether the spec never prunes: random at sparsity 0 keeps everything
  /// (l1-norm at sparsity 0 still prunes the smallest elements).
  bool isNoOp() const {
    return method == PruneMethod::Random && sparsity == 0.0f;
  }
};

/// A per-layer override (mase's extension): the layers it selects take its
/// weight and activation specs, each the default spec with the rule's keys
/// applied over it.
struct PruneRule {
  /// The layer name (by = "name") or Python regex (by = "regex_name").
  std::string key;
  /// The dotted path of the rule's table, for diagnostics.
  std::string path;
  PruneSpec weight, activation;
  /// The compiled pattern of a regex_name rule.
  std::shared_ptr<llvm::Regex> pattern;
};

struct PruneConfig {
  /// The defaults, for every layer no rule selects.
  PruneSpec weight, activation;
  std::uint64_t seed = 0;
  /// How rules select layers: "name" or "regex_name" (empty: no rules).
  std::string by;
  /// In file order; the first that selects a layer applies.
  std::vector<PruneRule> rules;

  /// The rule that selects the layer `name`, or nullptr for the defaults.
  const PruneRule *select(const std::string &name) const;
};

const char *pruneMethodName(PruneMethod method);
const char *pruneScopeName(PruneScope scope);
/// "elementwise", "2:4" or "block 4x4".
std::string pruneGranularityName(const PruneSpec &spec);

/// Reads a prune config from TOML or JSON text. Returns the problems found
/// (each naming its key), empty on success.
std::vector<std::string> parsePruneConfig(const std::string &text,
                                          PruneConfig &config);

/// Reads the prune config file at `path` (see parsePruneConfig).
std::vector<std::string> loadPruneConfigFile(const std::string &path,
                                             PruneConfig &config);

} // namespace mase::quant

#endif // MASE_QUANT_PRUNECONFIG_H
