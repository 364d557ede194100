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

// -----

func.func @minifloat_exponent_too_wide(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.minifloat_ieee: minifloat_ieee exponent_width must be in [1, 8], got 9}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.minifloat_ieee<8, 9>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @log_width_too_small(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.log: log width must be in [2, 32], got 1}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.log<1>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @bfp_zero_block(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.bfp: block_size[0] must be a positive extent or -1, got 0}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.bfp<8, 8, block = [0]>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @bfp_width_too_large(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.bfp: block_fp width must be in [1, 32], got 40}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.bfp<40, 8>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @bfp_bad_bool(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{option 'skip_first_dim' expects true or false}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.bfp<8, 8, skip_first_dim = maybe>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @mxint_missing_block(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{#mase.mxint needs a `block = B` option}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint<8>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @mxint_zero_block(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.mxint: mxint block_size must be >= 1, got 0}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint<8, block = 0>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @mxint_hardware_parallelism_rank(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.mxint_hardware: parallelism needs 2 entries [p1, p0], got 1}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint_hardware<8, 4, parallelism = [1]>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @mxint8_zero_block(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{invalid #mase.mxint8: mxint8 group_size must be >= 1, got 0}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint8<block = 0>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @bfp_rank4(%x: tensor<2x2x4x32xf32>) -> tensor<2x2x4x32xf32> {
  // expected-error @+1 {{'mase.quantize' op shape not supported by #mase.bfp<8, 8>: unsupported tensor rank for blocking: x.ndim = 4}}
  %0 = mase.quantize %x : tensor<2x2x4x32xf32> to #mase.bfp<8, 8>
  return %0 : tensor<2x2x4x32xf32>
}

// -----

func.func @mxint8_non_dividing(%x: tensor<4x30xf32>) -> tensor<4x30xf32> {
  // expected-error @+1 {{'mase.quantize' op #mase.mxint8<block = 32> needs a multiple of 32 elements, got 120}}
  %0 = mase.quantize %x : tensor<4x30xf32> to #mase.mxint8
  return %0 : tensor<4x30xf32>
}

// -----

func.func @mxint_non_dividing(%x: tensor<4x30xf32>) -> tensor<4x30xf32> {
  // expected-error @+1 {{'mase.quantize' op #mase.mxint<8, block = 32> needs a multiple of 32 elements, got 120}}
  %0 = mase.quantize %x : tensor<4x30xf32> to #mase.mxint<8, block = 32>
  return %0 : tensor<4x30xf32>
}

// -----

func.func @mxint_block_dim_out_of_range(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{block_dim 2 is out of range for rank 2}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint<8, block = 32, block_dim = 2>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @mxint_hardware_tile_non_dividing(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{the 3x16 tile does not divide the last two dims 4x32}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.mxint_hardware<8, 4, parallelism = [3, 16]>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @ternary_rank2(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{'mase.quantize' op #mase.ternary needs a 4-D tensor (as in MASE), got rank 2}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.ternary
  return %0 : tensor<4x32xf32>
}

// -----

func.func @binary_scaled_rank2(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // expected-error @+1 {{needs a 4-D tensor (as in MASE), got rank 2}}
  %0 = mase.quantize %x : tensor<4x32xf32> to #mase.binary<bipolar = false>
  return %0 : tensor<4x32xf32>
}

// -----

func.func @packed_format_without_storage(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{format #mase.bfp<8, 8> has no packed storage}}
  %0 = mase.pack %x : tensor<4x32xf32> -> !mase.packed<[4, 32], #mase.bfp<8, 8>>
  return
}

// -----

func.func @pack_shape_mismatch(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{'mase.pack' op tensor shape 'tensor<4x32xf32>' does not match the packed shape '!mase.packed<[4, 16], #mase.mxint8<block = 16>>'}}
  %0 = mase.pack %x : tensor<4x32xf32> -> !mase.packed<[4, 16], #mase.mxint8<block = 16>>
  return
}

// -----

func.func @packed_shape_not_dividing(%x: tensor<4x30xf32>) {
  // expected-error @+1 {{#mase.mxint8<block = 32> needs a multiple of 32 elements, got 120}}
  %0 = mase.pack %x : tensor<4x30xf32> -> !mase.packed<[4, 30], #mase.mxint8>
  return
}

// -----

// expected-error @+1 {{packed tensor dimensions must be static and positive, got 0}}
func.func @packed_zero_dim(%p: !mase.packed<[0, 32], #mase.mxint8>) {
  return
}

// -----

func.func @packed_constant_wrong_size() {
  // expected-error @+1 {{'mase.packed_constant' op value must be a tensor<4xi8> of storage bytes for '!mase.packed<[4], #mase.int<8, 2>>', got 'tensor<2xi8>'}}
  %0 = mase.packed_constant dense<[1, 2]> : tensor<2xi8> -> !mase.packed<[4], #mase.int<8, 2>>
  return
}

// -----

func.func @unpack_shape_mismatch(%p: !mase.packed<[4, 32], #mase.mxint8>) {
  // expected-error @+1 {{'mase.unpack' op tensor shape 'tensor<4x16xf32>' does not match the packed shape '!mase.packed<[4, 32], #mase.mxint8<block = 32>>'}}
  %0 = mase.unpack %p : !mase.packed<[4, 32], #mase.mxint8> -> tensor<4x16xf32>
  return
}
