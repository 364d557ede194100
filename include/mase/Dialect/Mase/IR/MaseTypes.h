//===- MaseTypes.h - mase dialect types -------------------------*- C++ -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASETYPES_H
#define MASE_DIALECT_MASE_IR_MASETYPES_H

#include "mase/Dialect/Mase/IR/MaseAttrs.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "mase/Dialect/Mase/IR/MaseOpsTypes.h.inc"

#endif // MASE_DIALECT_MASE_IR_MASETYPES_H
