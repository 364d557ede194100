// RUN: mase-opt %s --split-input-file --mase-cuda-attention | FileCheck %s

// mase.sdpa becomes a launch of the prebuilt kernel for its element type
// and depth, on the operands' buffers, into a fresh buffer. Head-major f16,
// depth 64, 100 queries and keys (one 128-row block; Sk not a multiple of 8,
// so no 16-byte copies: flags = has-mask 4), mask [2, 1, 1, 100] (strides
// 100, 0, 0, 1), grid (1, 4, 2) of 128 threads.
// CHECK: module attributes {gpu.container_module}
// CHECK-LABEL: func.func @head_major
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x100x64xf16>
// CHECK-DAG: %[[Q:.*]] = bufferization.to_buffer %arg0 read_only
// CHECK-DAG: %[[M:.*]] = bufferization.to_buffer %arg3 read_only
// CHECK-DAG: %[[KT:.*]] = bufferization.to_buffer %arg1 read_only
// CHECK-DAG: %[[V:.*]] = bufferization.to_buffer %arg2 read_only
// CHECK: gpu.launch_func @mase_attention::@mase_sdpa_f16_d64 blocks in (%c1{{.*}}, %c4{{.*}}, %c2{{.*}}) threads in (%c128{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%[[OUT]] : memref<2x4x100x64xf16>, %[[Q]] : memref<2x4x100x64xf16>, %[[KT]] : memref<2x4x64x100xf16>, %[[V]] : memref<2x4x100x64xf16>, %[[M]] : memref<2x1x1x100xf16>, %c100_i32{{.*}} : i32, %c100_i32{{.*}} : i32, %c64_i32{{.*}} : i32, %c64_i32{{.*}} : i32, %c25600_i64{{.*}} : i64, %c6400_i64{{.*}} : i64, %c64_i64{{.*}} : i64, %c25600_i64{{.*}} : i64, %c6400_i64{{.*}} : i64, %c64_i64{{.*}} : i64, %c25600_i64{{.*}} : i64, %c6400_i64{{.*}} : i64, %c64_i64{{.*}} : i64, %c25600_i64{{.*}} : i64, %c6400_i64{{.*}} : i64, %c100_i64{{.*}} : i64, %c0_i64{{.*}} : i64, %c0_i64{{.*}} : i64, %c1_i64{{.*}} : i64, %cst{{.*}} : f32, %c4_i32{{.*}} : i32)
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: return %[[R]]
// CHECK: gpu.binary @mase_attention [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, "
// CHECK-SAME: mase_sdpa_f16_d64
func.func @head_major(%q: tensor<2x4x100x64xf16>, %kt: tensor<2x4x64x100xf16>, %v: tensor<2x4x100x64xf16>, %m: tensor<2x1x1x100xf16>) -> tensor<2x4x100x64xf16> {
  %o = mase.sdpa %q, %kt, %v, %m {scale = 1.250000e-01 : f32} : (tensor<2x4x100x64xf16>, tensor<2x4x64x100xf16>, tensor<2x4x100x64xf16>, tensor<2x1x1x100xf16>) -> tensor<2x4x100x64xf16>
  return %o : tensor<2x4x100x64xf16>
}

// -----

// Sequence-major bf16 ([B, S, H, D]: query strides S*H*D, D, H*D), depth 72
// and value depth 80 (the 128 kernel), 128 keys: 16-byte copies, zero NaN
// rows, no mask (the query's buffer stands in; flags = 1 + 2).
// CHECK-LABEL: func.func @sequence_major
// CHECK: %[[Q:.*]] = bufferization.to_buffer %arg0 read_only
// CHECK: gpu.launch_func @mase_attention::@mase_sdpa_bf16_d128 blocks in (%c2{{.*}}, %c3{{.*}}, %c1{{.*}}) threads in (%c128{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%{{.*}} : memref<1x100x3x80xbf16>, %[[Q]] : memref<1x100x3x72xbf16>, %{{.*}} : memref<1x3x72x128xbf16>, %{{.*}} : memref<1x128x3x80xbf16>, %[[Q]] : memref<1x100x3x72xbf16>, %c100_i32 : i32, %c128_i32 : i32, %c72_i32 : i32, %c80_i32 : i32, %c21600_i64 : i64, %c72_i64 : i64, %c216_i64 : i64, %c30720_i64 : i64, %c80_i64 : i64, %c240_i64 : i64, %c24000_i64 : i64, %c80_i64{{.*}} : i64, %c240_i64{{.*}} : i64, %c27648_i64 : i64, %c9216_i64 : i64, %c0_i64 : i64, %c0_i64{{.*}} : i64, %c0_i64{{.*}} : i64, %c0_i64{{.*}} : i64, %cst : f32, %c3_i32 : i32)
func.func @sequence_major(%q: tensor<1x100x3x72xbf16>, %kt: tensor<1x3x72x128xbf16>, %v: tensor<1x128x3x80xbf16>) -> tensor<1x100x3x80xbf16> {
  %o = mase.sdpa %q, %kt, %v {scale = 1.0 : f32, sequence_major, zero_nan_rows} : (tensor<1x100x3x72xbf16>, tensor<1x3x72x128xbf16>, tensor<1x128x3x80xbf16>) -> tensor<1x100x3x80xbf16>
  return %o : tensor<1x100x3x80xbf16>
}

// -----

// f32 takes the f32 kernel (CUDA cores), 32 query rows a block: 100
// queries make 4 blocks a (batch, head).
// CHECK-LABEL: func.func @f32
// CHECK: gpu.launch_func @mase_attention::@mase_sdpa_f32_d64 blocks in (%c4{{.*}}, %c4{{.*}}, %c2{{.*}}) threads in (%c128{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%{{.*}} : memref<2x4x100x64xf32>
func.func @f32(%q: tensor<2x4x100x64xf32>, %kt: tensor<2x4x64x100xf32>, %v: tensor<2x4x100x64xf32>) -> tensor<2x4x100x64xf32> {
  %o = mase.sdpa %q, %kt, %v {scale = 1.250000e-01 : f32} : (tensor<2x4x100x64xf32>, tensor<2x4x64x100xf32>, tensor<2x4x100x64xf32>) -> tensor<2x4x100x64xf32>
  return %o : tensor<2x4x100x64xf32>
}
