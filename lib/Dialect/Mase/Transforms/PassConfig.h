//===- PassConfig.h - config input and report output of graph passes -*- C++ -*-===//
//
// mase-quantize and mase-prune both read a MASE config from a file or from
// inline text and write a per-layer report to a file or stdout.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_DIALECT_MASE_TRANSFORMS_PASSCONFIG_H
#define MASE_LIB_DIALECT_MASE_TRANSFORMS_PASSCONFIG_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mlir::mase {

/// Reads `config` from exactly one of `path` (with `loadFile`) and `text`
/// (with `parseText`), emitting each problem at `loc` prefixed by `what`
/// ("quantisation config"); `pass` names the pass when both or neither are
/// given.
template <typename Config>
LogicalResult loadPassConfig(
    Location loc, StringRef pass, StringRef what, const std::string &path,
    const std::string &text, Config &config,
    std::vector<std::string> (*parseText)(const std::string &, Config &),
    std::vector<std::string> (*loadFile)(const std::string &, Config &)) {
  if (path.empty() == text.empty())
    return emitError(loc) << pass
                          << " needs exactly one of config=<file> and "
                             "config-text=<TOML or JSON>";
  std::vector<std::string> errors =
      path.empty() ? parseText(text, config) : loadFile(path, config);
  for (const std::string &error : errors)
    emitError(loc) << what << ": " << error;
  return success(errors.empty());
}

/// Writes a pass's report to `path` ('-': standard output), after what the
/// file holds when `append`.
LogicalResult writePassReport(Location loc, StringRef pass, StringRef path,
                              function_ref<void(raw_ostream &)> write,
                              bool append = false);

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_TRANSFORMS_PASSCONFIG_H
