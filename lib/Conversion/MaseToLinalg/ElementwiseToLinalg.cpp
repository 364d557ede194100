//===- ElementwiseToLinalg.cpp - mase elementwise ops to linalg -----------===//
//
// Every elementwise mase op (binary arithmetic, comparisons, logical ops,
// where, unary functions, cast) becomes one all-parallel linalg.generic over
// the result shape, with numpy broadcasting in the operands' indexing maps
// and a tensor.empty as init. Float operands use arith's `*f` ops (ordered
// comparisons, NaN-propagating maximumf/minimumf) and math; signless integer
// operands use the signed arith ops (i1 uses the unsigned ones where order
// matters, so that true > false). Unsigned integer tensors (ONNX uint*) are
// computed on as signless scalars of the same width with the unsigned arith
// ops: the body converts each scalar with an unrealized_conversion_cast,
// which folds away when the types meet in the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

//===----------------------------------------------------------------------===//
// Scalar bodies. Each takes the scalar block arguments of the inputs (as
// float or signless values) and the operands' element type as the op has it
// (unsigned for ONNX uint*); the pattern has already checked the types.
//===----------------------------------------------------------------------===//

using ScalarEmitter = Value (*)(OpBuilder &, Location, ValueRange, Type);

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
bool isBool(Value v) { return v.getType().isInteger(1); }
/// Whether integer order is unsigned: i1 (true > false) and uint*.
bool isUnsignedOrder(Value v, Type type) {
  return isBool(v) || type.isUnsignedInteger();
}

/// The signless type arith computes `type` in (itself unless unsigned).
Type arithType(Type type) {
  if (type.isUnsignedInteger())
    return IntegerType::get(type.getContext(), type.getIntOrFloatBitWidth());
  return type;
}

/// `value` as `type` when the two differ only in signedness.
Value convertSignedness(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return UnrealizedConversionCastOp::create(b, loc, type, value).getResult(0);
}

template <typename FloatOp, typename IntOp>
Value emitArith(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isFloat(args[0]))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

// max/min and division: signed on integers, unsigned on i1 (true is 1, not
// -1) and uint*.
template <typename FloatOp, typename SignedOp, typename UnsignedOp>
Value emitOrdered(OpBuilder &b, Location loc, ValueRange args, Type type) {
  if (isFloat(args[0]))
    return FloatOp::create(b, loc, args[0], args[1]);
  if (isUnsignedOrder(args[0], type))
    return UnsignedOp::create(b, loc, args[0], args[1]);
  return SignedOp::create(b, loc, args[0], args[1]);
}

template <arith::CmpFPredicate FloatPred, arith::CmpIPredicate SignedPred,
          arith::CmpIPredicate UnsignedPred>
Value emitCompare(OpBuilder &b, Location loc, ValueRange args, Type type) {
  if (isFloat(args[0]))
    return arith::CmpFOp::create(b, loc, FloatPred, args[0], args[1]);
  return arith::CmpIOp::create(
      b, loc, isUnsignedOrder(args[0], type) ? UnsignedPred : SignedPred,
      args[0], args[1]);
}

template <typename Op>
Value emitBinary(OpBuilder &b, Location loc, ValueRange args, Type) {
  return Op::create(b, loc, args[0], args[1]);
}

template <typename Op>
Value emitUnary(OpBuilder &b, Location loc, ValueRange args, Type) {
  return Op::create(b, loc, args[0]);
}

Value emitWhere(OpBuilder &b, Location loc, ValueRange args, Type) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

Value emitRelu(OpBuilder &b, Location loc, ValueRange args, Type type) {
  Value zero = createScalarConstant(b, loc, type, 0.0);
  return emitOrdered<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
      b, loc, {args[0], zero}, type);
}

Value emitNeg(OpBuilder &b, Location loc, ValueRange args, Type type) {
  if (isFloat(args[0]))
    return arith::NegFOp::create(b, loc, args[0]);
  Value zero = createScalarConstant(b, loc, type, 0.0);
  return arith::SubIOp::create(b, loc, zero, args[0]);
}

Value emitAbs(OpBuilder &b, Location loc, ValueRange args, Type type) {
  if (isFloat(args[0]))
    return math::AbsFOp::create(b, loc, args[0]);
  if (type.isUnsignedInteger())
    return args[0];
  return math::AbsIOp::create(b, loc, args[0]);
}

Value emitSigmoid(OpBuilder &b, Location loc, ValueRange args, Type type) {
  Value one = createScalarConstant(b, loc, type, 1.0);
  Value neg = arith::NegFOp::create(b, loc, args[0]);
  Value exp = math::ExpOp::create(b, loc, neg);
  Value den = arith::AddFOp::create(b, loc, one, exp);
  return arith::DivFOp::create(b, loc, one, den);
}

