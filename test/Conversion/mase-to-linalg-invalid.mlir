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
