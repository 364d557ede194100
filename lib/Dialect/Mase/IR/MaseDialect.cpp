//===- MaseDialect.cpp - The mase dialect ---------------------------------===//

#include "mase/Dialect/Mase/IR/MaseDialect.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

using namespace mlir;
using namespace mlir::mase;

#include "mase/Dialect/Mase/IR/MaseOpsDialect.cpp.inc"

void MaseDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "mase/Dialect/Mase/IR/MaseOps.cpp.inc"
      >();
}

Operation *MaseDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  if (auto packed = dyn_cast<PackedTensorType>(type)) {
    auto bytes = dyn_cast<DenseIntElementsAttr>(value);
    return bytes ? PackedConstantOp::create(builder, loc, packed, bytes)
                 : nullptr;
  }
  return arith::ConstantOp::materialize(builder, value, type, loc);
}
