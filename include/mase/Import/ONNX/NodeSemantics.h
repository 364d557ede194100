//===- NodeSemantics.h - ONNX node typing and constant folding --*- C++ -*-===//
//
// Import-time semantics of ONNX nodes (default domain): static output types
// from input types and known constant inputs, and host evaluation of cheap
// shape/index/elementwise nodes whose inputs are all constants, so shape
// subgraphs fold away. No MLIR dependency.
//
// Every function reports problems as a message naming the node (op type and
// name); an empty string means success.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_IMPORT_ONNX_NODESEMANTICS_H
#define MASE_IMPORT_ONNX_NODESEMANTICS_H

#include "mase/Import/ONNX/HostTensor.h"

#include <string>
#include <utility>
#include <vector>

namespace mase::onnx_import {

/// Largest output (in elements) canFold accepts, except for Constant and
/// Identity which always fold.
constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

/// Whether `opType` (default domain) is covered at `opset`.
bool isSupported(const std::string &opType, int opset);

/// Each covered op type with its covered opset range [first, last].
std::vector<std::pair<std::string, std::pair<int, int>>> supportedOps();

/// Infers one static type per node output (also for omitted optional outputs,
/// whose name is empty). `inputTypes` and `constants` hold one entry per node
/// input: a null type marks an absent optional input, a null constant an
/// input whose value is unknown. `constants` may also be empty (no input is
/// constant). Inputs that determine an output shape (Reshape's shape, Slice's
/// starts, ...) must be constants.
std::string inferTypes(const onnx::NodeProto &node, int opset,
                       const std::vector<const TensorType *> &inputTypes,
                       const std::vector<const HostTensor *> &constants,
                       std::vector<TensorType> &outputTypes);

/// Whether evaluate() handles `node` with these (inferred) output types: cheap
/// shape, index, logical and elementwise ops whose outputs have at most
/// kMaxFoldElements elements, and always Constant and Identity. Never
/// MatMul, Gemm, Conv, pooling, Softmax or LayerNormalization.
bool canFold(const onnx::NodeProto &node,
             const std::vector<TensorType> &outputTypes);

/// Whether the outputs depend on the input types only (Shape), so the node
/// folds even when its input is not a constant: pass evaluate() a HostTensor
/// that has just its type set.
bool foldsFromInputTypes(const onnx::NodeProto &node);

/// Computes the outputs of a node that canFold() accepts, given every present
/// input as a constant (nullptr marks an absent optional input). The output
/// types must be those inferTypes() returns for these inputs.
std::string evaluate(const onnx::NodeProto &node, int opset,
                     const std::vector<const HostTensor *> &inputs,
                     const std::vector<TensorType> &outputTypes,
                     std::vector<HostTensor> &outputs);

} // namespace mase::onnx_import

#endif // MASE_IMPORT_ONNX_NODESEMANTICS_H
