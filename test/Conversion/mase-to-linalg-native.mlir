// RUN: mase-opt %s --split-input-file --mase-lower-to-linalg | FileCheck %s

// Run-time activation codes: x * 2^4 rounded half-even, clamped to
// [-128, 127], converted to i8 in one generic.
// CHECK-LABEL: func.func @codes
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.fptosi %{{.*}} : f32 to i8
// CHECK: -> tensor<2x8xi8>
// CHECK-NOT: mase.
func.func @codes(%x: tensor<2x8xf32>) -> tensor<2x8xi8> {
  %c = mase.int_codes %x : tensor<2x8xf32> -> tensor<2x8xi8> in #mase.int<8, 4>
  return %c : tensor<2x8xi8>
}

// -----

// Both operands integer: the weight transposed at compile time (still i8),
// an i8 x i8 -> i32 matmul, then sitofp, one scale 2^-(4+7) and the bias.
// CHECK-LABEL: func.func @int_by_int
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi8>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%{{.*}} : tensor<3x2xi32>)
// CHECK: %[[SUM:.*]] = linalg.matmul ins(%{{.*}}, %[[WT]] : tensor<3x2xi8>, tensor<2x2xi8>) outs(%[[ACC]] : tensor<3x2xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %{{.*}} : tensor<3x2xi32>, tensor<2xf32>)
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.addf
// CHECK-NOT: f32> to tensor<2x2xf32>
// CHECK-NOT: mase.
func.func @int_by_int(%x: tensor<3x2xi8>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %y = mase.int_linear %x, %w, %b {input_format = #mase.int<8, 4>, weight_format = #mase.int<8, 7>}
      : (tensor<3x2xi8>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A float input: the matmul reads the i8 weight and converts it in its body
// (sitofp), into an accumulator of bias * 2^7; the sums are scaled by 2^-7.
// The leading dimensions collapse to rows and expand back.
// CHECK-LABEL: func.func @float_by_int
// CHECK: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x3x2xf32> into tensor<6x2xf32>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[SUM:.*]] = linalg.matmul ins(%[[X]], %{{.*}} : tensor<6x2xf32>, tensor<2x2xi8>) outs(%[[ACC]] : tensor<6x2xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<6x2xf32>)
// CHECK: tensor.expand_shape
// CHECK-NOT: mase.
func.func @float_by_int(%x: tensor<2x3x2xf32>, %b: tensor<2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %y = mase.int_linear %x, %w, %b {weight_format = #mase.int<8, 7>}
      : (tensor<2x3x2xf32>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}
