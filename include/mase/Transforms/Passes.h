//===- Passes.h - dialect-independent mase passes ---------------*- C++ -*-===//

#ifndef MASE_TRANSFORMS_PASSES_H
#define MASE_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mase {

#define GEN_PASS_DECL
#include "mase/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mase/Transforms/Passes.h.inc"

} // namespace mlir::mase

#endif // MASE_TRANSFORMS_PASSES_H
