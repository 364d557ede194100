//===- ShapeOps.cpp - ONNX constant and shape ops -------------------------===//
//
// Constant, ConstantOfShape, Shape, Range, and the ops that only reinterpret
// or broadcast their data: Reshape, Flatten, Squeeze, Unsqueeze, Expand.
//
//===----------------------------------------------------------------------===//

#include "OpContext.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mase::onnx_import {
namespace {

std::string bracketed(const std::vector<int64_t> &dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return "[" + s + "]";
}

/// The value of a Constant node; `decode` = false reads a tensor attribute's
/// type only.
bool constantValue(OpContext &ctx, bool decode, HostTensor &out) {
  if (ctx.node.attribute_size() != 1)
    return ctx.fail("needs exactly one value attribute, got " +
                    std::to_string(ctx.node.attribute_size()));
  const onnx::AttributeProto &a = ctx.node.attribute(0);
  const std::string &name = a.name();
  if (name == "value") {
    std::string err = decode ? fromTensorProto(a.t(), nullptr, out)
                             : tensorTypeFromProto(a.t(), out.type);
    return err.empty() || ctx.fail(err);
  }
  if (name == "value_float")
    out = HostTensor::fromDoubles(ElementType::F32, {}, {a.f()});
  else if (name == "value_floats")
    out = HostTensor::fromDoubles(
        ElementType::F32, {a.floats_size()},
        std::vector<double>(a.floats().begin(), a.floats().end()));
  else if (name == "value_int")
    out = HostTensor::fromInts(ElementType::I64, {}, {a.i()});
  else if (name == "value_ints")
    out = HostTensor::fromInts(
        ElementType::I64, {a.ints_size()},
        std::vector<int64_t>(a.ints().begin(), a.ints().end()));
  else
    return ctx.fail("unsupported value attribute '" + name + "'");
  return true;
}

bool inferConstant(OpContext &ctx, std::vector<TensorType> &outs) {
  HostTensor value;
  if (!constantValue(ctx, /*decode=*/false, value))
    return false;
  outs = {value.type};
  return true;
}

bool evalConstant(OpContext &ctx, const std::vector<TensorType> &,
                  std::vector<HostTensor> &outs) {
  outs.resize(1);
  return constantValue(ctx, /*decode=*/true, outs[0]);
}

/// ConstantOfShape's one-element fill value (default f32 0).
bool fillValue(OpContext &ctx, HostTensor &value) {
  const onnx::TensorProto *t;
  if (!ctx.getTensor("value", t))
    return false;
  if (!t) {
    value = HostTensor::fromDoubles(ElementType::F32, {}, {0.0});
    return true;
  }
  if (std::string err = fromTensorProto(*t, nullptr, value); !err.empty())
    return ctx.fail(err);
  return value.numElements() == 1 ||
         ctx.fail("value must have one element, got " + value.type.str());
}

bool inferConstantOfShape(OpContext &ctx, std::vector<TensorType> &outs) {
  HostTensor value;
  std::vector<int64_t> shape;
  if (!fillValue(ctx, value) || !ctx.constantInts(0, shape))
    return false;
  for (int64_t d : shape)
    if (d < 0)
      return ctx.fail("negative dimension in shape " + bracketed(shape));
  outs = {{value.type.elementType, shape}};
  return true;
}

bool evalConstantOfShape(OpContext &ctx, const std::vector<TensorType> &types,
                         std::vector<HostTensor> &outs) {
  HostTensor value;
  if (!fillValue(ctx, value))
    return false;
  HostTensor out = HostTensor::zeros(types[0]);
  for (int64_t e = 0; e < out.numElements(); ++e)
    copyElement(value, 0, out, e);
  outs = {std::move(out)};
  return true;
}

/// Shape's [start, end) dimension range (attributes from opset 15).
bool shapeRange(OpContext &ctx, int64_t &start, int64_t &end) {
  const int64_t rank = ctx.type(0)->rank();
  start = 0;
  end = rank;
  if (ctx.opset >= 15 &&
      (!ctx.getInt("start", 0, start) || !ctx.getInt("end", rank, end)))
    return false;
  auto clamp = [rank](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  start = clamp(start);
  end = std::max(clamp(end), start);
  return true;
}

bool inferShape(OpContext &ctx, std::vector<TensorType> &outs) {
  int64_t start, end;
  if (!shapeRange(ctx, start, end))
    return false;
  outs = {{ElementType::I64, {end - start}}};
  return true;
}

bool evalShape(OpContext &ctx, const std::vector<TensorType> &types,
               std::vector<HostTensor> &outs) {
  int64_t start, end;
  shapeRange(ctx, start, end);
  const Shape &dims = ctx.type(0)->shape;
  outs = {HostTensor::fromInts(ElementType::I64, types[0].shape,
                               {dims.begin() + start, dims.begin() + end})};
  return true;
}

/// Range's scalar inputs, checked.
bool rangeInputs(OpContext &ctx, const HostTensor *(&v)[3]) {
  for (size_t i = 0; i < 3; ++i)
    if (!ctx.constantInput(i, v[i]))
      return false;
  if (!ctx.expectSameType(0, 2))
    return false;
  ElementType et = v[0]->type.elementType;
  if (!isFloat(et) && isUnsigned(et))
    return ctx.fail("unsupported element type " +
                    std::string(elementTypeName(et)));
  for (const HostTensor *t : v)
    if (t->numElements() != 1)
      return ctx.fail("start, limit and delta must be scalars, got " +
                      t->type.str());
  if (v[2]->getDouble(0) == 0)
    return ctx.fail("delta must not be zero");
  return true;
}

bool inferRange(OpContext &ctx, std::vector<TensorType> &outs) {
  const HostTensor *v[3];
  if (!rangeInputs(ctx, v))
    return false;
  const ElementType et = v[0]->type.elementType;
  int64_t n = 0;
  if (isFloat(et)) {
    // ceil((limit - start) / delta), computed in the element type.
    double start = v[0]->getDouble(0), limit = v[1]->getDouble(0),
           delta = v[2]->getDouble(0);
    double q = std::ceil(
        roundToFloatType(roundToFloatType(limit - start, et) / delta, et));
    if (!(q < 0x1p62))
      return ctx.fail("range length is not a finite size");
    n = q > 0 ? static_cast<int64_t>(q) : 0;
  } else {
    int64_t start = v[0]->ints[0], limit = v[1]->ints[0], delta = v[2]->ints[0];
    bool up = delta > 0;
    if (up ? limit > start : limit < start) {
      uint64_t diff = up ? uint64_t(limit) - uint64_t(start)
                         : uint64_t(start) - uint64_t(limit);
      uint64_t step = up ? uint64_t(delta) : 0 - uint64_t(delta);
      uint64_t q = diff / step + (diff % step != 0);
      if (q > uint64_t(std::numeric_limits<int64_t>::max()))
        return ctx.fail("range is too long");
      n = q;
    }
  }
  outs = {{et, {n}}};
  return true;
}

bool evalRange(OpContext &ctx, const std::vector<TensorType> &types,
               std::vector<HostTensor> &outs) {
  const HostTensor &start = *ctx.value(0), &delta = *ctx.value(2);
  const ElementType et = types[0].elementType;
  HostTensor out = HostTensor::zeros(types[0]);
  for (int64_t i = 0; i < out.numElements(); ++i) {
    if (isFloat(et))
      out.setDouble(i, start.getDouble(0) +
                           roundToFloatType(i * delta.getDouble(0), et));
    else
      out.setInt(i, uint64_t(start.ints[0]) + uint64_t(i) * delta.ints[0]);
  }
  outs = {std::move(out)};
  return true;
}

/// Reshape-like ops keep the row-major data.
bool evalReshape(OpContext &ctx, const std::vector<TensorType> &types,
                 std::vector<HostTensor> &outs) {
  outs = {*ctx.value(0)};
  outs[0].type = types[0];
  return true;
}

bool inferReshape(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0);
  std::vector<int64_t> requested, shape;
  int64_t allowZero = 0;
  if (!ctx.constantInts(1, requested) ||
      (ctx.opset >= 14 && !ctx.getInt("allowzero", 0, allowZero)))
    return false;
  if (ctx.value(1)->type.rank() != 1)
    return ctx.fail("shape must be 1-D, got " + ctx.value(1)->type.str());
  shape = requested;
  const std::string what =
      "cannot reshape " + data.str() + " to " + bracketed(requested);
  int64_t inferred = -1, known = 1;
  bool hasZero = false;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t &d = shape[i];
    hasZero |= d == 0;
    if (d == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= data.rank())
        return ctx.fail(what + ": 0 at index " + std::to_string(i) +
                        " is past the input rank");
      d = data.shape[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return ctx.fail(what + ": more than one -1");
      inferred = i;
      continue;
    }
    if (d < 0 || (d && known > std::numeric_limits<int64_t>::max() / d))
      return ctx.fail(what + ": invalid dimension");
    known *= d;
  }
  const int64_t total = data.numElements();
  if (inferred >= 0) {
    if (allowZero && hasZero)
      return ctx.fail(what + ": allowzero forbids both 0 and -1");
    if (known == 0 || total % known)
      return ctx.fail(what + ": element counts differ");
    shape[inferred] = total / known;
  } else if (known != total) {
    return ctx.fail(what + ": element counts differ");
  }
  outs = {{data.elementType, shape}};
  return true;
}

