//===- ModelLoader.h - read and check an ONNX model -------------*- C++ -*-===//
//
// Reads an ONNX model file with Debian's libonnx protobuf classes, resolves
// external data (refusing locations outside the model's directory), and
// checks the graph: every node input is defined, the graph is acyclic, every
// element type is known. The result lists the nodes in topological order.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_IMPORT_ONNX_MODELLOADER_H
#define MASE_IMPORT_ONNX_MODELLOADER_H

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mase::onnx_import {

struct LoadedModel {
  std::string path;
  onnx::ModelProto proto;
  /// Opset of the default ONNX domain.
  int64_t opset = 0;
  /// Nodes of the main graph in a topological order.
  std::vector<const onnx::NodeProto *> order;
  /// Bytes of initializers stored as external data, by initializer name.
  std::map<std::string, std::string> externalData;
  /// Graph inputs that are not initializers, in declaration order.
  std::vector<const onnx::ValueInfoProto *> inputs;
};

/// Loads and checks `path`. Returns an empty string on success or a message
/// naming the file and the problem.
std::string loadModel(const std::string &path, LoadedModel &model);

} // namespace mase::onnx_import

#endif // MASE_IMPORT_ONNX_MODELLOADER_H
