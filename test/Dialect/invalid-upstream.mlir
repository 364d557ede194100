// RUN: mase-opt %s --split-input-file --verify-diagnostics

// mase-opt runs the upstream verifiers: malformed IR is reported with its
// location, never accepted.

func.func @matmul_shape_mismatch(%x: tensor<2x128xf32>, %w: tensor<64x64xf32>,
                                 %acc: tensor<2x64xf32>) -> tensor<2x64xf32> {
  // expected-error @+1 {{inferred input/output operand #1 has shape's dimension #0 to be 128, but found 64}}
  %y = linalg.matmul ins(%x, %w : tensor<2x128xf32>, tensor<64x64xf32>)
                     outs(%acc : tensor<2x64xf32>) -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// -----

func.func @wrong_return_type(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{type of return operand 0 ('tensor<4xf32>') doesn't match function result type ('tensor<4xi32>')}}
  return %x : tensor<4xf32>
}
