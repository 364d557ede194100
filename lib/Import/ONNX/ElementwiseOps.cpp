//===- ElementwiseOps.cpp - elementwise ONNX ops --------------------------===//
//
// Broadcasting arithmetic, comparison and logic, unary math, Where, Clip,
// Cast, Identity and Dropout (inference).
//
//===----------------------------------------------------------------------===//

#include "OpContext.h"

#include <cmath>
#include <limits>

namespace mase::onnx_import {
namespace {

/// Broadcast shape of all present inputs.
bool broadcastInputs(OpContext &ctx, Shape &shape) {
  shape.clear();
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    const TensorType *t = ctx.type(i);
    if (!t || broadcastShapes(shape, t->shape, shape))
      continue;
    std::string shapes;
    for (size_t j = 0; j < ctx.numInputs(); ++j)
      if (ctx.type(j))
        shapes += " [" + shapeToString(ctx.type(j)->shape) + "]";
    return ctx.fail("input shapes do not broadcast:" + shapes);
  }
  return true;
}

/// Broadcasting op whose inputs accept `kind`; `SameType` requires equal
/// input element types; the result is Bool or input 0's type.
template <Accepts kind, bool SameType, bool BoolResult>
bool inferBroadcast(OpContext &ctx, std::vector<TensorType> &outs) {
  Shape shape;
  if (!ctx.expectKind(kind, 0, ctx.numInputs() - 1) ||
      (SameType && !ctx.expectSameType(0, ctx.numInputs() - 1)) ||
      !broadcastInputs(ctx, shape))
    return false;
  outs = {{BoolResult ? ElementType::Bool : ctx.type(0)->elementType, shape}};
  return true;
}

template <Accepts kind, bool BoolResult>
bool inferUnary(OpContext &ctx, std::vector<TensorType> &outs) {
  if (!ctx.expectKind(kind, 0, 0))
    return false;
  outs = {*ctx.type(0)};
  if (BoolResult)
    outs[0].elementType = ElementType::Bool;
  return true;
}

enum class Fn {
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Min,
  Max,
  Equal,
  Less,
  Greater,
  GreaterOrEqual,
  LessOrEqual,
  And,
  Or,
  Xor,
  Sqrt,
  Erf,
  Tanh,
  Relu,
  Sigmoid,
  Exp,
  Log,
  Neg,
  Abs,
  Reciprocal,
  Gelu,
  IsNaN,
  Not
};

Fn fnOf(const std::string &opType) {
  static const std::pair<const char *, Fn> fns[] = {
      {"Add", Fn::Add},
      {"Sub", Fn::Sub},
      {"Mul", Fn::Mul},
      {"Div", Fn::Div},
      {"Pow", Fn::Pow},
      {"Min", Fn::Min},
      {"Max", Fn::Max},
      {"Equal", Fn::Equal},
      {"Less", Fn::Less},
      {"Greater", Fn::Greater},
      {"GreaterOrEqual", Fn::GreaterOrEqual},
      {"LessOrEqual", Fn::LessOrEqual},
      {"And", Fn::And},
      {"Or", Fn::Or},
      {"Xor", Fn::Xor},
      {"Sqrt", Fn::Sqrt},
      {"Erf", Fn::Erf},
      {"Tanh", Fn::Tanh},
      {"Relu", Fn::Relu},
      {"Sigmoid", Fn::Sigmoid},
      {"Exp", Fn::Exp},
      {"Log", Fn::Log},
      {"Neg", Fn::Neg},
      {"Abs", Fn::Abs},
      {"Reciprocal", Fn::Reciprocal},
      {"Gelu", Fn::Gelu},
      {"IsNaN", Fn::IsNaN},
      {"Not", Fn::Not}};
  for (const auto &[name, fn] : fns)
    if (opType == name)
      return fn;
  return Fn::Add; // Unreachable: only registered op types get here.
}

double applyFloat(Fn fn, double a, double b) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (fn) {
  case Fn::Add:
    return a + b;
  case Fn::Sub:
    return a - b;
  case Fn::Mul:
    return a * b;
  case Fn::Div:
    return a / b;
  case Fn::Pow:
    return std::pow(a, b);
  case Fn::Min:
    return std::isnan(a) || std::isnan(b) ? nan : std::min(a, b);
  case Fn::Max:
    return std::isnan(a) || std::isnan(b) ? nan : std::max(a, b);
  case Fn::Equal:
    return a == b;
  case Fn::Less:
    return a < b;
  case Fn::Greater:
    return a > b;
  case Fn::GreaterOrEqual:
    return a >= b;
  case Fn::LessOrEqual:
    return a <= b;
  default:
    return nan;
  }
}

