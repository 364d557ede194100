//===- MaseOps.h - mase dialect operations ----------------------*- C++ -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASEOPS_H
#define MASE_DIALECT_MASE_IR_MASEOPS_H

#include "mase/Dialect/Mase/IR/MaseAttrs.h"
#include "mase/Dialect/Mase/IR/MaseDialect.h"
#include "mase/Dialect/Mase/IR/MaseTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <array>

#define GET_OP_CLASSES
#include "mase/Dialect/Mase/IR/MaseOps.h.inc"

#endif // MASE_DIALECT_MASE_IR_MASEOPS_H
