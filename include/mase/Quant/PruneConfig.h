//===- PruneConfig.h - MASE prune configs -----------------------*- C++ -*-===//
//
// MASE's prune-pass config (spec section 7.1), from TOML or JSON, bare or
// wrapped in `[passes.prune]`: `weight` and `activation` tables (both
// required), each with `sparsity` in [0, 1], `scope` (local, global),
// `method` (random, l1-norm) and `granularity` (elementwise). mase adds a
// top-level integer `seed` for random masks and, for weights, the
// granularities "n:m" (keys `n`, `m`) and "block" (key `block = [r, c]`).
// No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_PRUNECONFIG_H
#define MASE_QUANT_PRUNECONFIG_H

#include <cstdint>
#include <string>
#include <vector>

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

struct PruneConfig {
  PruneSpec weight, activation;
  std::uint64_t seed = 0;
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
