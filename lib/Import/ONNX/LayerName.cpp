//===- LayerName.cpp - stable dotted layer names from ONNX names ----------===//

#include "mase/Import/ONNX/LayerName.h"

#include <vector>

namespace mase::onnx_import {

std::string layerName(const std::string &nodeName) {
  if (nodeName.empty() || nodeName.front() != '/')
    return nodeName;
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= nodeName.size()) {
    size_t end = nodeName.find('/', start);
    if (end == std::string::npos)
      end = nodeName.size();
    if (end > start)
      parts.push_back(nodeName.substr(start, end - start));
    start = end + 1;
  }
  if (parts.size() > 1)
    parts.pop_back();
  std::string name;
  for (const std::string &part : parts)
    name += (name.empty() ? "" : ".") + part;
  return name;
}

} // namespace mase::onnx_import
