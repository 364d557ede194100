// RUN: mase-opt %s --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' \
// RUN:   | mase-opt --pass-pipeline=%interim_cpu_pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void \
// RUN:       -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN:   | FileCheck %s

// Lowers mase elementwise and shape ops with mase-lower-to-linalg, compiles
// them for the host CPU with the interim pipeline and checks the values.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<*xf32>) {
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  return
}

// [[1, 2, 3], [4, 5, 6]] + [10, 20, 30], then + 0.5 (rank 0).
// CHECK-LABEL: sizes = [2, 3]
// CHECK-NEXT:  [11.5, 22.5, 33.5]
// CHECK-NEXT:  [14.5, 25.5, 36.5]
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %0 = mase.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = mase.add %s, %0 : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// where([[true], [false]], [1, 2, 3], 0.5)
// CHECK-LABEL: sizes = [2, 3]
// CHECK-NEXT:  [1, 2, 3]
// CHECK-NEXT:  [0.5, 0.5, 0.5]
func.func @where(%c: tensor<2x1xi1>, %t: tensor<3xf32>, %f: tensor<f32>) -> tensor<2x3xf32> {
  %0 = mase.where %c, %t, %f : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// x = [1.75, -2.5, 0, 3.9]: f32 -> i32 -> f32 truncates toward zero,
// f32 -> i1 -> f32 tests for non-zero, (x > 0) -> f32, sigmoid(0) = 0.5.
// CHECK-LABEL: sizes = [4, 4]
// CHECK-NEXT:  [1, -2, 0, 3]
// CHECK-NEXT:  [1, 1, 0, 1]
// CHECK-NEXT:  [1, 0, 0, 1]
// CHECK-NEXT:  [0.5, 0.5, 0.5, 0.5]
func.func @casts(%x: tensor<4xf32>) -> tensor<4x4xf32> {
  %i = mase.cast %x : tensor<4xf32> to tensor<4xi32>
  %fi = mase.cast %i : tensor<4xi32> to tensor<4xf32>
  %b = mase.cast %x : tensor<4xf32> to tensor<4xi1>
  %fb = mase.cast %b : tensor<4xi1> to tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<f32>
  %gt = mase.greater %x, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  %fgt = mase.cast %gt : tensor<4xi1> to tensor<4xf32>
  %z = mase.sub %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %sig = mase.sigmoid %z : tensor<4xf32>
  %r0 = mase.reshape %fi : tensor<4xf32> -> tensor<1x4xf32>
  %r1 = mase.reshape %fb : tensor<4xf32> -> tensor<1x4xf32>
  %r2 = mase.reshape %fgt : tensor<4xf32> -> tensor<1x4xf32>
  %r3 = mase.reshape %sig : tensor<4xf32> -> tensor<1x4xf32>
  %all = mase.concat %r0, %r1, %r2, %r3 {axis = 0 : i64}
      : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<4x4xf32>
  return %all : tensor<4x4xf32>
}

// CHECK-LABEL: sizes = [3, 2]
// CHECK-NEXT:  [1, 4]
// CHECK-NEXT:  [2, 5]
// CHECK-NEXT:  [3, 6]
func.func @transpose(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = mase.transpose %a {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// x[r][c] = 8 r + c. Rows 0, 2 and columns 1, 4; then rows 1, 2 and
// columns 6, 4, 2 (step -2).
// CHECK-LABEL: sizes = [2, 2]
// CHECK-NEXT:  [1, 4]
// CHECK-NEXT:  [17, 20]
// CHECK-LABEL: sizes = [2, 3]
// CHECK-NEXT:  [14, 12, 10]
// CHECK-NEXT:  [22, 20, 18]
func.func @slice_positive(%x: tensor<4x8xf32>) -> tensor<2x2xf32> {
  %0 = mase.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 4, 7>, steps = array<i64: 2, 3>}
         : tensor<4x8xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
func.func @slice_negative(%x: tensor<4x8xf32>) -> tensor<2x3xf32> {
  %0 = mase.slice %x {starts = array<i64: 1, 6>, ends = array<i64: 3, 1>, steps = array<i64: 1, -2>}
         : tensor<4x8xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: sizes = [2, 5]
// CHECK-NEXT:  [1, 2, 3, 10, 20]
// CHECK-NEXT:  [4, 5, 6, 30, 40]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x2xf32>) -> tensor<2x5xf32> {
  %0 = mase.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// [[1], [2], [3]] to 2x3x4.
// CHECK-LABEL: sizes = [2, 3, 4]
// CHECK-NEXT:  {{\[\[\[}}1, 1, 1, 1]
// CHECK-NEXT:  [2, 2, 2, 2]
// CHECK-NEXT:  [3, 3, 3, 3]]
// CHECK-NEXT:  {{\[\[}}1, 1, 1, 1]
// CHECK-NEXT:  [2, 2, 2, 2]
// CHECK-NEXT:  [3, 3, 3, 3]]]
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = mase.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

func.func @main() {
  %a = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %r0 = call @add_broadcast(%a, %b, %half) : (tensor<2x3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %u0 = tensor.cast %r0 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%u0) : (tensor<*xf32>) -> ()

  %c = arith.constant dense<[[true], [false]]> : tensor<2x1xi1>
  %t = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %r1 = call @where(%c, %t, %half) : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %u1 = tensor.cast %r1 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%u1) : (tensor<*xf32>) -> ()

  %x = arith.constant dense<[1.75, -2.5, 0.0, 3.9]> : tensor<4xf32>
  %r2 = call @casts(%x) : (tensor<4xf32>) -> tensor<4x4xf32>
  %u2 = tensor.cast %r2 : tensor<4x4xf32> to tensor<*xf32>
  call @print(%u2) : (tensor<*xf32>) -> ()

  %r3 = call @transpose(%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %u3 = tensor.cast %r3 : tensor<3x2xf32> to tensor<*xf32>
  call @print(%u3) : (tensor<*xf32>) -> ()

  %grid = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
                                [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0],
                                [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0],
                                [24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0]]> : tensor<4x8xf32>
  %r4 = call @slice_positive(%grid) : (tensor<4x8xf32>) -> tensor<2x2xf32>
  %u4 = tensor.cast %r4 : tensor<2x2xf32> to tensor<*xf32>
  call @print(%u4) : (tensor<*xf32>) -> ()
  %r5 = call @slice_negative(%grid) : (tensor<4x8xf32>) -> tensor<2x3xf32>
  %u5 = tensor.cast %r5 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%u5) : (tensor<*xf32>) -> ()

  %d = arith.constant dense<[[10.0, 20.0], [30.0, 40.0]]> : tensor<2x2xf32>
  %r6 = call @concat(%a, %d) : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x5xf32>
  %u6 = tensor.cast %r6 : tensor<2x5xf32> to tensor<*xf32>
  call @print(%u6) : (tensor<*xf32>) -> ()

  %col = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %r7 = call @expand(%col) : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %u7 = tensor.cast %r7 : tensor<2x3x4xf32> to tensor<*xf32>
  call @print(%u7) : (tensor<*xf32>) -> ()
  return
}
