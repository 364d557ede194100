//===- NNToLinalg.cpp - mase neural-network ops to linalg -----------------===//
//
// The neural-network patterns of `mase-lower-to-linalg`: linear, matmul,
// softmax, layer_norm, gelu, embedding, gather and the reductions become
// linalg named and generic ops on tensors (with tensor reshapes, arith and
// math in their bodies). Shapes are static (the graph ops require it), so
// every size below is a compile-time constant.
//
// Reductions are written as `linalg.generic` with reduction iterators rather
// than `linalg.reduce`, so that `linalg-fuse-elementwise-ops` can fuse the
// elementwise producers (the `exp` of softmax, the squared deviations of
// layer_norm) into them. Nothing here needs a pass beyond the interim CPU
// pipeline: in particular the exact GELU does not use `math.erf`, which no
// pass of that pipeline lowers (see `buildErfc`).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

using BodyFn = function_ref<void(OpBuilder &, Location, ValueRange)>;
using CombineFn =
    function_ref<Value(OpBuilder &, Location, Value elem, Value acc)>;

RankedTensorType tensorTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// `axis` in `[-rank, rank)` (checked by the verifiers) as `[0, rank)`.
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Whether arith can compute on `type` (float, or a signless integer).
Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value scalarConstant(OpBuilder &b, Location loc, TypedAttr value) {
  return arith::ConstantOp::create(b, loc, value);
}

/// A tensor of `shape` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   TypedAttr value) {
  Value empty = emptyTensor(b, loc, shape, value.getType());
  Value scalar = scalarConstant(b, loc, value);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// The identity of `+`: 0 of `type`.
TypedAttr zeroAttr(OpBuilder &b, Type type) {
  return cast<TypedAttr>(b.getZeroAttr(type));
}

/// The identity of `max`: -inf for floats, the smallest signed integer (false
/// for i1, where max is `or`).
TypedAttr lowestAttr(OpBuilder &b, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return b.getFloatAttr(type, APFloat::getInf(floatType.getFloatSemantics(),
                                                /*Negative=*/true));
  unsigned width = type.getIntOrFloatBitWidth();
  if (width == 1)
    return b.getIntegerAttr(type, 0);
  return b.getIntegerAttr(type, APInt::getSignedMinValue(width));
}

