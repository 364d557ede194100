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

// -----

// Every other format folds through the numerics library too; the expected
// values are MASE's worked examples (spec sections 3 to 5).

// CHECK-LABEL: func.func @fold_minifloat_denorm
// CHECK-NEXT:    arith.constant dense<[3.125000e-01, 8.750000e-01, 7.500000e-01, 2.240000e+02, -3.125000e-01, 5.000000e-01, 7.500000e-01, 1.400000e+01]>
func.func @fold_minifloat_denorm() -> tensor<8xf32> {
  %c = arith.constant dense<[0.3, 1.0, 0.75, 1000.0, -0.3, 0.5625, 0.6875, 16.0]> : tensor<8xf32>
  %q = mase.quantize %c : tensor<8xf32> to #mase.minifloat_denorm<8, 4>
  return %q : tensor<8xf32>
}

// -----

// No carry into the exponent: 1.97 and 1.9375 become 1.875; 1000 saturates at 480.
// CHECK-LABEL: func.func @fold_minifloat_ieee
// CHECK-NEXT:    arith.constant dense<[3.125000e-01, 1.000000e+00, 1.875000e+00, 1.875000e+00, 4.800000e+02, -2.500000e+00, 1.000000e+00, 1.250000e+00]>
func.func @fold_minifloat_ieee() -> tensor<8xf32> {
  %c = arith.constant dense<[0.3, 1.0, 1.97, 1.9375, 1000.0, -2.5, 1.0625, 1.1875]> : tensor<8xf32>
  %q = mase.quantize %c : tensor<8xf32> to #mase.minifloat_ieee<8, 4>
  return %q : tensor<8xf32>
}

// -----

// Zero is not representable (it becomes 2^-3) and -0.01 flips to +0.125.
// CHECK-LABEL: func.func @fold_log
// CHECK-NEXT:    arith.constant dense<[4.000000e+00, 2.000000e+00, 1.250000e-01, 1.250000e-01, 1.600000e+01, -2.500000e-01, 1.000000e+00]>
func.func @fold_log() -> tensor<7xf32> {
  %c = arith.constant dense<[3.0, 2.8, 0.0, -0.01, 100.0, -0.3, 1.0]> : tensor<7xf32>
  %q = mase.quantize %c : tensor<7xf32> to #mase.log<4>
  return %q : tensor<7xf32>
}

// -----

