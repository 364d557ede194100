//===- QuantizeReport.h - the per-layer report of mase-quantize -*- C++ -*-===//
//
// Private to lib/Dialect/Mase/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_DIALECT_MASE_TRANSFORMS_QUANTIZEREPORT_H
#define MASE_LIB_DIALECT_MASE_TRANSFORMS_QUANTIZEREPORT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <utility>
#include <vector>

namespace mlir::mase {

/// What mase-quantize did to one op.
struct LayerReport {
  std::string layer; ///< dotted layer name
  std::string type;  ///< MASE op type
  std::string rule;  ///< the selecting rule's key, or "-"
  /// (role, printed format) per quantised operand; empty: left in float.
  std::vector<std::pair<std::string, std::string>> formats;
  /// Rewritten for native execution (mase.int_linear, mase.block_linear).
  bool native = false;
  /// In native mode, why a quantised linear layer is emulated instead.
  std::string emulatedBecause;
  /// Weight storage in bytes, float32 and quantised (0 and 0: no weight).
  int64_t weightBytesBefore = 0, weightBytesAfter = 0;
};

/// One line per layer, then the weight totals:
///   <layer> <type> rule=<key> [native | emulated="<why>"] data_in=<format> ...
///   weight_bytes=<a>-><b>
void writeQuantizeReport(llvm::raw_ostream &os,
                         llvm::ArrayRef<LayerReport> layers);

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_TRANSFORMS_QUANTIZEREPORT_H
