//===- ReduceOps.cpp - ONNX ReduceSum, ReduceMean, ReduceMax --------------===//

#include "OpContext.h"

#include <cmath>
#include <limits>

namespace mase::onnx_import {
namespace {

/// Which input dimensions are reduced. Axes are an input from opset 13
/// (ReduceSum) or 18 (the others), an attribute before; no axes reduce all
/// dimensions unless noop_with_empty_axes is set.
bool reducedDims(OpContext &ctx, std::vector<bool> &reduced) {
  const int64_t rank = ctx.type(0)->rank();
  const int axesInputOpset = ctx.node.op_type() == "ReduceSum" ? 13 : 18;
  std::vector<int64_t> axes;
  int64_t noop = 0;
  if (ctx.opset >= axesInputOpset) {
    if (ctx.attr("axes"))
      return ctx.fail("axes is an input from opset " +
                      std::to_string(axesInputOpset));
    if ((ctx.type(1) && !ctx.constantInts(1, axes)) ||
        !ctx.getInt("noop_with_empty_axes", 0, noop))
      return false;
  } else if (ctx.numInputs() > 1) {
    return ctx.fail("axes is an attribute before opset " +
                    std::to_string(axesInputOpset));
  } else if (!ctx.getInts("axes", axes)) {
    return false;
  }
  if (!ctx.normalizeAxes(axes, rank))
    return false;
  reduced.assign(rank, axes.empty() && !noop);
  for (int64_t axis : axes)
    reduced[axis] = true;
  return true;
}

bool inferReduce(OpContext &ctx, std::vector<TensorType> &outs) {
  const TensorType &data = *ctx.type(0);
  if (data.elementType == ElementType::Bool &&
      (ctx.node.op_type() != "ReduceMax" || ctx.opset < 20))
    return ctx.fail("bool input is not supported");
  std::vector<bool> reduced;
  int64_t keepDims;
  if (!reducedDims(ctx, reduced) || !ctx.getInt("keepdims", 1, keepDims))
    return false;
  TensorType out{data.elementType, {}};
  for (int64_t d = 0; d < data.rank(); ++d)
    if (!reduced[d] || keepDims)
      out.shape.push_back(reduced[d] ? 1 : data.shape[d]);
  outs = {out};
  return true;
}

int64_t lowestInt(ElementType et) {
  if (isUnsigned(et))
    return 0;
  int bits = 8 * byteWidth(et);
  return bits == 64 ? std::numeric_limits<int64_t>::min()
                    : -(int64_t(1) << (bits - 1));
}

bool evalReduce(OpContext &ctx, const std::vector<TensorType> &types,
                std::vector<HostTensor> &outs) {
  const HostTensor &data = *ctx.value(0);
  const std::string &op = ctx.node.op_type();
  const bool isMax = op == "ReduceMax", isMean = op == "ReduceMean";
  const ElementType et = data.type.elementType;
  const bool fp = isFloat(et), u64 = et == ElementType::U64;
  std::vector<bool> reduced;
  reducedDims(ctx, reduced);

  // Output index of each input element: strides of the kept dimensions.
  Shape kept = data.type.shape;
  for (size_t d = 0; d < kept.size(); ++d)
    if (reduced[d])
      kept[d] = 1;
  std::vector<int64_t> strides = stridesOf(kept);
  for (size_t d = 0; d < kept.size(); ++d)
    if (reduced[d])
      strides[d] = 0;

  const int64_t n = types[0].numElements();
  const int64_t count = n ? data.numElements() / n : 0;
  const double lowest = -std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> accF(n, isMax ? lowest : 0.0);
  std::vector<int64_t> accI(n, isMax ? lowestInt(et) : 0);
  forEachStrided(data.type.shape, 0, strides, [&](int64_t e, int64_t t) {
    if (fp) {
      double v = data.getDouble(e);
      accF[t] = !isMax                                 ? accF[t] + v
                : std::isnan(v) || std::isnan(accF[t]) ? nan
                                                       : std::max(accF[t], v);
      return;
    }
    int64_t v = data.ints[e];
    accI[t] = !isMax ? int64_t(uint64_t(accI[t]) + uint64_t(v))
              : (u64 ? uint64_t(v) > uint64_t(accI[t]) : v > accI[t]) ? v
                                                                      : accI[t];
  });
  HostTensor out = HostTensor::zeros(types[0]);
  for (int64_t i = 0; i < n; ++i) {
    if (fp)
      out.setDouble(i, isMean ? accF[i] / count : accF[i]);
    else if (isMean) // Integer means truncate; an empty mean is 0.
      out.setInt(i, !count ? 0
                    : u64  ? int64_t(uint64_t(accI[i]) / uint64_t(count))
                           : accI[i] / count);
    else
      out.setInt(i, accI[i]);
  }
  outs = {std::move(out)};
  return true;
}

} // namespace

void addReduceOps(std::vector<OpDef> &ops) {
  for (const char *name : {"ReduceSum", "ReduceMean", "ReduceMax"})
    ops.push_back({name, 11, 1, 2, 1, 1, inferReduce, evalReduce, false});
}

} // namespace mase::onnx_import
