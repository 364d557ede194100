//===- ExternalWeights.h - weights in a side file next to the model -*- C++ -*-===//
//
// Large models keep their weights out of the shared library: the constant
// LLVM globals holding them are written to `<library>.weights` (format in
// include/mase-c/ModelABI.h) and become pointers that the runtime sets, by
// calling the library's `mase_model_bind_weights`, to the mapped file. The
// library stays small, and neither LLVM nor the linker handle the bytes.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CPU_EXTERNALWEIGHTS_H
#define MASE_TARGET_CPU_EXTERNALWEIGHTS_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::mase {

/// Where `mase-compile --weights` puts the weights.
enum class WeightsPlacement {
  /// In a side file when they total at least kAutoExternalWeightsBytes.
  Auto,
  Embed,
  External,
};

/// `--weights=auto` moves weights out of the library from this size on.
constexpr uint64_t kAutoExternalWeightsBytes = 64ull << 20;

/// Constant globals smaller than this stay in the library.
constexpr uint64_t kMinExternalWeightBytes = 4096;

/// Bytes of weight data an LLVM-dialect `module` would move to a side file.
uint64_t externalizableWeightBytes(ModuleOp module);

/// Writes the data of every internal constant global of at least
/// kMinExternalWeightBytes to the side file `path` and rewrites `module`:
/// each such global becomes a pointer global that its users load, and the
/// ABI's size and digest globals and `mase_model_bind_weights` are added.
/// Fails with `error` when the file cannot be written.
LogicalResult externalizeWeights(ModuleOp module, llvm::StringRef path,
                                 std::string &error);

} // namespace mlir::mase

#endif // MASE_TARGET_CPU_EXTERNALWEIGHTS_H
