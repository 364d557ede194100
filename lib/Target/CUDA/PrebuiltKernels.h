//===- PrebuiltKernels.h - launching kernels nvcc built ---------*- C++ -*-===//
//
// What the passes that launch the prebuilt CUDA kernels (mase-cuda-attention,
// mase-cuda-gemm, mase-cuda-layer-norm) share: the chip check, the fatbin as
// a gpu.binary, the operands and result as buffers, and the launch.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_TARGET_CUDA_PREBUILTKERNELS_H
#define MASE_LIB_TARGET_CUDA_PREBUILTKERNELS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <array>
#include <optional>

namespace mlir::mase {

/// N of a chip named `sm_N`, or nothing for another name.
std::optional<int> smVersion(StringRef chip);

/// `gpu.binary @name` holding `fatbin` for `chip`, once per module; marks
/// the module as a GPU container.
void addFatbinBinary(ModuleOp module, OpBuilder &builder, StringRef name,
                     StringRef chip, ArrayRef<unsigned char> fatbin);

/// `tensor`'s buffer, read only.
Value readOnlyBuffer(OpBuilder &builder, Location loc, Value tensor);

/// A fresh 64-byte-aligned buffer of `shape` and `element`, for a kernel's
/// result.
Value resultBuffer(OpBuilder &builder, Location loc, ArrayRef<int64_t> shape,
                   Type element);

/// `gpu.launch_func @binary::@kernel` on `grid` blocks of `threads` threads
/// (one dimension each beyond the grid's), with `sharedBytes` of dynamic
/// shared memory (0: none asked).
void launchKernel(OpBuilder &builder, Location loc, StringRef binary,
                  StringRef kernel, std::array<int64_t, 3> grid,
                  int64_t threads, int64_t sharedBytes, ValueRange operands);

} // namespace mlir::mase

#endif // MASE_LIB_TARGET_CUDA_PREBUILTKERNELS_H
