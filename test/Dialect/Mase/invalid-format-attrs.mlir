// RUN: mase-opt %s --split-input-file --verify-diagnostics

func.func @int_width_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{invalid #mase.int: integer width must be in [1, 32], got 0}}
  %0 = mase.quantize %x : tensor<4xf32> to #mase.int<0, 3>
  return %0 : tensor<4xf32>
}

// -----

func.func @int_width_too_large(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{invalid #mase.int: integer width must be in [1, 32], got 33}}
  %0 = mase.quantize %x : tensor<4xf32> to #mase.int<33, 3>
  return %0 : tensor<4xf32>
}

// -----

func.func @int_unknown_option(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{unknown option 'rounding' in #mase.int; expected one of: unsigned, floor}}
  %0 = mase.quantize %x : tensor<4xf32> to #mase.int<8, 3, rounding>
  return %0 : tensor<4xf32>
}

// -----

func.func @int_repeated_option(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{option 'floor' given twice}}
  %0 = mase.quantize %x : tensor<4xf32> to #mase.int<8, 3, floor, floor>
  return %0 : tensor<4xf32>
}

// -----

func.func @int_missing_parameter(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{#mase.int expects 2 integer parameter(s) before its options}}
  %0 = mase.quantize %x : tensor<4xf32> to #mase.int<8>
  return %0 : tensor<4xf32>
}

// -----

func.func @quantize_not_a_format(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{attribute 'format' failed to satisfy constraint}}
  %0 = "mase.quantize"(%x) {format = 3 : i32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @quantize_not_f32(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{must be ranked tensor of 32-bit float values}}
  %0 = mase.quantize %x : tensor<4xf16> to #mase.int<8, 3>
  return %0 : tensor<4xf16>
}
