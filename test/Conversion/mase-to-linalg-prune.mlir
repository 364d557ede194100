// RUN: mase-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' | FileCheck %s

// mase.prune_activation: the threshold from the model support archive over
// the tensor's buffer, then x * (|x| > t ? 1 : 0).

// CHECK-LABEL: func.func @prune
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[BUF:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<2x3xf32> to memref<2x3xf32>
// CHECK:         %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[BUF]]
// CHECK:         %[[ADDR:.*]] = arith.index_cast %[[PTR]] : index to i64
// CHECK:         %[[T:.*]] = call @mase_activation_l1_threshold(%[[ADDR]], %c6_i64, %cst{{.*}}) : (i64, i64, f32) -> f32
// CHECK:         linalg.generic
// CHECK:           math.absf
// CHECK:           arith.cmpf ogt, %{{.*}}, %[[T]] : f32
// CHECK:           arith.select
// CHECK:           arith.mulf
func.func private @mase_activation_l1_threshold(i64, i64, f32) -> f32
func.func @prune(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mase.prune_activation %x {sparsity = 0.5 : f32} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @undeclared(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{needs the declaration of @mase_activation_l1_threshold, which mase-prune adds}}
  // expected-error @+1 {{failed to legalize operation 'mase.prune_activation'}}
  %0 = mase.prune_activation %x {sparsity = 0.5 : f32} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