Value emitReciprocal(OpBuilder &b, Location loc, ValueRange args, Type type) {
  Value one = createScalarConstant(b, loc, type, 1.0);
  return arith::DivFOp::create(b, loc, one, args[0]);
}

Value emitNot(OpBuilder &b, Location loc, ValueRange args, Type type) {
  Value trueValue = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  return arith::XOrIOp::create(b, loc, args[0], trueValue);
}

/// Integer power by square-and-multiply over every non-sign bit of the
/// exponent, unrolled (math.ipowi has no lowering in the CPU pipeline). A
/// negative exponent gives 1 / base^|exp| truncated, as math.ipowi: 1 for
/// base 1, -1 or 1 for base -1, 0 otherwise; unsigned exponents use every
/// bit and are never negative.
Value emitIntPow(OpBuilder &b, Location loc, Value base, Value exp,
                 bool isUnsigned) {
  Type type = base.getType();
  auto constant = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
  };
  Value zero = constant(0), one = constant(1), minusOne = constant(-1);
  auto isOdd = [&](Value v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                 arith::AndIOp::create(b, loc, v, one), zero);
  };
  Value result = one, power = base, rest = exp;
  unsigned bits = type.getIntOrFloatBitWidth() - (isUnsigned ? 0 : 1);
  for (unsigned bit = 0; bit < bits; ++bit) {
    result = arith::SelectOp::create(
        b, loc, isOdd(rest), arith::MulIOp::create(b, loc, result, power),
        result);
    power = arith::MulIOp::create(b, loc, power, power);
    rest = arith::ShRUIOp::create(b, loc, rest, one);
  }
  if (isUnsigned)
    return result;
  auto equals = [&](Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, rhs);
  };
  Value negativeResult = arith::SelectOp::create(
      b, loc, equals(base, one), one,
      arith::SelectOp::create(
          b, loc, equals(base, minusOne),
          arith::SelectOp::create(b, loc, isOdd(exp), minusOne, one), zero));
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, exp, zero);
  return arith::SelectOp::create(b, loc, negative, negativeResult, result);
}

