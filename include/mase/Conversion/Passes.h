//===- Passes.h - mase conversion passes ------------------------*- C++ -*-===//

#ifndef MASE_CONVERSION_PASSES_H
#define MASE_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mase {

#define GEN_PASS_DECL
#include "mase/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mase/Conversion/Passes.h.inc"

} // namespace mlir::mase

#endif // MASE_CONVERSION_PASSES_H
