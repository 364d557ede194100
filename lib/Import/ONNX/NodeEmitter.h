//===- NodeEmitter.h - building mase ops for one ONNX node ------*- C++ -*-===//
//
// Internal to lib/Import/ONNX: the per-node helper that the emitters of
// OpEmitter.cpp and WindowEmitters.cpp use to read a node's inputs and
// attributes and to create mase ops carrying its location and layer name.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_IMPORT_ONNX_NODEEMITTER_H
#define MASE_LIB_IMPORT_ONNX_NODEEMITTER_H

#include "ImporterState.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mase::onnx_import {

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     const std::string &name);
int64_t intAttr(const onnx::NodeProto &node, const std::string &name,
                int64_t fallback);
float floatAttr(const onnx::NodeProto &node, const std::string &name,
                float fallback);
/// The attribute's integers, or `fallback` when it is absent.
std::vector<int64_t> intsAttr(const onnx::NodeProto &node,
                              const std::string &name,
                              std::vector<int64_t> fallback);
inline int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Builds the mase ops of one node.
class NodeEmitter {
public:
  NodeEmitter(ImporterState &state, const onnx::NodeProto &node,
              const std::vector<TensorType> &outputTypes)
      : state(state), node(node), outputTypes(outputTypes),
        context(state.builder.getContext()) {}

  ImporterState &state;
  const onnx::NodeProto &node;
  const std::vector<TensorType> &outputTypes;
  mlir::MLIRContext *context;

  bool has(int i) const {
    return i < node.input_size() && !node.input(i).empty();
  }
  /// Whether output i exists and has a name (is used).
  bool hasOutput(int i) const {
    return i < node.output_size() && !node.output(i).empty();
  }
  mlir::Value input(int i) { return state.valueOf(node.input(i)); }
  const ImportedValue &slot(int i) const {
    return state.values.at(node.input(i));
  }
  const HostTensor *constant(int i) const {
    return has(i) && slot(i).constant ? &*slot(i).constant : nullptr;
  }
  int64_t inputRank(int i) const { return slot(i).type.rank(); }

  /// Creates `mase.<name>` of the node's first output type, or
  /// `resultType`.
  mlir::Operation *create(llvm::StringRef name, mlir::ValueRange operands,
                          llvm::ArrayRef<mlir::NamedAttribute> attributes = {},
                          std::optional<TensorType> resultType = std::nullopt);
  /// The value of `create` with one result.
  mlir::Value value(llvm::StringRef name, mlir::ValueRange operands,
                    llvm::ArrayRef<mlir::NamedAttribute> attributes,
                    const TensorType &resultType) {
    return create(name, operands, attributes, resultType)->getResult(0);
  }
  /// `v` (of type `type`) converted to `elementType` with `mase.cast`.
  mlir::Value cast(mlir::Value v, const TensorType &type,
                   ElementType elementType);
  /// A constant registered under `name` (derived from the node's names, so
  /// unique) and materialised.
  mlir::Value constantValue(const std::string &name, HostTensor tensor);
  /// A scalar constant of `elementType` holding `v`.
  mlir::Value scalar(const std::string &suffix, ElementType elementType,
                     double v);

  void define(int output, mlir::Value value) {
    state.values[node.output(output)] = {outputTypes[output], std::nullopt,
                                         value};
  }

  /// Integer values of a constant input, or an error naming it.
  std::string constantInts(int i, std::vector<int64_t> &values);

  mlir::NamedAttribute named(llvm::StringRef name, mlir::Attribute value) {
    return mlir::NamedAttribute(mlir::StringAttr::get(context, name), value);
  }
  mlir::NamedAttribute i64(llvm::StringRef name, int64_t value) {
    return named(name, mlir::IntegerAttr::get(
                           mlir::IntegerType::get(context, 64), value));
  }
  mlir::NamedAttribute i64s(llvm::StringRef name,
                            llvm::ArrayRef<int64_t> values) {
    return named(name, mlir::DenseI64ArrayAttr::get(context, values));
  }
  mlir::NamedAttribute boolean(llvm::StringRef name, bool value) {
    return named(name, mlir::BoolAttr::get(context, value));
  }
};

/// Emits a node; returns an error message or an empty string.
using Emit = std::function<std::string(NodeEmitter &)>;

// Sliding-window ops (WindowEmitters.cpp).
std::string emitConv(NodeEmitter &e);
std::string emitMaxPool(NodeEmitter &e);
std::string emitAveragePool(NodeEmitter &e);
std::string emitGlobalAveragePool(NodeEmitter &e);

} // namespace mase::onnx_import

#endif // MASE_LIB_IMPORT_ONNX_NODEEMITTER_H
