//===- MaseDialect.h - The mase dialect -------------------------*- C++ -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASEDIALECT_H
#define MASE_DIALECT_MASE_IR_MASEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "mase/Dialect/Mase/IR/MaseOpsDialect.h.inc"

#endif // MASE_DIALECT_MASE_IR_MASEDIALECT_H