int64_t intPow(int64_t base, int64_t exp) {
  if (exp < 0) // Integer truncation of base^exp.
    return base == 1 ? 1 : base == -1 ? (exp % 2 ? -1 : 1) : 0;
  uint64_t result = 1, b = base;
  for (; exp; exp >>= 1, b *= b)
    if (exp & 1)
      result *= b;
  return result;
}

/// Integer arithmetic wraps (the result is later wrapped to the type width);
/// U64 compares unsigned.
bool applyInt(OpContext &ctx, Fn fn, bool u64, int64_t a, int64_t b,
              int64_t &r) {
  uint64_t ua = a, ub = b;
  bool less = u64 ? ua < ub : a < b;
  switch (fn) {
  case Fn::Add:
    r = ua + ub;
    return true;
  case Fn::Sub:
    r = ua - ub;
    return true;
  case Fn::Mul:
    r = ua * ub;
    return true;
  case Fn::Div:
    if (b == 0)
      return ctx.fail("integer division by zero");
    r = u64 ? static_cast<int64_t>(ua / ub)
            : (b == -1 ? static_cast<int64_t>(0 - ua) : a / b);
    return true;
  case Fn::Pow:
    r = intPow(a, b);
    return true;
  case Fn::Min:
    r = less ? a : b;
    return true;
  case Fn::Max:
    r = less ? b : a;
    return true;
  case Fn::Equal:
    r = a == b;
    return true;
  case Fn::Less:
    r = less;
    return true;
  case Fn::Greater:
    r = !less && a != b;
    return true;
  case Fn::GreaterOrEqual:
    r = !less;
    return true;
  case Fn::LessOrEqual:
    r = less || a == b;
    return true;
  case Fn::And:
    r = a && b;
    return true;
  case Fn::Or:
    r = a || b;
    return true;
  case Fn::Xor:
    r = (a != 0) != (b != 0);
    return true;
  default:
    return ctx.fail("unsupported integer operation");
  }
}

/// Folds the broadcast inputs left to right with the op's function.
bool evalBroadcast(OpContext &ctx, const std::vector<TensorType> &types,
                   std::vector<HostTensor> &outs) {
  const Fn fn = fnOf(ctx.node.op_type());
  std::vector<HostTensor> in;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    in.push_back(broadcastTo(*ctx.value(i), types[0].shape));
  const ElementType et = in[0].type.elementType;
  // Pow may mix a float base or exponent with an integer one.
  const bool fp = isFloat(et) || isFloat(in.back().type.elementType);
  HostTensor out = HostTensor::zeros(types[0]);
  for (int64_t e = 0; e < out.numElements(); ++e) {
    if (fp) {
      double r = in[0].getDouble(e);
      for (size_t i = 1; i < in.size(); ++i)
        r = applyFloat(fn, r, in[i].getDouble(e));
      out.setDouble(e, r);
      continue;
    }
    int64_t r = in[0].getInt(e);
    for (size_t i = 1; i < in.size(); ++i)
      if (!applyInt(ctx, fn, et == ElementType::U64, r, in[i].getInt(e), r))
        return false;
    out.setInt(e, r);
  }
  outs = {std::move(out)};
  return true;
}

