//===- QuantizeToLinalg.cpp - mase.quantize on run-time tensors -----------===//
//
// Lowers `mase.quantize` to linalg on tensors, computing every float32 step
// of the numerics library (lib/Numerics) in the same order, so that the
// compiled result is bit-exact with it:
//
//   - element-wise formats (int, minifloat_denorm, minifloat_ieee): one
//     linalg.generic;
//   - bfp: the tensor is zero-padded to whole blocks and expanded to
//     [G0, B0, G1, B1, ...] (MASE's blocking, Blocking.h), a reduction takes
//     each block's max |x|, a second one MASE's all-zero-block fallback, a
//     generic the per-block scale, and an element-wise generic quantises;
//   - mxint8: the flattened tensor is viewed as [groups, block]; bf16
//     rounding, the per-group E8M0 scale (an integer max reduction of the
//     exponent fields) and the element codes follow.
//
// Constant inputs never get here: the conversion folds them first.
//
//===----------------------------------------------------------------------===//

#include "FixedPointCode.h"
#include "LoweringUtils.h"
#include "TorchFloatOps.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Numerics/Blocking.h"
#include "mase/Numerics/Minifloat.h"
#include "mase/Numerics/TorchFloat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;
namespace numerics = ::mase::numerics;

namespace {

using IteratorType = utils::IteratorType;

/// One linalg.generic with a single result of `resultType`.
Value buildGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                   ValueRange inputs, Value init, ArrayRef<AffineMap> maps,
                   ArrayRef<IteratorType> iterators,
                   function_ref<Value(TorchFloatBuilder &, ValueRange)> body) {
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        TorchFloatBuilder t{nb, nloc};
        linalg::YieldOp::create(nb, nloc, body(t, args));
      });
  return generic.getResult(0);
}

