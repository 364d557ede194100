// RUN: mase-opt %s --split-input-file --mase-bufferize | FileCheck %s

// The model ABI (include/mase-c/ModelABI.h) says @main's inputs are read
// only: mase-bufferize marks them non-writable, so an op that would update an
// input in place (a linalg op with an input as its init, an insert_slice into
// an input) copies the input into the out-parameter first and updates that.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK-NOT:     outs(%[[X]]
// CHECK:         linalg.generic {{.*}} outs(%[[OUT]] : memref<4xf32>)
// CHECK-NOT:     outs(%[[X]]
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      outs(%x : tensor<4xf32>) {
  ^bb0(%o: f32):
    %r = math.exp %o : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<2xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK-NOT:     memref.subview %[[X]]
// CHECK:         memref.copy %[[X]], %[[OUT]]
// CHECK:         %[[S:.*]] = memref.subview %[[OUT]][1] [2] [1]
// CHECK:         memref.copy %[[Y]], %[[S]]
func.func @main(%x: tensor<4xf32>, %y: tensor<2xf32>) -> tensor<4xf32> {
  %0 = tensor.insert_slice %y into %x[1] [2] [1] : tensor<2xf32> into tensor<4xf32>
  return %0 : tensor<4xf32>
}
