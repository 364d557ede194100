//===- MaseOps.cpp - mase dialect operations ------------------------------===//

#include "mase/Dialect/Mase/IR/MaseOps.h"

using namespace mlir;
using namespace mlir::mase;

#define GET_OP_CLASSES
#include "mase/Dialect/Mase/IR/MaseOps.cpp.inc"
