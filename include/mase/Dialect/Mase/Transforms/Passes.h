//===- Passes.h - mase dialect graph passes ---------------------*- C++ -*-===//

#ifndef MASE_DIALECT_MASE_TRANSFORMS_PASSES_H
#define MASE_DIALECT_MASE_TRANSFORMS_PASSES_H

#include "mase/Dialect/Mase/IR/MaseDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mase {

#define GEN_PASS_DECL
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"

} // namespace mlir::mase

#endif // MASE_DIALECT_MASE_TRANSFORMS_PASSES_H
