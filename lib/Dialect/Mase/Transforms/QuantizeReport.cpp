//===- QuantizeReport.cpp - the per-layer report of mase-quantize ---------===//

#include "QuantizeReport.h"

namespace mlir::mase {

void writeQuantizeReport(llvm::raw_ostream &os,
                         llvm::ArrayRef<LayerReport> layers) {
  int64_t before = 0, after = 0, quantised = 0;
  for (const LayerReport &layer : layers) {
    os << (layer.layer.empty() ? "<unnamed>" : layer.layer) << " "
       << layer.type << " rule=" << layer.rule;
    if (layer.native)
      os << " native";
    else if (!layer.emulatedBecause.empty())
      os << " emulated=\"" << layer.emulatedBecause << "\"";
    if (layer.formats.empty())
      os << " float";
    else
      ++quantised;
    for (const auto &[role, format] : layer.formats)
      os << " " << role << "=" << format;
    if (layer.weightBytesBefore > 0)
      os << " weight_bytes=" << layer.weightBytesBefore << "->"
         << layer.weightBytesAfter;
    os << "\n";
    before += layer.weightBytesBefore;
    after += layer.weightBytesAfter;
  }
  os << "total: " << quantised << " of " << layers.size()
     << " ops quantised, weight_bytes=" << before << "->" << after << "\n";
}

} // namespace mlir::mase
