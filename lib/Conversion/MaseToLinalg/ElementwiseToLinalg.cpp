//===- ElementwiseToLinalg.cpp - mase elementwise ops to linalg -----------===//
//
// Every elementwise mase op (binary arithmetic, comparisons, logical ops,
// where, unary functions, cast) becomes one all-parallel linalg.generic over
// the result shape, with numpy broadcasting in the operands' indexing maps
// and a tensor.empty as init. Float operands use arith's `*f` ops (ordered
// comparisons, NaN-propagating maximumf/minimumf) and math; signless integer
// operands use the signed arith ops (i1 uses the unsigned ones where order
// matters, so that true > false).
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
// Scalar bodies. Each takes the scalar block arguments of the inputs and the
// result element type; the pattern has already checked the element types.
//===----------------------------------------------------------------------===//

using ScalarEmitter = Value (*)(OpBuilder &, Location, ValueRange, Type);

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
bool isBool(Value v) { return v.getType().isInteger(1); }

template <typename FloatOp, typename IntOp>
Value emitArith(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isFloat(args[0]))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

// max/min: signed on integers, unsigned on i1 (true is 1, not -1).
template <typename FloatOp, typename SignedOp, typename UnsignedOp>
Value emitOrdered(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isFloat(args[0]))
    return FloatOp::create(b, loc, args[0], args[1]);
  if (isBool(args[0]))
    return UnsignedOp::create(b, loc, args[0], args[1]);
  return SignedOp::create(b, loc, args[0], args[1]);
}

template <arith::CmpFPredicate FloatPred, arith::CmpIPredicate SignedPred,
          arith::CmpIPredicate UnsignedPred>
Value emitCompare(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isFloat(args[0]))
    return arith::CmpFOp::create(b, loc, FloatPred, args[0], args[1]);
  return arith::CmpIOp::create(
      b, loc, isBool(args[0]) ? UnsignedPred : SignedPred, args[0], args[1]);
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

Value emitAbs(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isFloat(args[0]))
    return math::AbsFOp::create(b, loc, args[0]);
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

Value emitPow(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isFloat(args[0]))
    return math::PowFOp::create(b, loc, args[0], args[1]);
  return math::IPowIOp::create(b, loc, args[0], args[1]);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// An elementwise op whose operands and result have float or signless
/// integer element types, lowered with `Emit`.
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
      if (!isArithElementType(getElementTypeOrSelf(operand.getType())))
        return rewriter.notifyMatchFailure(
            op, "element type is neither float nor signless integer");
    if (!isArithElementType(resultType.getElementType()))
      return rewriter.notifyMatchFailure(
          op, "element type is neither float nor signless integer");

    Type elementType = resultType.getElementType();
    Value result =
        buildBroadcastGeneric(rewriter, op.getLoc(), resultType, operands,
                              [&](OpBuilder &b, Location loc, ValueRange args) {
                                return Emit(b, loc, args, elementType);
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
  return isArithElementType(from) && isArithElementType(to);
}

/// Converts one scalar. Integers are signed except i1, which is a boolean
/// (true -> 1, 1.0); a conversion to i1 tests for non-zero.
Value emitCast(OpBuilder &b, Location loc, Value value, Type to) {
  Type from = value.getType();
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
    return arith::FPToSIOp::create(b, loc, to, value);
  }
  if (toFloat) {
    if (from.isInteger(1))
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
  if (from.isInteger(1))
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
    Type to = resultType.getElementType();
    if (!isSupportedCast(inputType.getElementType(), to))
      return rewriter.notifyMatchFailure(op, "unsupported element types");
    Value result =
        buildBroadcastGeneric(rewriter, op.getLoc(), resultType, input,
                              [&](OpBuilder &b, Location loc, ValueRange args) {
                                return emitCast(b, loc, args[0], to);
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
      ElementwiseLowering<DivOp, emitArith<arith::DivFOp, arith::DivSIOp>>,
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
