// mase-fuse-sdpa fuses only in the element types the target's kernel
// takes: f32 by default (the CPU kernel), f16 and bf16 for the GPU.

// RUN: mase-opt %s --mase-fuse-sdpa="element-types=f16,bf16 report=-" | FileCheck %s
// RUN: mase-opt %s --mase-fuse-sdpa="report=-" -o /dev/null | FileCheck %s --check-prefix=F32
// RUN: not mase-opt %s --mase-fuse-sdpa="element-types=f8" 2>&1 | FileCheck %s --check-prefix=BAD

// An f16 graph (as mase-convert-float leaves it): the scale and mask are
// f16 too. Fused for the GPU, without declaring the f32 CPU kernel.
// CHECK: enc.0.attention.self sdpa fused scale=0.125 scores=1x2x8x8 mask=1x1x1x8
// CHECK: fusion: 1 of 1 attention sites fused
// CHECK-NOT: @mase_sdpa
// CHECK: mase.sdpa %arg0, %arg1, %arg2, %arg3 {mase.layer = "enc.0.attention.self", scale = 1.250000e-01 : f32} : (tensor<1x2x8x4xf16>, tensor<1x2x4x8xf16>, tensor<1x2x8x4xf16>, tensor<1x1x1x8xf16>) -> tensor<1x2x8x4xf16>
// CHECK-NOT: @mase_sdpa

// F32: enc.0.attention.self sdpa not fused: step 1 (softmax): the scores are f16, which the target's kernel does not take (element-types: f32)
// F32: fusion: 0 of 1 attention sites fused

// BAD: error: mase-fuse-sdpa: element-types: 'f8' is not one of f32, f16, bf16
func.func @torchscript(%q: tensor<1x2x8x4xf16>, %kt: tensor<1x2x4x8xf16>, %v: tensor<1x2x8x4xf16>, %mask: tensor<1x1x1x8xf16>) -> tensor<1x2x8x4xf16> {
  %c = arith.constant dense<0.125> : tensor<f16>
  %s = mase.matmul %q, %kt : (tensor<1x2x8x4xf16>, tensor<1x2x4x8xf16>) -> tensor<1x2x8x8xf16>
  %t = mase.mul %s, %c : (tensor<1x2x8x8xf16>, tensor<f16>) -> tensor<1x2x8x8xf16>
  %m = mase.add %t, %mask : (tensor<1x2x8x8xf16>, tensor<1x1x1x8xf16>) -> tensor<1x2x8x8xf16>
  %p = mase.softmax %m {axis = 3 : i64, mase.layer = "enc.0.attention.self"} : tensor<1x2x8x8xf16>
  %o = mase.matmul %p, %v : (tensor<1x2x8x8xf16>, tensor<1x2x8x4xf16>) -> tensor<1x2x8x4xf16>
  return %o : tensor<1x2x8x4xf16>
}
