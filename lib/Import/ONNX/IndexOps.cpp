//===- IndexOps.cpp - ONNX data movement ops ------------------------------===//
//
// Transpose, Concat, Slice, Split and Gather. Evaluation builds the source
// index of every output element and copies through takeElements.
//
//===----------------------------------------------------------------------===//

#include "OpContext.h"

#include <algorithm>
#include <limits>

namespace mase::onnx_import {
namespace {

bool transposePerm(OpContext &ctx, std::vector<int64_t> &perm) {
  const int64_t rank = ctx.type(0)->rank();
  for (int64_t i = rank - 1; i >= 0; --i)
    perm.push_back(i);
  if (!ctx.getInts("perm", perm))
    return false;
  std::vector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    valid = valid && p >= 0 && p < rank && !seen[p];
    if (valid)
      seen[p] = true;
  }
  return valid || ctx.fail("perm is not a permutation of the " +
                           std::to_string(rank) + " input dimensions");
}

bool inferTranspose(OpContext &ctx, std::vector<TensorType> &outs) {
  std::vector<int64_t> perm;
  if (!transposePerm(ctx, perm))
    return false;
  TensorType out = *ctx.type(0);
  for (size_t i = 0; i < perm.size(); ++i)
    out.shape[i] = ctx.type(0)->shape[perm[i]];
  outs = {out};
  return true;
}

bool evalTranspose(OpContext &ctx, const std::vector<TensorType> &types,
                   std::vector<HostTensor> &outs) {
  std::vector<int64_t> perm;
  transposePerm(ctx, perm);
  std::vector<int64_t> inStrides = stridesOf(ctx.type(0)->shape);
  std::vector<int64_t> strides;
  for (int64_t p : perm)
    strides.push_back(inStrides[p]);
  outs = {takeElements(*ctx.value(0),
                       stridedIndices(types[0].shape, 0, strides), types[0])};
  return true;
}

bool concatAxis(OpContext &ctx, int64_t &axis) {
  if (!ctx.attr("axis"))
    return ctx.fail("missing required attribute 'axis'");
  const int64_t rank = ctx.type(0)->rank();
  if (rank == 0)
    return ctx.fail("cannot concatenate scalars");
  return ctx.getInt("axis", 0, axis) && ctx.normalizeAxis(axis, rank);
}

bool inferConcat(OpContext &ctx, std::vector<TensorType> &outs) {
  int64_t axis;
  if (!concatAxis(ctx, axis) || !ctx.expectSameType(0, ctx.numInputs() - 1))
    return false;
  TensorType out = *ctx.type(0);
  out.shape[axis] = 0;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    const Shape &shape = ctx.type(i)->shape;
    bool compatible = shape.size() == out.shape.size();
    for (size_t d = 0; compatible && d < shape.size(); ++d)
      compatible = static_cast<int64_t>(d) == axis || shape[d] == out.shape[d];
    if (!compatible)
      return ctx.fail("input " + std::to_string(i) + " of shape [" +
                      shapeToString(shape) +
                      "] does not match input 0 of "
                      "shape [" +
                      shapeToString(ctx.type(0)->shape) + "] outside axis " +
                      std::to_string(axis));
    if (out.shape[axis] > std::numeric_limits<int64_t>::max() - shape[axis])
      return ctx.fail("concatenated dimension is too large");
    out.shape[axis] += shape[axis];
  }
  outs = {out};
  return true;
}

bool evalConcat(OpContext &ctx, const std::vector<TensorType> &types,
                std::vector<HostTensor> &outs) {
  int64_t axis;
  concatAxis(ctx, axis);
  const Shape &shape = types[0].shape;
  const int64_t outer = numElements(Shape(shape.begin(), shape.begin() + axis));
  const int64_t inner =
      numElements(Shape(shape.begin() + axis + 1, shape.end()));
  HostTensor out = HostTensor::zeros(types[0]);
  int64_t e = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < ctx.numInputs(); ++i) {
      const HostTensor &in = *ctx.value(i);
      const int64_t block = in.type.shape[axis] * inner;
      for (int64_t k = 0; k < block; ++k)
        copyElement(in, o * block + k, out, e++);
    }
  }
  outs = {std::move(out)};
  return true;
}

