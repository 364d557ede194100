//===- ModelLoader.cpp - read and check an ONNX model ---------------------===//

#include "mase/Import/ONNX/ModelLoader.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace mase::onnx_import {
namespace {

std::string describeNode(const onnx::NodeProto &node) {
  return "node '" + node.name() + "' (" + node.op_type() + ")";
}

/// Reads [offset, offset + length) of `file`; length -1 means to the end.
std::string readRange(const fs::path &file, int64_t offset, int64_t length,
                      std::string &bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return "cannot open external data file '" + file.string() + "'";
  in.seekg(0, std::ios::end);
  const int64_t size = static_cast<int64_t>(in.tellg());
  if (offset < 0 || offset > size)
    return "external data offset " + std::to_string(offset) +
           " is beyond the end of '" + file.string() + "' (" +
           std::to_string(size) + " bytes)";
  if (length < 0)
    length = size - offset;
  if (offset + length > size)
    return "external data of '" + file.string() + "' is short: wanted " +
           std::to_string(length) + " bytes at offset " +
           std::to_string(offset) + ", the file has " + std::to_string(size);
  bytes.resize(static_cast<size_t>(length));
  in.seekg(offset);
  in.read(bytes.data(), length);
  return in ? "" : "cannot read external data file '" + file.string() + "'";
}

/// Resolves one initializer's external data, refusing any location that is
/// absolute or leaves the model's directory.
std::string loadExternalData(const onnx::TensorProto &tensor,
                             const fs::path &modelDir, std::string &bytes) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    const std::string &key = entry.key(), &value = entry.value();
    char *end = nullptr;
    if (key == "location") {
      location = value;
    } else if (key == "offset" || key == "length") {
      long long parsed = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || parsed < 0)
        return "initializer '" + tensor.name() + "': external data " + key +
               " '" + value + "' is not a non-negative integer";
      (key == "offset" ? offset : length) = parsed;
    }
  }
  if (location.empty())
    return "initializer '" + tensor.name() +
           "': external data without a location";
  fs::path relative(location);
  if (relative.is_absolute())
    return "initializer '" + tensor.name() + "': external data location '" +
           location + "' is absolute; only files beside the model are read";
  std::error_code ec;
  fs::path base = fs::weakly_canonical(modelDir, ec);
  fs::path file = fs::weakly_canonical(modelDir / relative, ec);
  auto [baseEnd, fileIt] =
      std::mismatch(base.begin(), base.end(), file.begin(), file.end());
  if (ec || baseEnd != base.end())
    return "initializer '" + tensor.name() + "': external data location '" +
           location + "' escapes the model's directory";
  if (std::string error = readRange(file, offset, length, bytes);
      !error.empty())
    return "initializer '" + tensor.name() + "': " + error;
  return {};
}

/// Orders the nodes so that every input is defined before use; reports
/// dangling inputs and cycles.
std::string sortNodes(const onnx::GraphProto &graph,
                      std::vector<const onnx::NodeProto *> &order) {
  std::set<std::string> defined;
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  std::map<std::string, const onnx::NodeProto *> producer;
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      if (!output.empty() && !producer.emplace(output, &node).second)
        return describeNode(node) + " redefines value '" + output + "'";

  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &input : node.input())
      if (!input.empty() && !defined.count(input) && !producer.count(input))
        return describeNode(node) + " uses '" + input +
               "', which no node, initializer or graph input defines";

  // Kahn's algorithm over the node list, stable in the file's order.
  std::vector<const onnx::NodeProto *> pending;
  for (const onnx::NodeProto &node : graph.node())
    pending.push_back(&node);
  while (!pending.empty()) {
    std::vector<const onnx::NodeProto *> blocked;
    for (const onnx::NodeProto *node : pending) {
      bool ready = true;
      for (const std::string &input : node->input())
        ready &= input.empty() || defined.count(input) > 0;
      if (!ready) {
        blocked.push_back(node);
        continue;
      }
      order.push_back(node);
      for (const std::string &output : node->output())
        defined.insert(output);
    }
    if (blocked.size() == pending.size())
      return "the graph has a cycle through " + describeNode(*blocked.front());
    pending.swap(blocked);
  }
  return {};
}

std::string checkElementType(int32_t type, const std::string &what) {
  if (onnx::TensorProto_DataType_IsValid(type) &&
      type != onnx::TensorProto::UNDEFINED)
    return {};
  return what + " has unknown element type " + std::to_string(type);
}

} // namespace

std::string loadModel(const std::string &path, LoadedModel &model) {
  model.path = path;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "cannot open the model file";
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!model.proto.ParseFromString(buffer.str()))
    return "not a valid ONNX model (the protobuf does not parse; "
                  "the file may be truncated)";
  if (!model.proto.has_graph())
    return "the model has no graph";

  for (const onnx::OperatorSetIdProto &opset : model.proto.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      model.opset = opset.version();
  if (model.opset == 0)
    return "the model imports no opset of the default ONNX domain";

  const onnx::GraphProto &graph = model.proto.graph();
  const fs::path modelDir = fs::path(path).parent_path();
  std::set<std::string> initializers;
  for (const onnx::TensorProto &init : graph.initializer()) {
    initializers.insert(init.name());
    if (std::string error =
            checkElementType(init.data_type(), "initializer '" + init.name() + "'");
        !error.empty())
      return "" + error;
    if (init.data_location() == onnx::TensorProto::EXTERNAL)
      if (std::string error = loadExternalData(
              init, modelDir.empty() ? fs::path(".") : modelDir,
              model.externalData[init.name()]);
          !error.empty())
        return "" + error;
  }
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    if (!input.type().has_tensor_type())
      return "graph input '" + input.name() + "' is not a tensor";
    if (std::string error = checkElementType(
            input.type().tensor_type().elem_type(),
            "graph input '" + input.name() + "'");
        !error.empty())
      return "" + error;
    model.inputs.push_back(&input);
  }
  if (std::string error = sortNodes(graph, model.order); !error.empty())
    return "" + error;
  std::set<std::string> defined = initializers;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::NodeProto *node : model.order)
    defined.insert(node->output().begin(), node->output().end());
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!defined.count(output.name()))
      return "graph output '" + output.name() + "' is never computed";
  return {};
}

} // namespace mase::onnx_import
