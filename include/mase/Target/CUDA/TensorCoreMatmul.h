//===- TensorCoreMatmul.h - which matmuls run on tensor cores ---*- C++ -*-===//
//
// Shared by `mase-cuda-tile-matmul`, which leaves these matmuls alone, and
// `mase-cuda-tensor-core-matmul`, which turns them into warp-level MMA
// kernels.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CUDA_TENSORCOREMATMUL_H
#define MASE_TARGET_CUDA_TENSORCOREMATMUL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::mase {

/// Rows, columns and depth of one tensor-core (WMMA) fragment product.
constexpr int64_t kTensorCoreFragment = 16;

/// Whether `op` is a `linalg.matmul` or `linalg.batch_matmul` with the
/// default indexing maps, f16 operands and an f32 accumulator, and static
/// M, N and K that are multiples of `kTensorCoreFragment`.
bool isTensorCoreMatmul(linalg::LinalgOp op);

} // namespace mlir::mase

#endif // MASE_TARGET_CUDA_TENSORCOREMATMUL_H