/// Per-dimension start, step and output size of a Slice.
bool sliceParams(OpContext &ctx, std::vector<int64_t> &start,
                 std::vector<int64_t> &step, Shape &count) {
  const TensorType &data = *ctx.type(0);
  std::vector<int64_t> starts, ends, axes, steps;
  if (!ctx.constantInts(1, starts) || !ctx.constantInts(2, ends) ||
      (ctx.type(3) && !ctx.constantInts(3, axes)) ||
      (ctx.type(4) && !ctx.constantInts(4, steps)))
    return false;
  const size_t n = starts.size();
  if (!ctx.type(3))
    for (size_t i = 0; i < n; ++i)
      axes.push_back(i);
  if (!ctx.type(4))
    steps.assign(n, 1);
  if (ends.size() != n || axes.size() != n || steps.size() != n)
    return ctx.fail("starts, ends, axes and steps must have the same length");
  if (!ctx.normalizeAxes(axes, data.rank()))
    return false;
  start.assign(data.rank(), 0);
  step.assign(data.rank(), 1);
  count = data.shape;
  for (size_t i = 0; i < n; ++i) {
    const int64_t axis = axes[i], dim = data.shape[axis], st = steps[i];
    if (st == 0)
      return ctx.fail("slice step must not be zero");
    int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
    // Clamp to [0, dim] going forward, [0, dim - 1] / [-1, dim - 1] backward.
    s = std::max<int64_t>(0, std::min(s, st > 0 ? dim : dim - 1));
    e = std::max<int64_t>(st > 0 ? 0 : -1, std::min(e, st > 0 ? dim : dim - 1));
    const uint64_t distance = st > 0 ? e - s : s - e;
    const uint64_t stride = st > 0 ? uint64_t(st) : 0 - uint64_t(st);
    count[axis] = dim == 0 || (st > 0 ? e <= s : s <= e)
                      ? 0
                      : (distance - 1) / stride + 1;
    start[axis] = s;
    step[axis] = st;
  }
  return true;
}

bool inferSlice(OpContext &ctx, std::vector<TensorType> &outs) {
  std::vector<int64_t> start, step;
  Shape count;
  if (!sliceParams(ctx, start, step, count))
    return false;
  outs = {{ctx.type(0)->elementType, count}};
  return true;
}

bool evalSlice(OpContext &ctx, const std::vector<TensorType> &types,
               std::vector<HostTensor> &outs) {
  std::vector<int64_t> start, step;
  Shape count;
  sliceParams(ctx, start, step, count);
  std::vector<int64_t> strides = stridesOf(ctx.type(0)->shape);
  int64_t offset = 0;
  for (size_t d = 0; d < strides.size(); ++d) {
    offset += start[d] * strides[d];
    strides[d] *= step[d];
  }
  outs = {takeElements(*ctx.value(0), stridedIndices(count, offset, strides),
                       types[0])};
  return true;
}

/// Split's axis and output sizes: the split input (attribute before opset
/// 13), else num_outputs chunks (opset 18, last one smaller), else equal.
bool splitSizes(OpContext &ctx, int64_t &axis, std::vector<int64_t> &sizes) {
  const TensorType &data = *ctx.type(0);
  if (!ctx.getInt("axis", 0, axis) || !ctx.normalizeAxis(axis, data.rank()))
    return false;
  if (ctx.opset < 13 && ctx.numInputs() > 1)
    return ctx.fail("split is an attribute before opset 13");
  if (ctx.opset >= 13 && ctx.attr("split"))
    return ctx.fail("split is an input from opset 13");
  if (ctx.opset >= 13 ? ctx.type(1) && !ctx.constantInts(1, sizes)
                      : !ctx.getInts("split", sizes))
    return false;
  const int64_t dim = data.shape[axis], n = ctx.numOutputs();
  const std::string what = "cannot split dimension " + std::to_string(axis) +
                           " of size " + std::to_string(dim) + " into " +
                           std::to_string(n) + " outputs";
  if (!sizes.empty()) {
    bool valid = static_cast<int64_t>(sizes.size()) == n;
    int64_t sum = 0;
    std::string list;
    for (int64_t size : sizes) {
      valid = valid && size >= 0 && size <= dim - sum;
      sum += valid ? size : 0;
      list += (list.empty() ? "" : ", ") + std::to_string(size);
    }
    if (!valid || sum != dim)
      return ctx.fail(what + " of sizes [" + list + "]");
    return true;
  }
  int64_t numOutputs = n;
  if (ctx.opset >= 18 && !ctx.getInt("num_outputs", n, numOutputs))
    return false;
  if (numOutputs != n)
    return ctx.fail("num_outputs is " + std::to_string(numOutputs) +
                    " but the node has " + std::to_string(n) + " outputs");
  const int64_t chunk = (dim + n - 1) / n;
  if (dim % n && (ctx.opset < 18 || !ctx.attr("num_outputs")))
    return ctx.fail(what + " of equal size");
  if (dim - chunk * (n - 1) < 0)
    return ctx.fail(what);
  sizes.assign(n, chunk);
  sizes.back() = dim - chunk * (n - 1);
  return true;
}