Value emptyLike(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value value) {
  Value empty = emptyLike(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

//===----------------------------------------------------------------------===//
// Element-wise formats
//===----------------------------------------------------------------------===//

Value quantizeInt(TorchFloatBuilder &t, Value x, IntFormatAttr format) {
  Value scale = t.f32(std::ldexp(1.0f, format.getFracWidth()));
  return arith::DivFOp::create(t.b, t.loc,
                               fixedPointCode(t, x, format, scale), scale);
}

int defaultBias(unsigned exponentWidth, std::optional<int> bias) {
  return bias.value_or(
      numerics::MinifloatDenormFormat::defaultExponentBias(exponentWidth));
}

/// What both minifloats compute first: the sign (MASE's sign + epsilon),
/// |x|, the exponent e and the scale 2^e of |x|'s binade, e = round(log2(|x| + eps)) by
/// `table` (ceil for denorm, floor for IEEE), clamped to the grid.
struct MinifloatScale {
  numerics::MinifloatGrid grid;
  Value sign, magnitude, exponent, scale;
};

MinifloatScale minifloatScale(TorchFloatBuilder &t, Value x, Value table,
                              unsigned width, unsigned exponentWidth,
                              std::optional<int> bias) {
  numerics::MinifloatGrid grid(width, exponentWidth,
                               defaultBias(exponentWidth, bias));
  Value magnitude = math::AbsFOp::create(t.b, t.loc, x);
  Value offset = arith::AddFOp::create(t.b, t.loc, magnitude,
                                       t.f32(numerics::torch::kEpsilon));
  Value exponent = t.clamp(t.log2Rounded(offset, table), grid.minExponent,
                           grid.maxExponent);
  return {grid, t.signPlusEpsilon(x), magnitude, exponent, t.pow2(exponent)};
}

Value quantizeMinifloatDenorm(TorchFloatBuilder &t, Value x, Value ceilTable,
                              MinifloatDenormFormatAttr format) {
  auto [g, sign, value, exponent, scale] =
      minifloatScale(t, x, ceilTable, format.getWidth(),
                     format.getExponentWidth(), format.getBias());
  OpBuilder &b = t.b;
  Location loc = t.loc;
  Value shift = t.f32(g.shift);
  Value q = t.clamp(
      t.roundEven(arith::MulFOp::create(
          b, loc, arith::DivFOp::create(b, loc, value, scale), shift)),
      0.0, g.mantissaMax);
  Value y = arith::MulFOp::create(b, loc,
                                  arith::MulFOp::create(b, loc, sign, scale),
                                  arith::DivFOp::create(b, loc, q, shift));
  return t.passThroughNearZero(x, y);
}

Value quantizeMinifloatIeee(TorchFloatBuilder &t, Value x, Value floorTable,
                            MinifloatIeeeFormatAttr format) {
  auto [g, sign, value, exponent, scale] =
      minifloatScale(t, x, floorTable, format.getWidth(),
                     format.getExponentWidth(), format.getBias());
  OpBuilder &b = t.b;
  Location loc = t.loc;
  Value mantissa = arith::DivFOp::create(b, loc, value, scale);
  Value shift = t.f32(g.shift);
  // isclose(exponent, -bias) is equality for these integer-valued floats
  // (|bias| <= 1000 keeps the relative tolerance below 1).
  Value isSubnormal = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OEQ, exponent, t.f32(g.minExponent));
  Value normal =
      arith::SelectOp::create(b, loc, isSubnormal, t.f32(0.0), t.f32(1.0));
  Value notNormal = arith::SubFOp::create(b, loc, t.f32(1.0), normal);
  Value scaledMantissa = arith::MulFOp::create(b, loc, mantissa, shift);
  Value normalCode = t.clamp(
      t.roundEven(arith::SubFOp::create(b, loc, scaledMantissa, shift)), 0.0,
      g.mantissaMax);
  Value subnormalCode = t.clamp(
      t.roundEven(arith::DivFOp::create(b, loc, scaledMantissa, t.f32(2.0))),
      0.0, g.mantissaMax);
  Value code = arith::AddFOp::create(
      b, loc, arith::MulFOp::create(b, loc, normal, normalCode),
      arith::MulFOp::create(b, loc, notNormal, subnormalCode));
  Value fraction = arith::DivFOp::create(b, loc, code, shift);
  Value significand = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, normal,
                            arith::AddFOp::create(b, loc, t.f32(1.0), fraction)),
      arith::MulFOp::create(
          b, loc, notNormal,
          arith::MulFOp::create(b, loc, fraction, t.f32(2.0))));
  Value y = arith::MulFOp::create(
      b, loc, arith::MulFOp::create(b, loc, sign, scale), significand);
  return t.passThroughNearZero(x, y);
}

//===----------------------------------------------------------------------===//
// Block floating point
//===----------------------------------------------------------------------===//

/// Maps of the blocked iteration space [G0, B0, G1, B1, ...].
AffineMap blockGridMap(unsigned rank, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d = 0; d < rank; ++d)
    exprs.push_back(getAffineDimExpr(2 * d, ctx));
  return AffineMap::get(2 * rank, 0, exprs, ctx);
}

