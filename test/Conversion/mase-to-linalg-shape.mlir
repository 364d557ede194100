// RUN: mase-opt %s --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' | FileCheck %s

// Shape movement lowers to tensor ops, linalg.transpose, or a linalg.generic
// whose indexing map does the broadcast (expand), or that reads reversed
// indices with tensor.extract (slice with a negative step).

// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$EXPIN:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// CHECK-LABEL: func.func @reshape_collapse(
// CHECK-SAME:      %[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         return %[[R]]
func.func @reshape_collapse(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = mase.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// CHECK-LABEL: func.func @reshape_expand(
// CHECK-SAME:      %[[X:.+]]: tensor<6x4xf32>)
// CHECK:         tensor.expand_shape %[[X]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 3, 4] : tensor<6x4xf32> into tensor<1x2x3x4xf32>
func.func @reshape_expand(%x: tensor<6x4xf32>) -> tensor<1x2x3x4xf32> {
  %0 = mase.reshape %x : tensor<6x4xf32> -> tensor<1x2x3x4xf32>
  return %0 : tensor<1x2x3x4xf32>
}

// Neither a collapse nor an expansion: through one dimension.
// CHECK-LABEL: func.func @reshape_general(
// CHECK-SAME:      %[[X:.+]]: tensor<2x3xf32>)
// CHECK:         %[[F:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK:         return %[[R]]
func.func @reshape_general(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = mase.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @reshape_scalar(
// CHECK:         %[[S:.+]] = tensor.collapse_shape %{{.+}} [] : tensor<1x1xf32> into tensor<f32>
// CHECK:         tensor.expand_shape %[[S]] [] output_shape [1] : tensor<f32> into tensor<1xf32>
func.func @reshape_scalar(%x: tensor<1x1xf32>) -> tensor<1xf32> {
  %0 = mase.reshape %x : tensor<1x1xf32> -> tensor<f32>
  %1 = mase.reshape %0 : tensor<f32> -> tensor<1xf32>
  return %1 : tensor<1xf32>
}

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:      %[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x4x3xf32>
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<2x4x3xf32>) permutation = [0, 2, 1]
// CHECK:         return %[[T]]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<2x4x3xf32> {
  %0 = mase.transpose %x {permutation = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// CHECK-LABEL: func.func @concat(
// CHECK-SAME:      %[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x5xf32>)
// CHECK:         %[[C:.+]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
// CHECK:         tensor.concat dim(1) %[[C]], %[[A]] : (tensor<2x8xf32>, tensor<2x3xf32>) -> tensor<2x11xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x11xf32> {
  %0 = mase.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1 = mase.concat %0, %a {axis = -1 : i64} : (tensor<2x8xf32>, tensor<2x3xf32>) -> tensor<2x11xf32>
  return %1 : tensor<2x11xf32>
}

// CHECK-LABEL: func.func @concat_single(
// CHECK-SAME:      %[[A:.+]]: tensor<2x3xf32>)
// CHECK-NEXT:    return %[[A]]
func.func @concat_single(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mase.concat %a {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @slice_positive(
// CHECK-SAME:      %[[X:.+]]: tensor<4x8xf32>)
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][0, 1] [2, 2] [2, 3] : tensor<4x8xf32> to tensor<2x2xf32>
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[S]]
func.func @slice_positive(%x: tensor<4x8xf32>) -> tensor<2x2xf32> {
  %0 = mase.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 4, 7>, steps = array<i64: 2, 3>}
         : tensor<4x8xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// Indices 6, 4, 2 of dimension 1: read 2, 4, 6 with stride 2, then reverse.
// CHECK-LABEL: func.func @slice_negative(
// CHECK-SAME:      %[[X:.+]]: tensor<4x8xf32>)
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][1, 2] [2, 3] [1, 2] : tensor<4x8xf32> to tensor<2x3xf32>
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        outs(%[[E]] : tensor<2x3xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[LAST:.+]] = arith.constant 2 : index
// CHECK:           %[[RJ:.+]] = arith.subi %[[LAST]], %[[J]] : index
// CHECK:           %[[V:.+]] = tensor.extract %[[S]][%[[I]], %[[RJ]]] : tensor<2x3xf32>
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK:         return %[[R]]
func.func @slice_negative(%x: tensor<4x8xf32>) -> tensor<2x3xf32> {
  %0 = mase.slice %x {starts = array<i64: 1, 6>, ends = array<i64: 3, 1>, steps = array<i64: 1, -2>}
         : tensor<4x8xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @slice_empty(
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<0x8xf32>
// CHECK-NEXT:    return %[[E]]
func.func @slice_empty(%x: tensor<4x8xf32>) -> tensor<0x8xf32> {
  %0 = mase.slice %x {starts = array<i64: 2, 0>, ends = array<i64: 2, 8>, steps = array<i64: 1, 1>}
         : tensor<4x8xf32> -> tensor<0x8xf32>
  return %0 : tensor<0x8xf32>
}

// CHECK-LABEL: func.func @expand(
// CHECK-SAME:      %[[X:.+]]: tensor<3x1xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[$EXPIN]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[X]] : tensor<3x1xf32>) outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK:         return %[[R]]
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = mase.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
