//===- WindowEmitters.cpp - ONNX Conv and pooling to mase ops -------------===//
//
// Conv, MaxPool and AveragePool become mase.conv2d, mase.max_pool2d and
// mase.avg_pool2d with explicit padding (auto_pad resolved here). 1-D
// windows are 2-D ones of height 1: the operands gain a unit H dimension
// through mase.reshape and the result loses it. GlobalAveragePool is a
// mean over the spatial dimensions. The attributes were checked by the
// node's type inference (NNOps.cpp).
//
//===----------------------------------------------------------------------===//

#include "NodeEmitter.h"

using namespace mlir;

namespace mase::onnx_import {
namespace {

/// The window attributes of a node, for 2-D.
struct Window {
  std::vector<int64_t> kernel, stride, padding, dilation;
};

/// Reads the window of a node over `spatial` input dims (1 or 2) with
/// `kernel`; resolves auto_pad into explicit `[begins..., ends...]` pads and
/// widens a 1-D window to 2-D.
Window readWindow(const NodeEmitter &e, const Shape &spatial,
                  std::vector<int64_t> kernel) {
  const size_t n = spatial.size();
  Window w{kernel, intsAttr(e.node, "strides", std::vector<int64_t>(n, 1)),
           intsAttr(e.node, "pads", std::vector<int64_t>(2 * n, 0)),
           intsAttr(e.node, "dilations", std::vector<int64_t>(n, 1))};
  const onnx::AttributeProto *autoPad = findAttr(e.node, "auto_pad");
  const std::string mode = autoPad ? autoPad->s() : "NOTSET";
  if (mode == "VALID")
    w.padding.assign(2 * n, 0);
  if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    for (size_t d = 0; d < n; ++d) {
      const int64_t out = (spatial[d] + w.stride[d] - 1) / w.stride[d];
      const int64_t total = std::max<int64_t>(
          0, (out - 1) * w.stride[d] + (kernel[d] - 1) * w.dilation[d] + 1 -
                 spatial[d]);
      const int64_t begin =
          mode == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.padding[d] = begin;
      w.padding[d + n] = total - begin;
    }
  }
  if (n == 1) {
    w.kernel.insert(w.kernel.begin(), 1);
    w.stride.insert(w.stride.begin(), 1);
    w.dilation.insert(w.dilation.begin(), 1);
    w.padding = {0, w.padding[0], 0, w.padding[1]};
  }
  return w;
}

/// The number of spatial dims of input 0, or an error for other than 1-D
/// and 2-D.
std::string spatialRank(const NodeEmitter &e, size_t &rank) {
  rank = e.inputRank(0) - 2;
  if (rank == 1 || rank == 2)
    return {};
  return std::to_string(rank) +
         "-D windows are not supported (mase supports 1-D and 2-D " +
         e.node.op_type() + ")";
}

/// `type` with a unit dimension inserted before its last one (1-D to 2-D).
TensorType withUnitHeight(TensorType type) {
  type.shape.insert(type.shape.end() - 1, 1);
  return type;
}

/// Operand i of a 1-D window as 2-D (a unit H dimension); unchanged for 2-D.
Value asTwoD(NodeEmitter &e, int i, size_t spatial) {
  if (spatial == 2)
    return e.input(i);
  return e.value("reshape", {e.input(i)}, {}, withUnitHeight(e.slot(i).type));
}

/// Emits `name` with `attrs` on `operands` for output 0, through the 2-D
/// result type when the window is 1-D.
void defineWindowOp(NodeEmitter &e, StringRef name, ValueRange operands,
                    ArrayRef<NamedAttribute> attrs, size_t spatial) {
  const TensorType &out = e.outputTypes.front();
  if (spatial == 2) {
    e.define(0, e.value(name, operands, attrs, out));
    return;
  }
  Value y = e.value(name, operands, attrs, withUnitHeight(out));
  e.define(0, e.value("reshape", {y}, {}, out));
}

SmallVector<NamedAttribute> windowAttrs(NodeEmitter &e, const Window &w) {
  return {e.i64s("stride", w.stride), e.i64s("padding", w.padding),
          e.i64s("dilation", w.dilation)};
}

Shape spatialDims(const NodeEmitter &e) {
  const Shape &shape = e.slot(0).type.shape;
  return Shape(shape.begin() + 2, shape.end());
}

} // namespace

std::string emitConv(NodeEmitter &e) {
  size_t spatial;
  if (std::string error = spatialRank(e, spatial); !error.empty())
    return error;
  const Shape &weight = e.slot(1).type.shape;
  Window w = readWindow(e, spatialDims(e),
                        std::vector<int64_t>(weight.begin() + 2, weight.end()));
  SmallVector<Value> operands = {asTwoD(e, 0, spatial), asTwoD(e, 1, spatial)};
  if (e.has(2))
    operands.push_back(e.input(2));
  SmallVector<NamedAttribute> attrs = windowAttrs(e, w);
  attrs.push_back(e.i64("groups", intAttr(e.node, "group", 1)));
  defineWindowOp(e, "conv2d", operands, attrs, spatial);
  return {};
}

/// MaxPool and AveragePool: the shared attributes plus kernel_size and
/// ceil_mode.
static std::string emitPool(NodeEmitter &e, StringRef name,
                            SmallVector<NamedAttribute> extra) {
  size_t spatial;
  if (std::string error = spatialRank(e, spatial); !error.empty())
    return error;
  Window w =
      readWindow(e, spatialDims(e), intsAttr(e.node, "kernel_shape", {}));
  SmallVector<NamedAttribute> attrs = windowAttrs(e, w);
  attrs.push_back(e.i64s("kernel_size", w.kernel));
  attrs.push_back(e.boolean("ceil_mode", intAttr(e.node, "ceil_mode", 0)));
  attrs.append(extra);
  defineWindowOp(e, name, asTwoD(e, 0, spatial), attrs, spatial);
  return {};
}

std::string emitMaxPool(NodeEmitter &e) {
  if (e.hasOutput(1))
    return "MaxPool's Indices output is not supported";
  return emitPool(e, "max_pool2d", {});
}

std::string emitAveragePool(NodeEmitter &e) {
  return emitPool(e, "avg_pool2d",
                  {e.boolean("count_include_pad",
                             intAttr(e.node, "count_include_pad", 0))});
}

std::string emitGlobalAveragePool(NodeEmitter &e) {
  std::vector<int64_t> axes;
  for (int64_t d = 2; d < e.inputRank(0); ++d)
    axes.push_back(d);
  e.define(0, e.value("reduce_mean", {e.input(0)},
                      {e.i64s("axes", axes), e.boolean("keepdims", true)},
                      e.outputTypes.front()));
  return {};
}

} // namespace mase::onnx_import
