// RUN: mase-opt %s --split-input-file --mase-cuda-gemm | FileCheck %s
// RUN: mase-opt %s --split-input-file --mase-cuda-gemm=chip=sm_75 | FileCheck %s --check-prefix=SM75
// RUN: mase-opt %s --split-input-file --mase-cuda-gemm=min-blocks=1 | FileCheck %s --check-prefix=SMALL
// RUN: mase-opt %s --split-input-file --mase-cuda-gemm=chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: mase-opt %s --split-input-file --mase-cuda-gemm=chip=sm_89 | FileCheck %s --check-prefix=SM89

// A large f16 matmul (4096 x 3072 outputs: 32 x 24 tiles of 128 x 128,
// three waves of an H100's 264 blocks at once, two an SM, nearly full) is a
// launch of the prebuilt kernel: the init, A and B by buffer, a fresh f32
// result, (M, N, K), a grid of (N / 128, M / 128) blocks of 256 threads
// with 74 KiB of shared memory (four stages of a 128 x 40 A tile and a
// 32 x 136 B tile).
// CHECK-LABEL: func.func @large
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4096x3072xf32>
// CHECK-DAG: %[[INIT:.*]] = bufferization.to_buffer %arg2 read_only : tensor<4096x3072xf32> to memref<4096x3072xf32>
// CHECK-DAG: %[[A:.*]] = bufferization.to_buffer %arg0 read_only : tensor<4096x768xf16> to memref<4096x768xf16>
// CHECK-DAG: %[[B:.*]] = bufferization.to_buffer %arg1 read_only : tensor<768x3072xf16> to memref<768x3072xf16>
// CHECK-DAG: %[[M:.*]] = arith.constant 4096 : i32
// CHECK-DAG: %[[N:.*]] = arith.constant 3072 : i32
// CHECK-DAG: %[[K:.*]] = arith.constant 768 : i32
// CHECK-DAG: %[[GX:.*]] = arith.constant 24 : index
// CHECK-DAG: %[[GY:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[THREADS:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[SHARED:.*]] = arith.constant 75776 : i32
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_f16 blocks in (%[[GX]], %[[GY]], %{{.*}}) threads in (%[[THREADS]], %{{.*}}, %{{.*}}) dynamic_shared_memory_size %[[SHARED]] args(%[[OUT]] : memref<4096x3072xf32>, %[[INIT]] : memref<4096x3072xf32>, %[[A]] : memref<4096x768xf16>, %[[B]] : memref<768x3072xf16>, %[[M]] : i32, %[[N]] : i32, %[[K]] : i32)
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: return %[[Y]]
// CHECK-NOT: linalg.matmul
// CHECK: gpu.binary @mase_gemm [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, "
// SM75-NOT: gpu.launch_func
// SM75-NOT: gpu.binary
func.func @large(%a: tensor<4096x768xf16>, %b: tensor<768x3072xf16>, %c: tensor<4096x3072xf32>) -> tensor<4096x3072xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xf16>, tensor<768x3072xf16>) outs(%c : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  return %0 : tensor<4096x3072xf32>
}

// -----

// 4096 x 768 outputs make 192 wide tiles, filling 73% of the H100's one
// wave: the narrow kernel's 256 tiles of 128 x 96 fill 97%, with 66 KiB of
// shared memory. On an A100 (216 slots) 192 tiles fill 89% and 256 fill
// 59%: the wide tiles stay. Unknown chips keep the wide tiles.
// CHECK-LABEL: func.func @narrow
// CHECK-DAG: %[[GX:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[SHARED:.*]] = arith.constant 67584 : i32
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_f16_narrow blocks in (%[[GX]], {{.*}} dynamic_shared_memory_size %[[SHARED]]
// SM80-LABEL: func.func @narrow
// SM80: gpu.launch_func @mase_gemm::@mase_gemm_f16 blocks in
// SM89-LABEL: func.func @narrow
// SM89: gpu.launch_func @mase_gemm::@mase_gemm_f16 blocks in
func.func @narrow(%a: tensor<4096x768xf16>, %b: tensor<768x768xf16>, %c: tensor<4096x768xf32>) -> tensor<4096x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xf16>, tensor<768x768xf16>) outs(%c : tensor<4096x768xf32>) -> tensor<4096x768xf32>
  return %0 : tensor<4096x768xf32>
}

// -----

// bf16 takes the bf16 kernel.
// CHECK-LABEL: func.func @bf16
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_bf16
func.func @bf16(%a: tensor<4096x768xbf16>, %b: tensor<768x3072xbf16>, %c: tensor<4096x3072xf32>) -> tensor<4096x3072xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xbf16>, tensor<768x3072xbf16>) outs(%c : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  return %0 : tensor<4096x3072xf32>
}

// -----

