//===- ImporterState.h - shared state of the ONNX importer ------*- C++ -*-===//

#ifndef MASE_LIB_IMPORT_ONNX_IMPORTERSTATE_H
#define MASE_LIB_IMPORT_ONNX_IMPORTERSTATE_H

#include "mase/Import/ONNX/HostTensor.h"
#include "mase/Import/ONNX/ModelLoader.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

#include <map>
#include <optional>

namespace mase::onnx_import {

/// What the importer knows about one ONNX value: its static type, and either
/// its constant value (folded at import) or the SSA value computing it.
struct ImportedValue {
  TensorType type;
  std::optional<HostTensor> constant;
  mlir::Value value;
};

/// The MLIR type of a tensor type (signless integers, ui* for unsigned, i1
/// for bool).
mlir::RankedTensorType toMlirType(const TensorType &type,
                                  mlir::MLIRContext *context);

/// A dense constant holding `tensor`.
mlir::DenseElementsAttr toDenseAttr(const HostTensor &tensor,
                                    mlir::MLIRContext *context);

class ImporterState {
public:
  ImporterState(const LoadedModel &model, mlir::OpBuilder &builder)
      : model(model), builder(builder) {}

  const LoadedModel &model;
  mlir::OpBuilder &builder;
  std::map<std::string, ImportedValue> values;

  /// How many node inputs and graph outputs of the ONNX graph read `name`.
  int onnxUses(const std::string &name) const;

  /// The location of `node`: its name, inside the model file.
  mlir::Location locationOf(const onnx::NodeProto &node) const;
  /// The SSA value of `name`, materialising a constant on first use.
  mlir::Value valueOf(const std::string &name);
};

/// Emits the mase op(s) computing `node` from non-constant inputs, recording
/// its outputs in `state`; `outputTypes` are the inferred static types.
/// Returns an error message, or an empty string.
std::string emitNode(ImporterState &state, const onnx::NodeProto &node,
                     const std::vector<TensorType> &outputTypes);

} // namespace mase::onnx_import

#endif // MASE_LIB_IMPORT_ONNX_IMPORTERSTATE_H