Value addValues(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

Value maxValues(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MaximumFOp::create(b, loc, lhs, rhs); // NaN-propagating
  if (lhs.getType().isInteger(1))
    return arith::OrIOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

/// An affine map from the `numDims` loop dimensions to the listed ones.
AffineMap selectDims(OpBuilder &b, unsigned numDims, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(numDims, 0, exprs, b.getContext());
}

/// The loop dimensions of a rank-`rank` iteration space not in `reduced`.
SmallVector<int64_t> keptDims(const llvm::SmallBitVector &reduced) {
  SmallVector<int64_t> kept;
  for (unsigned d = 0, e = reduced.size(); d < e; ++d)
    if (!reduced[d])
      kept.push_back(d);
  return kept;
}

/// A parallel `linalg.generic` producing a tensor of `shape` and
/// `elementType`; `inputMaps` map the iteration space (the result's) to each
/// input.
Value elementwise(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elementType, ValueRange inputs,
                  ArrayRef<AffineMap> inputMaps, BodyFn body) {
  Value init = emptyTensor(b, loc, shape, elementType);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  auto resultType = RankedTensorType::get(shape, elementType);
  return linalg::GenericOp::create(b, loc, TypeRange{resultType}, inputs,
                                   ValueRange{init}, maps, iterators, body)
      .getResult(0);
}

/// `value` with every element extended or truncated to `elementType`.
Value convertElements(OpBuilder &b, Location loc, Value value,
                      Type elementType) {
  RankedTensorType type = tensorTypeOf(value);
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  return elementwise(b, loc, type.getShape(), elementType, ValueRange{value},
                     {identity}, [&](OpBuilder &nb, Location nloc,
                                     ValueRange args) {
                       Value converted =
                           elementType.getIntOrFloatBitWidth() >
                                   args[0].getType().getIntOrFloatBitWidth()
                               ? arith::ExtFOp::create(nb, nloc, elementType,
                                                       args[0])
                                     .getResult()
                               : arith::TruncFOp::create(nb, nloc, elementType,
                                                         args[0])
                                     .getResult();
                       linalg::YieldOp::create(nb, nloc, converted);
                     });
}

/// The element type an op on `elementType` computes or accumulates in: f32
/// for half precision (f16, bf16), as tensor cores accumulate and PyTorch
/// computes softmax and layer norm.
Type computeTypeFor(OpBuilder &b, Type elementType) {
  return isa<Float16Type, BFloat16Type>(elementType) ? b.getF32Type()
                                                     : elementType;
}

/// `value` with elements of `elementType` (unchanged if it has them).
Value withElementType(OpBuilder &b, Location loc, Value value,
                      Type elementType) {
  return tensorTypeOf(value).getElementType() == elementType
             ? value
             : convertElements(b, loc, value, elementType);
}

/// Reduces `input` over the dimensions set in `reduced` (the result drops
/// them): starts from `identity` and folds every element in with `combine`.
/// A `linalg.generic` with reduction iterators. Half-precision (f16, bf16)
/// elements are folded into an f32 accumulator, rounded once at the end:
/// an f16 sum of a 768-wide row loses most of its digits.
Value reduce(OpBuilder &b, Location loc, Value input,
             const llvm::SmallBitVector &reduced, TypedAttr identity,
             CombineFn combine) {
  RankedTensorType type = tensorTypeOf(input);
  int64_t rank = type.getRank();
  SmallVector<int64_t> kept = keptDims(reduced);
  SmallVector<int64_t> shape;
  for (int64_t d : kept)
    shape.push_back(type.getDimSize(d));
  Type elementType = type.getElementType();
  bool half = computeTypeFor(b, elementType) != elementType;
  if (half)
    identity = b.getF32FloatAttr(
        static_cast<float>(cast<FloatAttr>(identity).getValueAsDouble()));
  Value init = filledTensor(b, loc, shape, identity);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 selectDims(b, rank, kept)};
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(reduced[d] ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
  auto resultType = RankedTensorType::get(shape, identity.getType());
  Value result =
      linalg::GenericOp::create(
          b, loc, TypeRange{resultType}, ValueRange{input}, ValueRange{init},
          maps, iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value element =
                half ? arith::ExtFOp::create(nb, nloc, identity.getType(),
                                             args[0])
                           .getResult()
                     : args[0];
            Value next = combine(nb, nloc, element, args[1]);
            linalg::YieldOp::create(nb, nloc, next);
          })
          .getResult(0);
  return withElementType(b, loc, result, elementType);
}

/// `value` broadcast (numpy rules, trailing-aligned) to `shape` with a
/// `linalg.generic` that reads index 0 of every broadcast size-1 dimension.
Value broadcastTo(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> shape) {
  RankedTensorType type = tensorTypeOf(value);
  if (type.getShape() == shape)
    return value;
  return buildBroadcastGeneric(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

/// `lhs x rhs` for `lhs` [m, k] and `rhs` [k, n] (`linalg.matmul`), or
/// [B, m, k] and [B, k, n] (`linalg.batch_matmul`), accumulating into `acc`
/// (zero when null). Half-precision (f16, bf16) products accumulate in f32,
/// as tensor cores do, and are rounded once at the end.
Value matmul(OpBuilder &b, Location loc, Value lhs, Value rhs, Value acc) {
  ArrayRef<int64_t> lhsShape = tensorTypeOf(lhs).getShape();
  ArrayRef<int64_t> rhsShape = tensorTypeOf(rhs).getShape();
  Type elementType = tensorTypeOf(lhs).getElementType();
  Type accType = computeTypeFor(b, elementType);
  bool half = accType != elementType;
  SmallVector<int64_t> shape(lhsShape.drop_back());
  shape.push_back(rhsShape.back());
  if (!acc)
    acc = filledTensor(b, loc, shape, zeroAttr(b, accType));
  else if (half)
    acc = convertElements(b, loc, acc, accType);
  Value product =
      shape.size() == 2
          ? linalg::MatmulOp::create(b, loc, ValueRange{lhs, rhs},
                                     ValueRange{acc})
                .getResult(0)
          : linalg::BatchMatmulOp::create(b, loc, ValueRange{lhs, rhs},
                                          ValueRange{acc})
                .getResult(0);
  return half ? convertElements(b, loc, product, elementType) : product;
}

/// The index `value` (an integer scalar) as an `index`, with a negative one
/// counted from the end of a dimension of size `size` (ONNX Gather).
Value wrapIndex(OpBuilder &b, Location loc, Value value, int64_t size) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value sizeValue = arith::ConstantIndexOp::create(b, loc, size);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::AddIOp::create(b, loc, index, sizeValue);
  return arith::SelectOp::create(b, loc, negative, wrapped, index);
}

//===----------------------------------------------------------------------===//
// linear, matmul
//===----------------------------------------------------------------------===//

/// `y = x W^T + b`: x [..., in] collapsed to [M, in], W [out, in] transposed
/// by `linalg.transpose`, the accumulator initialised with the bias
/// broadcast over the rows (`linalg.broadcast`) or zero, `linalg.matmul`, and
/// the result expanded back to [..., out].
struct LinearOpLowering : OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    if (!isArithElementType(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    ArrayRef<int64_t> weightShape =
        tensorTypeOf(adaptor.getWeight()).getShape();
    int64_t out = weightShape[0], in = weightShape[1];
    int64_t rows = 1;
    for (int64_t size : resultType.getShape().drop_back())
      rows *= size;

    Value x = reshapeTo(rewriter, loc, adaptor.getInput(), {rows, in});
    Value wT = transposedWeight(rewriter, loc, adaptor.getWeight(), in, out);
    Value acc;
    if (Value bias = adaptor.getBias())
      acc = linalg::BroadcastOp::create(
                rewriter, loc, bias,
                emptyTensor(rewriter, loc, {rows, out}, elementType),
                ArrayRef<int64_t>{0})
                ->getResult(0);
    Value y = matmul(rewriter, loc, x, wT, acc);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, y, resultType.getShape()));
    return success();
  }
};

