//===- LayerName.h - stable dotted layer names from ONNX names --*- C++ -*-===//

#ifndef MASE_IMPORT_ONNX_LAYERNAME_H
#define MASE_IMPORT_ONNX_LAYERNAME_H

#include <string>

namespace mase::onnx_import {

/// The dotted layer name of an ONNX node, as MASE configs select layers:
/// the exporter's scope path without its last component (the op), e.g.
/// "/bert/encoder/layer.0/attention/self/query/MatMul" becomes
/// "bert.encoder.layer.0.attention.self.query". A name without a scope path
/// is returned unchanged.
std::string layerName(const std::string &nodeName);

} // namespace mase::onnx_import

#endif // MASE_IMPORT_ONNX_LAYERNAME_H
