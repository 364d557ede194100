// RUN: mase-opt %s | FileCheck %s
// RUN: mase-opt %s | mase-opt | FileCheck %s
// RUN: mase-opt %s --mlir-print-op-generic | mase-opt | FileCheck %s

// Every format attribute parses and prints back in its canonical form:
// defaults are omitted, options come in a fixed order.

// CHECK-LABEL: func.func @int_formats
func.func @int_formats(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: mase.quantize %{{.*}} : tensor<4xf32> to #mase.int<8, 4>
  %0 = mase.quantize %x : tensor<4xf32> to #mase.int<8, 4>
  // CHECK: mase.quantize %{{.*}} : tensor<4xf32> to #mase.int<4, -2>
  %1 = mase.quantize %0 : tensor<4xf32> to #mase.int<4, -2>
  // CHECK: mase.quantize %{{.*}} : tensor<4xf32> to #mase.int<8, 3, unsigned, floor>
  %2 = mase.quantize %1 : tensor<4xf32> to #mase.int<8, 3, floor, unsigned>
  // CHECK: mase.quantize %{{.*}} : tensor<4xf32> to #mase.int<32, 16>
  %3 = mase.quantize %2 : tensor<4xf32> to #mase.int<32, 16>
  return %3 : tensor<4xf32>
}

// CHECK-LABEL: func.func @element_formats
func.func @element_formats(%x: tensor<4x32xf32>, %w: tensor<2x3x4x4xf32>) {
  // CHECK: to #mase.minifloat_denorm<8, 4>
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.minifloat_denorm<8, 4>
  // CHECK: to #mase.minifloat_ieee<8, 4, bias = 9>
  %1 = mase.quantize %x : tensor<4x32xf32> to #mase.minifloat_ieee<8, 4, bias = 9>
  // CHECK: to #mase.log<8>
  %2 = mase.quantize %x : tensor<4x32xf32> to #mase.log<8>
  // CHECK: to #mase.log<5, bias = 10>
  %3 = mase.quantize %x : tensor<4x32xf32> to #mase.log<5, bias = 10>
  // CHECK: to #mase.binary{{$}}
  %4 = mase.quantize %x : tensor<4x32xf32> to #mase.binary<bipolar = true>
  // CHECK: to #mase.binary<bipolar = false>
  %5 = mase.quantize %w : tensor<2x3x4x4xf32> to #mase.binary<bipolar = false>
  // CHECK: to #mase.ternary{{$}}
  %6 = mase.quantize %w : tensor<2x3x4x4xf32> to #mase.ternary
  // CHECK: to #mase.ternary<scaled>
  %7 = mase.quantize %w : tensor<2x3x4x4xf32> to #mase.ternary<scaled>
  // CHECK: to #mase.scale_integer<8, unsigned>
  %8 = mase.quantize %x : tensor<4x32xf32> to #mase.scale_integer<8, unsigned>
  return
}

// CHECK-LABEL: func.func @block_formats
func.func @block_formats(%x: tensor<4x32xf32>) {
  // CHECK: to #mase.bfp<8, 8>
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.bfp<8, 8, block = [16], skip_first_dim = true>
  // CHECK: to #mase.bfp<8, 8, bias = 127, block = [1, 16], skip_first_dim = false>
  %1 = mase.quantize %x : tensor<4x32xf32> to #mase.bfp<8, 8, skip_first_dim = false, block = [1, 16], bias = 127>
  // CHECK: to #mase.block_minifloat<8, 4, 4, block = [1, 16]>
  %2 = mase.quantize %x : tensor<4x32xf32> to #mase.block_minifloat<8, 4, 4, block = [1, 16]>
  // CHECK: to #mase.block_log<5, 4>
  %3 = mase.quantize %x : tensor<4x32xf32> to #mase.block_log<5, 4>
  return
}

// CHECK-LABEL: func.func @mx_formats
func.func @mx_formats(%x: tensor<4x32xf32>) {
  // CHECK: to #mase.mxint<8, block = 32>
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint<8, block = 32>
  // CHECK: to #mase.mxint<4, block = 16, block_dim = 0, scale_bits = 6>
  %1 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint<4, scale_bits = 6, block_dim = 0, block = 16>
  // CHECK: to #mase.mxint_hardware<8, 4, parallelism = [1, 16]>
  %2 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint_hardware<8, 4, parallelism = [1, 16]>
  // CHECK: to #mase.mxint8<block = 32>
  %3 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint8
  // CHECK: to #mase.mxint8<block = 16>
  %4 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint8<block = 16>
  return
}