/// numpy matmul: 1-D operands become a row [1, k] / column [k, 1]; when the
/// rhs has no (or only unit) batch dimensions, the lhs batch folds into its
/// rows and one `linalg.matmul` does it all; otherwise both operands are
/// broadcast to the common batch shape (a `linalg.generic` reading index 0
/// of broadcast dimensions), their batch dimensions collapsed into one, and
/// multiplied with `linalg.batch_matmul`. The product is reshaped to the
/// result type (which drops the dimensions of 1-D operands).
struct MatmulOpLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    if (!isArithElementType(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    SmallVector<int64_t> lhsShape(tensorTypeOf(lhs).getShape());
    SmallVector<int64_t> rhsShape(tensorTypeOf(rhs).getShape());
    if (lhsShape.size() == 1)
      lhsShape.insert(lhsShape.begin(), 1);
    if (rhsShape.size() == 1)
      rhsShape.push_back(1);
    lhs = reshapeTo(rewriter, loc, lhs, lhsShape);
    rhs = reshapeTo(rewriter, loc, rhs, rhsShape);
    int64_t m = lhsShape[lhsShape.size() - 2], k = lhsShape.back();
    int64_t n = rhsShape.back();
    ArrayRef<int64_t> lhsBatch = ArrayRef(lhsShape).drop_back(2);
    ArrayRef<int64_t> rhsBatch = ArrayRef(rhsShape).drop_back(2);

    // The broadcast batch shape.
    size_t batchRank = std::max(lhsBatch.size(), rhsBatch.size());
    SmallVector<int64_t> batch(batchRank, 1);
    for (ArrayRef<int64_t> operandBatch : {lhsBatch, rhsBatch})
      for (auto [i, size] : llvm::enumerate(operandBatch))
        if (size != 1)
          batch[i + batchRank - operandBatch.size()] = size;
    int64_t batchCount = 1;
    for (int64_t size : batch)
      batchCount *= size;
    auto product = [](ArrayRef<int64_t> shape) {
      int64_t count = 1;
      for (int64_t size : shape)
        count *= size;
      return count;
    };

    Value y;
    if (product(rhsBatch) == 1 && product(lhsBatch) == batchCount) {
      // Every batch multiplies the same rhs: one [B*m, k] x [k, n] product.
      y = matmul(rewriter, loc,
                 reshapeTo(rewriter, loc, lhs, {batchCount * m, k}),
                 reshapeTo(rewriter, loc, rhs, {k, n}), Value());
    } else {
      auto batched = [&](Value operand, int64_t rows, int64_t cols) {
        SmallVector<int64_t> full(batch);
        full.push_back(rows);
        full.push_back(cols);
        Value broadcast = broadcastTo(rewriter, loc, operand, full);
        return reshapeTo(rewriter, loc, broadcast, {batchCount, rows, cols});
      };
      y = matmul(rewriter, loc, batched(lhs, m, k), batched(rhs, k, n),
                 Value());
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, y, resultType.getShape()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// softmax, layer_norm, gelu
//===----------------------------------------------------------------------===//

/// Numerically stable softmax along `axis`: m = max(x), e = exp(x - m),
/// s = sum(e), y = e / s, the reductions as `linalg.generic` with a
/// reduction iterator on `axis` and the elementwise steps reading m and s
/// through a map that drops `axis`. (`linalg.softmax` is not used: the
/// interim CPU pipeline does not decompose it.) Half precision computes in
/// f32 (computeTypeFor), as does layer normalisation.
struct SoftmaxOpLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type elementType = computeTypeFor(rewriter, type.getElementType());
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    llvm::SmallBitVector reduced(rank);
    reduced.set(axis);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap dropAxis = selectDims(rewriter, rank, keptDims(reduced));
    Value x = withElementType(rewriter, loc, adaptor.getInput(), elementType);

    Value max = reduce(rewriter, loc, x, reduced,
                       lowestAttr(rewriter, elementType), maxValues);
    Value exps = elementwise(
        rewriter, loc, type.getShape(), elementType, ValueRange{x, max},
        {identity, dropAxis}, [](OpBuilder &b, Location l, ValueRange args) {
          Value shifted = arith::SubFOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(
              b, l, ValueRange{math::ExpOp::create(b, l, shifted)});
        });
    Value sum = reduce(rewriter, loc, exps, reduced,
                       zeroAttr(rewriter, elementType), addValues);
    Value y = elementwise(
        rewriter, loc, type.getShape(), elementType, ValueRange{exps, sum},
        {identity, dropAxis}, [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, ValueRange{arith::DivFOp::create(b, l, args[0], args[1])});
        });
    rewriter.replaceOp(
        op, withElementType(rewriter, loc, y, type.getElementType()));
    return success();
  }
};

