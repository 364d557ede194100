// RUN: mase-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))'

// arith works on signless integers only: a signed or unsigned element type
// leaves the op unlowered, and the conversion reports it.

func.func @signed_int(%a: tensor<4xsi8>, %b: tensor<4xsi8>) -> tensor<4xsi8> {
  // expected-error @+1 {{failed to legalize operation 'mase.add' that was explicitly marked illegal}}
  %0 = mase.add %a, %b : (tensor<4xsi8>, tensor<4xsi8>) -> tensor<4xsi8>
  return %0 : tensor<4xsi8>
}

// -----

// Casts convert between float and signless integer element types only.

func.func @cast_to_index(%a: tensor<4xf32>) -> tensor<4xindex> {
  // expected-error @+1 {{failed to legalize operation 'mase.cast' that was explicitly marked illegal}}
  %0 = mase.cast %a : tensor<4xf32> to tensor<4xindex>
  return %0 : tensor<4xindex>
}

// -----

// The quantised GEMM is a call: its declaration must be in the module.

func.func @int_linear_without_declaration(%x: tensor<3x2xi8>) -> tensor<3x2xf32> {
  %w = arith.constant dense<1> : tensor<2x2xi8>
  // expected-error @+2 {{'mase.int_linear' op needs the declaration of @mase_qgemm, which the pass that made the op adds}}
  // expected-error @+1 {{failed to legalize operation 'mase.int_linear' that was explicitly marked illegal}}
  %y = mase.int_linear %x, %w {input_format = #mase.int<8, 4>, weight_format = #mase.int<8, 7>}
      : (tensor<3x2xi8>, tensor<2x2xi8>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Block mantissas are packed for the kernel at compile time.

func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)
func.func @block_linear_runtime_weight(%x: tensor<2x8xf32>, %w: tensor<2x8xi8>, %e: tensor<2x2xi8>) -> tensor<2x2xf32> {
  // expected-error @+2 {{'mase.block_linear' op weight must be a constant: it is packed for the kernel at compile time}}
  // expected-error @+1 {{failed to legalize operation 'mase.block_linear' that was explicitly marked illegal}}
  %y = mase.block_linear %x, %w, %e {block = 4} : (tensor<2x8xf32>, tensor<2x8xi8>, tensor<2x2xi8>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