// 6 tiles (batch 1 of BERT-base) would leave the GPU idle: the generated
// kernels keep it, unless min-blocks allows it.
// CHECK-LABEL: func.func @small
// CHECK: linalg.matmul
// CHECK-NOT: gpu.launch_func
// SMALL-LABEL: func.func @small
// SMALL: gpu.launch_func @mase_gemm::@mase_gemm_f16
func.func @small(%a: tensor<128x768xf16>, %b: tensor<768x768xf16>, %c: tensor<128x768xf32>) -> tensor<128x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x768xf16>, tensor<768x768xf16>) outs(%c : tensor<128x768xf32>) -> tensor<128x768xf32>
  return %0 : tensor<128x768xf32>
}

// -----

// Rows the kernel cannot load 16 bytes at a time (K = 100), f32 operands,
// and a 16-bit result keep the generated kernels.
// CHECK-LABEL: func.func @unaligned
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT: gpu.launch_func
// SMALL-LABEL: func.func @unaligned
// SMALL-NOT: gpu.launch_func
func.func @unaligned(%a: tensor<4096x100xf16>, %b: tensor<100x3072xf16>, %c: tensor<4096x3072xf32>,
                     %a32: tensor<4096x768xf32>, %b32: tensor<768x3072xf32>,
                     %b16: tensor<768x3072xf16>, %a16: tensor<4096x768xf16>, %c16: tensor<4096x3072xf16>)
    -> (tensor<4096x3072xf32>, tensor<4096x3072xf32>, tensor<4096x3072xf16>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4096x100xf16>, tensor<100x3072xf16>) outs(%c : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  %1 = linalg.matmul ins(%a32, %b32 : tensor<4096x768xf32>, tensor<768x3072xf32>) outs(%c : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  %2 = linalg.matmul ins(%a16, %b16 : tensor<4096x768xf16>, tensor<768x3072xf16>) outs(%c16 : tensor<4096x3072xf16>) -> tensor<4096x3072xf16>
  return %0, %1, %2 : tensor<4096x3072xf32>, tensor<4096x3072xf32>, tensor<4096x3072xf16>
}

// -----

// An init that is a bias broadcast over rows and extended to f32, and a
// result only rounded back to f16: the bias kernel reads the bias vector
// and writes f16, replacing the rounding.
// CHECK-LABEL: func.func @bias
// SMALL-LABEL: func.func @bias
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4096x3072xf16>
// CHECK-DAG: %[[BIAS:.*]] = bufferization.to_buffer %arg2 read_only : tensor<3072xf16> to memref<3072xf16>
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_f16_bias {{.*}} args(%[[OUT]] : memref<4096x3072xf16>, %[[BIAS]] : memref<3072xf16>,
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<4096x3072xf16> to tensor<4096x3072xf16>
// CHECK-NOT: arith.truncf
// CHECK: return %[[Y]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @bias(%a: tensor<4096x768xf16>, %b: tensor<768x3072xf16>, %bias: tensor<3072xf16>) -> tensor<4096x3072xf16> {
  %e16 = tensor.empty() : tensor<4096x3072xf16>
  %broadcast = linalg.broadcast ins(%bias : tensor<3072xf16>) outs(%e16 : tensor<4096x3072xf16>) dimensions = [0]
  %e32 = tensor.empty() : tensor<4096x3072xf32>
  %init = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%broadcast : tensor<4096x3072xf16>) outs(%e32 : tensor<4096x3072xf32>) {
  ^bb0(%in: f16, %out: f32):
    %x = arith.extf %in : f16 to f32
    linalg.yield %x : f32
  } -> tensor<4096x3072xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xf16>, tensor<768x3072xf16>) outs(%init : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<4096x3072xf32>) outs(%e16 : tensor<4096x3072xf16>) {
  ^bb0(%in: f32, %out: f16):
    %x = arith.truncf %in : f32 to f16
    linalg.yield %x : f16
  } -> tensor<4096x3072xf16>
  return %1 : tensor<4096x3072xf16>
}

// -----

// The same with another user of the f32 result: the general kernel, which
// reads the init and writes f32.
// CHECK-LABEL: func.func @bias_and_f32_user
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_f16 {{.*}} args(%{{.*}} : memref<4096x3072xf32>, %{{.*}} : memref<4096x3072xf32>,
// CHECK: arith.truncf
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @bias_and_f32_user(%a: tensor<4096x768xf16>, %b: tensor<768x3072xf16>, %bias: tensor<3072xf16>) -> (tensor<4096x3072xf16>, tensor<4096x3072xf32>) {
  %e16 = tensor.empty() : tensor<4096x3072xf16>
  %broadcast = linalg.broadcast ins(%bias : tensor<3072xf16>) outs(%e16 : tensor<4096x3072xf16>) dimensions = [0]
  %e32 = tensor.empty() : tensor<4096x3072xf32>
  %init = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%broadcast : tensor<4096x3072xf16>) outs(%e32 : tensor<4096x3072xf32>) {
  ^bb0(%in: f16, %out: f32):
    %x = arith.extf %in : f16 to f32
    linalg.yield %x : f32
  } -> tensor<4096x3072xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xf16>, tensor<768x3072xf16>) outs(%init : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  %1 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<4096x3072xf32>) outs(%e16 : tensor<4096x3072xf16>) {
  ^bb0(%in: f32, %out: f16):
    %x = arith.truncf %in : f32 to f16
    linalg.yield %x : f16
  } -> tensor<4096x3072xf16>
  return %1, %0 : tensor<4096x3072xf16>, tensor<4096x3072xf32>
}