/// Layer normalisation over dimensions axis.. (N elements per row):
/// mean = sum(x) / N, d = x - mean, var = sum(d * d) / N (biased),
/// rstd = 1 / sqrt(var + eps), y = d * rstd [* weight] [+ bias], with
/// weight and bias read through a map onto the normalised dimensions.
struct LayerNormOpLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type elementType = computeTypeFor(rewriter, type.getElementType());
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    llvm::SmallBitVector reduced(rank);
    reduced.set(axis, rank);
    SmallVector<int64_t> outer = keptDims(reduced);
    SmallVector<int64_t> inner;
    int64_t count = 1;
    for (int64_t d = axis; d < rank; ++d) {
      inner.push_back(d);
      count *= shape[d];
    }
    SmallVector<int64_t> outerShape(shape.take_front(axis));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap outerMap = selectDims(rewriter, rank, outer);
    AffineMap innerMap = selectDims(rewriter, rank, inner);
    AffineMap outerIdentity = rewriter.getMultiDimIdentityMap(axis);
    double countValue = static_cast<double>(count);
    double epsilon = op.getEpsilonAttr().getValueAsDouble();
    TypedAttr zero = zeroAttr(rewriter, elementType);
    Value x = withElementType(rewriter, loc, adaptor.getInput(), elementType);

    // d = x - sum(x) / N
    Value sum = reduce(rewriter, loc, x, reduced, zero, addValues);
    Value centred = elementwise(
        rewriter, loc, shape, elementType, ValueRange{x, sum},
        {identity, outerMap}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value n = createScalarConstant(b, l, elementType, countValue);
          Value mean = arith::DivFOp::create(b, l, args[1], n);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::SubFOp::create(b, l, args[0], mean)});
        });
    // rstd = 1 / sqrt(sum(d * d) / N + eps)
    Value squares =
        reduce(rewriter, loc, centred, reduced, zero,
               [](OpBuilder &b, Location l, Value elem, Value acc) -> Value {
                 Value square = arith::MulFOp::create(b, l, elem, elem);
                 return arith::AddFOp::create(b, l, acc, square);
               });
    Value rstd = elementwise(
        rewriter, loc, outerShape, elementType, ValueRange{squares},
        {outerIdentity}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value n = createScalarConstant(b, l, elementType, countValue);
          Value eps = createScalarConstant(b, l, elementType, epsilon);
          Value one = createScalarConstant(b, l, elementType, 1.0);
          Value var = arith::DivFOp::create(b, l, args[0], n);
          Value root =
              math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, var, eps));
          linalg::YieldOp::create(
              b, l, ValueRange{arith::DivFOp::create(b, l, one, root)});
        });
    // y = d * rstd [* weight] [+ bias]
    SmallVector<Value> inputs = {centred, rstd};
    SmallVector<AffineMap> maps = {identity, outerMap};
    Value weight = adaptor.getWeight(), bias = adaptor.getBias();
    if (weight) {
      inputs.push_back(withElementType(rewriter, loc, weight, elementType));
      maps.push_back(innerMap);
    }
    if (bias) {
      inputs.push_back(withElementType(rewriter, loc, bias, elementType));
      maps.push_back(innerMap);
    }
    bool hasWeight = static_cast<bool>(weight);
    bool hasBias = static_cast<bool>(bias);
    Value y = elementwise(rewriter, loc, shape, elementType, inputs, maps,
                          [&](OpBuilder &b, Location l, ValueRange args) {
                            Value v =
                                arith::MulFOp::create(b, l, args[0], args[1]);
                            unsigned next = 2;
                            if (hasWeight)
                              v = arith::MulFOp::create(b, l, v, args[next++]);
                            if (hasBias)
                              v = arith::AddFOp::create(b, l, v, args[next++]);
                            linalg::YieldOp::create(b, l, ValueRange{v});
                          });
    rewriter.replaceOp(
        op, withElementType(rewriter, loc, y, type.getElementType()));
    return success();
  }
};

