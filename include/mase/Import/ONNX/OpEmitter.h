//===- OpEmitter.h - ONNX nodes to mase graph ops ---------------*- C++ -*-===//

#ifndef MASE_IMPORT_ONNX_OPEMITTER_H
#define MASE_IMPORT_ONNX_OPEMITTER_H

#include <string>

namespace mase::onnx_import {

/// Whether the importer can emit a mase op for `opType` when its inputs are
/// not all constants (ops it can only fold, like Shape or Range, are not).
bool canEmit(const std::string &opType);

} // namespace mase::onnx_import

#endif // MASE_IMPORT_ONNX_OPEMITTER_H