FailureOr<Value> quantizeBlockFp(OpBuilder &b, Location loc, Value input,
                                 BlockFpFormatAttr format) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  numerics::BlockPartition p;
  if (!numerics::partitionIntoBlocks(
           numerics::Shape(type.getShape().begin(), type.getShape().end()),
           std::vector<int64_t>(format.getBlockSize().begin(),
                                format.getBlockSize().end()),
           format.getSkipFirstDim(), p)
           .empty())
    return failure(); // the op verifier checked the shape
  const unsigned rank = type.getRank();
  Type f32 = b.getF32Type();

  // Pad to whole blocks and view as [G0, B0, G1, B1, ...].
  Value padded = input;
  if (ArrayRef<int64_t>(p.paddedShape) != type.getShape()) {
    auto paddedType = RankedTensorType::get(p.paddedShape, f32);
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
    padded = tensor::createPadHighOp(paddedType, input, zero, /*nofold=*/false,
                                     loc, b);
  }
  SmallVector<int64_t> blockedShape, gridShape;
  SmallVector<ReassociationIndices> groups;
  for (unsigned d = 0; d < rank; ++d) {
    gridShape.push_back(p.paddedShape[d] / p.blockShape[d]);
    blockedShape.append({gridShape.back(), p.blockShape[d]});
    groups.push_back({2 * d, 2 * d + 1});
  }
  auto blockedType = RankedTensorType::get(blockedShape, f32);
  Value blocked =
      tensor::ExpandShapeOp::create(b, loc, blockedType, padded, groups);

  // Per-block max |x|, NaN-propagating, padding included as 0.
  AffineMap identity = b.getMultiDimIdentityMap(2 * rank);
  AffineMap grid = blockGridMap(rank, ctx);
  SmallVector<IteratorType> reduceBlocks;
  for (unsigned d = 0; d < rank; ++d)
    reduceBlocks.append({IteratorType::parallel, IteratorType::reduction});
  auto gridType = RankedTensorType::get(gridShape, f32);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value maxima = buildGeneric(
      b, loc, gridType, blocked, filled(b, loc, gridShape, zero),
      {identity, grid}, reduceBlocks, [](TorchFloatBuilder &t, ValueRange a) {
        Value magnitude = math::AbsFOp::create(t.b, t.loc, a[0]);
        return arith::MaximumFOp::create(t.b, t.loc, a[1], magnitude);
      });

  // MASE's all-zero-block rule: the smallest non-zero maximum (NaN wins),
  // and whether there is one.
  SmallVector<IteratorType> reduceAll(rank, IteratorType::reduction);
  auto scalarType = RankedTensorType::get({}, f32);
  AffineMap gridIdentity = b.getMultiDimIdentityMap(rank);
  AffineMap toScalar = AffineMap::get(rank, 0, {}, ctx);
  Value inf = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(INFINITY));
  auto zeroRule = linalg::GenericOp::create(
      b, loc, TypeRange{scalarType, scalarType}, ValueRange{maxima},
      ValueRange{filled(b, loc, {}, inf), filled(b, loc, {}, zero)},
      ArrayRef<AffineMap>{gridIdentity, toScalar, toScalar}, reduceAll,
      [&](OpBuilder &nb, Location nloc, ValueRange a) {
        TorchFloatBuilder t{nb, nloc};
        Value isZero = arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OEQ,
                                             a[0], t.f32(0.0));
        Value smallest = arith::SelectOp::create(
            nb, nloc, isZero, a[1],
            arith::MinimumFOp::create(nb, nloc, a[1], a[0]));
        Value any = arith::SelectOp::create(nb, nloc, isZero, a[2], t.f32(1.0));
        linalg::YieldOp::create(nb, nloc, ValueRange{smallest, any});
      });

  // Per-block scale 2^clamp(ceil(log2 max), -bias, 2^E - 1 - bias).
  const int bias = defaultBias(format.getExponentWidth(), format.getBias());
  const float minExponent = static_cast<float>(-bias);
  const float maxExponent = static_cast<float>(
      (int64_t{1} << format.getExponentWidth()) - 1 - bias);
  Value ceilTable = createLog2Table(b, loc, Log2Rounding::Ceil);
  SmallVector<IteratorType> gridParallel(rank, IteratorType::parallel);
  Value scales = buildGeneric(
      b, loc, gridType,
      ValueRange{maxima, zeroRule.getResult(0), zeroRule.getResult(1)},
      emptyLike(b, loc, gridShape, f32),
      {gridIdentity, toScalar, toScalar, gridIdentity}, gridParallel,
      [&](TorchFloatBuilder &t, ValueRange a) {
        Value isZero = arith::CmpFOp::create(
            t.b, t.loc, arith::CmpFPredicate::OEQ, a[0], t.f32(0.0));
        Value hasNonZero = arith::CmpFOp::create(
            t.b, t.loc, arith::CmpFPredicate::OEQ, a[2], t.f32(1.0));
        Value fallback =
            arith::SelectOp::create(t.b, t.loc, hasNonZero, a[1], t.f32(1.0));
        Value m = arith::SelectOp::create(t.b, t.loc, isZero, fallback, a[0]);
        return t.pow2(
            t.clamp(t.log2Rounded(m, ceilTable), minExponent, maxExponent));
      });

  // Element codes.
  const int mantissaBits = format.getWidth() - 1;
  const float shift = std::ldexp(1.0f, mantissaBits);
  const float maxCode = static_cast<float>(std::ldexp(1.0, mantissaBits) - 1);
  const bool addsZero = p.unblockAddsZero;
  SmallVector<IteratorType> allParallel(2 * rank, IteratorType::parallel);
  Value quantized = buildGeneric(
      b, loc, blockedType, ValueRange{blocked, scales},
      emptyLike(b, loc, blockedShape, f32), {identity, grid, identity},
      allParallel, [&](TorchFloatBuilder &t, ValueRange a) {
        Value x = a[0], scale = a[1];
        OpBuilder &nb = t.b;
        Location nloc = t.loc;
        Value mantissa = arith::DivFOp::create(
            nb, nloc,
            arith::AddFOp::create(nb, nloc, math::AbsFOp::create(nb, nloc, x),
                                  t.f32(numerics::torch::kEpsilon)),
            scale);
        Value shiftV = t.f32(shift);
        Value code = t.clamp(
            t.roundEven(arith::MulFOp::create(nb, nloc, mantissa, shiftV)), 0.0,
            maxCode);
        Value y = arith::MulFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, t.signPlusEpsilon(x), scale),
            arith::DivFOp::create(nb, nloc, code, shiftV));
        if (addsZero)
          y = arith::AddFOp::create(nb, nloc, t.f32(0.0), y);
        return t.passThroughNearZero(x, y);
      });

  // Back to the input's shape.
  Value result = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(p.paddedShape, f32), quantized, groups);
  if (ArrayRef<int64_t>(p.paddedShape) != type.getShape()) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)),
        strides(rank, b.getIndexAttr(1)), sizes;
    for (int64_t d : type.getShape())
      sizes.push_back(b.getIndexAttr(d));
    result = tensor::ExtractSliceOp::create(b, loc, type, result, offsets,
                                            sizes, strides);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// OCP MXINT8 (the lab's simulation, Mxint8.cpp)
