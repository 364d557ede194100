// RUN: mase-opt %s --split-input-file --mase-cuda-layer-norm | FileCheck %s
// RUN: mase-opt %s --split-input-file --mase-cuda-layer-norm=chip=sm_75 | FileCheck %s --check-prefix=SM75

// A residual sum normalised over its last dimension (BERT's 4096 x 768):
// one launch adds and normalises; the sum goes. Operands by buffer (the
// add's two, weight, bias), a fresh result, (rows, columns), epsilon, the
// flags residual | weight | bias; 4096 / 8 blocks of 256 threads.
// CHECK-LABEL: func.func @residual
// CHECK-NOT: mase.add
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32x128x768xf16>
// CHECK-DAG: %[[X:.*]] = bufferization.to_buffer %arg0 read_only : tensor<32x128x768xf16> to memref<32x128x768xf16>
// CHECK-DAG: %[[R:.*]] = bufferization.to_buffer %arg1 read_only : tensor<32x128x768xf16> to memref<32x128x768xf16>
// CHECK-DAG: %[[W:.*]] = bufferization.to_buffer %arg2 read_only : tensor<768xf16> to memref<768xf16>
// CHECK-DAG: %[[B:.*]] = bufferization.to_buffer %arg3 read_only : tensor<768xf16> to memref<768xf16>
// CHECK-DAG: %[[ROWS:.*]] = arith.constant 4096 : i32
// CHECK-DAG: %[[COLUMNS:.*]] = arith.constant 768 : i32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999996E-13 : f32
// CHECK-DAG: %[[FLAGS:.*]] = arith.constant 7 : i32
// CHECK-DAG: %[[GRID:.*]] = arith.constant 512 : index
// CHECK-DAG: %[[THREADS:.*]] = arith.constant 256 : index
// CHECK: gpu.launch_func @mase_layer_norm::@mase_layer_norm_f16 blocks in (%[[GRID]], %{{.*}}, %{{.*}}) threads in (%[[THREADS]], %{{.*}}, %{{.*}}) args(%[[OUT]] : memref<32x128x768xf16>, %[[X]] : memref<32x128x768xf16>, %[[R]] : memref<32x128x768xf16>, %[[W]] : memref<768xf16>, %[[B]] : memref<768xf16>, %[[ROWS]] : i32, %[[COLUMNS]] : i32, %[[EPS]] : f32, %[[FLAGS]] : i32)
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK-NOT: mase.layer_norm
// CHECK: return %[[Y]]
// CHECK: gpu.binary @mase_layer_norm [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, "
// SM75-LABEL: func.func @residual
// SM75: mase.add
// SM75: mase.layer_norm
// SM75-NOT: gpu.binary
func.func @residual(%x: tensor<32x128x768xf16>, %r: tensor<32x128x768xf16>, %w: tensor<768xf16>, %b: tensor<768xf16>) -> tensor<32x128x768xf16> {
  %sum = mase.add %x, %r : (tensor<32x128x768xf16>, tensor<32x128x768xf16>) -> tensor<32x128x768xf16>
  %y = mase.layer_norm %sum weight(%w) bias(%b) {axis = 2 : i64, epsilon = 9.99999996E-13 : f32} : (tensor<32x128x768xf16>, tensor<768xf16>, tensor<768xf16>) -> tensor<32x128x768xf16>
  return %y : tensor<32x128x768xf16>
}

// -----