/// erfc(z) from arith and math.exp only (math.erf has no lowering in the
/// interim CPU pipeline): the Chebyshev fit of Numerical Recipes (`erfcc`),
/// t = 1 / (1 + |z| / 2),
/// erfc(|z|) = t exp(-z^2 + P(t)) with P of degree 9, relative error below
/// 1.2e-7 in exact arithmetic, and erfc(z) = 2 - erfc(|z|) for z < 0. Being
/// a fit of erfc, it keeps its relative accuracy in the tail, where
/// 1 + erf(x) would cancel.
Value buildErfc(OpBuilder &b, Location loc, Value z) {
  Type type = z.getType();
  static constexpr double coefficients[] = {
      -1.26551223, 1.00002368,  0.37409196, 0.09678418,  -0.18628806,
      0.27886807,  -1.13520398, 1.48851587, -0.82215223, 0.17087277};
  Value one = createScalarConstant(b, loc, type, 1.0);
  Value half = createScalarConstant(b, loc, type, 0.5);
  Value two = createScalarConstant(b, loc, type, 2.0);
  Value zero = createScalarConstant(b, loc, type, 0.0);
  Value absZ = math::AbsFOp::create(b, loc, z);
  Value t = arith::DivFOp::create(
      b, loc, one,
      arith::AddFOp::create(b, loc, one,
                            arith::MulFOp::create(b, loc, half, absZ)));
  // Horner: c0 + t (c1 + t (c2 + ... + t c9)).
  Value poly = createScalarConstant(b, loc, type, coefficients[9]);
  for (int i = 8; i >= 0; --i)
    poly = math::FmaOp::create(b, loc, t, poly,
                               createScalarConstant(b, loc, type, coefficients[i]));
  Value negSquare =
      arith::NegFOp::create(b, loc, arith::MulFOp::create(b, loc, absZ, absZ));
  Value tail = arith::MulFOp::create(
      b, loc, t,
      math::ExpOp::create(b, loc,
                          arith::AddFOp::create(b, loc, negSquare, poly)));
  Value negative =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, z, zero);
  return arith::SelectOp::create(
      b, loc, negative, arith::SubFOp::create(b, loc, two, tail), tail);
}

