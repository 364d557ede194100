//===- Importer.h - ONNX model to mase graph IR -----------------*- C++ -*-===//
//
// Imports an ONNX model as `func.func @main` over static tensors in `mase`
// graph ops. Dynamic input dims are fixed from ImportOptions; every subgraph
// that only computes on constants (shape computations, masks built from
// shapes) is evaluated at import, so the graph holds only real compute.
// Every op carries its ONNX node name as location and a dotted layer name
// (`mase.layer`) for configs that select layers by name.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_IMPORT_ONNX_IMPORTER_H
#define MASE_IMPORT_ONNX_IMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mase::onnx_import {

struct ImportOptions {
  /// Static shapes of graph inputs by name (`--shape NAME=2x128`).
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Graph inputs made constants, by name: the path of a serialized
  /// TensorProto holding the value (`--freeze-input NAME=FILE.pb`). For
  /// inputs that only feed shapes (Reshape's shape, Slice's starts, ...).
  std::map<std::string, std::string> frozenInputs;
  /// Values for symbolic dims by dim name; the defaults fix `batch` to 1 and
  /// `seq` to 128 (see docs/onnx-support.md).
  std::map<std::string, int64_t> symbolicDims = {
      {"batch", 1},        {"batch_size", 1}, {"seq", 128},
      {"sequence", 128},   {"seq_len", 128},  {"sequence_length", 128}};
};

/// Parses `NAME=DxDxD` into `options.inputShapes`; an empty string or an
/// error message.
std::string parseShapeOption(const std::string &text, ImportOptions &options);

/// Parses `NAME=FILE.pb` into `options.frozenInputs`; an empty string or an
/// error message.
std::string parseFreezeOption(const std::string &text, ImportOptions &options);

/// The ONNX op support table (markdown): every op type of the default domain
/// the importer handles, the opsets covered, and whether it becomes a mase op
/// or is only ever folded at import.
std::string supportedOpsTable();

/// Imports the model at `path`. On failure, reports diagnostics through the
/// context and returns null.
mlir::OwningOpRef<mlir::ModuleOp> importModel(const std::string &path,
                                              const ImportOptions &options,
                                              mlir::MLIRContext *context);

} // namespace mase::onnx_import

#endif // MASE_IMPORT_ONNX_IMPORTER_H
