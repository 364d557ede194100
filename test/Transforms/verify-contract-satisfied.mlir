// RUN: mase-opt %s --pass-pipeline='builtin.module(mase-verify-contract{phase=kernel allowed-dialects=func,arith,tensor,linalg})' \
// RUN:   | FileCheck %s

// When every op is allowed, including the bodies of linalg ops, the pass
// succeeds and leaves the IR unchanged.

// CHECK-LABEL: func.func @kernel
// CHECK:         %[[CST:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK:         %[[ACC:.*]] = linalg.fill ins(%[[CST]] : f32) outs(%[[E]] : tensor<2x8xf32>)
// CHECK:         %[[Y:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x8xf32>, tensor<8x8xf32>) outs(%[[ACC]] : tensor<2x8xf32>)
// CHECK:         return %[[Y]]
func.func @kernel(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>) -> tensor<2x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x8xf32>)
                     outs(%acc : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