/// GELU, one `linalg.generic`:
/// none: 0.5 x (1 + erf(x / sqrt 2)) = 0.5 x erfc(-x / sqrt 2);
/// tanh: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
struct GeluOpLowering : OpConversionPattern<GeluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    // 16-bit GELU computes in f32 inside its one generic, rounding once.
    Type elementType = computeTypeFor(rewriter, type.getElementType());
    bool useTanh = op.getApproximate() == "tanh";
    if (!useTanh && op.getApproximate() != "none")
      return rewriter.notifyMatchFailure(op, "unknown approximation");
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    auto convert = [](OpBuilder &b, Location l, Value value, Type to) {
      if (value.getType() == to)
        return value;
      if (to.getIntOrFloatBitWidth() > value.getType().getIntOrFloatBitWidth())
        return arith::ExtFOp::create(b, l, to, value).getResult();
      return arith::TruncFOp::create(b, l, to, value).getResult();
    };
    Value y = elementwise(
        rewriter, op.getLoc(), type.getShape(), type.getElementType(),
        adaptor.getInput(), identity,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convert(b, l, args[0], elementType);
          Value half = createScalarConstant(b, l, elementType, 0.5);
          Value halfX = arith::MulFOp::create(b, l, half, x);
          Value cdf2; // 2 Phi(x)
          if (useTanh) {
            Value one = createScalarConstant(b, l, elementType, 1.0);
            Value c = createScalarConstant(b, l, elementType, 0.044715);
            Value scale = createScalarConstant(
                b, l, elementType, 0.79788456080286535588 /* sqrt(2/pi) */);
            Value x3 = arith::MulFOp::create(b, l, x,
                                             arith::MulFOp::create(b, l, x, x));
            Value inner = arith::MulFOp::create(
                b, l, scale,
                math::FmaOp::create(b, l, c, x3, x)); // x + 0.044715 x^3
            cdf2 = arith::AddFOp::create(b, l, one,
                                         math::TanhOp::create(b, l, inner));
          } else {
            Value negInvSqrt2 =
                createScalarConstant(b, l, elementType, -1.0 / std::sqrt(2.0));
            cdf2 = buildErfc(b, l, arith::MulFOp::create(b, l, x, negInvSqrt2));
          }
          Value gelu = arith::MulFOp::create(b, l, halfX, cdf2);
          linalg::YieldOp::create(b, l,
                                  convert(b, l, gelu, type.getElementType()));
        });
    if (!useTanh)
      y.getDefiningOp()->setAttr(kActivationAttrName,
                                 rewriter.getStringAttr("gelu"));
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// embedding, gather
//===----------------------------------------------------------------------===//

/// Reads an element of `source` with `tensor.extract`.
auto extractFrom(Value source) {
  return [source](OpBuilder &b, Location loc, ValueRange coords) -> Value {
    return tensor::ExtractOp::create(b, loc, source, coords);
  };
}

/// An embedding lookup is a gather of table rows (axis 0).
struct EmbeddingOpLowering : OpConversionPattern<EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> y =
        buildGather(rewriter, op.getLoc(), adaptor.getIndices(), 0,
                    tensorTypeOf(adaptor.getTable()).getDimSize(0),
                    op.getType(), extractFrom(adaptor.getTable()));
    if (failed(y))
      return rewriter.notifyMatchFailure(op, "indices not signless integers");
    rewriter.replaceOp(op, *y);
    return success();
  }
};

