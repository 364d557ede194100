// RUN: mase-opt %s --split-input-file --mase-lower-to-linalg | FileCheck %s

// mase.sdpa: one call of mase_sdpa on the operands' buffers (batch 1, heads
// 2, 8 queries, 8 keys, depth 4, value depth 4), the mask [1, 1, 1, 8]
// read with strides 0, 0, 0, 1 (it broadcasts over batch, heads and
// queries), scale 0.125, into a fresh [1, 2, 8, 4] buffer.
// CHECK-LABEL: func.func @sdpa
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 1.250000e-01 : f32
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x4xf32>
// CHECK-DAG: bufferization.to_buffer %arg3 read_only : tensor<1x1x1x8xf32> to memref<1x1x1x8xf32>
// CHECK: call @mase_sdpa(%c1_i64{{(_[0-9]+)?}}, %c2_i64{{(_[0-9]+)?}}, %c8_i64{{(_[0-9]+)?}}, %c8_i64{{(_[0-9]+)?}}, %c4_i64{{(_[0-9]+)?}}, %c4_i64{{(_[0-9]+)?}}, %c0_i32{{(_[0-9]+)?}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %c0_i64{{(_[0-9]+)?}}, %c0_i64{{(_[0-9]+)?}}, %c0_i64{{(_[0-9]+)?}}, %c1_i64{{(_[0-9]+)?}}, %[[SCALE]], %c0_i32{{(_[0-9]+)?}}, %{{[0-9]+}}) : (i64, i64, i64, i64, i64, i64, i32, i64, i64, i64, i64, i64, i64, i64, i64, f32, i32, i64) -> ()
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<1x2x8x4xf32> to tensor<1x2x8x4xf32>
// CHECK: return %[[R]]
module {
  func.func private @mase_sdpa(i64, i64, i64, i64, i64, i64, i32, i64, i64, i64, i64, i64, i64, i64, i64, f32, i32, i64)
  func.func @sdpa(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x2x4x8xf32>, %v: tensor<1x2x8x4xf32>, %m: tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32> {
    %o = mase.sdpa %q, %kt, %v, %m {scale = 0.125 : f32} : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32>
    return %o : tensor<1x2x8x4xf32>
  }
}