double gelu(double x, bool tanhApprox) {
  if (tanhApprox)
    return 0.5 * x *
           (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
}

double applyUnary(Fn fn, double v, bool tanhGelu) {
  switch (fn) {
  case Fn::Sqrt:
    return std::sqrt(v);
  case Fn::Erf:
    return std::erf(v);
  case Fn::Tanh:
    return std::tanh(v);
  case Fn::Relu:
    return v < 0 ? 0 : v;
  case Fn::Sigmoid:
    return 1 / (1 + std::exp(-v));
  case Fn::Exp:
    return std::exp(v);
  case Fn::Log:
    return std::log(v);
  case Fn::Neg:
    return -v;
  case Fn::Abs:
    return std::fabs(v);
  case Fn::Reciprocal:
    return 1 / v;
  case Fn::Gelu:
    return gelu(v, tanhGelu);
  case Fn::IsNaN:
    return std::isnan(v);
  default:
    return std::numeric_limits<double>::quiet_NaN();
  }
}

bool inferGelu(OpContext &ctx, std::vector<TensorType> &outs) {
  std::string approximate;
  if (!ctx.getString("approximate", "none", approximate))
    return false;
  if (approximate != "none" && approximate != "tanh")
    return ctx.fail("approximate must be 'none' or 'tanh', got '" +
                    approximate + "'");
  return inferUnary<Accepts::Float, false>(ctx, outs);
}

bool evalUnary(OpContext &ctx, const std::vector<TensorType> &types,
               std::vector<HostTensor> &outs) {
  const Fn fn = fnOf(ctx.node.op_type());
  const HostTensor &x = *ctx.value(0);
  std::string approximate;
  ctx.getString("approximate", "none", approximate);
  HostTensor out = HostTensor::zeros(types[0]);
  for (int64_t e = 0; e < out.numElements(); ++e) {
    if (!isFloat(x.type.elementType)) {
      int64_t v = x.ints[e];
      uint64_t uv = v;
      out.setInt(e, fn == Fn::Not   ? !v
                    : fn == Fn::Neg ? static_cast<int64_t>(0 - uv)
                    : fn == Fn::Abs ? (v < 0 ? static_cast<int64_t>(0 - uv) : v)
                                    : std::max<int64_t>(v, 0)); // Relu
      continue;
    }
    out.setDouble(e, applyUnary(fn, x.getDouble(e), approximate == "tanh"));
  }
  outs = {std::move(out)};
  return true;
}

bool inferWhere(OpContext &ctx, std::vector<TensorType> &outs) {
  Shape shape;
  if (!ctx.expectKind(Accepts::Bool, 0, 0) || !ctx.expectSameType(1, 2) ||
      !broadcastInputs(ctx, shape))
    return false;
  outs = {{ctx.type(1)->elementType, shape}};
  return true;
}

bool evalWhere(OpContext &ctx, const std::vector<TensorType> &types,
               std::vector<HostTensor> &outs) {
  const Shape &shape = types[0].shape;
  HostTensor cond = broadcastTo(*ctx.value(0), shape);
  HostTensor x = broadcastTo(*ctx.value(1), shape);
  HostTensor y = broadcastTo(*ctx.value(2), shape);
  HostTensor out = HostTensor::zeros(types[0]);
  for (int64_t e = 0; e < out.numElements(); ++e)
    copyElement(cond.ints[e] ? x : y, e, out, e);
  outs = {std::move(out)};
  return true;
}

bool inferClip(OpContext &ctx, std::vector<TensorType> &outs) {
  if (!ctx.expectKind(Accepts::Numeric, 0, 0) || !ctx.expectSameType(0, 2))
    return false;
  for (size_t i = 1; i < ctx.numInputs(); ++i)
    if (ctx.type(i) && ctx.type(i)->numElements() != 1)
      return ctx.fail("min and max must be scalars, got " + ctx.type(i)->str());
  outs = {*ctx.type(0)};
  return true;
}

bool evalClip(OpContext &ctx, const std::vector<TensorType> &types,
              std::vector<HostTensor> &outs) {
  const HostTensor &x = *ctx.value(0);
  const HostTensor *lo = ctx.value(1), *hi = ctx.value(2);
  HostTensor out = x;
  for (int64_t e = 0; e < out.numElements(); ++e) {
    if (isFloat(types[0].elementType)) {
      double v = x.getDouble(e);
      if (lo && v < lo->getDouble(0))
        v = lo->getDouble(0);
      if (hi && v > hi->getDouble(0))
        v = hi->getDouble(0);
      out.setDouble(e, v);
      continue;
    }
    // U64 compares unsigned.
    bool u64 = types[0].elementType == ElementType::U64;
    int64_t v = x.ints[e];
    auto less = [&](int64_t a, int64_t b) {
      return u64 ? uint64_t(a) < uint64_t(b) : a < b;
    };
    if (lo && less(v, lo->ints[0]))
      v = lo->ints[0];
    if (hi && less(hi->ints[0], v))
      v = hi->ints[0];
    out.ints[e] = v;
  }
  outs = {std::move(out)};
  return true;
}

bool inferCast(OpContext &ctx, std::vector<TensorType> &outs) {
  if (!ctx.attr("to"))
    return ctx.fail("missing required attribute 'to'");
  int64_t to;
  ElementType et;
  if (!ctx.getInt("to", 0, to))
    return false;
  if (std::string err = elementTypeFromOnnx(static_cast<int>(to), et);
      !err.empty())
    return ctx.fail("cannot cast: " + err);
  outs = {{et, ctx.type(0)->shape}};
  return true;
}

bool evalCast(OpContext &ctx, const std::vector<TensorType> &types,
              std::vector<HostTensor> &outs) {
  const HostTensor &x = *ctx.value(0);
  const ElementType from = x.type.elementType;
  HostTensor out = HostTensor::zeros(types[0]);
  const bool toFloat = isFloat(types[0].elementType);
  for (int64_t e = 0; e < out.numElements(); ++e) {
    // U64 keeps its bit pattern between integer types.
    if (isFloat(from) || (toFloat && from == ElementType::U64))
      out.setDouble(e, x.getDouble(e));
    else
      out.setInt(e, x.ints[e]);
  }
  outs = {std::move(out)};
  return true;
}

bool inferIdentity(OpContext &ctx, std::vector<TensorType> &outs) {
  outs = {*ctx.type(0)};
  return true;
}

bool evalIdentity(OpContext &ctx, const std::vector<TensorType> &,
                  std::vector<HostTensor> &outs) {
  outs = {*ctx.value(0)};
  return true;
}

/// Dropout at inference: the identity, with an all-true mask.
bool inferDropout(OpContext &ctx, std::vector<TensorType> &outs) {
  if (ctx.opset < 12 && ctx.numInputs() > 1)
    return ctx.fail("ratio is an attribute before opset 12");
  if (ctx.type(2)) {
    const HostTensor *training;
    if (!ctx.constantInput(2, training) ||
        !ctx.expectType(2, ElementType::Bool))
      return false;
    // Training with a zero ratio drops nothing, so it is inference too.
    const HostTensor *ratio = ctx.value(1);
    if (training->numElements() != 1 ||
        (training->ints[0] &&
         (!ratio || ratio->numElements() != 1 || ratio->getDouble(0) != 0)))
      return ctx.fail("training_mode must be a false scalar, or true with a "
                      "constant ratio of 0: mase imports for inference");
  }
  outs = {*ctx.type(0)};
  if (ctx.numOutputs() > 1)
    outs.push_back({ElementType::Bool, ctx.type(0)->shape});
  return true;
}

bool evalDropout(OpContext &ctx, const std::vector<TensorType> &types,
                 std::vector<HostTensor> &outs) {
  outs = {*ctx.value(0)};
  if (types.size() > 1) {
    outs.push_back(HostTensor::zeros(types[1]));
    outs[1].ints.assign(outs[1].ints.size(), 1);
  }
  return true;
}

} // namespace

