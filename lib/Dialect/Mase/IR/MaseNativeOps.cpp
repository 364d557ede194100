//===- MaseNativeOps.cpp - native integer quantisation ops ----------------===//

#include "mase-c/ModelSupport.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mase;

/// Fails, naming `what`, unless every code of `format` fits the signed
/// integer type `codeType` (i8 or i16).
static LogicalResult verifyCodeFormat(Operation *op, IntFormatAttr format,
                                      StringRef what, Type codeType) {
  unsigned bits = codeType.getIntOrFloatBitWidth();
  unsigned width = format.getWidth() + (format.getIsSigned() ? 0 : 1);
  if (width <= bits)
    return success();
  return op->emitOpError() << what << " " << format
                           << " has codes that do not fit i" << bits
                           << " (at most " << bits << " bits signed or "
                           << bits - 1 << " bits unsigned)";
}

//===----------------------------------------------------------------------===//
// IntCodesOp
//===----------------------------------------------------------------------===//

LogicalResult IntCodesOp::verify() {
  if (getInput().getType().getShape() != getType().getShape())
    return emitOpError("result shape must match the input shape");
  return verifyCodeFormat(*this, getFormat(), "format",
                          getType().getElementType());
}

OpFoldResult IntCodesOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  SmallVector<float> values(input.getValues<float>());
  if (llvm::any_of(values, [](float v) { return std::isnan(v); }))
    return {};
  SmallVector<float> quantized;
  std::string error;
  if (failed(cast<FormatAttrInterface>(getFormat())
                 .quantize(values, getType().getShape(), quantized, error)))
    return {};
  // quantize gives code / 2^f exactly, so code = quantized * 2^f.
  int frac = getFormat().getFracWidth();
  SmallVector<APInt> codes;
  codes.reserve(quantized.size());
  unsigned bits = getType().getElementType().getIntOrFloatBitWidth();
  for (float q : quantized)
    codes.emplace_back(bits, static_cast<int64_t>(std::ldexp(q, frac)),
                       /*isSigned=*/true);
  return DenseElementsAttr::get(getType(), codes);
}

//===----------------------------------------------------------------------===//
// IntLinearOp
//===----------------------------------------------------------------------===//

/// The shapes of a linear layer: input [..., in], weight [out, in], bias
/// [out], result [..., out], and an in_features the int32 GEMM accepts.
static LogicalResult verifyLinearShapes(Operation *op, ShapedType inputType,
                                        ShapedType weightType, Value bias,
                                        ShapedType resultType) {
  ArrayRef<int64_t> input = inputType.getShape();
  ArrayRef<int64_t> weight = weightType.getShape();
  if (input.empty())
    return op->emitOpError("input must have rank >= 1 ([..., in_features])");
  if (weight.size() != 2)
    return op->emitOpError(
        "weight must have rank 2 ([out_features, in_features])");
  if (input.back() != weight[1])
    return op->emitOpError("input in_features ")
           << input.back() << " does not match weight in_features "
           << weight[1];
  if (weight[1] > MASE_QGEMM_MAX_DEPTH)
    return op->emitOpError("in_features ")
           << weight[1] << " exceeds " << MASE_QGEMM_MAX_DEPTH
           << ", beyond which int32 sums could overflow";
  if (bias &&
      cast<RankedTensorType>(bias.getType()).getShape() != weight.take_front())
    return op->emitOpError("bias must have shape [out_features] = [")
           << weight[0] << "]";
  SmallVector<int64_t> expected(input.drop_back());
  expected.push_back(weight[0]);
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError("result shape must be [..., out_features]");
  return success();
}