bool inferFlatten(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0);
  int64_t axis;
  if (!ctx.getInt("axis", 1, axis))
    return false;
  if (axis < -data.rank() || axis > data.rank())
    return ctx.fail("axis " + std::to_string(axis) +
                    " is out of range for rank " + std::to_string(data.rank()));
  if (axis < 0)
    axis += data.rank();
  Shape outer(data.shape.begin(), data.shape.begin() + axis);
  Shape inner(data.shape.begin() + axis, data.shape.end());
  outs = {{data.elementType, {numElements(outer), numElements(inner)}}};
  return true;
}

/// Squeeze/Unsqueeze axes: input 1 from opset 13, else the attribute.
bool squeezeAxes(OpContext &ctx, bool required, std::vector<int64_t> &axes) {
  if (ctx.opset >= 13 && ctx.attr("axes"))
    return ctx.fail("axes is an input from opset 13");
  if (ctx.opset >= 13)
    return (!ctx.type(1) && !required) || ctx.constantInts(1, axes);
  if (ctx.numInputs() > 1)
    return ctx.fail("axes is an attribute before opset 13");
  if (required && !ctx.attr("axes"))
    return ctx.fail("missing required attribute 'axes'");
  return ctx.getInts("axes", axes);
}

bool inferSqueeze(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0);
  std::vector<int64_t> axes;
  if (!squeezeAxes(ctx, false, axes) || !ctx.normalizeAxes(axes, data.rank()))
    return false;
  Shape shape;
  for (int64_t d = 0; d < data.rank(); ++d) {
    bool listed = std::count(axes.begin(), axes.end(), d);
    if (listed && data.shape[d] != 1)
      return ctx.fail("cannot squeeze axis " + std::to_string(d) + " of size " +
                      std::to_string(data.shape[d]));
    if (axes.empty() ? data.shape[d] != 1 : !listed)
      shape.push_back(data.shape[d]);
  }
  outs = {{data.elementType, shape}};
  return true;
}