// A block maximum of exactly 1.0 loses its top bit (0.9921875).
// CHECK-LABEL: func.func @fold_bfp
// CHECK-NEXT:    arith.constant dense<[0.9921875, 5.000000e-01, -2.968750e-01, 0.000000e+00]>
func.func @fold_bfp() -> tensor<4xf32> {
  %c = arith.constant dense<[1.0, 0.5, -0.3, 0.0]> : tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.bfp<8, 8, bias = 127, block = [4], skip_first_dim = false>
  return %q : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @fold_block_minifloat
// CHECK-NEXT:    arith.constant dense<[3.000000e+00, 2.500000e-01, -0.000000e+00, 0.000000e+00]>
func.func @fold_block_minifloat() -> tensor<4xf32> {
  %c = arith.constant dense<[3.0, 0.3, -0.05, 0.0]> : tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.block_minifloat<8, 4, 4, block = [4], skip_first_dim = false>
  return %q : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @fold_block_log
// CHECK-NEXT:    arith.constant dense<[4.000000e+00, 2.500000e-01, -6.250000e-02, 3.125000e-02]>
func.func @fold_block_log() -> tensor<4xf32> {
  %c = arith.constant dense<[3.0, 0.3, -0.05, 0.0]> : tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.block_log<4, 4, block = [4], skip_first_dim = false>
  return %q : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @fold_binary
// CHECK-NEXT:    arith.constant dense<[1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00]>
func.func @fold_binary() -> tensor<4xf32> {
  %c = arith.constant dense<[0.5, -0.0, 0.0, -2.0]> : tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.binary
  return %q : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @fold_binary_scaled_and_ternary
// CHECK-NEXT:    %[[T:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00, 0.000000e+00], [0.000000e+00, -1.000000e+00]]], {{\[\[\[}}1.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00]]]]>
// CHECK-NEXT:    %[[B:.*]] = arith.constant dense<{{\[\[\[\[}}8.125000e-01, 0.000000e+00], [8.125000e-01, 0.000000e+00]]], {{\[\[\[}}0.225000009, 0.225000009], [0.000000e+00, 0.000000e+00]]]]>
// CHECK-NEXT:    return %[[T]], %[[B]]
func.func @fold_binary_scaled_and_ternary() -> (tensor<2x1x2x2xf32>, tensor<2x1x2x2xf32>) {
  %w = arith.constant dense<[[[[1.0, -0.2], [0.05, -2.0]]], [[[0.3, 0.3], [-0.3, 0.0]]]]> : tensor<2x1x2x2xf32>
  %t = mase.quantize %w : tensor<2x1x2x2xf32> to #mase.ternary
  %b = mase.quantize %w : tensor<2x1x2x2xf32> to #mase.binary<bipolar = false>
  return %t, %b : tensor<2x1x2x2xf32>, tensor<2x1x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_scale_integer
// CHECK-NEXT:    arith.constant dense<[0.9921875, 5.000000e-01, -1.000000e+00, 2.968750e-01]>
func.func @fold_scale_integer() -> tensor<4xf32> {
  %c = arith.constant dense<[1.0, 0.5, -1.0, 0.3]> : tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.scale_integer<8>
  return %q : tensor<4xf32>
}

// -----

// MASE's mxint uses ceil(log2 max): 1.0 loses its top bit. OCP MXINT8 (the
// lab kernel) uses floor: 1.0 stays, 0.01 rounds to 2^-6.
// CHECK-LABEL: func.func @fold_mxint_vs_mxint8
// CHECK-NEXT:    %[[M:.*]] = arith.constant dense<[0.9921875, 7.812500e-03, 5.000000e-01, 2.968750e-01]>
// CHECK-NEXT:    %[[O:.*]] = arith.constant dense<[1.000000e+00, 1.562500e-02, 5.000000e-01, 2.968750e-01]>
// CHECK-NEXT:    return %[[M]], %[[O]]
func.func @fold_mxint_vs_mxint8() -> (tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<[1.0, 0.01, 0.5, 0.3]> : tensor<4xf32>
  %m = mase.quantize %c : tensor<4xf32> to #mase.mxint<8, block = 4>
  %o = mase.quantize %c : tensor<4xf32> to #mase.mxint8<block = 4>
  return %m, %o : tensor<4xf32>, tensor<4xf32>
}

// -----

// mxint_hardware w8 E4 saturates a block with max 1.0 at 0.49609375.
// CHECK-LABEL: func.func @fold_mxint_hardware
// CHECK-NEXT:    arith.constant dense<[0.49609375, 0.49609375, -0.30078125, 0.000000e+00]>
func.func @fold_mxint_hardware() -> tensor<4xf32> {
  %c = arith.constant dense<[1.0, 0.5, -0.3, 0.0]> : tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.mxint_hardware<8, 4, parallelism = [1, 4]>
  return %q : tensor<4xf32>
}

// -----

// A constant folds to i16 codes for a 12-bit format: 0.5 * 2^10 = 512,
// -3.0 saturates at -2048.
// CHECK-LABEL: func.func @int16_codes
// CHECK: arith.constant dense<[512, -2048]> : tensor<2xi16>
func.func @int16_codes() -> tensor<2xi16> {
  %w = arith.constant dense<[0.5, -3.0]> : tensor<2xf32>
  %c = mase.int_codes %w : tensor<2xf32> -> tensor<2xi16> in #mase.int<12, 10>
  return %c : tensor<2xi16>
}
