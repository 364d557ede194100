// RUN: mase-opt --show-dialects | FileCheck %s --check-prefix=DIALECTS
// RUN: mase-opt %s --split-input-file --verify-diagnostics

// The mase dialect and the upstream dialects mase pipelines use are registered.
// DIALECTS: Available Dialects:
// DIALECTS-SAME: arith
// DIALECTS-SAME: bufferization
// DIALECTS-SAME: func
// DIALECTS-SAME: linalg
// DIALECTS-SAME: llvm
// DIALECTS-SAME: mase
// DIALECTS-SAME: tensor
// DIALECTS-SAME: vector
// DIALECTS-SAME: x86vector

// The dialect is loaded, so an operation it does not define is rejected in
// both the custom and the generic form instead of passing as an unregistered op.
func.func @unknown_custom_op(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{custom op 'mase.no_such_op' is unknown}}
  %0 = mase.no_such_op %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @unknown_generic_op(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{unregistered operation 'mase.no_such_op' found in dialect ('mase') that does not allow unknown operations}}
  %0 = "mase.no_such_op"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