LogicalResult IntLinearOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (failed(verifyLinearShapes(*this, inputType, getWeight().getType(),
                                getBias(), getType())))
    return failure();
  bool integerInput = inputType.getElementType().isInteger(8);
  if (integerInput != static_cast<bool>(getInputFormat()))
    return emitOpError(integerInput
                           ? "an i8 input needs an input_format"
                           : "an f32 input must not have an input_format");
  Type weightCodes = getWeight().getType().getElementType();
  if (integerInput && !weightCodes.isInteger(8))
    return emitOpError("an i8 input needs i8 weight codes");
  if (failed(verifyCodeFormat(*this, getWeightFormat(), "weight_format",
                              weightCodes)))
    return failure();
  if (IntFormatAttr format = getInputFormatAttr())
    return verifyCodeFormat(*this, format, "input_format",
                            inputType.getElementType());
  return success();
}

int IntLinearOp::getPackedWeightBits() {
  IntFormatAttr format = getWeightFormat();
  return format.getWidth() + (format.getIsSigned() ? 0 : 1);
}

//===----------------------------------------------------------------------===//
// BlockLinearOp
//===----------------------------------------------------------------------===//

LogicalResult BlockLinearOp::verify() {
  if (failed(verifyLinearShapes(*this, getInput().getType(),
                                getWeight().getType(), getBias(), getType())))
    return failure();
  ArrayRef<int64_t> weight = getWeight().getType().getShape();
  int64_t block = getBlock();
  if (block % MASE_QGEMM_DEPTH != 0 || weight[1] % block != 0)
    return emitOpError("block ")
           << block << " must be a multiple of " << MASE_QGEMM_DEPTH
           << " that divides in_features " << weight[1];
  ArrayRef<int64_t> exponents = getWeightExponents().getType().getShape();
  if (exponents != ArrayRef<int64_t>{weight[0], weight[1] / block})
    return emitOpError("weight_exponents must have shape [out_features, "
                       "in_features / block] = [")
           << weight[0] << ", " << weight[1] / block << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// BlockEmbeddingOp
//===----------------------------------------------------------------------===//

LogicalResult BlockEmbeddingOp::verify() {
  ArrayRef<int64_t> table = getTable().getType().getShape();
  if (table.size() != 2)
    return emitOpError("table must have rank 2 ([num_embeddings, "
                       "embedding_dim]), got rank ")
           << table.size();
  int64_t block = getBlock();
  if (table[1] % block != 0)
    return emitOpError("block ")
           << block << " must divide embedding_dim " << table[1];
  ArrayRef<int64_t> exponents = getTableExponents().getType().getShape();
  if (exponents != ArrayRef<int64_t>{table[0], table[1] / block})
    return emitOpError("table_exponents must have shape [num_embeddings, "
                       "embedding_dim / block] = [")
           << table[0] << ", " << table[1] / block << "]";
  SmallVector<int64_t> expected(getIndices().getType().getShape());
  expected.push_back(table[1]);
  if (getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result must have the shape of indices followed by "
                       "embedding_dim ")
           << table[1];
  return success();
}

//===----------------------------------------------------------------------===//
// SparseLinearOp
//===----------------------------------------------------------------------===//

LogicalResult SparseLinearOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> result = getType().getShape();
  if (input.empty() || result.size() != input.size() ||
      result.drop_back() != input.drop_back())
    return emitOpError("input [..., in_features] and result [..., "
                       "out_features] must share their leading dimensions");
  int64_t out = result.back(), in = input.back();
  if (in > MASE_SPARSE_MAX_DEPTH)
    return emitOpError("in_features ")
           << in << " exceeds " << MASE_SPARSE_MAX_DEPTH
           << ", the range of the 16-bit column indices";
  if (getOffsets().getType().getShape()[0] != out + 1)
    return emitOpError("offsets must have out_features + 1 = ")
           << out + 1 << " elements";
  if (getColumns().getType().getShape() != getValues().getType().getShape())
    return emitOpError("columns and values must have one element per entry");
  if (Value bias = getBias();
      bias && cast<RankedTensorType>(bias.getType()).getShape() !=
                  ArrayRef<int64_t>{out})
    return emitOpError("bias must have shape [out_features] = [") << out << "]";
  return success();
}