struct GatherOpLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    int64_t axis = normalizeAxis(op.getAxis(),
                                 tensorTypeOf(adaptor.getInput()).getRank());
    FailureOr<Value> y =
        buildGather(rewriter, op.getLoc(), adaptor.getIndices(), axis,
                    tensorTypeOf(adaptor.getInput()).getDimSize(axis),
                    op.getType(), extractFrom(adaptor.getInput()));
    if (failed(y))
      return rewriter.notifyMatchFailure(op, "indices not signless integers");
    rewriter.replaceOp(op, *y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class ReduceKind { Sum, Mean, Max };

/// reduce_sum/mean/max over `axes`: one reduction `linalg.generic` (sum
/// from 0, max from -inf / the smallest integer with NaN-propagating
/// `maximumf`), mean then divides by the number of reduced elements, and
/// `keepdims` re-inserts the unit dimensions with `tensor.expand_shape`.
/// No axes: the input itself.
template <typename OpTy, ReduceKind Kind>
struct ReduceOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    RankedTensorType inputType = tensorTypeOf(input);
    Type elementType = inputType.getElementType();
    if (!isArithElementType(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    if (Kind != ReduceKind::Max && elementType.isInteger(1))
      return rewriter.notifyMatchFailure(op, "sum or mean of i1");
    int64_t rank = inputType.getRank();
    llvm::SmallBitVector reduced(rank);
    int64_t count = 1;
    for (int64_t axis : op.getAxes()) {
      int64_t d = normalizeAxis(axis, rank);
      reduced.set(d);
      count *= inputType.getDimSize(d);
    }
    if (reduced.none()) {
      rewriter.replaceOp(op, input);
      return success();
    }

    Value y;
    if (Kind == ReduceKind::Max)
      y = reduce(rewriter, loc, input, reduced,
                 lowestAttr(rewriter, elementType), maxValues);
    else
      y = reduce(rewriter, loc, input, reduced, zeroAttr(rewriter, elementType),
                 addValues);
    if (Kind == ReduceKind::Mean) {
      RankedTensorType sumType = tensorTypeOf(y);
      y = elementwise(rewriter, loc, sumType.getShape(), elementType, y,
                      rewriter.getMultiDimIdentityMap(sumType.getRank()),
                      [&](OpBuilder &b, Location l, ValueRange args) {
                        Value mean;
                        if (isa<FloatType>(elementType)) {
                          Value n = createScalarConstant(b, l, elementType,
                                                  static_cast<double>(count));
                          mean = arith::DivFOp::create(b, l, args[0], n);
                        } else {
                          Value n = scalarConstant(
                              b, l, b.getIntegerAttr(elementType, count));
                          mean = arith::DivSIOp::create(b, l, args[0], n);
                        }
                        linalg::YieldOp::create(b, l, ValueRange{mean});
                      });
    }
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, y, op.getType().getShape()));
    return success();
  }
};

} // namespace

/// ONNX Gather on `axis` (a, q = rank of indices):
/// out[i_0..i_{a-1}, j..., k...] = input[i_0..i_{a-1}, indices[j...], k...],
/// a `linalg.generic` over the result reading the index through its map and
/// the input element through `read`; negative indices count from the end.
FailureOr<Value> mlir::mase::detail::buildGather(OpBuilder &rewriter,
                                                 Location loc, Value indices,
                                                 int64_t axis, int64_t axisSize,
                                                 RankedTensorType type,
                                                 GatherReadFn read) {
  if (!tensorTypeOf(indices).getElementType().isSignlessInteger())
    return failure();
  int64_t rank = type.getRank();
  int64_t q = tensorTypeOf(indices).getRank();
  SmallVector<int64_t> indexDims;
  for (int64_t d = axis; d < axis + q; ++d)
    indexDims.push_back(d);
  return elementwise(
      rewriter, loc, type.getShape(), type.getElementType(), indices,
      selectDims(rewriter, rank, indexDims),
      [&](OpBuilder &b, Location l, ValueRange args) {
        SmallVector<Value> coords;
        for (int64_t d = 0; d < axis; ++d)
          coords.push_back(linalg::IndexOp::create(b, l, d));
        coords.push_back(wrapIndex(b, l, args[0], axisSize));
        for (int64_t d = axis + q; d < rank; ++d)
          coords.push_back(linalg::IndexOp::create(b, l, d));
        linalg::YieldOp::create(b, l, ValueRange{read(b, l, coords)});
      });
}

void mlir::mase::populateMaseNNToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<LinearOpLowering, MatmulOpLowering, SoftmaxOpLowering,
           LayerNormOpLowering, GeluOpLowering, EmbeddingOpLowering,
           GatherOpLowering, ReduceOpLowering<ReduceMeanOp, ReduceKind::Mean>,
           ReduceOpLowering<ReduceSumOp, ReduceKind::Sum>,
           ReduceOpLowering<ReduceMaxOp, ReduceKind::Max>>(
          patterns.getContext());
}