//===----------------------------------------------------------------------===//

Value quantizeMxint8(OpBuilder &b, Location loc, Value input,
                     Mxint8FormatAttr format) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  const int64_t groupSize = format.getBlockSize();
  const int64_t groups = type.getNumElements() / groupSize;
  SmallVector<int64_t> groupedShape = {groups, groupSize};
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  Value grouped = reshapeTo(b, loc, input, groupedShape);
  auto groupedType = RankedTensorType::get(groupedShape, f32);
  AffineMap identity = b.getMultiDimIdentityMap(2);
  AffineMap perGroup = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);

  // bf16 rounding, then |w| < 2^-126 flushed to zero.
  Value rounded = buildGeneric(
      b, loc, groupedType, grouped, emptyLike(b, loc, groupedShape, f32),
      {identity, identity}, {IteratorType::parallel, IteratorType::parallel},
      [](TorchFloatBuilder &t, ValueRange a) {
        Value w = t.roundToBf16(a[0]);
        Value tiny = arith::CmpFOp::create(
            t.b, t.loc, arith::CmpFPredicate::OLT,
            math::AbsFOp::create(t.b, t.loc, w),
            t.f32(std::ldexp(1.0, -126)));
        return arith::SelectOp::create(t.b, t.loc, tiny, t.f32(0.0), w);
      });

  // Scale byte: the largest biased exponent field in the group.
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  Value scales = buildGeneric(
      b, loc, RankedTensorType::get({groups}, i32), rounded,
      filled(b, loc, {groups}, zero), {identity, perGroup},
      {IteratorType::parallel, IteratorType::reduction},
      [](TorchFloatBuilder &t, ValueRange a) {
        Value bits = arith::BitcastOp::create(t.b, t.loc, t.b.getI32Type(), a[0]);
        Value field = arith::AndIOp::create(
            t.b, t.loc, arith::ShRUIOp::create(t.b, t.loc, bits, t.i32(23)),
            t.i32(0xff));
        return arith::MaxSIOp::create(t.b, t.loc, a[1], field);
      });

  // m = sign(w) clamp(RNE(|w| / 2^(S-127) * 64), 0, 127); y = m 2^(S-133),
  // all NaN for S = 255 (the lab's decoder).
  Value quantized = buildGeneric(
      b, loc, groupedType, ValueRange{rounded, scales},
      emptyLike(b, loc, groupedShape, f32), {identity, perGroup, identity},
      {IteratorType::parallel, IteratorType::parallel},
      [](TorchFloatBuilder &t, ValueRange a) {
        OpBuilder &nb = t.b;
        Location nloc = t.loc;
        Value w = a[0], s = a[1];
        Value isZeroScale =
            arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, s, t.i32(0));
        Value divisorField = arith::SelectOp::create(nb, nloc, isZeroScale,
                                                     t.i32(1), s);
        Value divisor = arith::BitcastOp::create(
            nb, nloc, nb.getF32Type(),
            arith::ShLIOp::create(nb, nloc, divisorField, t.i32(23)));
        Value q = t.clamp(
            t.roundEven(arith::MulFOp::create(
                nb, nloc,
                arith::DivFOp::create(nb, nloc,
                                      math::AbsFOp::create(nb, nloc, w),
                                      divisor),
                t.f32(64.0))),
            0.0, 127.0);
        Value qIsNan =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::UNO, q, q);
        q = arith::SelectOp::create(nb, nloc, qIsNan, t.f32(0.0), q);
        Value negative = arith::CmpFOp::create(
            nb, nloc, arith::CmpFPredicate::OLT, w, t.f32(0.0));
        Value m = arith::SelectOp::create(
            nb, nloc, negative, arith::SubFOp::create(nb, nloc, t.f32(0.0), q),
            q);
        Value exponent = arith::SIToFPOp::create(
            nb, nloc, nb.getF32Type(),
            arith::SubIOp::create(nb, nloc, s, t.i32(133)));
        Value y = arith::MulFOp::create(nb, nloc, m, t.pow2(exponent));
        Value isNanScale = arith::CmpIOp::create(
            nb, nloc, arith::CmpIPredicate::eq, s, t.i32(255));
        return arith::SelectOp::create(nb, nloc, isNanScale, t.f32(NAN), y);
      });
  return reshapeTo(b, loc, quantized, type.getShape());
}

