//===- MaseOps.cpp - mase dialect operations ------------------------------===//

#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mase;

#define GET_OP_CLASSES
#include "mase/Dialect/Mase/IR/MaseOps.cpp.inc"

/// The float values of a constant f32 tensor, splats expanded.
static SmallVector<float> floatValues(DenseElementsAttr attr) {
  return llvm::to_vector(attr.getValues<float>());
}

/// Checks `shape` against `format` when it is static.
static LogicalResult verifyShapeForFormat(Operation *op, ShapedType type,
                                          FormatAttrInterface format) {
  if (!type.hasStaticShape())
    return success();
  return format.verifyTensorShape(type.getShape(),
                                  [op] { return op->emitOpError(); });
}

/// Checks that a float tensor and a packed tensor have the same shape.
static LogicalResult verifySameShape(Operation *op, RankedTensorType tensor,
                                     PackedTensorType packed) {
  if (tensor.getShape() != packed.getShape())
    return op->emitOpError("tensor shape ")
           << tensor << " does not match the packed shape " << packed;
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  return verifyShapeForFormat(*this, getInput().getType(), getFormat());
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  RankedTensorType type = getType();
  if (!input || !type.hasStaticShape())
    return {};
  SmallVector<float> output;
  std::string error;
  if (failed(getFormat().quantize(floatValues(input), type.getShape(), output,
                                  error)))
    return {};
  return DenseElementsAttr::get(type, ArrayRef<float>(output));
}

//===----------------------------------------------------------------------===//
// PackOp / UnpackOp / PackedConstantOp
//===----------------------------------------------------------------------===//

/// The storage bytes as an i8 tensor constant.
static DenseIntElementsAttr bytesAttr(MLIRContext *context,
                                      ArrayRef<uint8_t> bytes) {
  auto type = RankedTensorType::get({static_cast<int64_t>(bytes.size())},
                                    IntegerType::get(context, 8));
  SmallVector<int8_t> values(bytes.begin(), bytes.end());
  return DenseIntElementsAttr::get(type, ArrayRef<int8_t>(values));
}

LogicalResult PackOp::verify() {
  return verifySameShape(*this, getInput().getType(), getType());
}

OpFoldResult PackOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  PackedTensorType type = getType();
  SmallVector<uint8_t> bytes;
  std::string error;
  if (failed(type.getFormat().pack(floatValues(input), type.getShape(), bytes,
                                   error)))
    return {};
  return bytesAttr(getContext(), bytes);
}

LogicalResult UnpackOp::verify() {
  return verifySameShape(*this, getType(), getInput().getType());
}

OpFoldResult UnpackOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  PackedTensorType packed = getInput().getType();
  SmallVector<uint8_t> bytes = llvm::map_to_vector(
      input.getValues<APInt>(),
      [](const APInt &v) { return static_cast<uint8_t>(v.getZExtValue()); });
  SmallVector<float> output;
  std::string error;
  if (failed(packed.getFormat().unpack(bytes, packed.getShape(), output,
                                       error)))
    return {};
  return DenseElementsAttr::get(getType(), ArrayRef<float>(output));
}

namespace {
/// unpack(pack(x)) is quantize(x) in the packed format.
struct FoldUnpackOfPack : OpRewritePattern<UnpackOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(UnpackOp op,
                                PatternRewriter &rewriter) const override {
    auto pack = op.getInput().getDefiningOp<PackOp>();
    if (!pack)
      return failure();
    rewriter.replaceOpWithNewOp<QuantizeOp>(
        op, pack.getInput(), pack.getType().getFormat());
    return success();
  }
};
} // namespace

void UnpackOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<FoldUnpackOfPack>(context);
}

LogicalResult PackedConstantOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  int64_t expected = getType().getStorageBytes();
  if (valueType.getRank() != 1 || !valueType.getElementType().isInteger(8) ||
      valueType.getNumElements() != expected)
    return emitOpError("value must be a tensor<")
           << expected << "xi8> of storage bytes for " << getType()
           << ", got " << valueType;
  return success();
}

OpFoldResult PackedConstantOp::fold(FoldAdaptor) { return getValue(); }