bool inferSplit(OpContext &ctx, std::vector<TensorType> &outs) {
  int64_t axis;
  std::vector<int64_t> sizes;
  if (!splitSizes(ctx, axis, sizes))
    return false;
  outs.assign(sizes.size(), *ctx.type(0));
  for (size_t i = 0; i < sizes.size(); ++i)
    outs[i].shape[axis] = sizes[i];
  return true;
}

bool evalSplit(OpContext &ctx, const std::vector<TensorType> &types,
               std::vector<HostTensor> &outs) {
  int64_t axis;
  std::vector<int64_t> sizes;
  splitSizes(ctx, axis, sizes);
  const std::vector<int64_t> strides = stridesOf(ctx.type(0)->shape);
  int64_t offset = 0;
  outs.clear();
  for (size_t i = 0; i < types.size(); ++i) {
    outs.push_back(takeElements(*ctx.value(0),
                                stridedIndices(types[i].shape, offset, strides),
                                types[i]));
    offset += sizes[i] * strides[axis];
  }
  return true;
}

bool inferGather(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0), &indices = *ctx.type(1);
  if (data.rank() == 0)
    return ctx.fail("data must have rank >= 1");
  if (indices.elementType != ElementType::I64 &&
      indices.elementType != ElementType::I32)
    return ctx.fail("indices must be i32 or i64, got " + indices.str());
  int64_t axis;
  if (!ctx.getInt("axis", 0, axis) || !ctx.normalizeAxis(axis, data.rank()))
    return false;
  Shape shape(data.shape.begin(), data.shape.begin() + axis);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  outs = {{data.elementType, shape}};
  return true;
}

bool evalGather(OpContext &ctx, const std::vector<TensorType> &types,
                std::vector<HostTensor> &outs) {
  const HostTensor &data = *ctx.value(0), &indices = *ctx.value(1);
  int64_t axis;
  ctx.getInt("axis", 0, axis);
  ctx.normalizeAxis(axis, data.type.rank());
  const Shape &shape = data.type.shape;
  const int64_t dim = shape[axis];
  const int64_t outer = numElements(Shape(shape.begin(), shape.begin() + axis));
  const int64_t inner =
      numElements(Shape(shape.begin() + axis + 1, shape.end()));
  std::vector<int64_t> rows;
  for (int64_t index : indices.ints) {
    if (index < -dim || index >= dim)
      return ctx.fail("index " + std::to_string(index) +
                      " is out of range for axis " + std::to_string(axis) +
                      " of size " + std::to_string(dim));
    rows.push_back(index < 0 ? index + dim : index);
  }
  std::vector<int64_t> source;
  source.reserve(types[0].numElements());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t row : rows)
      for (int64_t k = 0; k < inner; ++k)
        source.push_back((o * dim + row) * inner + k);
  outs = {takeElements(data, source, types[0])};
  return true;
}

} // namespace

void addIndexOps(std::vector<OpDef> &ops) {
  ops.push_back(
      {"Transpose", 11, 1, 1, 1, 1, inferTranspose, evalTranspose, false});
  ops.push_back({"Concat", 11, 1, -1, 1, 1, inferConcat, evalConcat, false});
  ops.push_back({"Slice", 11, 3, 5, 1, 1, inferSlice, evalSlice, false});
  ops.push_back({"Split", 11, 1, 2, 1, -1, inferSplit, evalSplit, false});
  ops.push_back({"Gather", 11, 2, 2, 1, 1, inferGather, evalGather, false});
}

} // namespace mase::onnx_import