//===----------------------------------------------------------------------===//
// The pattern
//===----------------------------------------------------------------------===//

struct QuantizeOpLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput();
    Attribute format = op.getFormat();

    if (auto bfp = dyn_cast<BlockFpFormatAttr>(format)) {
      FailureOr<Value> result = quantizeBlockFp(rewriter, loc, input, bfp);
      if (failed(result))
        return rewriter.notifyMatchFailure(op, "shape not blockable");
      rewriter.replaceOp(op, *result);
      return success();
    }
    if (auto mx = dyn_cast<Mxint8FormatAttr>(format)) {
      rewriter.replaceOp(op, quantizeMxint8(rewriter, loc, input, mx));
      return success();
    }

    Value table;
    if (isa<MinifloatDenormFormatAttr>(format))
      table = createLog2Table(rewriter, loc, Log2Rounding::Ceil);
    else if (isa<MinifloatIeeeFormatAttr>(format))
      table = createLog2Table(rewriter, loc, Log2Rounding::Floor);
    else if (!isa<IntFormatAttr>(format))
      return op.emitError() << "mase-lower-to-linalg: no run-time lowering of "
                            << format << " yet (only constants fold)";
    Value result = buildBroadcastGeneric(
        rewriter, loc, type, input,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          TorchFloatBuilder t{b, nloc};
          if (auto f = dyn_cast<IntFormatAttr>(format))
            return quantizeInt(t, args[0], f);
          if (auto f = dyn_cast<MinifloatDenormFormatAttr>(format))
            return quantizeMinifloatDenorm(t, args[0], table, f);
          return quantizeMinifloatIeee(t, args[0], table,
                                       cast<MinifloatIeeeFormatAttr>(format));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseQuantizeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<QuantizeOpLowering>(patterns.getContext());
}
