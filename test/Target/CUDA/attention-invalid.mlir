// RUN: mase-opt %s --split-input-file --mase-cuda-attention --verify-diagnostics
// RUN: not mase-opt %s --split-input-file --mase-cuda-attention="chip=sm_75" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHIP

// What the GPU attention kernel does not take is an error naming the op.
// CHIP: error: 'mase.sdpa' op needs --chip sm_80 or later for the GPU attention kernel (tensor-core mma.sync), not 'sm_75'
func.func @depth(%q: tensor<1x2x8x256xf16>, %kt: tensor<1x2x256x8xf16>, %v: tensor<1x2x8x4xf16>) -> tensor<1x2x8x4xf16> {
  // expected-error @+1 {{has depth 256; the GPU attention kernel takes at most 128}}
  %o = mase.sdpa %q, %kt, %v {scale = 1.0 : f32} : (tensor<1x2x8x256xf16>, tensor<1x2x256x8xf16>, tensor<1x2x8x4xf16>) -> tensor<1x2x8x4xf16>
  return %o : tensor<1x2x8x4xf16>
}
