//===- OpEmitter.cpp - ONNX nodes to mase graph ops -----------------------===//
//
// Emits the mase op for an ONNX node whose inputs are not all constants.
// Version differences are resolved here (attributes that became inputs);
// constant operands that an op needs as attributes (axes, permutations,
// slice bounds) must be constants, which the import-time evaluator makes
// them for exported models.
//
//===----------------------------------------------------------------------===//

#include "NodeEmitter.h"
#include "mase/Import/ONNX/LayerName.h"
#include "mase/Import/ONNX/OpEmitter.h"

#include <map>
#include <numeric>

using namespace mlir;

namespace mase::onnx_import {

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     const std::string &name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t intAttr(const onnx::NodeProto &node, const std::string &name,
                int64_t fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : fallback;
}

float floatAttr(const onnx::NodeProto &node, const std::string &name,
                float fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->f() : fallback;
}

std::vector<int64_t> intsAttr(const onnx::NodeProto &node,
                              const std::string &name,
                              std::vector<int64_t> fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return fallback;
  return {attr->ints().begin(), attr->ints().end()};
}

Operation *NodeEmitter::create(StringRef name, ValueRange operands,
                               ArrayRef<NamedAttribute> attributes,
                               std::optional<TensorType> resultType) {
  OperationState op(state.locationOf(node), ("mase." + name).str());
  op.addOperands(operands);
  op.addTypes(toMlirType(resultType ? *resultType : outputTypes.front(),
                         context));
  op.addAttributes(attributes);
  op.addAttribute("mase.layer",
                  StringAttr::get(context, layerName(node.name())));
  return state.builder.create(op);
}

Value NodeEmitter::cast(Value v, const TensorType &type,
                        ElementType elementType) {
  if (type.elementType == elementType)
    return v;
  return value("cast", {v}, {}, {elementType, type.shape});
}

Value NodeEmitter::constantValue(const std::string &name, HostTensor tensor) {
  state.values[name] = {tensor.type, std::move(tensor), Value()};
  return state.valueOf(name);
}

Value NodeEmitter::scalar(const std::string &suffix, ElementType elementType,
                          double v) {
  HostTensor tensor = HostTensor::zeros({elementType, {}});
  tensor.setDouble(0, v);
  return constantValue(node.output(0) + "." + suffix, std::move(tensor));
}

std::string NodeEmitter::constantInts(int i, std::vector<int64_t> &values) {
  const HostTensor *tensor = constant(i);
  if (!tensor)
    return "input " + std::to_string(i) + " ('" + node.input(i) +
           "') must be a constant: mase needs it at compile time";
  values.clear();
  for (int64_t k = 0; k < tensor->numElements(); ++k)
    values.push_back(tensor->getInt(k));
  return {};
}

namespace {

/// One mase op with the node's operands in order.
Emit direct(StringRef name) {
  return [name = name.str()](NodeEmitter &e) -> std::string {
    SmallVector<Value> operands;
    for (int i = 0; i < e.node.input_size(); ++i)
      operands.push_back(e.input(i));
    e.define(0, e.create(name, operands)->getResult(0));
    return {};
  };
}

/// A pairwise fold of a variadic ONNX op (Max, Min, Sum) into binary ops.
Emit variadic(StringRef name) {
  return [name = name.str()](NodeEmitter &e) -> std::string {
    Value acc = e.input(0);
    for (int i = 1; i < e.node.input_size(); ++i)
      acc = e.create(name, {acc, e.input(i)})->getResult(0);
    e.define(0, acc);
    return {};
  };
}

/// Ops that only change the shape: the inferred type says how.
std::string emitReshape(NodeEmitter &e) {
  e.define(0, e.create("reshape", {e.input(0)})->getResult(0));
  return {};
}

/// Identity, and Dropout in inference, whose mask keeps everything.
std::string emitIdentity(NodeEmitter &e) {
  e.define(0, e.input(0));
  if (e.hasOutput(1)) {
    HostTensor mask = HostTensor::zeros(e.outputTypes[1]);
    mask.ints.assign(mask.ints.size(), 1);
    e.state.values[e.node.output(1)] = {mask.type, std::move(mask), Value()};
  }
  return {};
}

std::string emitSoftmax(NodeEmitter &e) {
  int64_t axis = normalizeAxis(intAttr(e.node, "axis", -1), e.inputRank(0));
  e.define(0, e.create("softmax", {e.input(0)}, {e.i64("axis", axis)})
                  ->getResult(0));
  return {};
}

std::string emitGelu(NodeEmitter &e) {
  const onnx::AttributeProto *attr = findAttr(e.node, "approximate");
  std::string approximate = attr ? attr->s() : "none";
  e.define(0, e.create("gelu", {e.input(0)},
                       {e.named("approximate",
                                StringAttr::get(e.context, approximate))})
                  ->getResult(0));
  return {};
}

/// LayerNormalization whose Mean or InvStdDev output is used, spelled out
/// in mase ops as ONNX defines it: statistics in stash_type (the type of
/// those outputs), the normalised value cast back to the input type, then
/// scaled and shifted.
std::string emitLayerNormWithStats(NodeEmitter &e, int64_t axis,
                                   float epsilon) {
  const TensorType &x = e.slot(0).type;
  const TensorType &stats = e.outputTypes[1];
  const TensorType full{stats.elementType, x.shape};
  std::vector<int64_t> axes(x.rank() - axis);
  std::iota(axes.begin(), axes.end(), axis);
  SmallVector<NamedAttribute> reduce = {e.i64s("axes", axes),
                                        e.boolean("keepdims", true)};
  Value input = e.cast(e.input(0), x, stats.elementType);
  Value mean = e.value("reduce_mean", {input}, reduce, stats);
  Value centred = e.value("sub", {input, mean}, {}, full);
  Value squares = e.value("mul", {centred, centred}, {}, full);
  Value var = e.value("reduce_mean", {squares}, reduce, stats);
  Value eps = e.scalar("epsilon", stats.elementType, epsilon);
  Value std = e.value("sqrt", {e.value("add", {var, eps}, {}, stats)}, {},
                      stats);
  Value invStd = e.value("reciprocal", {std}, {}, stats);
  Value y = e.cast(e.value("mul", {centred, invStd}, {}, full), full,
                   x.elementType);
  y = e.value("mul", {y, e.input(1)}, {}, e.outputTypes[0]);
  if (e.has(2))
    y = e.value("add", {y, e.input(2)}, {}, e.outputTypes[0]);
  e.define(0, y);
  if (e.hasOutput(1))
    e.define(1, mean);
  if (e.hasOutput(2))
    e.define(2, invStd);
  return {};
}

std::string emitLayerNorm(NodeEmitter &e) {
  int64_t axis = normalizeAxis(intAttr(e.node, "axis", -1), e.inputRank(0));
  float epsilon = floatAttr(e.node, "epsilon", 1e-5f);
  if (e.hasOutput(1) || e.hasOutput(2))
    return emitLayerNormWithStats(e, axis, epsilon);
  SmallVector<Value> operands = {e.input(0), e.input(1)};
  if (e.has(2))
    operands.push_back(e.input(2));
  int32_t segments[] = {1, 1, e.has(2) ? 1 : 0};
  e.define(0, e.create("layer_norm", operands,
                       {e.i64("axis", axis),
                        e.named("epsilon", FloatAttr::get(
                                               Float32Type::get(e.context),
                                               epsilon)),
                        e.named("operandSegmentSizes",
                                DenseI32ArrayAttr::get(e.context, segments))})
                  ->getResult(0));
  return {};
}

/// A constant 2-D weight transposed to MASE's [out_features, in_features].
Value transposedWeight(NodeEmitter &e, const HostTensor &weight) {
  int64_t rows = weight.type.shape[0], cols = weight.type.shape[1];
  HostTensor t = HostTensor::zeros({weight.type.elementType, {cols, rows}});
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t.setDouble(c * rows + r, weight.getDouble(r * cols + c));
  return e.constantValue(e.node.input(1) + ".T", std::move(t));
}

/// MatMul by a constant 2-D weight is a `mase.linear` (the bias Add, if
/// any, is fused by the importer); otherwise a `mase.matmul`.
std::string emitMatMul(NodeEmitter &e) {
  const HostTensor *weight = e.constant(1);
  if (!weight || weight->type.rank() != 2 || e.constant(0)) {
    e.define(0, e.create("matmul", {e.input(0), e.input(1)})->getResult(0));
    return {};
  }
  e.define(0, e.create("linear", {e.input(0), transposedWeight(e, *weight)})
                  ->getResult(0));
  return {};
}

/// A 2-D value transposed.
Value transpose2d(NodeEmitter &e, Value v, const TensorType &type) {
  return e.value("transpose", {v}, {e.i64s("permutation", {1, 0})},
                 {type.elementType, {type.shape[1], type.shape[0]}});
}

/// Gemm with a constant B, no transA, alpha = beta = 1 and no C or a 1-D C
/// of N elements is a linear layer; any other Gemm is spelled out as
/// transposes, a matmul, scalings by alpha and beta, and a broadcasting add.
std::string emitGemm(NodeEmitter &e) {
  const HostTensor *weight = e.constant(1);
  const bool transA = intAttr(e.node, "transA", 0);
  const bool transB = intAttr(e.node, "transB", 0);
  const float alpha = floatAttr(e.node, "alpha", 1.0f);
  const float beta = floatAttr(e.node, "beta", 1.0f);
  const TensorType &out = e.outputTypes.front();
  if (weight && !transA && alpha == 1.0f && beta == 1.0f &&
      (!e.has(2) || e.slot(2).type.shape == Shape{out.shape[1]})) {
    Value w = transB ? e.input(1) : transposedWeight(e, *weight);
    SmallVector<Value> operands = {e.input(0), w};
    if (e.has(2))
      operands.push_back(e.input(2));
    e.define(0, e.create("linear", operands)->getResult(0));
    return {};
  }
  Value a = e.input(0), b = e.input(1);
  if (transA)
    a = transpose2d(e, a, e.slot(0).type);
  if (transB)
    b = transpose2d(e, b, e.slot(1).type);
  Value y = e.value("matmul", {a, b}, {}, out);
  if (alpha != 1.0f)
    y = e.value("mul", {y, e.scalar("alpha", out.elementType, alpha)}, {},
                out);
  if (e.has(2)) {
    Value c = e.input(2);
    if (beta != 1.0f)
      c = e.value("mul", {c, e.scalar("beta", out.elementType, beta)}, {},
                  e.slot(2).type);
    y = e.value("add", {y, c}, {}, out);
  }
  e.define(0, y);
  return {};
}

/// Pow with the base's result type: an integer exponent of a float base is
/// converted to the base type; an integer base with a float exponent is
/// raised in the exponent's type and converted back (truncating, as ONNX's
/// reference does).
std::string emitPow(NodeEmitter &e) {
  const TensorType &base = e.slot(0).type, &exp = e.slot(1).type;
  const TensorType &out = e.outputTypes.front();
  if (isFloat(base.elementType) || !isFloat(exp.elementType)) {
    Value exponent = e.cast(e.input(1), exp, base.elementType);
    e.define(0, e.value("pow", {e.input(0), exponent}, {}, out));
    return {};
  }
  const TensorType wide{exp.elementType, out.shape};
  Value power = e.value(
      "pow", {e.cast(e.input(0), base, exp.elementType), e.input(1)}, {},
      wide);
  e.define(0, e.cast(power, wide, out.elementType));
  return {};
}

/// Gather from a constant 2-D table along axis 0 is an embedding lookup.
std::string emitGather(NodeEmitter &e) {
  int64_t axis = normalizeAxis(intAttr(e.node, "axis", 0), e.inputRank(0));
  const HostTensor *table = e.constant(0);
  if (table && table->type.rank() == 2 && axis == 0) {
    e.define(0, e.create("embedding", {e.input(1), e.input(0)})->getResult(0));
    return {};
  }
  e.define(0, e.create("gather", {e.input(0), e.input(1)},
                       {e.i64("axis", axis)})
                  ->getResult(0));
  return {};
}

std::string emitTranspose(NodeEmitter &e) {
  int64_t rank = e.inputRank(0);
  std::vector<int64_t> perm(rank);
  std::iota(perm.rbegin(), perm.rend(), 0);
  if (const onnx::AttributeProto *attr = findAttr(e.node, "perm"))
    perm.assign(attr->ints().begin(), attr->ints().end());
  e.define(0, e.create("transpose", {e.input(0)}, {e.i64s("permutation", perm)})
                  ->getResult(0));
  return {};
}

std::string emitConcat(NodeEmitter &e) {
  SmallVector<Value> operands;
  for (int i = 0; i < e.node.input_size(); ++i)
    operands.push_back(e.input(i));
  int64_t axis = normalizeAxis(intAttr(e.node, "axis", 0), e.inputRank(0));
  e.define(0, e.create("concat", operands, {e.i64("axis", axis)})->getResult(0));
  return {};
}

std::string emitExpand(NodeEmitter &e) {
  e.define(0, e.create("expand", {e.input(0)})->getResult(0));
  return {};
}

/// Slice bounds normalised per dimension as numpy/ONNX clamp them.
std::string emitSlice(NodeEmitter &e) {
  const Shape &shape = e.slot(0).type.shape;
  int64_t rank = shape.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (std::string error = e.constantInts(1, starts); !error.empty())
    return error;
  if (std::string error = e.constantInts(2, ends); !error.empty())
    return error;
  if (e.has(3)) {
    if (std::string error = e.constantInts(3, axes); !error.empty())
      return error;
  } else {
    axes.resize(starts.size());
    std::iota(axes.begin(), axes.end(), 0);
  }
  if (e.has(4)) {
    if (std::string error = e.constantInts(4, steps); !error.empty())
      return error;
  } else {
    steps.assign(starts.size(), 1);
  }
  std::vector<int64_t> allStarts(rank, 0), allEnds(shape), allSteps(rank, 1);
  for (size_t k = 0; k < axes.size(); ++k) {
    int64_t axis = normalizeAxis(axes[k], rank), dim = shape[axis];
    int64_t step = steps[k];
    auto clampIndex = [&](int64_t v, bool isEnd) {
      if (v < 0)
        v += dim;
      if (step > 0)
        return std::clamp<int64_t>(v, 0, dim);
      return std::clamp<int64_t>(v, isEnd ? -1 : 0, dim - 1);
    };
    allStarts[axis] = clampIndex(starts[k], false);
    allEnds[axis] = clampIndex(ends[k], true);
    allSteps[axis] = step;
  }
  e.define(0, e.create("slice", {e.input(0)},
                       {e.i64s("starts", allStarts), e.i64s("ends", allEnds),
                        e.i64s("steps", allSteps)})
                  ->getResult(0));
  return {};
}

/// ReduceMean/Sum/Max: axes from the attribute (older opsets) or the second
/// input (ReduceSum from 13, the others from 18).
Emit reduce(StringRef name) {
  return [name = name.str()](NodeEmitter &e) -> std::string {
    int64_t rank = e.inputRank(0);
    std::vector<int64_t> axes;
    if (const onnx::AttributeProto *attr = findAttr(e.node, "axes"))
      axes.assign(attr->ints().begin(), attr->ints().end());
    else if (e.has(1))
      if (std::string error = e.constantInts(1, axes); !error.empty())
        return error;
    if (axes.empty() && !intAttr(e.node, "noop_with_empty_axes", 0)) {
      axes.resize(rank);
      std::iota(axes.begin(), axes.end(), 0);
    }
    for (int64_t &axis : axes)
      axis = normalizeAxis(axis, rank);
    bool keepdims = intAttr(e.node, "keepdims", 1) != 0;
    e.define(0, e.create(name, {e.input(0)},
                         {e.i64s("axes", axes),
                          e.named("keepdims", BoolAttr::get(e.context, keepdims))})
                    ->getResult(0));
    return {};
  };
}

/// Add of a 1-D constant bias to a bias-less `mase.linear` with no other
/// use folds into the linear layer, as MASE's Linear holds its bias.
std::string emitAdd(NodeEmitter &e) {
  for (int lhs = 0; lhs < 2; ++lhs) {
    int rhs = 1 - lhs;
    const HostTensor *bias = e.constant(rhs);
    if (!bias || bias->type.rank() != 1 || e.constant(lhs))
      continue;
    Value value = e.input(lhs);
    Operation *linear = value.getDefiningOp();
    if (!linear || linear->getName().getStringRef() != "mase.linear" ||
        linear->getNumOperands() != 2 || !value.use_empty() ||
        e.state.onnxUses(e.node.input(lhs)) != 1 ||
        e.slot(lhs).type != e.outputTypes.front() ||
        bias->type.shape[0] != e.outputTypes.front().shape.back())
      continue;
    Value biasValue = e.input(rhs);
    if (Operation *def = biasValue.getDefiningOp();
        def && linear->isBeforeInBlock(def))
      def->moveBefore(linear);
    linear->insertOperands(2, biasValue);
    e.define(0, value);
    return {};
  }
  e.define(0, e.create("add", {e.input(0), e.input(1)})->getResult(0));
  return {};
}

/// IsNaN(x) is x != x: not(equal(x, x)).
std::string emitIsNaN(NodeEmitter &e) {
  TensorType mask = e.outputTypes.front();
  Value equal = e.create("equal", {e.input(0), e.input(0)}, {}, mask)->getResult(0);
  e.define(0, e.create("not", {equal})->getResult(0));
  return {};
}

/// Clip with constant bounds becomes max/min against those constants.
std::string emitClip(NodeEmitter &e) {
  Value value = e.input(0);
  if (e.has(1))
    value = e.create("max", {value, e.input(1)})->getResult(0);
  if (e.has(2))
    value = e.create("min", {value, e.input(2)})->getResult(0);
  e.define(0, value);
  return {};
}

/// Split into slices along `axis`.
std::string emitSplit(NodeEmitter &e) {
  int64_t rank = e.inputRank(0);
  int64_t axis = normalizeAxis(intAttr(e.node, "axis", 0), rank);
  const Shape &shape = e.slot(0).type.shape;
  int64_t offset = 0;
  for (int k = 0; k < e.node.output_size(); ++k) {
    std::vector<int64_t> starts(rank, 0), ends(shape), steps(rank, 1);
    starts[axis] = offset;
    offset += e.outputTypes[k].shape[axis];
    ends[axis] = offset;
    e.define(k, e.create("slice", {e.input(0)},
                         {e.i64s("starts", starts), e.i64s("ends", ends),
                          e.i64s("steps", steps)},
                         e.outputTypes[k])
                    ->getResult(0));
  }
  return {};
}

const std::map<std::string, Emit> &emitters() {
  static const std::map<std::string, Emit> table = {
      {"Abs", direct("abs")},
      {"Add", emitAdd},
      {"AveragePool", emitAveragePool},
      {"And", direct("and")},
      {"Cast", direct("cast")},
      {"Clip", emitClip},
      {"Concat", emitConcat},
      {"Conv", emitConv},
      {"Div", direct("div")},
      {"Dropout", emitIdentity},
      {"Equal", direct("equal")},
      {"Erf", direct("erf")},
      {"Exp", direct("exp")},
      {"Expand", emitExpand},
      {"Flatten", emitReshape},
      {"Gather", emitGather},
      {"Gelu", emitGelu},
      {"Gemm", emitGemm},
      {"GlobalAveragePool", emitGlobalAveragePool},
      {"Greater", direct("greater")},
      {"GreaterOrEqual", direct("greater_equal")},
      {"Identity", emitIdentity},
      {"IsNaN", emitIsNaN},
      {"LayerNormalization", emitLayerNorm},
      {"Less", direct("less")},
      {"LessOrEqual", direct("less_equal")},
      {"Log", direct("log")},
      {"MatMul", emitMatMul},
      {"Max", variadic("max")},
      {"MaxPool", emitMaxPool},
      {"Min", variadic("min")},
      {"Mul", direct("mul")},
      {"Neg", direct("neg")},
      {"Not", direct("not")},
      {"Or", direct("or")},
      {"Pow", emitPow},
      {"Reciprocal", direct("reciprocal")},
      {"ReduceMax", reduce("reduce_max")},
      {"ReduceMean", reduce("reduce_mean")},
      {"ReduceSum", reduce("reduce_sum")},
      {"Relu", direct("relu")},
      {"Reshape", emitReshape},
      {"Sigmoid", direct("sigmoid")},
      {"Slice", emitSlice},
      {"Softmax", emitSoftmax},
      {"Split", emitSplit},
      {"Sqrt", direct("sqrt")},
      {"Squeeze", emitReshape},
      {"Sub", direct("sub")},
      {"Tanh", direct("tanh")},
      {"Transpose", emitTranspose},
      {"Unsqueeze", emitReshape},
      {"Where", direct("where")},
      {"Xor", direct("xor")},
  };
  return table;
}

} // namespace

bool canEmit(const std::string &opType) { return emitters().count(opType); }

std::string emitNode(ImporterState &state, const onnx::NodeProto &node,
                     const std::vector<TensorType> &outputTypes) {
  auto it = emitters().find(node.op_type());
  if (it == emitters().end())
    return node.op_type() +
           " can only be imported when all its inputs are constants";
  NodeEmitter emitter(state, node, outputTypes);
  // Direct ops map ONNX operands 1:1; ops whose extra inputs are attributes
  // in mase (Reshape's shape, Unsqueeze's axes, ...) drop them.
  std::string error = it->second(emitter);
  if (error.empty())
    return error;
  // Name the node as the type inference's messages do.
  std::string where = node.op_type() + " node ";
  if (!node.name().empty())
    where += "'" + node.name() + "'";
  else
    where += "producing '" + node.output(0) + "'";
  return where + ": " + error;
}

} // namespace mase::onnx_import