// -----

// A rounded result whose only user, through a reshape, is mase.gelu's
// generic (mase.activation = "gelu"): the kernel that adds the bias and
// applies GELU, replacing the rounding and the GELU; the reshape stays.
// CHECK-LABEL: func.func @bias_gelu
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4096x3072xf16>
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_f16_bias_gelu {{.*}} args(%[[OUT]] : memref<4096x3072xf16>,
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]]
// CHECK: %[[R:.*]] = tensor.expand_shape %[[Y]]
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
#id3 = affine_map<(d0, d1) -> (d0, d1)>
#id4 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @bias_gelu(%a: tensor<4096x768xf16>, %b: tensor<768x3072xf16>, %bias: tensor<3072xf16>) -> tensor<32x128x3072xf16> {
  %e16 = tensor.empty() : tensor<4096x3072xf16>
  %broadcast = linalg.broadcast ins(%bias : tensor<3072xf16>) outs(%e16 : tensor<4096x3072xf16>) dimensions = [0]
  %e32 = tensor.empty() : tensor<4096x3072xf32>
  %init = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]} ins(%broadcast : tensor<4096x3072xf16>) outs(%e32 : tensor<4096x3072xf32>) {
  ^bb0(%in: f16, %out: f32):
    %x = arith.extf %in : f16 to f32
    linalg.yield %x : f32
  } -> tensor<4096x3072xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xf16>, tensor<768x3072xf16>) outs(%init : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  %1 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<4096x3072xf32>) outs(%e16 : tensor<4096x3072xf16>) {
  ^bb0(%in: f32, %out: f16):
    %x = arith.truncf %in : f32 to f16
    linalg.yield %x : f16
  } -> tensor<4096x3072xf16>
  %2 = tensor.expand_shape %1 [[0, 1], [2]] output_shape [32, 128, 3072] : tensor<4096x3072xf16> into tensor<32x128x3072xf16>
  %e3 = tensor.empty() : tensor<32x128x3072xf16>
  %3 = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel"]} ins(%2 : tensor<32x128x3072xf16>) outs(%e3 : tensor<32x128x3072xf16>) attrs = {mase.activation = "gelu"} {
  ^bb0(%in: f16, %out: f16):
    %h = arith.constant 5.000000e-01 : f16
    %x = arith.mulf %in, %h : f16
    linalg.yield %x : f16
  } -> tensor<32x128x3072xf16>
  return %3 : tensor<32x128x3072xf16>
}

// -----

// The same generic without the attribute is not known to be GELU: the
// bias kernel, and the generic stays.
// CHECK-LABEL: func.func @bias_then_elementwise
// CHECK: gpu.launch_func @mase_gemm::@mase_gemm_f16_bias blocks
// CHECK: linalg.generic
#id5 = affine_map<(d0, d1) -> (d0, d1)>
func.func @bias_then_elementwise(%a: tensor<4096x768xf16>, %b: tensor<768x3072xf16>, %bias: tensor<3072xf16>) -> tensor<4096x3072xf16> {
  %e16 = tensor.empty() : tensor<4096x3072xf16>
  %broadcast = linalg.broadcast ins(%bias : tensor<3072xf16>) outs(%e16 : tensor<4096x3072xf16>) dimensions = [0]
  %e32 = tensor.empty() : tensor<4096x3072xf32>
  %init = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel"]} ins(%broadcast : tensor<4096x3072xf16>) outs(%e32 : tensor<4096x3072xf32>) {
  ^bb0(%in: f16, %out: f32):
    %x = arith.extf %in : f16 to f32
    linalg.yield %x : f32
  } -> tensor<4096x3072xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4096x768xf16>, tensor<768x3072xf16>) outs(%init : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  %1 = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<4096x3072xf32>) outs(%e16 : tensor<4096x3072xf16>) {
  ^bb0(%in: f32, %out: f16):
    %x = arith.truncf %in : f32 to f16
    linalg.yield %x : f16
  } -> tensor<4096x3072xf16>
  %2 = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel"]} ins(%1 : tensor<4096x3072xf16>) outs(%e16 : tensor<4096x3072xf16>) {
  ^bb0(%in: f16, %out: f16):
    %h = arith.constant 5.000000e-01 : f16
    %x = arith.mulf %in, %h : f16
    linalg.yield %x : f16
  } -> tensor<4096x3072xf16>
  return %2 : tensor<4096x3072xf16>
}
