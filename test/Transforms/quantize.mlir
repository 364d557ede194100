// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/by-type.toml" | FileCheck %s --check-prefix=TYPE
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/by-name.json" | FileCheck %s --check-prefix=NAME
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/by-regex.toml" | FileCheck %s --check-prefix=REGEX
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/by-type.toml" --canonicalize | FileCheck %s --check-prefix=FOLD

// TYPE-LABEL: func.func @mlp
// TYPE-DAG: %[[W1:.*]] = arith.constant dense<5.000000e-01> : tensor<16x16xf32>
// TYPE-DAG: %[[B1:.*]] = arith.constant dense<2.500000e-01> : tensor<16xf32>
// TYPE: %[[QX:.*]] = mase.quantize %arg0 : tensor<2x16xf32> to #mase.bfp<7, 8, bias = 127, block = [1, 16]>
// TYPE: %[[QW:.*]] = mase.quantize %[[W1]] : tensor<16x16xf32> to #mase.bfp<7, 8, bias = 127, block = [1, 16], skip_first_dim = false>
// TYPE: %[[QB:.*]] = mase.quantize %[[B1]] : tensor<16xf32> to #mase.bfp<7, 8, bias = 127, skip_first_dim = false>
// TYPE: %[[H:.*]] = mase.linear %[[QX]], %[[QW]], %[[QB]] {mase.layer = "fc1"}
// relu quantises its input unsigned (MASE's ReLU integer).
// TYPE: %[[QH:.*]] = mase.quantize %[[H]] : tensor<2x16xf32> to #mase.int<8, 3, unsigned>
// TYPE: %[[R:.*]] = mase.relu %[[QH]] {mase.layer = "act"}
// add quantises both operands with data_in.
// TYPE: %[[QA:.*]] = mase.quantize %[[R]] : tensor<2x16xf32> to #mase.int<8, 3>
// TYPE: %[[QB2:.*]] = mase.quantize %arg0 : tensor<2x16xf32> to #mase.int<8, 3>
// TYPE: %[[S:.*]] = mase.add %[[QA]], %[[QB2]]
// `name = "None"` leaves layer_norm in float.
// TYPE: mase.layer_norm %[[S]]
// TYPE: %[[QY:.*]] = mase.quantize %{{.*}} : tensor<2x16xf32> to #mase.bfp<7, 8, bias = 127, block = [1, 16]>
// TYPE: mase.linear %[[QY]], %{{.*}} {mase.layer = "fc2"}

// NAME-LABEL: func.func @mlp
// NAME-NOT: mase.quantize
// NAME: mase.layer_norm
// NAME: mase.quantize %{{.*}} : tensor<2x16xf32> to #mase.minifloat_ieee<8, 4>
// NAME: mase.quantize %{{.*}} : tensor<4x16xf32> to #mase.minifloat_ieee<8, 4>
// NAME: mase.quantize %{{.*}} : tensor<4xf32> to #mase.minifloat_ieee<8, 4, bias = 7>
// NAME: mase.linear {{.*}} {mase.layer = "fc2"}
// NAME-NOT: mase.quantize

// Nothing matches the attention patterns here: every layer takes the
// `fixed` default, and linear layers also quantise their output.
// REGEX-LABEL: func.func @mlp
// REGEX: %[[H:.*]] = mase.linear {{.*}} {mase.layer = "fc1"}
// REGEX: %[[QH:.*]] = mase.quantize %[[H]] : tensor<2x16xf32> to #mase.int<16, 8>
// REGEX: mase.quantize %[[QH]] : tensor<2x16xf32> to #mase.int<8, 4, unsigned>

