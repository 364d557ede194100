//===- NodeSemantics.cpp - ONNX node typing and constant folding ----------===//
//
// The op table and the checks shared by every op: domain, opset, arity,
// required inputs and static input shapes.
//
//===----------------------------------------------------------------------===//

#include "mase/Import/ONNX/NodeSemantics.h"
#include "OpContext.h"

#include <algorithm>
#include <limits>

namespace mase::onnx_import {
namespace {

const std::vector<OpDef> &opTable() {
  static const std::vector<OpDef> table = [] {
    std::vector<OpDef> ops;
    addElementwiseOps(ops);
    addShapeOps(ops);
    addIndexOps(ops);
    addReduceOps(ops);
    addNNOps(ops);
    std::sort(ops.begin(), ops.end(), [](const OpDef &a, const OpDef &b) {
      return std::string(a.name) < b.name;
    });
    return ops;
  }();
  return table;
}

bool isDefaultDomain(const onnx::NodeProto &node) {
  return node.domain().empty() || node.domain() == "ai.onnx";
}

const OpDef *findOp(const std::string &opType) {
  for (const OpDef &op : opTable())
    if (opType == op.name)
      return &op;
  return nullptr;
}

/// The product of the nonzero dims (so every partial product) fits in int64.
bool sizeFits(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d > 0 && n > std::numeric_limits<int64_t>::max() / d)
      return false;
    n *= d > 0 ? d : 1;
  }
  return true;
}

std::string arity(int lo, int hi) {
  if (hi < 0)
    return "at least " + std::to_string(lo);
  return lo == hi ? std::to_string(lo)
                  : std::to_string(lo) + " to " + std::to_string(hi);
}

/// Finds the op, checks opset and arity, then infers the output types.
bool runInfer(OpContext &ctx, const OpDef *&def,
              std::vector<TensorType> &outs) {
  const onnx::NodeProto &node = ctx.node;
  if (!isDefaultDomain(node))
    return ctx.fail("unsupported domain '" + node.domain() + "'");
  def = findOp(node.op_type());
  if (!def)
    return ctx.fail("unsupported op type");
  if (ctx.opset < def->minOpset || ctx.opset > kMaxOpset)
    return ctx.fail(
        "opset " + std::to_string(ctx.opset) +
        " is not supported (covered: " + std::to_string(def->minOpset) +
        " to " + std::to_string(kMaxOpset) + ")");
  const int numIn = node.input_size(), numOut = node.output_size();
  if (numIn < def->minInputs || (def->maxInputs >= 0 && numIn > def->maxInputs))
    return ctx.fail("expects " + arity(def->minInputs, def->maxInputs) +
                    " inputs, got " + std::to_string(numIn));
  if (numOut < def->minOutputs ||
      (def->maxOutputs >= 0 && numOut > def->maxOutputs))
    return ctx.fail("expects " + arity(def->minOutputs, def->maxOutputs) +
                    " outputs, got " + std::to_string(numOut));
  // Variadic inputs are all required.
  const int required = def->maxInputs < 0 ? numIn : def->minInputs;
  for (int i = 0; i < numIn; ++i) {
    const TensorType *t = ctx.type(i);
    if (i < required && !ctx.input(i, t))
      return false;
    if (t && std::any_of(t->shape.begin(), t->shape.end(),
                         [](int64_t d) { return d < 0; }))
      return ctx.fail("input " + std::to_string(i) + " has shape [" +
                      shapeToString(t->shape) + "]: mase needs static shapes");
    if (t && !sizeFits(t->shape))
      return ctx.fail("input " + std::to_string(i) + " is too large");
  }
  outs.clear();
  if (!def->infer(ctx, outs))
    return false;
  if (static_cast<int>(outs.size()) != numOut)
    return ctx.fail("internal error: inferred " + std::to_string(outs.size()) +
                    " output types");
  for (const TensorType &t : outs)
    if (!sizeFits(t.shape))
      return ctx.fail("output shape [" + shapeToString(t.shape) +
                      "] is too large");
  return true;
}

} // namespace

bool isSupported(const std::string &opType, int opset) {
  const OpDef *def = findOp(opType);
  return def && opset >= def->minOpset && opset <= kMaxOpset;
}

std::vector<std::pair<std::string, std::pair<int, int>>> supportedOps() {
  std::vector<std::pair<std::string, std::pair<int, int>>> result;
  for (const OpDef &op : opTable())
    result.push_back({op.name, {op.minOpset, kMaxOpset}});
  return result;
}

std::string inferTypes(const onnx::NodeProto &node, int opset,
                       const std::vector<const TensorType *> &inputTypes,
                       const std::vector<const HostTensor *> &constants,
                       std::vector<TensorType> &outputTypes) {
  OpContext ctx(node, opset, inputTypes, constants);
  const size_t numIn = node.input_size();
  if (inputTypes.size() != numIn ||
      (!constants.empty() && constants.size() != numIn)) {
    ctx.fail("got " + std::to_string(inputTypes.size()) + " input types and " +
             std::to_string(constants.size()) + " constants for " +
             std::to_string(numIn) + " inputs");
    return ctx.error();
  }
  for (size_t i = 0; i < constants.size(); ++i) {
    const HostTensor *c = constants[i];
    if (c && (!inputTypes[i] || c->type != *inputTypes[i] || !c->hasData())) {
      ctx.fail("constant for input " + std::to_string(i) +
               " does not match its type");
      return ctx.error();
    }
  }
  const OpDef *def;
  std::vector<TensorType> outs;
  if (!runInfer(ctx, def, outs))
    return ctx.error();
  outputTypes = std::move(outs);
  return {};
}

bool canFold(const onnx::NodeProto &node,
             const std::vector<TensorType> &outputTypes) {
  const OpDef *def = isDefaultDomain(node) ? findOp(node.op_type()) : nullptr;
  if (!def || !def->eval)
    return false;
  return def->alwaysFold ||
         std::all_of(outputTypes.begin(), outputTypes.end(),
                     [](const TensorType &t) {
                       return t.numElements() <= kMaxFoldElements;
                     });
}

bool foldsFromInputTypes(const onnx::NodeProto &node) {
  return isDefaultDomain(node) && node.op_type() == "Shape";
}

std::string evaluate(const onnx::NodeProto &node, int opset,
                     const std::vector<const HostTensor *> &inputs,
                     const std::vector<TensorType> &outputTypes,
                     std::vector<HostTensor> &outputs) {
  std::vector<const TensorType *> types;
  for (const HostTensor *in : inputs)
    types.push_back(in ? &in->type : nullptr);
  OpContext ctx(node, opset, types, inputs);
  if (inputs.size() != static_cast<size_t>(node.input_size())) {
    ctx.fail("got " + std::to_string(inputs.size()) + " values for " +
             std::to_string(node.input_size()) + " inputs");
    return ctx.error();
  }
  const bool typeOnly = foldsFromInputTypes(node);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i] && !typeOnly && !inputs[i]->hasData()) {
      ctx.fail("input " + std::to_string(i) + " has no data for its type " +
               inputs[i]->type.str());
      return ctx.error();
    }
  }
  const OpDef *def;
  std::vector<TensorType> inferred;
  if (!runInfer(ctx, def, inferred))
    return ctx.error();
  if (!def->eval)
    ctx.fail("cannot be evaluated at import");
  else if (inferred != outputTypes)
    ctx.fail("output types do not match the inferred ones");
  std::vector<HostTensor> results;
  if (!ctx.error().empty() || !def->eval(ctx, inferred, results))
    return ctx.error();
  outputs = std::move(results);
  return {};
}

} // namespace mase::onnx_import
