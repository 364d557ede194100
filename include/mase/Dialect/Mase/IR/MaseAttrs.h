//===- MaseAttrs.h - number-format attributes -------------------*- C++ -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASEATTRS_H
#define MASE_DIALECT_MASE_IR_MASEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include <optional>
#include <string>

#include "mase/Dialect/Mase/IR/MaseFormatInterface.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mase/Dialect/Mase/IR/MaseAttrs.h.inc"

#endif // MASE_DIALECT_MASE_IR_MASEATTRS_H
