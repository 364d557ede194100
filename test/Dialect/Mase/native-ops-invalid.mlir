// RUN: mase-opt %s --split-input-file --verify-diagnostics

func.func @codes_too_wide(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{format #mase.int<9, 4> has codes that do not fit i8 (at most 8 bits signed or 7 bits unsigned)}}
  %c = mase.int_codes %x : tensor<4xf32> -> tensor<4xi8> in #mase.int<9, 4>
  return %c : tensor<4xi8>
}

// -----

func.func @codes_unsigned_8(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{format #mase.int<8, 4, unsigned> has codes that do not fit i8}}
  %c = mase.int_codes %x : tensor<4xf32> -> tensor<4xi8> in #mase.int<8, 4, unsigned>
  return %c : tensor<4xi8>
}

// -----

func.func @codes_shape(%x: tensor<4xf32>) -> tensor<5xi8> {
  // expected-error @+1 {{result shape must match the input shape}}
  %c = mase.int_codes %x : tensor<4xf32> -> tensor<5xi8> in #mase.int<8, 4>
  return %c : tensor<5xi8>
}

// -----

func.func @linear_missing_input_format(%x: tensor<2x8xi8>, %w: tensor<4x8xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{an i8 input needs an input_format}}
  %y = mase.int_linear %x, %w {weight_format = #mase.int<8, 7>} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @linear_float_input_format(%x: tensor<2x8xf32>, %w: tensor<4x8xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{an f32 input must not have an input_format}}
  %y = mase.int_linear %x, %w {input_format = #mase.int<8, 4>, weight_format = #mase.int<8, 7>} : (tensor<2x8xf32>, tensor<4x8xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @linear_in_features(%x: tensor<2x7xf32>, %w: tensor<4x8xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{input in_features 7 does not match weight in_features 8}}
  %y = mase.int_linear %x, %w {weight_format = #mase.int<8, 7>} : (tensor<2x7xf32>, tensor<4x8xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @linear_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xi8>, %b: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{bias must have shape [out_features] = [4]}}
  %y = mase.int_linear %x, %w, %b {weight_format = #mase.int<8, 7>} : (tensor<2x8xf32>, tensor<4x8xi8>, tensor<3xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @linear_result(%x: tensor<2x8xf32>, %w: tensor<4x8xi8>) -> tensor<2x5xf32> {
  // expected-error @+1 {{result shape must be [..., out_features]}}
  %y = mase.int_linear %x, %w {weight_format = #mase.int<8, 7>} : (tensor<2x8xf32>, tensor<4x8xi8>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @linear_weight_format(%x: tensor<2x8xf32>, %w: tensor<4x8xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{weight_format #mase.int<12, 7> has codes that do not fit i8}}
  %y = mase.int_linear %x, %w {weight_format = #mase.int<12, 7>} : (tensor<2x8xf32>, tensor<4x8xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @block_linear_block_not_multiple_of_4(%x: tensor<2x12xf32>, %w: tensor<4x12xi8>, %e: tensor<4x2xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{block 6 must be a multiple of 4 that divides in_features 12}}
  %y = mase.block_linear %x, %w, %e {block = 6} : (tensor<2x12xf32>, tensor<4x12xi8>, tensor<4x2xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @block_linear_block_not_dividing(%x: tensor<2x12xf32>, %w: tensor<4x12xi8>, %e: tensor<4x1xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{block 8 must be a multiple of 4 that divides in_features 12}}
  %y = mase.block_linear %x, %w, %e {block = 8} : (tensor<2x12xf32>, tensor<4x12xi8>, tensor<4x1xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @block_linear_exponents_shape(%x: tensor<2x64xf32>, %w: tensor<4x64xi8>, %e: tensor<4x4xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{weight_exponents must have shape [out_features, in_features / block] = [4, 2]}}
  %y = mase.block_linear %x, %w, %e {block = 32} : (tensor<2x64xf32>, tensor<4x64xi8>, tensor<4x4xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @block_linear_in_features(%x: tensor<2x32xf32>, %w: tensor<4x64xi8>, %e: tensor<4x2xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{input in_features 32 does not match weight in_features 64}}
  %y = mase.block_linear %x, %w, %e {block = 32} : (tensor<2x32xf32>, tensor<4x64xi8>, tensor<4x2xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @block_linear_zero_block(%x: tensor<2x32xf32>, %w: tensor<4x32xi8>, %e: tensor<4x1xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{attribute 'block' failed to satisfy constraint}}
  %y = mase.block_linear %x, %w, %e {block = 0} : (tensor<2x32xf32>, tensor<4x32xi8>, tensor<4x1xi8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @sparse_linear_offsets(%x: tensor<2x8xf32>, %o: tensor<4xi32>, %c: tensor<6xi16>, %v: tensor<6xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{offsets must have out_features + 1 = 5 elements}}
  %y = mase.sparse_linear %x, %o, %c, %v : (tensor<2x8xf32>, tensor<4xi32>, tensor<6xi16>, tensor<6xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @sparse_linear_entries(%x: tensor<2x8xf32>, %o: tensor<5xi32>, %c: tensor<6xi16>, %v: tensor<5xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{columns and values must have one element per entry}}
  %y = mase.sparse_linear %x, %o, %c, %v : (tensor<2x8xf32>, tensor<5xi32>, tensor<6xi16>, tensor<5xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @sparse_linear_rows(%x: tensor<2x8xf32>, %o: tensor<5xi32>, %c: tensor<6xi16>, %v: tensor<6xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{input [..., in_features] and result [..., out_features] must share their leading dimensions}}
  %y = mase.sparse_linear %x, %o, %c, %v : (tensor<2x8xf32>, tensor<5xi32>, tensor<6xi16>, tensor<6xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

func.func @sdpa_depth(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x2x3x8xf32>, %v: tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32> {
  // expected-error @+1 {{key_t [B, H, D, Sk] must have the query's depth D = 4}}
  %o = mase.sdpa %q, %kt, %v {scale = 1.0 : f32} : (tensor<1x2x8x4xf32>, tensor<1x2x3x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

// -----

func.func @sdpa_mask(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x2x4x8xf32>, %v: tensor<1x2x8x4xf32>, %m: tensor<1x3x1x8xf32>) -> tensor<1x2x8x4xf32> {
  // expected-error @+1 {{mask must broadcast to the scores [B, H, Sq, Sk] = [1, 2, 8, 8]}}
  %o = mase.sdpa %q, %kt, %v, %m {scale = 1.0 : f32} : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>, tensor<1x3x1x8xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

// -----

func.func @sdpa_element_types(%q: tensor<1x2x8x4xf16>, %kt: tensor<1x2x4x8xf16>, %v: tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf16> {
  // expected-error @+1 {{operands and result must share one element type}}
  %o = mase.sdpa %q, %kt, %v {scale = 1.0 : f32} : (tensor<1x2x8x4xf16>, tensor<1x2x4x8xf16>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf16>
  return %o : tensor<1x2x8x4xf16>
}

// -----

func.func @block_embedding_block_not_dividing(%ids: tensor<3xi64>, %m: tensor<10x48xi8>, %e: tensor<10x1xi8>) -> tensor<3x48xf32> {
  // expected-error @+1 {{block 32 must divide embedding_dim 48}}
  %y = mase.block_embedding %ids, %m, %e {block = 32} : (tensor<3xi64>, tensor<10x48xi8>, tensor<10x1xi8>) -> tensor<3x48xf32>
  return %y : tensor<3x48xf32>
}

// -----

func.func @block_embedding_exponents_shape(%ids: tensor<3xi64>, %m: tensor<10x64xi8>, %e: tensor<10x1xi8>) -> tensor<3x64xf32> {
  // expected-error @+1 {{table_exponents must have shape [num_embeddings, embedding_dim / block] = [10, 2]}}
  %y = mase.block_embedding %ids, %m, %e {block = 32} : (tensor<3xi64>, tensor<10x64xi8>, tensor<10x1xi8>) -> tensor<3x64xf32>
  return %y : tensor<3x64xf32>
}

// -----

func.func @block_embedding_rank(%ids: tensor<3xi64>, %m: tensor<2x5x64xi8>, %e: tensor<10x2xi8>) -> tensor<3x64xf32> {
  // expected-error @+1 {{table must have rank 2 ([num_embeddings, embedding_dim]), got rank 3}}
  %y = mase.block_embedding %ids, %m, %e {block = 32} : (tensor<3xi64>, tensor<2x5x64xi8>, tensor<10x2xi8>) -> tensor<3x64xf32>
  return %y : tensor<3x64xf32>
}

// -----

func.func @block_embedding_result(%ids: tensor<3xi64>, %m: tensor<10x64xi8>, %e: tensor<10x2xi8>) -> tensor<4x64xf32> {
  // expected-error @+1 {{result must have the shape of indices followed by embedding_dim 64}}
  %y = mase.block_embedding %ids, %m, %e {block = 32} : (tensor<3xi64>, tensor<10x64xi8>, tensor<10x2xi8>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @codes_too_wide_for_i16(%x: tensor<4xf32>) -> tensor<4xi16> {
  // expected-error @+1 {{format #mase.int<16, 4, unsigned> has codes that do not fit i16 (at most 16 bits signed or 15 bits unsigned)}}
  %c = mase.int_codes %x : tensor<4xf32> -> tensor<4xi16> in #mase.int<16, 4, unsigned>
  return %c : tensor<4xi16>
}

// -----

func.func @int_input_needs_byte_weights(%x: tensor<2x8xi8>, %w: tensor<4x8xi16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{an i8 input needs i8 weight codes}}
  %y = mase.int_linear %x, %w {input_format = #mase.int<8, 4>, weight_format = #mase.int<12, 7>} : (tensor<2x8xi8>, tensor<4x8xi16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
