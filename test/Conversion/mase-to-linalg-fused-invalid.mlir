// RUN: mase-opt %s --mase-lower-to-linalg --verify-diagnostics

// The CPU attention kernel is f32; an f16 mase.sdpa (which only a GPU
// pipeline fuses) is an error on the CPU, not a silent conversion.
func.func private @mase_sdpa(i64, i64, i64, i64, i64, i64, i32, i64, i64, i64, i64, i64, i64, i64, i64, f32, i32, i64)
func.func @sdpa_f16(%q: tensor<1x2x8x4xf16>, %kt: tensor<1x2x4x8xf16>, %v: tensor<1x2x8x4xf16>) -> tensor<1x2x8x4xf16> {
  // expected-error @+2 {{has no CPU kernel in 'f16' (the CPU attention kernel takes f32)}}
  // expected-error @+1 {{failed to legalize operation 'mase.sdpa'}}
  %o = mase.sdpa %q, %kt, %v {scale = 0.125 : f32} : (tensor<1x2x8x4xf16>, tensor<1x2x4x8xf16>, tensor<1x2x8x4xf16>) -> tensor<1x2x8x4xf16>
  return %o : tensor<1x2x8x4xf16>
}
