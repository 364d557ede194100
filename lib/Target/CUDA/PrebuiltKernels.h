//===- PrebuiltKernels.h - launching kernels nvcc built ---------*- C++ -*-===//
//
// What the passes that launch the prebuilt CUDA kernels (mase-cuda-attention,
// mase-cuda-gemm) share: the chip check, the fatbin as a gpu.binary, and the
// operands as buffers.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_TARGET_CUDA_PREBUILTKERNELS_H
#define MASE_LIB_TARGET_CUDA_PREBUILTKERNELS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>

namespace mlir::mase {

/// N of a chip named `sm_N`, or nothing for another name.
std::optional<int> smVersion(StringRef chip);

/// `gpu.binary @name` holding `fatbin` for `chip`, once per module; marks
/// the module as a GPU container.
void addFatbinBinary(ModuleOp module, OpBuilder &builder, StringRef name,
                     StringRef chip, StringRef fatbin);

/// `tensor`'s buffer, read only.
Value readOnlyBuffer(OpBuilder &builder, Location loc, Value tensor);

} // namespace mlir::mase

#endif // MASE_LIB_TARGET_CUDA_PREBUILTKERNELS_H
