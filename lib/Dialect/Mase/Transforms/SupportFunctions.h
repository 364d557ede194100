//===- SupportFunctions.h - declarations of model support calls -*- C++ -*-===//
//
// Lowered mase ops call C functions of the model support library
// (mase-c/ModelSupport.h); the graph passes that create those ops declare
// them in the module, since the lowering runs on one function at a time.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_DIALECT_MASE_TRANSFORMS_SUPPORTFUNCTIONS_H
#define MASE_LIB_DIALECT_MASE_TRANSFORMS_SUPPORTFUNCTIONS_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir::mase {

/// Declares `float mase_activation_l1_threshold(i64, i64, f32)` once.
void declareActivationThreshold(ModuleOp module);

/// Declares `void mase_qgemm(i64 x 4, i64, i32, i64, i32, i64, f32, i64)`
/// once.
void declareQuantizedGemm(ModuleOp module);

/// Declares `void mase_int_weight_gemm(i64 x 5, i32, i64, f32, i64)` once.
void declareIntWeightGemm(ModuleOp module);

/// Declares `void mase_sparse_gemm(i64 x 8)` once.
void declareSparseGemm(ModuleOp module);

/// Declares `void mase_sdpa(i64 x 6, i32, i64 x 8, f32, i32, i64)` once.
void declareSdpa(ModuleOp module);

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_TRANSFORMS_SUPPORTFUNCTIONS_H