// Weights and biases fold to quantised constants.
// FOLD-LABEL: func.func @mlp
// FOLD-DAG: arith.constant dense<0.4921875> : tensor<16x16xf32>
// FOLD-DAG: arith.constant dense<0.24609375> : tensor<16xf32>
// FOLD-NOT: mase.quantize %cst
func.func @mlp(%x: tensor<2x16xf32>) -> tensor<2x4xf32> {
  %w1 = arith.constant dense<0.5> : tensor<16x16xf32>
  %b1 = arith.constant dense<0.25> : tensor<16xf32>
  %w2 = arith.constant dense<0.125> : tensor<4x16xf32>
  %b2 = arith.constant dense<0.0625> : tensor<4xf32>
  %g = arith.constant dense<1.0> : tensor<16xf32>
  %h = mase.linear %x, %w1, %b1 {mase.layer = "fc1"} : (tensor<2x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  %r = mase.relu %h {mase.layer = "act"} : tensor<2x16xf32>
  %s = mase.add %r, %x {mase.layer = "res"} : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %n = mase.layer_norm %s weight(%g) {axis = -1 : i64, epsilon = 1.0e-5 : f32, mase.layer = "norm"} : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  %y = mase.linear %n, %w2, %b2 {mase.layer = "fc2"} : (tensor<2x16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// Attention: the first regex rule sends the matmuls to mxint8, the second
// catches the other attention ops; bmm is a matmul of 3-D operands.
// TYPE-LABEL: func.func @attention
// Block formats flatten 4-D operands to 3-D (MASE's matmul_block_fp).
// TYPE: %[[A:.*]] = mase.reshape %arg0 : tensor<2x2x4x8xf32> -> tensor<4x4x8xf32>
// TYPE: %[[QA:.*]] = mase.quantize %[[A]] : tensor<4x4x8xf32> to #mase.bfp<8, 8, bias = 127, block = [1, 4]>
// TYPE: %[[RA:.*]] = mase.reshape %[[QA]] : tensor<4x4x8xf32> -> tensor<2x2x4x8xf32>
// TYPE: %[[K:.*]] = mase.reshape %arg1 : tensor<2x2x8x4xf32> -> tensor<4x8x4xf32>
// TYPE: mase.quantize %[[K]] : tensor<4x8x4xf32> to #mase.bfp<8, 8, bias = 127, block = [1, 4]>
// TYPE: mase.matmul %[[RA]]
// TYPE: mase.quantize %{{.*}} : tensor<2x2x4x4xf32> to #mase.int<8, 3>
// TYPE: mase.tanh
// A `matmul` rule also covers bmm; 3-D operands need no reshape.
// TYPE-NOT: mase.reshape
// TYPE: mase.quantize %arg2 : tensor<3x4x8xf32> to #mase.bfp<8, 8, bias = 127, block = [1, 4]>
// TYPE: mase.quantize %arg3 : tensor<3x8x4xf32> to #mase.bfp<8, 8, bias = 127, block = [1, 4]>
// TYPE: mase.matmul

// REGEX-LABEL: func.func @attention
// REGEX: mase.quantize %arg0 : tensor<2x2x4x8xf32> to #mase.mxint8<block = 16>
// REGEX: mase.quantize %arg1 : tensor<2x2x8x4xf32> to #mase.mxint8<block = 16>
// REGEX: mase.matmul {{.*}} {mase.layer = "model.attn.0"}
// REGEX: mase.quantize %{{.*}} : tensor<2x2x4x4xf32> to #mase.minifloat_denorm<8, 4, bias = 7>
// REGEX: mase.tanh {{.*}} {mase.layer = "model.attn"}
// REGEX: mase.quantize %arg2 : tensor<3x4x8xf32> to #mase.int<8, 4>
// REGEX: mase.quantize %arg3 : tensor<3x8x4xf32> to #mase.int<8, 4>
// REGEX: mase.matmul {{.*}} {mase.layer = "bmm"}
func.func @attention(%q: tensor<2x2x4x8xf32>, %k: tensor<2x2x8x4xf32>, %a: tensor<3x4x8xf32>, %b: tensor<3x8x4xf32>) -> (tensor<2x2x4x4xf32>, tensor<3x4x4xf32>) {
  %s = mase.matmul %q, %k {mase.layer = "model.attn.0"} : (tensor<2x2x4x8xf32>, tensor<2x2x8x4xf32>) -> tensor<2x2x4x4xf32>
  %t = mase.tanh %s {mase.layer = "model.attn"} : tensor<2x2x4x4xf32>
  %c = mase.matmul %a, %b {mase.layer = "bmm"} : (tensor<3x4x8xf32>, tensor<3x8x4xf32>) -> tensor<3x4x4xf32>
  return %t, %c : tensor<2x2x4x4xf32>, tensor<3x4x4xf32>
}
