// RUN: mase-opt %s --split-input-file --verify-diagnostics --mase-convert-float | FileCheck %s
// RUN: mase-opt %s --split-input-file --verify-diagnostics --mase-convert-float=to=bf16 | FileCheck %s --check-prefix=BF16

// f32 results and constants become f16; the interface stays f32 (a cast on
// entry and before the return); integer and boolean tensors are untouched;
// the float32 minimum (an attention mask's fill) clamps to f16's lowest
// finite value instead of becoming -inf; attributes keep their f32 values.
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: tensor<2x4xf32>, %[[IDS:.*]]: tensor<2xi64>) -> tensor<2x3xf32>
// CHECK:         %[[XH:.*]] = mase.cast %[[X]] : tensor<2x4xf32> to tensor<2x4xf16>
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 5.000000e-01, 3.332520e-01, 2.500000e-01]{{.*}} : tensor<3x4xf16>
// CHECK-DAG:     %[[LOW:.*]] = arith.constant dense<-6.550400e+04> : tensor<f16>
// CHECK:         %[[Y:.*]] = mase.linear %[[XH]], %[[W]] : (tensor<2x4xf16>, tensor<3x4xf16>) -> tensor<2x3xf16>
// CHECK:         mase.layer_norm %[[Y]] {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x3xf16>) -> tensor<2x3xf16>
// CHECK:         mase.cast %[[IDS]] : tensor<2xi64> to tensor<2xi1>
// CHECK:         %[[OUT:.*]] = mase.cast %{{.*}} : tensor<2x3xf16> to tensor<2x3xf32>
// CHECK:         return %[[OUT]] : tensor<2x3xf32>
// BF16-LABEL:  func.func @main
// BF16:          mase.cast %{{.*}} : tensor<2x4xf32> to tensor<2x4xbf16>
// BF16:          arith.constant dense<-3.389530e+38> : tensor<bf16>
func.func @main(%x: tensor<2x4xf32>, %ids: tensor<2xi64>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 0.5, 0.333333343, 0.25], [1.0, 1.0, 1.0, 1.0], [2.0, 2.0, 2.0, 2.0]]> : tensor<3x4xf32>
  %low = arith.constant dense<-3.40282347E+38> : tensor<f32>
  %y = mase.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %n = mase.layer_norm %y {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = mase.cast %ids : tensor<2xi64> to tensor<2xi1>
  %m = mase.add %n, %low : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// expected-error @below {{mase-convert-float: the module has no @main with a body}}
module {
  func.func private @main(tensor<2xf32>) -> tensor<2xf32>
}
