//===- Passes.h - NVIDIA GPU code generation passes -------------*- C++ -*-===//

#ifndef MASE_TARGET_CUDA_PASSES_H
#define MASE_TARGET_CUDA_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mase {

#define GEN_PASS_DECL
#include "mase/Target/CUDA/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mase/Target/CUDA/Passes.h.inc"

} // namespace mlir::mase

#endif // MASE_TARGET_CUDA_PASSES_H
