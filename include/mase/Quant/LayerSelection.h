//===- LayerSelection.h - which rule quantises which op ---------*- C++ -*-===//
//
// MASE's selection (spec section 6.1) and support matrix, for the op types
// mase-quantize handles:
//
//   - by "type": the rule whose key is the op type, else `default`;
//   - by "name": the rule whose key is the layer name, else `default`;
//   - by "regex_name": the first rule in file order whose key fully matches
//     the layer name (`default` is a pattern too), else `default`.
//
// Without a `default` rule, ops no rule selects stay in float (MASE's
// module-pass behaviour). `default` never selects an embedding table: MASE
// quantises tables only through its module pass, by name. No MLIR
// dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_LAYERSELECTION_H
#define MASE_QUANT_LAYERSELECTION_H

#include "mase/Quant/QuantConfig.h"

#include <map>
#include <string>

namespace mase::quant {

/// An op as selection sees it.
struct LayerInfo {
  /// MASE op type: linear, matmul, bmm, add, sub, mul, relu, tanh, gelu,
  /// layer_norm, embedding.
  std::string type;
  /// The dotted layer name (empty when the op has none).
  std::string name;
  /// Whether the op has a bias operand (linear).
  bool hasBias = false;
};

/// Whether `type` is an op type mase-quantize handles.
bool isQuantizableOpType(const std::string &type);

/// The op types mase-quantize handles, comma separated.
std::string supportedOpTypeNames();

/// The rule that applies to `layer`, or nullptr when none does.
const Rule *selectRule(const QuantConfig &config, const LayerInfo &layer);

/// The formats to apply to each role of `layer` under `rule` (empty when the
/// rule leaves it in float). Returns "" or a message naming the key or the
/// format the op cannot take (the caller adds the layer).
std::string resolveFormats(const Rule &rule, const LayerInfo &layer,
                           std::map<Role, numerics::Format> &formats);

} // namespace mase::quant

#endif // MASE_QUANT_LAYERSELECTION_H
