//===- NNOps.cpp - ONNX neural network ops (types only) -------------------===//
//
// Softmax, LayerNormalization, MatMul, Gemm, Conv and pooling. These are
// never folded, so only their output types are defined here; OpEmitter.cpp
// and WindowEmitters.cpp emit them.
//
//===----------------------------------------------------------------------===//

#include "OpContext.h"

#include <algorithm>

namespace mase::onnx_import {
namespace {

/// `from` broadcasts to `to` without changing it.
bool broadcastsTo(const Shape &from, const Shape &to) {
  Shape result;
  return from.size() <= to.size() && broadcastShapes(from, to, result) &&
         result == to;
}

bool inferSoftmax(OpContext &ctx, std::vector<TensorType> &outs) {
  int64_t axis;
  if (!ctx.expectKind(Accepts::Float, 0, 0) || !ctx.getInt("axis", -1, axis) ||
      !ctx.normalizeAxis(axis, ctx.type(0)->rank()))
    return false;
  outs = {*ctx.type(0)};
  return true;
}

bool inferLayerNorm(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &x = *ctx.type(0);
  int64_t axis, stash;
  float epsilon;
  ElementType stashType;
  if (!ctx.expectKind(Accepts::Float, 0, 0) || !ctx.expectSameType(0, 2) ||
      !ctx.getInt("axis", -1, axis) || !ctx.normalizeAxis(axis, x.rank()) ||
      !ctx.getFloat("epsilon", 1e-5f, epsilon) ||
      !ctx.getInt("stash_type", onnx::TensorProto_DataType_FLOAT, stash))
    return false;
  if (!elementTypeFromOnnx(static_cast<int>(stash), stashType).empty() ||
      !isFloat(stashType))
    return ctx.fail("stash_type must be a float type, got " +
                    std::to_string(stash));
  const Shape normalized(x.shape.begin() + axis, x.shape.end());
  for (size_t i = 1; i <= 2; ++i)
    if (ctx.type(i) && !broadcastsTo(ctx.type(i)->shape, normalized))
      return ctx.fail(std::string(i == 1 ? "Scale" : "B") + " of shape [" +
                      shapeToString(ctx.type(i)->shape) +
                      "] does not broadcast to the normalized shape [" +
                      shapeToString(normalized) + "]");
  TensorType stats{stashType, x.shape};
  for (int64_t d = axis; d < x.rank(); ++d)
    stats.shape[d] = 1;
  outs = {x};
  outs.resize(ctx.numOutputs(), stats);
  return true;
}

bool inferMatMul(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &a = *ctx.type(0), &b = *ctx.type(1);
  if (!ctx.expectKind(Accepts::Numeric, 0, 0) || !ctx.expectSameType(0, 1))
    return false;
  if (a.rank() == 0 || b.rank() == 0)
    return ctx.fail("operands must not be scalars");
  // 1-D operands are promoted to matrices and the unit dimension dropped.
  Shape sa = a.rank() == 1 ? Shape{1, a.shape[0]} : a.shape;
  Shape sb = b.rank() == 1 ? Shape{b.shape[0], 1} : b.shape;
  Shape batch;
  if (sa.back() != sb[sb.size() - 2] ||
      !broadcastShapes(Shape(sa.begin(), sa.end() - 2),
                       Shape(sb.begin(), sb.end() - 2), batch))
    return ctx.fail("incompatible operand shapes " + a.str() + " and " +
                    b.str());
  if (a.rank() > 1)
    batch.push_back(sa[sa.size() - 2]);
  if (b.rank() > 1)
    batch.push_back(sb.back());
  outs = {{a.elementType, batch}};
  return true;
}

bool inferGemm(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &a = *ctx.type(0), &b = *ctx.type(1);
  int64_t transA, transB;
  float alpha, beta;
  if (!ctx.expectKind(Accepts::Numeric, 0, 0) || !ctx.expectSameType(0, 2) ||
      !ctx.getInt("transA", 0, transA) || !ctx.getInt("transB", 0, transB) ||
      !ctx.getFloat("alpha", 1.0f, alpha) || !ctx.getFloat("beta", 1.0f, beta))
    return false;
  if (a.rank() != 2 || b.rank() != 2)
    return ctx.fail("A and B must be 2-D, got " + a.str() + " and " + b.str());
  const int64_t m = a.shape[transA ? 1 : 0], k = a.shape[transA ? 0 : 1];
  const int64_t kb = b.shape[transB ? 1 : 0], n = b.shape[transB ? 0 : 1];
  if (k != kb)
    return ctx.fail("inner dimensions differ: " + std::to_string(k) + " and " +
                    std::to_string(kb));
  const Shape shape{m, n};
  if (ctx.type(2) && !broadcastsTo(ctx.type(2)->shape, shape))
    return ctx.fail("C of shape [" + shapeToString(ctx.type(2)->shape) +
                    "] does not broadcast to [" + shapeToString(shape) + "]");
  outs = {{a.elementType, shape}};
  return true;
}

/// Sliding-window attributes shared by Conv and pooling.
struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads;
  std::string autoPad;
  int64_t ceilMode = 0;
};

bool readWindow(OpContext &ctx, const TensorType &x, Window &w) {
  if (x.rank() < 3)
    return ctx.fail("input must be N x C x spatial dims, got " + x.str());
  const size_t n = x.rank() - 2;
  w.strides.assign(n, 1);
  w.dilations.assign(n, 1);
  w.pads.assign(2 * n, 0);
  if (!ctx.getInts("kernel_shape", w.kernel) ||
      !ctx.getInts("strides", w.strides) ||
      !ctx.getInts("dilations", w.dilations) || !ctx.getInts("pads", w.pads) ||
      !ctx.getString("auto_pad", "NOTSET", w.autoPad) ||
      !ctx.getInt("ceil_mode", 0, w.ceilMode))
    return false;
  if (w.kernel.size() != n || w.strides.size() != n ||
      w.dilations.size() != n || w.pads.size() != 2 * n)
    return ctx.fail("kernel_shape, strides and dilations need " +
                    std::to_string(n) + " values and pads " +
                    std::to_string(2 * n));
  // The upper bound keeps the window arithmetic far from overflow.
  auto inRange = [](int64_t v, int64_t lo) {
    return v >= lo && v <= (1 << 30);
  };
  for (size_t i = 0; i < n; ++i)
    if (!inRange(w.kernel[i], 1) || !inRange(w.strides[i], 1) ||
        !inRange(w.dilations[i], 1) || !inRange(w.pads[i], 0) ||
        !inRange(w.pads[i + n], 0))
      return ctx.fail("kernel_shape, strides and dilations must be in "
                      "[1, 2^30] and pads in [0, 2^30]");
  if (w.autoPad != "NOTSET" && w.autoPad != "VALID" &&
      w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER")
    return ctx.fail("unknown auto_pad '" + w.autoPad + "'");
  return true;
}

/// Output spatial sizes: floor (or ceil, dropping a last window that would
/// start in the end padding) of (in + pads - effective kernel) / stride + 1;
/// ceil(in / stride) for SAME_*.
bool windowOutput(OpContext &ctx, const TensorType &x, const Window &w,
                  Shape &shape) {
  const size_t n = w.kernel.size();
  for (size_t i = 0; i < n; ++i) {
    const int64_t in = x.shape[i + 2], s = w.strides[i];
    if (w.autoPad.rfind("SAME", 0) == 0) {
      shape.push_back((in + s - 1) / s);
      continue;
    }
    const bool valid = w.autoPad == "VALID";
    const int64_t padBegin = valid ? 0 : w.pads[i];
    const int64_t padded = in + padBegin + (valid ? 0 : w.pads[i + n]);
    const int64_t span = padded - ((w.kernel[i] - 1) * w.dilations[i] + 1);
    if (span < 0)
      return ctx.fail("window of dimension " + std::to_string(i) +
                      " is larger than the padded input (" +
                      std::to_string(padded) + ")");
    int64_t out = (w.ceilMode ? (span + s - 1) / s : span / s) + 1;
    if (w.ceilMode && (out - 1) * s >= in + padBegin)
      --out;
    shape.push_back(out);
  }
  return true;
}

bool inferConv(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &x = *ctx.type(0), &weight = *ctx.type(1);
  Window w;
  int64_t group;
  if (!ctx.expectKind(Accepts::Float, 0, 0) || !ctx.expectSameType(0, 2) ||
      !ctx.getInt("group", 1, group))
    return false;
  if (weight.rank() != x.rank() || x.rank() < 3)
    return ctx.fail("weight " + weight.str() + " does not match input " +
                    x.str());
  w.kernel.assign(weight.shape.begin() + 2, weight.shape.end());
  const Shape kernel = w.kernel;
  if (!readWindow(ctx, x, w))
    return false;
  if (w.kernel != kernel)
    return ctx.fail("kernel_shape differs from the weight's spatial dims");
  const int64_t channels = weight.shape[0];
  if (group < 1 || channels % group || x.shape[1] % group ||
      x.shape[1] / group != weight.shape[1])
    return ctx.fail("input channels " + std::to_string(x.shape[1]) +
                    ", weight " + weight.str() + " and group " +
                    std::to_string(group) + " do not match");
  if (ctx.type(2) && ctx.type(2)->shape != Shape{channels})
    return ctx.fail("bias must have shape [" + std::to_string(channels) +
                    "], got " + ctx.type(2)->str());
  Shape shape{x.shape[0], channels};
  if (!windowOutput(ctx, x, w, shape))
    return false;
  outs = {{x.elementType, shape}};
  return true;
}

bool inferPool(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &x = *ctx.type(0);
  const bool isMax = ctx.node.op_type() == "MaxPool";
  const ElementType et = x.elementType;
  if (!isFloat(et) &&
      !(isMax && (et == ElementType::I8 || et == ElementType::U8)))
    return ctx.fail("unsupported element type " + x.str());
  if (!ctx.attr("kernel_shape"))
    return ctx.fail("missing required attribute 'kernel_shape'");
  Window w;
  Shape shape(x.shape.begin(),
              x.shape.begin() + std::min<int64_t>(2, x.rank()));
  if (!readWindow(ctx, x, w) || !windowOutput(ctx, x, w, shape))
    return false;
  outs = {{et, shape}};
  if (ctx.numOutputs() > 1)
    outs.push_back({ElementType::I64, shape});
  return true;
}

bool inferGlobalPool(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &x = *ctx.type(0);
  if (!ctx.expectKind(Accepts::Float, 0, 0))
    return false;
  if (x.rank() < 3)
    return ctx.fail("input must be N x C x spatial dims, got " + x.str());
  TensorType out = x;
  std::fill(out.shape.begin() + 2, out.shape.end(), 1);
  outs = {out};
  return true;
}

} // namespace

void addNNOps(std::vector<OpDef> &ops) {
  ops.push_back({"Softmax", 13, 1, 1, 1, 1, inferSoftmax, nullptr, false});
  ops.push_back(
      {"LayerNormalization", 17, 2, 3, 1, 3, inferLayerNorm, nullptr, false});
  ops.push_back({"MatMul", 11, 2, 2, 1, 1, inferMatMul, nullptr, false});
  ops.push_back({"Gemm", 11, 2, 3, 1, 1, inferGemm, nullptr, false});
  ops.push_back({"Conv", 11, 2, 3, 1, 1, inferConv, nullptr, false});
  ops.push_back({"MaxPool", 11, 1, 1, 1, 2, inferPool, nullptr, false});
  ops.push_back({"AveragePool", 11, 1, 1, 1, 1, inferPool, nullptr, false});
  // Unchanged since opset 1.
  ops.push_back(
      {"GlobalAveragePool", 1, 1, 1, 1, 1, inferGlobalPool, nullptr, false});
}

} // namespace mase::onnx_import
