//===- LaunchEffects.h - memory effects of gpu.launch_func ------*- C++ -*-===//
//
// `mase-cuda-attention` launches the attention kernel on buffers before
// bufferization's deallocation pipeline runs, which needs every op on
// buffers to declare its memory effects; upstream's `gpu.launch_func`
// declares none. This external model says what a launch does: it may read
// and write every buffer it is given, and other memory (after lowering, its
// buffers are plain pointers).
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CUDA_LAUNCHEFFECTS_H
#define MASE_TARGET_CUDA_LAUNCHEFFECTS_H

namespace mlir {
class DialectRegistry;

namespace mase {

void registerLaunchFuncMemoryEffects(DialectRegistry &registry);

} // namespace mase
} // namespace mlir

#endif // MASE_TARGET_CUDA_LAUNCHEFFECTS_H