// A sum with another user stays, and the kernel normalises it (flags
// weight | bias); a bf16 op takes the bf16 kernel; without weight and bias
// the flags say so and the input stands in for them. Normalising from
// axis 1 of [2, 4, 8] makes 2 rows of 32.
// CHECK-LABEL: func.func @shared_sum
// CHECK: %[[SUM:.*]] = mase.add
// CHECK: %[[S:.*]] = bufferization.to_buffer %[[SUM]] read_only
// CHECK-DAG: %[[ROWS:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[COLUMNS:.*]] = arith.constant 32 : i32
// CHECK-DAG: %[[NONE:.*]] = arith.constant 0 : i32
// CHECK: gpu.launch_func @mase_layer_norm::@mase_layer_norm_bf16 {{.*}} args(%{{.*}} : memref<2x4x8xbf16>, %[[S]] : memref<2x4x8xbf16>, %[[S]] : memref<2x4x8xbf16>, %[[S]] : memref<2x4x8xbf16>, %[[S]] : memref<2x4x8xbf16>, %[[ROWS]] : i32, %[[COLUMNS]] : i32, %{{.*}} : f32, %[[NONE]] : i32)
// CHECK: %[[W:.*]] = bufferization.to_buffer %arg2
// CHECK: arith.constant {{.*}} : f32
// CHECK-NEXT: %[[WEIGHT:.*]] = arith.constant 2 : i32
// CHECK: gpu.launch_func @mase_layer_norm::@mase_layer_norm_bf16 {{.*}} args(%{{.*}} : memref<2x4x8xbf16>, %[[S2:.*]] : memref<2x4x8xbf16>, %[[S2]] : memref<2x4x8xbf16>, %[[W]] : memref<4x8xbf16>, %[[S2]] : memref<2x4x8xbf16>, %{{.*}} : i32, %{{.*}} : i32, %{{.*}} : f32, %[[WEIGHT]] : i32)
// CHECK: return
func.func @shared_sum(%x: tensor<2x4x8xbf16>, %r: tensor<2x4x8xbf16>, %w: tensor<4x8xbf16>) -> (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>) {
  %sum = mase.add %x, %r : (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>) -> tensor<2x4x8xbf16>
  %y = mase.layer_norm %sum {axis = 1 : i64, epsilon = 1.0E-5 : f32} : (tensor<2x4x8xbf16>) -> tensor<2x4x8xbf16>
  %z = mase.layer_norm %sum weight(%w) {axis = -2 : i64, epsilon = 1.0E-5 : f32} : (tensor<2x4x8xbf16>, tensor<4x8xbf16>) -> tensor<2x4x8xbf16>
  %s = mase.add %y, %sum : (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>) -> tensor<2x4x8xbf16>
  return %s, %z : tensor<2x4x8xbf16>, tensor<2x4x8xbf16>
}

// -----

// A sum that broadcasts (a [768] bias) stays; the kernel normalises it.
// CHECK-LABEL: func.func @broadcast_sum
// CHECK: %[[SUM:.*]] = mase.add
// CHECK: %[[S:.*]] = bufferization.to_buffer %[[SUM]] read_only
// CHECK: gpu.launch_func @mase_layer_norm::@mase_layer_norm_f16 {{.*}} args(%{{.*}} : memref<4x768xf16>, %[[S]] : memref<4x768xf16>, %[[S]] : memref<4x768xf16>,
func.func @broadcast_sum(%d: tensor<4x768xf16>, %e: tensor<768xf16>) -> tensor<4x768xf16> {
  %sum = mase.add %d, %e : (tensor<4x768xf16>, tensor<768xf16>) -> tensor<4x768xf16>
  %y = mase.layer_norm %sum {axis = 1 : i64, epsilon = 1.0E-5 : f32} : (tensor<4x768xf16>) -> tensor<4x768xf16>
  return %y : tensor<4x768xf16>
}

// -----

// f32, rows that are not 16-byte multiples (100 columns), rows too long
// for the warp's registers (2048) and no rows at all keep the generated
// kernels (no launch, no binary).
// CHECK-LABEL: func.func @generated
// CHECK-NOT: gpu.launch_func
// CHECK-COUNT-4: mase.layer_norm
// CHECK-NOT: gpu.launch_func
// CHECK-NOT: gpu.binary
func.func @generated(%a: tensor<4x768xf32>, %b: tensor<4x100xf16>, %c: tensor<4x2048xf16>, %d: tensor<0x768xf16>) -> (tensor<4x768xf32>, tensor<4x100xf16>, tensor<4x2048xf16>, tensor<0x768xf16>) {
  %0 = mase.layer_norm %a {axis = 1 : i64, epsilon = 1.0E-5 : f32} : (tensor<4x768xf32>) -> tensor<4x768xf32>
  %1 = mase.layer_norm %b {axis = 1 : i64, epsilon = 1.0E-5 : f32} : (tensor<4x100xf16>) -> tensor<4x100xf16>
  %2 = mase.layer_norm %c {axis = 1 : i64, epsilon = 1.0E-5 : f32} : (tensor<4x2048xf16>) -> tensor<4x2048xf16>
  %3 = mase.layer_norm %d {axis = 1 : i64, epsilon = 1.0E-5 : f32} : (tensor<0x768xf16>) -> tensor<0x768xf16>
  return %0, %1, %2, %3 : tensor<4x768xf32>, tensor<4x100xf16>, tensor<4x2048xf16>, tensor<0x768xf16>
}
