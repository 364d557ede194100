// RUN: mase-opt %s --split-input-file --mase-bufferize | FileCheck %s

// The result becomes an out-parameter after the inputs, and the generic
// writes straight into it: no allocation, no copy.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>) {
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[X]] : memref<4xf32>) outs(%[[OUT]] : memref<4xf32>)
// CHECK:           math.exp
// CHECK-NOT:     memref.copy
// CHECK-NOT:     memref.alloc
// CHECK:         return{{$}}
#id = affine_map<(i) -> (i)>
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Several results: one out-parameter each, in result order. The first result
// is computed into its out-parameter and read back from there by the second;
// the third result is an input, so a copy into its out-parameter remains.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:[^:]*]]: memref<4xf32>, %[[Y:[^:]*]]: memref<4xf32>, %[[O0:[^:]*]]: memref<4xf32>, %[[O1:[^:]*]]: memref<4xf32>, %[[O2:[^:]*]]: memref<4xf32>) {
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[X]] : memref<4xf32>) outs(%[[O0]] : memref<4xf32>)
// CHECK:           math.exp
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[O0]], %[[Y]] : memref<4xf32>, memref<4xf32>) outs(%[[O1]] : memref<4xf32>)
// CHECK:           arith.addf
// CHECK:         memref.copy %[[Y]], %[[O2]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT:    return{{$}}
#id = affine_map<(i) -> (i)>
func.func @main(%x: tensor<4xf32>, %y: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%0, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %0, %1, %y : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// The same value returned twice: computed once, in the out-parameter of its
// last occurrence, and copied into the other.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:[^:]*]]: memref<2x4xf32>, %[[O0:[^:]*]]: memref<4x2xf32>, %[[O1:[^:]*]]: memref<4x2xf32>) {
// CHECK-NEXT:    linalg.transpose ins(%[[X]] : memref<2x4xf32>) outs(%[[O1]] : memref<4x2xf32>) permutation = [1, 0]
// CHECK-NEXT:    memref.copy %[[O1]], %[[O0]]
// CHECK-NEXT:    return{{$}}
func.func @main(%x: tensor<2x4xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %e = tensor.empty() : tensor<4x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x4xf32>) outs(%e : tensor<4x2xf32>) permutation = [1, 0]
  return %t, %t : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// A constant result and a view of an input are copied into the
// out-parameters; the view keeps its strided layout (identity layouts only
// at the function boundary).

// CHECK-LABEL: module
// CHECK:         memref.global "private" constant @[[$CST:.*]] : memref<4xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]>
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:[^:]*]]: memref<8xf32>, %[[O0:[^:]*]]: memref<4xf32>, %[[O1:[^:]*]]: memref<4xf32>) {
// CHECK-DAG:     %[[G:.*]] = memref.get_global @[[$CST]] : memref<4xf32>
// CHECK-DAG:     %[[V:.*]] = memref.subview %[[X]][2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
// CHECK-DAG:     memref.copy %[[G]], %[[O0]] : memref<4xf32> to memref<4xf32>
// CHECK-DAG:     memref.copy %[[V]], %[[O1]] : memref<4xf32, strided<[1], offset: 2>> to memref<4xf32>
// CHECK:         return{{$}}
func.func @main(%x: tensor<8xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %s = tensor.extract_slice %x[2] [4] [1] : tensor<8xf32> to tensor<4xf32>
  return %c, %s : tensor<4xf32>, tensor<4xf32>
}

// -----

// Every function gets out-parameters, not only @main: a callee fills the
// caller's out-parameter directly.

// CHECK-LABEL: func.func @callee
// CHECK-SAME:    (%{{.*}}: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>) {
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<4xf32>)
// CHECK-NEXT:    return{{$}}
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>) {
// CHECK-NEXT:    call @callee(%[[X]], %[[OUT]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT:    return{{$}}
func.func @callee(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %c = arith.constant 1.0 : f32
  %f = linalg.fill ins(%c : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %f : tensor<4xf32>
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @callee(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
