//===- OpContext.cpp - shared helpers for ONNX node semantics -------------===//

#include "OpContext.h"

#include <algorithm>

namespace mase::onnx_import {

namespace {
std::string inputName(const onnx::NodeProto &node, size_t i) {
  std::string s = "input " + std::to_string(i);
  if (static_cast<int>(i) < node.input_size() && !node.input(i).empty())
    s += " ('" + node.input(i) + "')";
  return s;
}
} // namespace

bool OpContext::fail(const std::string &message) {
  if (!errorMessage.empty())
    return false;
  errorMessage = node.op_type() + " node ";
  if (!node.name().empty())
    errorMessage += "'" + node.name() + "'";
  else if (node.output_size() > 0)
    errorMessage += "producing '" + node.output(0) + "'";
  else
    errorMessage += "<unnamed>";
  errorMessage += ": " + message;
  return false;
}

bool OpContext::input(size_t i, const TensorType *&result) {
  result = type(i);
  return result || fail("missing required " + inputName(node, i));
}

bool OpContext::constantInput(size_t i, const HostTensor *&result) {
  const TensorType *t;
  if (!input(i, t))
    return false;
  result = value(i);
  return result || fail(inputName(node, i) +
                        " must be a constant: mase needs static shapes");
}

bool OpContext::constantInts(size_t i, std::vector<int64_t> &result) {
  const HostTensor *v;
  if (!constantInput(i, v))
    return false;
  if (isFloat(v->type.elementType) || v->type.elementType == ElementType::Bool)
    return fail(inputName(node, i) + " must be an integer tensor, got " +
                v->type.str());
  if (v->type.rank() > 1)
    return fail(inputName(node, i) + " must be a scalar or 1-D, got " +
                v->type.str());
  result = v->ints;
  return true;
}

bool OpContext::expectType(size_t i, ElementType expected) {
  const TensorType *t = type(i);
  if (!t || t->elementType == expected)
    return true;
  return fail(inputName(node, i) + " must have element type " +
              elementTypeName(expected) + ", got " + t->str());
}

static bool accepts(Accepts kind, ElementType et) {
  switch (kind) {
  case Accepts::Any:
    return true;
  case Accepts::Numeric:
    return et != ElementType::Bool;
  case Accepts::Signed:
    return isFloat(et) || !isUnsigned(et);
  case Accepts::Float:
    return isFloat(et);
  case Accepts::Bool:
    return et == ElementType::Bool;
  }
  return false;
}

bool OpContext::expectKind(Accepts kind, size_t first, size_t last) {
  static const char *const names[] = {"any", "a numeric", "a signed or float",
                                      "a float", "a bool"};
  for (size_t i = first; i <= last && i < numInputs(); ++i) {
    const TensorType *t = type(i);
    if (t && !accepts(kind, t->elementType))
      return fail(inputName(node, i) + " must have " +
                  names[static_cast<int>(kind)] + " element type, got " +
                  t->str());
  }
  return true;
}

bool OpContext::expectSameType(size_t first, size_t last) {
  const TensorType *t0 = type(first);
  for (size_t i = first + 1; t0 && i <= last; ++i) {
    const TensorType *t = type(i);
    if (t && t->elementType != t0->elementType)
      return fail("element types differ: " + inputName(node, first) + " is " +
                  t0->str() + ", " + inputName(node, i) + " is " + t->str());
  }
  return true;
}

const onnx::AttributeProto *OpContext::attr(const std::string &name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

// Attributes with type UNDEFINED are accepted as written by old exporters.
#define CHECK_ATTR_TYPE(a, kind)                                               \
  if (a->type() != onnx::AttributeProto::UNDEFINED &&                          \
      a->type() != onnx::AttributeProto::kind)                                 \
    return fail("attribute '" + name + "' must be of type " #kind);

bool OpContext::getInt(const std::string &name, int64_t def, int64_t &result) {
  const onnx::AttributeProto *a = attr(name);
  result = def;
  if (!a)
    return true;
  CHECK_ATTR_TYPE(a, INT)
  result = a->i();
  return true;
}

bool OpContext::getFloat(const std::string &name, float def, float &result) {
  const onnx::AttributeProto *a = attr(name);
  result = def;
  if (!a)
    return true;
  CHECK_ATTR_TYPE(a, FLOAT)
  result = a->f();
  return true;
}

bool OpContext::getString(const std::string &name, const std::string &def,
                          std::string &result) {
  const onnx::AttributeProto *a = attr(name);
  result = def;
  if (!a)
    return true;
  CHECK_ATTR_TYPE(a, STRING)
  result = a->s();
  return true;
}

bool OpContext::getInts(const std::string &name, std::vector<int64_t> &result) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return true;
  CHECK_ATTR_TYPE(a, INTS)
  result.assign(a->ints().begin(), a->ints().end());
  return true;
}

bool OpContext::getTensor(const std::string &name,
                          const onnx::TensorProto *&result) {
  const onnx::AttributeProto *a = attr(name);
  result = nullptr;
  if (!a)
    return true;
  CHECK_ATTR_TYPE(a, TENSOR)
  result = &a->t();
  return true;
}

#undef CHECK_ATTR_TYPE

bool OpContext::normalizeAxis(int64_t &axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return fail("axis " + std::to_string(axis) + " is out of range for rank " +
                std::to_string(rank));
  if (axis < 0)
    axis += rank;
  return true;
}

bool OpContext::normalizeAxes(std::vector<int64_t> &axes, int64_t rank) {
  for (int64_t &axis : axes)
    if (!normalizeAxis(axis, rank))
      return false;
  std::vector<int64_t> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return fail("repeated axis in axes");
  return true;
}

bool broadcastShapes(const Shape &a, const Shape &b, Shape &result) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return false;
    out[i] = da == 1 ? db : da;
  }
  result = std::move(out);
  return true;
}

std::vector<int64_t> stridesOf(const Shape &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i > 1; --i)
    strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}

std::vector<int64_t> stridedIndices(const Shape &shape, int64_t offset,
                                    const std::vector<int64_t> &strides) {
  std::vector<int64_t> result(numElements(shape));
  forEachStrided(shape, offset, strides,
                 [&](int64_t i, int64_t index) { result[i] = index; });
  return result;
}

std::vector<int64_t> broadcastIndices(const Shape &from, const Shape &to) {
  // Strides of `from` aligned to `to`, zero along broadcast dimensions.
  const size_t offset = to.size() - from.size();
  std::vector<int64_t> fromStrides = stridesOf(from), strides(to.size(), 0);
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i] != 1)
      strides[i + offset] = fromStrides[i];
  return stridedIndices(to, 0, strides);
}

void copyElement(const HostTensor &src, int64_t srcIndex, HostTensor &dst,
                 int64_t dstIndex) {
  ElementType et = src.type.elementType;
  if (et == ElementType::F64)
    dst.f64[dstIndex] = src.f64[srcIndex];
  else if (isFloat(et))
    dst.f32[dstIndex] = src.f32[srcIndex];
  else
    dst.ints[dstIndex] = src.ints[srcIndex];
}

HostTensor takeElements(const HostTensor &src,
                        const std::vector<int64_t> &indices,
                        const TensorType &type) {
  HostTensor out = HostTensor::zeros(type);
  for (size_t i = 0; i < indices.size(); ++i)
    copyElement(src, indices[i], out, i);
  return out;
}

HostTensor broadcastTo(const HostTensor &src, const Shape &shape) {
  return takeElements(src, broadcastIndices(src.type.shape, shape),
                      {src.type.elementType, shape});
}

} // namespace mase::onnx_import
