// RUN: mase-opt %s --canonicalize --split-input-file | FileCheck %s

// mase.quantize of a constant folds to the quantised constant, through the
// numerics library (values from MASE's worked examples, spec section 2.5).

// CHECK-LABEL: func.func @fold_int_nearest_even
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[2.500000e-01, 2.500000e-01, 5.000000e-01, -2.500000e-01, 1.587500e+01, -1.600000e+01, -2.500000e-01]> : tensor<7xf32>
// CHECK-NEXT:    return %[[C]]
func.func @fold_int_nearest_even() -> tensor<7xf32> {
  %c = arith.constant dense<[0.3, 0.3125, 0.4375, -0.3125, 100.0, -100.0, -0.3]> : tensor<7xf32>
  %q = mase.quantize %c : tensor<7xf32> to #mase.int<8, 3>
  return %q : tensor<7xf32>
}

// -----

// CHECK-LABEL: func.func @fold_int_floor
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[2.500000e-01, 2.500000e-01, 3.750000e-01, -3.750000e-01, 1.587500e+01, -1.600000e+01, -3.750000e-01]> : tensor<7xf32>
// CHECK-NEXT:    return %[[C]]
func.func @fold_int_floor() -> tensor<7xf32> {
  %c = arith.constant dense<[0.3, 0.3125, 0.4375, -0.3125, 100.0, -100.0, -0.3]> : tensor<7xf32>
  %q = mase.quantize %c : tensor<7xf32> to #mase.int<8, 3, floor>
  return %q : tensor<7xf32>
}

// -----

// A splat constant folds to a splat; a 2-D constant keeps its shape.
// CHECK-LABEL: func.func @fold_int_splat_2d
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<3.125000e-01> : tensor<2x3xf32>
// CHECK-NEXT:    return %[[C]]
func.func @fold_int_splat_2d() -> tensor<2x3xf32> {
  %c = arith.constant dense<0.3> : tensor<2x3xf32>
  %q = mase.quantize %c : tensor<2x3xf32> to #mase.int<8, 4>
  return %q : tensor<2x3xf32>
}

// -----

// Non-constant inputs are left alone.
// CHECK-LABEL: func.func @no_fold_argument
// CHECK:         mase.quantize %{{.*}} : tensor<4xf32> to #mase.int<8, 4>
func.func @no_fold_argument(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = mase.quantize %x : tensor<4xf32> to #mase.int<8, 4>
  return %q : tensor<4xf32>
}
