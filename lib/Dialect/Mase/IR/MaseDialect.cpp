//===- MaseDialect.cpp - The mase dialect ---------------------------------===//

#include "mase/Dialect/Mase/IR/MaseDialect.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

using namespace mlir;
using namespace mlir::mase;

#include "mase/Dialect/Mase/IR/MaseOpsDialect.cpp.inc"

void MaseDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mase/Dialect/Mase/IR/MaseOps.cpp.inc"
      >();
}
