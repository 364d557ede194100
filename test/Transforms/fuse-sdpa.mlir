// mase-fuse-sdpa on the attention idioms exporters write, and on near
// misses that must not fuse; every site is in the report.

// RUN: mase-opt %s --split-input-file --mase-fuse-sdpa | FileCheck %s
// RUN: mase-opt %s --mase-fuse-sdpa="report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT

// TorchScript-style BERT: Q K^T, times a constant, plus a mask broadcast
// over heads and queries, softmax on the last axis, times V.
// CHECK-LABEL: func.func @torchscript
// CHECK: %[[O:.*]] = mase.sdpa %arg0, %arg1, %arg2, %arg3 {mase.layer = "enc.0.attention.self", scale = 1.250000e-01 : f32} : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32>
// CHECK-NOT: mase.softmax
// CHECK-NOT: mase.matmul
// CHECK: return %[[O]]
func.func @torchscript(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x2x4x8xf32>, %v: tensor<1x2x8x4xf32>, %mask: tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32> {
  %c = arith.constant dense<0.125> : tensor<f32>
  %s = mase.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %t = mase.mul %s, %c : (tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %m = mase.add %t, %mask : (tensor<1x2x8x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x8xf32>
  %p = mase.softmax %m {axis = 3 : i64, mase.layer = "enc.0.attention.self"} : tensor<1x2x8x8xf32>
  %o = mase.matmul %p, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

// -----

// The head split of Q and V and the head merge of the output are absorbed:
// the fused op reads and writes [B, S, H, D]; K^T keeps its transpose.
// CHECK-LABEL: func.func @heads
// CHECK: %[[KT:.*]] = mase.transpose %arg1
// CHECK-NEXT: %[[O:.*]] = mase.sdpa %arg0, %[[KT]], %arg2 {mase.layer = "heads", scale = 1.250000e-01 : f32, sequence_major} : (tensor<1x8x2x4xf32>, tensor<1x2x4x8xf32>, tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf32>
// CHECK-NEXT: return %[[O]]
func.func @heads(%q: tensor<1x8x2x4xf32>, %k: tensor<1x8x2x4xf32>, %v: tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf32> {
  %c = arith.constant dense<0.125> : tensor<f32>
  %qh = mase.transpose %q {permutation = array<i64: 0, 2, 1, 3>} : tensor<1x8x2x4xf32> -> tensor<1x2x8x4xf32>
  %kt = mase.transpose %k {permutation = array<i64: 0, 2, 3, 1>} : tensor<1x8x2x4xf32> -> tensor<1x2x4x8xf32>
  %vh = mase.transpose %v {permutation = array<i64: 0, 2, 1, 3>} : tensor<1x8x2x4xf32> -> tensor<1x2x8x4xf32>
  %s = mase.matmul %qh, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %t = mase.mul %s, %c : (tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %p = mase.softmax %t {axis = 3 : i64, mase.layer = "heads"} : tensor<1x2x8x8xf32>
  %o = mase.matmul %p, %vh : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  %m = mase.transpose %o {permutation = array<i64: 0, 2, 1, 3>} : tensor<1x2x8x4xf32> -> tensor<1x8x2x4xf32>
  return %m : tensor<1x8x2x4xf32>
}

// -----

// Divided by sqrt(d) (the HF eager idiom), mask first in the add, and the
// softmax axis given as -1.
// CHECK-LABEL: func.func @divided
// CHECK: mase.sdpa %arg0, %arg1, %arg2, %arg3 {mase.layer = "div", scale = 5.000000e-01 : f32}
func.func @divided(%q: tensor<2x1x5x4xf32>, %kt: tensor<2x1x4x5xf32>, %v: tensor<2x1x5x3xf32>, %mask: tensor<2x1x5x5xf32>) -> tensor<2x1x5x3xf32> {
  %c = arith.constant dense<2.0> : tensor<1xf32>
  %s = mase.matmul %q, %kt : (tensor<2x1x5x4xf32>, tensor<2x1x4x5xf32>) -> tensor<2x1x5x5xf32>
  %t = mase.div %s, %c : (tensor<2x1x5x5xf32>, tensor<1xf32>) -> tensor<2x1x5x5xf32>
  %m = mase.add %mask, %t : (tensor<2x1x5x5xf32>, tensor<2x1x5x5xf32>) -> tensor<2x1x5x5xf32>
  %p = mase.softmax %m {axis = -1 : i64, mase.layer = "div"} : tensor<2x1x5x5xf32>
  %o = mase.matmul %p, %v : (tensor<2x1x5x5xf32>, tensor<2x1x5x3xf32>) -> tensor<2x1x5x3xf32>
  return %o : tensor<2x1x5x3xf32>
}

// -----

// The query scaled before the product, no mask.
// CHECK-LABEL: func.func @prescaled
// CHECK: mase.sdpa %arg0, %arg1, %arg2 {mase.layer = "pre", scale = 2.500000e-01 : f32}
func.func @prescaled(%q: tensor<1x1x3x4xf32>, %kt: tensor<1x1x4x6xf32>, %v: tensor<1x1x6x4xf32>) -> tensor<1x1x3x4xf32> {
  %c = arith.constant dense<0.25> : tensor<f32>
  %qs = mase.mul %q, %c : (tensor<1x1x3x4xf32>, tensor<f32>) -> tensor<1x1x3x4xf32>
  %s = mase.matmul %qs, %kt : (tensor<1x1x3x4xf32>, tensor<1x1x4x6xf32>) -> tensor<1x1x3x6xf32>
  %p = mase.softmax %s {axis = 3 : i64, mase.layer = "pre"} : tensor<1x1x3x6xf32>
  %o = mase.matmul %p, %v : (tensor<1x1x3x6xf32>, tensor<1x1x6x4xf32>) -> tensor<1x1x3x4xf32>
  return %o : tensor<1x1x3x4xf32>
}

// -----

// PyTorch SDPA-style: Q and K^T each scaled by sqrt(scale) before the
// product, and the NaN guard after the softmax (fully masked rows give 0).
// CHECK-LABEL: func.func @sdpa_style
// CHECK: mase.sdpa %arg0, %arg1, %arg2, %arg3 {mase.layer = "sdpa", scale = 2.500000e-01 : f32, zero_nan_rows}
// CHECK-NOT: mase.where
func.func @sdpa_style(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x2x4x8xf32>, %v: tensor<1x2x8x4xf32>, %mask: tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32> {
  %c = arith.constant dense<0.5> : tensor<1xf32>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  %qs = mase.mul %q, %c : (tensor<1x2x8x4xf32>, tensor<1xf32>) -> tensor<1x2x8x4xf32>
  %ks = mase.mul %kt, %c : (tensor<1x2x4x8xf32>, tensor<1xf32>) -> tensor<1x2x4x8xf32>
  %s = mase.matmul %qs, %ks : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %m = mase.add %s, %mask : (tensor<1x2x8x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x8xf32>
  %p = mase.softmax %m {axis = 3 : i64, mase.layer = "sdpa"} : tensor<1x2x8x8xf32>
  %e = mase.equal %p, %p : (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xi1>
  %n = mase.not %e : tensor<1x2x8x8xi1>
  %g = mase.where %n, %zero, %p : (tensor<1x2x8x8xi1>, tensor<1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %o = mase.matmul %g, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

// -----

// Near misses: the softmax over queries, a mask that enlarges the scores,
// scores that are also returned, a scale that is not a constant.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: mase.sdpa
// CHECK: return
func.func @near_misses(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x2x4x8xf32>, %v: tensor<1x2x8x4xf32>, %big: tensor<3x2x8x8xf32>, %x: tensor<f32>) -> (tensor<1x2x8x4xf32>, tensor<3x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) {
  %s0 = mase.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %p0 = mase.softmax %s0 {axis = 2 : i64, mase.layer = "axis"} : tensor<1x2x8x8xf32>
  %o0 = mase.matmul %p0, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>

  %s1 = mase.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %m1 = mase.add %s1, %big : (tensor<1x2x8x8xf32>, tensor<3x2x8x8xf32>) -> tensor<3x2x8x8xf32>
  %p1 = mase.softmax %m1 {axis = 3 : i64, mase.layer = "broadcast"} : tensor<3x2x8x8xf32>
  %o1 = mase.matmul %p1, %v : (tensor<3x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<3x2x8x4xf32>

  %s2 = mase.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %p2 = mase.softmax %s2 {axis = 3 : i64, mase.layer = "shared"} : tensor<1x2x8x8xf32>
  %o2 = mase.matmul %p2, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>

  %s3 = mase.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %t3 = mase.mul %s3, %x : (tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %p3 = mase.softmax %t3 {axis = 3 : i64, mase.layer = "scale"} : tensor<1x2x8x8xf32>
  %o3 = mase.matmul %p3, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o0, %o1, %o2, %s2, %o3 : tensor<1x2x8x4xf32>, tensor<3x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>
}

// -----

// Keys shared by every head (a broadcasting matmul): not fused.
// CHECK-LABEL: func.func @batched
// CHECK-NOT: mase.sdpa
func.func @batched(%q: tensor<1x2x8x4xf32>, %kt: tensor<1x1x4x8xf32>, %v: tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32> {
  %s = mase.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x8x8xf32>
  %p = mase.softmax %s {axis = 3 : i64, mase.layer = "batched"} : tensor<1x2x8x8xf32>
  %o = mase.matmul %p, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

// REPORT: enc.0.attention.self sdpa fused scale=0.125 scores=1x2x8x8 mask=1x1x1x8
// REPORT: heads sdpa fused scale=0.125 scores=1x2x8x8 mask=none heads=absorbed
// REPORT: div sdpa fused scale=0.5 scores=2x1x5x5 mask=2x1x5x5
// REPORT: pre sdpa fused scale=0.25 scores=1x1x3x6 mask=none
// REPORT: sdpa sdpa fused scale=0.25 scores=1x2x8x8 mask=1x1x1x8 nan-rows=zero
// REPORT: axis sdpa not fused: step 1 (softmax): the axis is 2, not the last (keys)
// REPORT: broadcast sdpa not fused: step 3 (mask): adding the mask enlarges the scores (its broadcast adds dimensions)
// REPORT: shared sdpa not fused: step 5 (Q K^T): the raw scores have other uses
// REPORT: scale sdpa not fused: step 4 (scale): the scores are multiplied by something other than a scalar constant
// REPORT: batched sdpa not fused: step 5 (Q K^T): Q, K^T and V do not share batch and heads (the matmuls broadcast them)
// REPORT: fusion: 5 of 10 attention sites fused
