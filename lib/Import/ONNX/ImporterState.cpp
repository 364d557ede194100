//===- ImporterState.cpp - values and constants of the ONNX importer ------===//

#include "ImporterState.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

namespace mase::onnx_import {

static Type elementTypeOf(ElementType type, MLIRContext *context) {
  switch (type) {
  case ElementType::F32:
    return Float32Type::get(context);
  case ElementType::F64:
    return Float64Type::get(context);
  case ElementType::F16:
    return Float16Type::get(context);
  case ElementType::BF16:
    return BFloat16Type::get(context);
  case ElementType::Bool:
    return IntegerType::get(context, 1);
  case ElementType::U8:
  case ElementType::U16:
  case ElementType::U32:
  case ElementType::U64:
    return IntegerType::get(context, byteWidth(type) * 8, IntegerType::Unsigned);
  case ElementType::I8:
  case ElementType::I16:
  case ElementType::I32:
  case ElementType::I64:
    return IntegerType::get(context, byteWidth(type) * 8);
  }
  llvm_unreachable("covered switch");
}

RankedTensorType toMlirType(const TensorType &type, MLIRContext *context) {
  return RankedTensorType::get(type.shape,
                               elementTypeOf(type.elementType, context));
}

DenseElementsAttr toDenseAttr(const HostTensor &tensor, MLIRContext *context) {
  RankedTensorType type = toMlirType(tensor.type, context);
  switch (tensor.type.elementType) {
  case ElementType::F32:
    return DenseElementsAttr::get(type, ArrayRef<float>(tensor.f32));
  case ElementType::F64:
    return DenseElementsAttr::get(type, ArrayRef<double>(tensor.f64));
  case ElementType::F16:
  case ElementType::BF16: {
    const llvm::fltSemantics &semantics =
        cast<FloatType>(type.getElementType()).getFloatSemantics();
    SmallVector<APFloat> values;
    for (float v : tensor.f32) {
      APFloat value(v);
      bool lost;
      value.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
      values.push_back(value);
    }
    return DenseElementsAttr::get(type, values);
  }
  case ElementType::Bool: {
    SmallVector<bool> values(tensor.ints.begin(), tensor.ints.end());
    return DenseElementsAttr::get(type, ArrayRef<bool>(values));
  }
  default: {
    unsigned width = type.getElementType().getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    for (int64_t v : tensor.ints)
      values.push_back(APInt(width, static_cast<uint64_t>(v),
                             /*isSigned=*/!isUnsigned(tensor.type.elementType),
                             /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, values);
  }
  }
}

int ImporterState::onnxUses(const std::string &name) const {
  int uses = 0;
  for (const onnx::NodeProto *node : model.order)
    uses += std::count(node->input().begin(), node->input().end(), name);
  for (const onnx::ValueInfoProto &output : model.proto.graph().output())
    uses += output.name() == name;
  return uses;
}

Location ImporterState::locationOf(const onnx::NodeProto &node) const {
  MLIRContext *context = builder.getContext();
  Location file = FileLineColLoc::get(context, model.path, 0, 0);
  std::string name = node.name().empty() ? node.op_type() : node.name();
  return NameLoc::get(StringAttr::get(context, name), file);
}

Value ImporterState::valueOf(const std::string &name) {
  ImportedValue &slot = values.at(name);
  if (!slot.value) {
    DenseElementsAttr attr = toDenseAttr(*slot.constant, builder.getContext());
    slot.value = arith::ConstantOp::create(
        builder, NameLoc::get(builder.getStringAttr(name)), attr);
  }
  return slot.value;
}

} // namespace mase::onnx_import
