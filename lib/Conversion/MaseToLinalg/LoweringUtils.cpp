//===- LoweringUtils.cpp - helpers shared by the mase lowerings -----------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Matchers.h"

#include <cstring>
#include <vector>

using namespace mlir;

namespace mlir::mase::detail {

/// `value` with the static `shape` (same element count), through
/// `tensor.collapse_shape`/`tensor.expand_shape`; through a 1-D tensor when
/// the two shapes are not one a regrouping of the other.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto target = RankedTensorType::get(shape, type.getElementType());
  if (target.getRank() < type.getRank()) {
    if (auto groups =
            getReassociationIndicesForCollapse(type.getShape(), shape))
      return tensor::CollapseShapeOp::create(b, loc, target, value, *groups);
  } else if (target.getRank() > type.getRank()) {
    if (auto groups =
            getReassociationIndicesForCollapse(shape, type.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, target, value, *groups);
  }
  int64_t count = type.getNumElements();
  auto flatType = RankedTensorType::get({count}, type.getElementType());
  auto allDims = [](int64_t rank) {
    ReassociationIndices group;
    for (int64_t d = 0; d < rank; ++d)
      group.push_back(d);
    return SmallVector<ReassociationIndices>{group};
  };
  Value flat = value;
  if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, value,
                                         ArrayRef<ReassociationIndices>{});
  else if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value,
                                           allDims(type.getRank()));
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (target.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       allDims(target.getRank()));
}

/// W^T [in, out] of a weight W [out, in]: transposed at compile time when W
/// is a constant (weights are), else by `linalg.transpose`.
Value transposedWeight(OpBuilder &b, Location loc, Value weight, int64_t in,
                       int64_t out) {
  Type elementType = cast<RankedTensorType>(weight.getType()).getElementType();
  auto type = RankedTensorType::get({in, out}, elementType);
  DenseElementsAttr dense;
  if (matchPattern(weight, m_Constant(&dense))) {
    if (dense.isSplat())
      return arith::ConstantOp::create(b, loc, dense.resizeSplat(type));
    unsigned bits = elementType.getIntOrFloatBitWidth();
    if (bits % 8 == 0) {
      size_t bytes = bits / 8;
      ArrayRef<char> data = dense.getRawData();
      std::vector<char> transposed(data.size());
      for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i)
          std::memcpy(&transposed[(i * out + o) * bytes],
                      &data[(o * in + i) * bytes], bytes);
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::getFromRawBuffer(type, transposed));
    }
  }
  Value init = tensor::EmptyOp::create(b, loc, {in, out}, elementType);
  return linalg::TransposeOp::create(b, loc, weight, init,
                                     ArrayRef<int64_t>{1, 0})
      ->getResult(0);
}

Value bufferAddress(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = bufferization::ToBufferOp::create(b, loc, memrefType, tensor,
                                                   /*readOnly=*/true);
  Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
}

Value i64Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 64);
}

FailureOr<Value> callWritingResult(OpBuilder &b, Operation *op,
                                   StringRef symbol, SmallVector<Value> args,
                                   ArrayRef<int64_t> shape) {
  auto function = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, StringAttr::get(op->getContext(), symbol));
  if (!function)
    return op->emitOpError() << "needs the declaration of @" << symbol
                             << ", which the pass that made the op adds";
  Location loc = op->getLoc();
  auto resultType = MemRefType::get(shape, b.getF32Type());
  Value result = memref::AllocOp::create(b, loc, resultType,
                                         b.getI64IntegerAttr(64));
  args.push_back(arith::IndexCastOp::create(
      b, loc, b.getI64Type(),
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, result)));
  func::CallOp::create(b, loc, function, args);
  return Value(bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(shape, b.getF32Type()), result,
      /*restrict=*/true, /*writable=*/true));
}

} // namespace mlir::mase::detail
