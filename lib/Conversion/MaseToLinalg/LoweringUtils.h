//===- LoweringUtils.h - helpers shared by the mase-to-linalg patterns ----===//
//
// Private to lib/Conversion/MaseToLinalg: numpy broadcasting as linalg
// indexing maps, and the one-linalg.generic-per-op builder the elementwise
// and shape patterns use.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_CONVERSION_MASETOLINALG_LOWERINGUTILS_H
#define MASE_LIB_CONVERSION_MASETOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::mase::detail {

/// The indexing map that reads an operand of shape `operandShape` inside the
/// iteration space of `resultShape` under numpy broadcasting: shapes align at
/// the trailing dimension, the operand's missing leading dimensions are
/// dropped, and an operand dimension of size 1 that the result stretches
/// reads index 0. `(d0, d1) -> (d1)` for tensor<3xf32> in tensor<2x3xf32>,
/// `(d0, d1) -> (d0, 0)` for tensor<2x1xf32>.
inline AffineMap getBroadcastIndexingMap(ArrayRef<int64_t> operandShape,
                                         ArrayRef<int64_t> resultShape,
                                         MLIRContext *ctx) {
  unsigned rank = resultShape.size();
  unsigned offset = rank - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(operandShape)) {
    unsigned dim = offset + i;
    if (size == 1 && resultShape[dim] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(dim, ctx));
  }
  return AffineMap::get(rank, /*symbolCount=*/0, exprs, ctx);
}

/// Whether every operand's shape broadcasts to `resultShape` (so that the
/// maps above are in bounds); the op verifiers guarantee it, the patterns
/// check it anyway rather than build an invalid linalg.generic.
inline bool broadcastsTo(TypeRange operandTypes,
                         ArrayRef<int64_t> resultShape) {
  for (Type t : operandTypes) {
    auto type = dyn_cast<RankedTensorType>(t);
    if (!type || !type.hasStaticShape() ||
        type.getRank() > (int64_t)resultShape.size())
      return false;
    int64_t offset = resultShape.size() - type.getRank();
    for (auto [i, size] : llvm::enumerate(type.getShape()))
      if (size != 1 && size != resultShape[offset + i])
        return false;
  }
  return true;
}

/// Builds the body of one scalar computation from the block arguments of the
/// inputs (the output's argument is not passed).
using ScalarBodyBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// One all-parallel linalg.generic producing `resultType` from `inputs`,
/// each read through its broadcasting map, into a tensor.empty.
inline Value buildBroadcastGeneric(OpBuilder &b, Location loc,
                                   RankedTensorType resultType,
                                   ValueRange inputs,
                                   ScalarBodyBuilder bodyBuilder) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = resultType.getShape();
  Value init =
      tensor::EmptyOp::create(b, loc, shape, resultType.getElementType());
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastIndexingMap(
        cast<RankedTensorType>(input.getType()).getShape(), shape, ctx));
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = bodyBuilder(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

/// A scalar arith.constant of a float or integer type.
inline Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                                  double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

/// Float or signless integer: the element types arith and math accept.
inline bool isArithElementType(Type type) {
  return isa<FloatType>(type) || type.isSignlessInteger();
}

/// `value` with the static `shape` (same element count), through
/// `tensor.collapse_shape`/`tensor.expand_shape`; through a 1-D tensor when
/// the two shapes are not one a regrouping of the other.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape);

/// W^T [in, out] of a weight W [out, in]: transposed at compile time when W
/// is a constant (weights are), else by `linalg.transpose`.
Value transposedWeight(OpBuilder &b, Location loc, Value weight, int64_t in,
                       int64_t out);

/// The address (i64) of the buffer that `tensor` bufferizes to, for a call
/// of the model support library that reads it in place.
Value bufferAddress(OpBuilder &b, Location loc, Value tensor);

/// An i64 arith.constant.
Value i64Constant(OpBuilder &b, Location loc, int64_t value);

/// Calls the model support library's `symbol` (declared in the module, else
/// an error on `op`) with `args` followed by the address of a fresh f32
/// buffer of `shape`, which becomes the returned tensor.
FailureOr<Value> callWritingResult(OpBuilder &b, Operation *op,
                                   StringRef symbol, SmallVector<Value> args,
                                   ArrayRef<int64_t> shape);

/// Reads one element of a gather's source at `coords` (in NNToLinalg.cpp).
using GatherReadFn =
    function_ref<Value(OpBuilder &, Location, ValueRange coords)>;

/// ONNX Gather on `axis` of a source whose `axis` has `axisSize` entries: a
/// `linalg.generic` over the result `type` reading each index through its
/// map (a negative one counts from the end) and each element through
/// `read`. Fails (no IR built) when the indices are not signless integers.
FailureOr<Value> buildGather(OpBuilder &b, Location loc, Value indices,
                             int64_t axis, int64_t axisSize,
                             RankedTensorType type, GatherReadFn read);

} // namespace mlir::mase::detail

#endif // MASE_LIB_CONVERSION_MASETOLINALG_LOWERINGUTILS_H