void addElementwiseOps(std::vector<OpDef> &ops) {
  auto arith = inferBroadcast<Accepts::Numeric, true, false>;
  auto compare = inferBroadcast<Accepts::Numeric, true, true>;
  auto logic = inferBroadcast<Accepts::Bool, true, true>;
  auto floatUnary = inferUnary<Accepts::Float, false>;
  for (const char *name : {"Add", "Sub", "Mul", "Div"})
    ops.push_back({name, 11, 2, 2, 1, 1, arith, evalBroadcast, false});
  ops.push_back({"Pow", 11, 2, 2, 1, 1,
                 inferBroadcast<Accepts::Numeric, false, false>, evalBroadcast,
                 false});
  for (const char *name : {"Min", "Max"})
    ops.push_back({name, 11, 1, -1, 1, 1, arith, evalBroadcast, false});
  ops.push_back({"Equal", 11, 2, 2, 1, 1,
                 inferBroadcast<Accepts::Any, true, true>, evalBroadcast,
                 false});
  for (const char *name : {"Less", "Greater"})
    ops.push_back({name, 11, 2, 2, 1, 1, compare, evalBroadcast, false});
  for (const char *name : {"GreaterOrEqual", "LessOrEqual"})
    ops.push_back({name, 12, 2, 2, 1, 1, compare, evalBroadcast, false});
  // Unchanged since opset 7 (And, Or, Xor) and 1 (Not).
  for (const char *name : {"And", "Or", "Xor"})
    ops.push_back({name, 7, 2, 2, 1, 1, logic, evalBroadcast, false});
  ops.push_back({"Not", 1, 1, 1, 1, 1, inferUnary<Accepts::Bool, true>,
                 evalUnary, false});
  for (const char *name :
       {"Sqrt", "Erf", "Tanh", "Sigmoid", "Exp", "Log", "Reciprocal"})
    ops.push_back({name, 11, 1, 1, 1, 1, floatUnary, evalUnary, false});
  for (const char *name : {"Neg", "Relu"})
    ops.push_back({name, 11, 1, 1, 1, 1, inferUnary<Accepts::Signed, false>,
                   evalUnary, false});
  ops.push_back({"Abs", 11, 1, 1, 1, 1, inferUnary<Accepts::Numeric, false>,
                 evalUnary, false});
  ops.push_back({"IsNaN", 11, 1, 1, 1, 1, inferUnary<Accepts::Float, true>,
                 evalUnary, false});
  ops.push_back({"Gelu", 20, 1, 1, 1, 1, inferGelu, evalUnary, false});
  ops.push_back({"Where", 11, 3, 3, 1, 1, inferWhere, evalWhere, false});
  ops.push_back({"Clip", 11, 1, 3, 1, 1, inferClip, evalClip, false});
  ops.push_back({"Cast", 11, 1, 1, 1, 1, inferCast, evalCast, false});
  ops.push_back(
      {"Identity", 11, 1, 1, 1, 1, inferIdentity, evalIdentity, true});
  ops.push_back({"Dropout", 11, 1, 3, 1, 2, inferDropout, evalDropout, false});
}

} // namespace mase::onnx_import
