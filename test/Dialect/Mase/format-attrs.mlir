// RUN: mase-opt %s | FileCheck %s
// RUN: mase-opt %s | mase-opt | FileCheck %s

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
