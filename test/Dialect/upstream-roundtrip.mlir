// RUN: mase-opt %s | FileCheck %s
// RUN: mase-opt %s --mlir-print-op-generic | mase-opt | FileCheck %s

// mase-opt parses, verifies and prints the upstream IR the importer and the
// pipelines produce: tensors, linalg named ops, arith constants, locations.

// CHECK-LABEL: func.func @linear
// CHECK-SAME:    (%[[X:.*]]: tensor<2x128xf32>, %[[W:.*]]: tensor<128x64xf32>) -> tensor<2x64xf32>
func.func @linear(%x: tensor<2x128xf32>, %w: tensor<128x64xf32>) -> tensor<2x64xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  %zero = arith.constant 0.0 : f32
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x64xf32>
  %empty = tensor.empty() : tensor<2x64xf32>
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<2x64xf32>)
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x64xf32>) -> tensor<2x64xf32>
  // CHECK: %[[Y:.*]] = linalg.matmul ins(%[[X]], %[[W]] : tensor<2x128xf32>, tensor<128x64xf32>) outs(%[[ACC]] : tensor<2x64xf32>)
  %y = linalg.matmul ins(%x, %w : tensor<2x128xf32>, tensor<128x64xf32>)
                     outs(%acc : tensor<2x64xf32>) -> tensor<2x64xf32>
  // CHECK: return %[[Y]]
  return %y : tensor<2x64xf32>
}