bool inferUnsqueeze(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0);
  std::vector<int64_t> axes;
  if (!squeezeAxes(ctx, true, axes))
    return false;
  const int64_t rank = data.rank() + axes.size();
  if (!ctx.normalizeAxes(axes, rank))
    return false;
  Shape shape;
  for (int64_t d = 0, next = 0; d < rank; ++d)
    shape.push_back(
        std::count(axes.begin(), axes.end(), d) ? 1 : data.shape[next++]);
  outs = {{data.elementType, shape}};
  return true;
}

bool inferExpand(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0);
  std::vector<int64_t> shape;
  if (!ctx.constantInts(1, shape))
    return false;
  Shape result;
  if (std::any_of(shape.begin(), shape.end(),
                  [](int64_t d) { return d < 0; }) ||
      !broadcastShapes(data.shape, shape, result))
    return ctx.fail("cannot expand " + data.str() + " to " + bracketed(shape));
  outs = {{data.elementType, result}};
  return true;
}

bool evalExpand(OpContext &ctx, const std::vector<TensorType> &types,
                std::vector<HostTensor> &outs) {
  outs = {broadcastTo(*ctx.value(0), types[0].shape)};
  return true;
}

} // namespace

void addShapeOps(std::vector<OpDef> &ops) {
  ops.push_back(
      {"Constant", 11, 0, 0, 1, 1, inferConstant, evalConstant, true});
  ops.push_back({"ConstantOfShape", 9, 1, 1, 1, 1, inferConstantOfShape,
                 evalConstantOfShape, false});
  ops.push_back({"Shape", 11, 1, 1, 1, 1, inferShape, evalShape, false});
  ops.push_back({"Range", 11, 3, 3, 1, 1, inferRange, evalRange, false});
  ops.push_back({"Reshape", 11, 2, 2, 1, 1, inferReshape, evalReshape, false});
  ops.push_back({"Flatten", 11, 1, 1, 1, 1, inferFlatten, evalReshape, false});
  ops.push_back({"Squeeze", 11, 1, 2, 1, 1, inferSqueeze, evalReshape, false});
  ops.push_back(
      {"Unsqueeze", 11, 1, 2, 1, 1, inferUnsqueeze, evalReshape, false});
  ops.push_back({"Expand", 11, 2, 2, 1, 1, inferExpand, evalExpand, false});
}

} // namespace mase::onnx_import