Value emitPow(OpBuilder &b, Location loc, ValueRange args, Type type) {
  if (isFloat(args[0]))
    return math::PowFOp::create(b, loc, args[0], args[1]);
  return emitIntPow(b, loc, args[0], args[1], type.isUnsignedInteger());
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Float, signless or unsigned integer: the element types the elementwise
/// patterns take.
bool isElementwiseType(Type type) {
  return isArithElementType(type) || type.isUnsignedInteger();
}

/// An elementwise op whose operands and result have float or (signless or
/// unsigned) integer element types, lowered with `Emit`.
template <typename SourceOp, ScalarEmitter Emit>
struct ElementwiseLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using OpAdaptor = typename SourceOp::Adaptor;

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result is not a static tensor");
    ValueRange operands = adaptor.getOperands();
    if (!broadcastsTo(operands.getTypes(), resultType.getShape()))
      return rewriter.notifyMatchFailure(op, "operands do not broadcast");
    for (Value operand : operands)
      if (!isElementwiseType(getElementTypeOrSelf(operand.getType())))
        return rewriter.notifyMatchFailure(
            op, "element type is neither float nor integer");
    Type resultElementType = resultType.getElementType();
    if (!isElementwiseType(resultElementType))
      return rewriter.notifyMatchFailure(
          op, "element type is neither float nor integer");

    Type operandType = getElementTypeOrSelf(operands.front().getType());
    Value result = buildBroadcastGeneric(
        rewriter, op.getLoc(), resultType, operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          SmallVector<Value> scalars;
          for (Value arg : args)
            scalars.push_back(
                convertSignedness(b, loc, arg, arithType(arg.getType())));
          Value value = Emit(b, loc, scalars, operandType);
          return convertSignedness(b, loc, value, resultElementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// mase.where: arith.select, any element type for the values.
struct WhereLowering : OpConversionPattern<WhereOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!broadcastsTo(adaptor.getOperands().getTypes(), resultType.getShape()))
      return rewriter.notifyMatchFailure(op, "operands do not broadcast");
    Value result = buildBroadcastGeneric(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return emitWhere(b, loc, args, resultType.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Whether `emitCast` handles `from` -> `to`.
bool isSupportedCast(Type from, Type to) {
  return isElementwiseType(from) && isElementwiseType(to);
}

/// Converts one scalar (float or signless) from `fromType` to `toType` (as
/// the op has them, maybe unsigned) into the signless `to`. Integers are
/// signed except uint* and i1, which is a boolean (true -> 1, 1.0); a
/// conversion to i1 tests for non-zero.
Value emitCast(OpBuilder &b, Location loc, Value value, Type fromType,
               Type toType) {
  Type from = value.getType(), to = arithType(toType);
  bool fromUnsigned = from.isInteger(1) || fromType.isUnsignedInteger();
  if (from == to)
    return value;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    unsigned fromWidth = fromFloat.getWidth(), toWidth = toFloat.getWidth();
    if (fromWidth < toWidth)
      return arith::ExtFOp::create(b, loc, to, value);
    if (fromWidth > toWidth)
      return arith::TruncFOp::create(b, loc, to, value);
    // Same width, different format (bf16 <-> f16): through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromFloat) {
    if (to.isInteger(1)) {
      Value zero = createScalarConstant(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    }
    if (toType.isUnsignedInteger())
      return arith::FPToUIOp::create(b, loc, to, value);
    return arith::FPToSIOp::create(b, loc, to, value);
  }
  if (toFloat) {
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, to, value);
    return arith::SIToFPOp::create(b, loc, to, value);
  }
  // Integer to integer.
  if (to.isInteger(1)) {
    Value zero = createScalarConstant(b, loc, from, 0.0);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, to, value);
  if (fromWidth == toWidth)
    return value;
  if (fromUnsigned)
    return arith::ExtUIOp::create(b, loc, to, value);
  return arith::ExtSIOp::create(b, loc, to, value);
}

/// mase.cast: the input itself when the types agree, else one generic.
struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (inputType == resultType) {
      rewriter.replaceOp(op, input);
      return success();
    }
    Type from = inputType.getElementType(), to = resultType.getElementType();
    if (!isSupportedCast(from, to))
      return rewriter.notifyMatchFailure(op, "unsupported element types");
    Value result = buildBroadcastGeneric(
        rewriter, op.getLoc(), resultType, input,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value scalar = convertSignedness(b, loc, args[0], arithType(from));
          return convertSignedness(b, loc, emitCast(b, loc, scalar, from, to),
                                   to);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  using arith::CmpFPredicate;
  using arith::CmpIPredicate;
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      // Arithmetic.
      ElementwiseLowering<AddOp, emitArith<arith::AddFOp, arith::AddIOp>>,
      ElementwiseLowering<SubOp, emitArith<arith::SubFOp, arith::SubIOp>>,
      ElementwiseLowering<MulOp, emitArith<arith::MulFOp, arith::MulIOp>>,
      ElementwiseLowering<DivOp, emitOrdered<arith::DivFOp, arith::DivSIOp,
                                             arith::DivUIOp>>,
      ElementwiseLowering<PowOp, emitPow>,
      ElementwiseLowering<MaxOp, emitOrdered<arith::MaximumFOp, arith::MaxSIOp,
                                             arith::MaxUIOp>>,
      ElementwiseLowering<MinOp, emitOrdered<arith::MinimumFOp, arith::MinSIOp,
                                             arith::MinUIOp>>,
      // Comparisons (ordered: false when either side is NaN).
      ElementwiseLowering<EqualOp,
                          emitCompare<CmpFPredicate::OEQ, CmpIPredicate::eq,
                                      CmpIPredicate::eq>>,
      ElementwiseLowering<LessOp,
                          emitCompare<CmpFPredicate::OLT, CmpIPredicate::slt,
                                      CmpIPredicate::ult>>,
      ElementwiseLowering<GreaterOp,
                          emitCompare<CmpFPredicate::OGT, CmpIPredicate::sgt,
                                      CmpIPredicate::ugt>>,
      ElementwiseLowering<GreaterEqualOp,
                          emitCompare<CmpFPredicate::OGE, CmpIPredicate::sge,
                                      CmpIPredicate::uge>>,
      ElementwiseLowering<LessEqualOp,
                          emitCompare<CmpFPredicate::OLE, CmpIPredicate::sle,
                                      CmpIPredicate::ule>>,
      // Logical.
      ElementwiseLowering<AndOp, emitBinary<arith::AndIOp>>,
      ElementwiseLowering<OrOp, emitBinary<arith::OrIOp>>,
      ElementwiseLowering<XorOp, emitBinary<arith::XOrIOp>>,
      ElementwiseLowering<NotOp, emitNot>,
      // Unary.
      ElementwiseLowering<ReluOp, emitRelu>,
      ElementwiseLowering<NegOp, emitNeg>, ElementwiseLowering<AbsOp, emitAbs>,
      ElementwiseLowering<ErfOp, emitUnary<math::ErfOp>>,
      ElementwiseLowering<TanhOp, emitUnary<math::TanhOp>>,
      ElementwiseLowering<SigmoidOp, emitSigmoid>,
      ElementwiseLowering<ExpOp, emitUnary<math::ExpOp>>,
      ElementwiseLowering<LogOp, emitUnary<math::LogOp>>,
      ElementwiseLowering<SqrtOp, emitUnary<math::SqrtOp>>,
      ElementwiseLowering<ReciprocalOp, emitReciprocal>,
      // Select and conversion.
      WhereLowering, CastLowering>(ctx);
}
