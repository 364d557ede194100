// RUN: mase-opt %s --split-input-file --mase-fuse-gelu | FileCheck %s
// RUN: mase-opt %s --split-input-file --mase-fuse-gelu=element-types=f16,bf16 | FileCheck %s --check-prefix=HALF
// RUN: not mase-opt %s --split-input-file --mase-fuse-gelu=element-types=i8 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: mase-fuse-gelu: element-types: 'i8' is not a float type (f32, f16, bf16)

// Hugging Face's gelu as PyTorch's exporter writes it (BERT's intermediate
// act), in f16: x * (1 + erf(x / 1.4140625)) * 0.5 is one mase.gelu.
// CHECK-LABEL: func.func @hugging_face
// HALF-LABEL: func.func @hugging_face
// HALF: mase.gelu
// CHECK-NEXT: %[[G:.*]] = mase.gelu %arg0 : tensor<2x8xf16>
// CHECK-NEXT: return %[[G]]
func.func @hugging_face(%x: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %sqrt2 = arith.constant dense<1.414060e+00> : tensor<f16>
  %one = arith.constant dense<1.000000e+00> : tensor<f16>
  %half = arith.constant dense<5.000000e-01> : tensor<f16>
  %0 = mase.div %x, %sqrt2 : (tensor<2x8xf16>, tensor<f16>) -> tensor<2x8xf16>
  %1 = mase.erf %0 : tensor<2x8xf16>
  %2 = mase.add %1, %one : (tensor<2x8xf16>, tensor<f16>) -> tensor<2x8xf16>
  %3 = mase.mul %x, %2 : (tensor<2x8xf16>, tensor<2x8xf16>) -> tensor<2x8xf16>
  %4 = mase.mul %3, %half : (tensor<2x8xf16>, tensor<f16>) -> tensor<2x8xf16>
  return %4 : tensor<2x8xf16>
}

// -----

// torch's own association, (x * 0.5) * (1 + erf(x * (1 / sqrt 2))), with
// the constants first where ops commute, in f32 (which element-types=f16,bf16
// leaves).
// CHECK-LABEL: func.func @torch
// HALF-LABEL: func.func @torch
// HALF-NOT: mase.gelu
// HALF: mase.erf
// CHECK-NEXT: %[[G:.*]] = mase.gelu %arg0 : tensor<4xf32>
// CHECK-NEXT: return %[[G]]
func.func @torch(%x: tensor<4xf32>) -> tensor<4xf32> {
  %rsqrt2 = arith.constant dense<0.707106769> : tensor<f32>
  %one = arith.constant dense<1.000000e+00> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = mase.mul %half, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = mase.mul %rsqrt2, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = mase.erf %1 : tensor<4xf32>
  %3 = mase.add %one, %2 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = mase.mul %0, %3 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// f64 constants match too.
// CHECK-LABEL: func.func @double
// CHECK-NEXT: mase.gelu %arg0 : tensor<4xf64>
func.func @double(%x: tensor<4xf64>) -> tensor<4xf64> {
  %sqrt2 = arith.constant dense<1.4142135623730951> : tensor<f64>
  %one = arith.constant dense<1.000000e+00> : tensor<f64>
  %half = arith.constant dense<5.000000e-01> : tensor<f64>
  %0 = mase.div %x, %sqrt2 : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %1 = mase.erf %0 : tensor<4xf64>
  %2 = mase.add %1, %one : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %3 = mase.mul %x, %2 : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %4 = mase.mul %3, %half : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  return %4 : tensor<4xf64>
}

// -----

// Not GELU: another constant than sqrt(2) (here sqrt(3)), the erf of
// another tensor than the one multiplied, an intermediate with another
// user, a constant divided by x. Nothing fuses.
// CHECK-LABEL: func.func @not_gelu
// CHECK-NOT: mase.gelu
// CHECK-COUNT-4: mase.erf
// CHECK-NOT: mase.gelu
func.func @not_gelu(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %sqrt3 = arith.constant dense<1.73205078> : tensor<f32>
  %one = arith.constant dense<1.000000e+00> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %a0 = mase.div %x, %sqrt3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %a1 = mase.erf %a0 : tensor<4xf32>
  %a2 = mase.add %a1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %a3 = mase.mul %x, %a2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %a4 = mase.mul %a3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %b0 = mase.div %y, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %b1 = mase.erf %b0 : tensor<4xf32>
  %b2 = mase.add %b1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %b3 = mase.mul %x, %b2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b4 = mase.mul %b3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c0 = mase.div %x, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c1 = mase.erf %c0 : tensor<4xf32>
  %c2 = mase.add %c1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c3 = mase.mul %x, %c2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c4 = mase.mul %c3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %d0 = mase.div %sqrt2, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %d1 = mase.erf %d0 : tensor<4xf32>
  %d2 = mase.add %d1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %d3 = mase.mul %x, %d2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d4 = mase.mul %d3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %a4, %b4, %c4, %c3, %d4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
