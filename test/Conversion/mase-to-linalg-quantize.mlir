// RUN: mase-opt %s --split-input-file --verify-diagnostics --mase-lower-to-linalg | FileCheck %s

// Fixed point: one element-wise generic, x * 2^f rounded half-even, clamped
// (NaN passes through the selects) and divided back.
// CHECK-LABEL: func.func @int
// CHECK: linalg.generic
// CHECK: %[[S:.*]] = arith.mulf %{{.*}}, %[[SCALE:.*]] : f32
// CHECK: math.roundeven %[[S]]
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ogt
// CHECK: arith.divf %{{.*}}, %[[SCALE]]
// CHECK-NOT: mase.quantize
func.func @int(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %q = mase.quantize %x : tensor<2x8xf32> to #mase.int<8, 4>
  return %q : tensor<2x8xf32>
}

// -----

// Minifloat exponents come from the float's bits and a threshold table of
// torch's log2 rounding (no math.log2), then the +-1e-8 pass-through.
// CHECK-LABEL: func.func @minifloat
// CHECK: %[[T:.*]] = arith.constant dense<{{.*}}> : tensor<277xi32>
// CHECK: linalg.generic
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: tensor.extract %[[T]]
// CHECK-NOT: math.log2
// CHECK: arith.cmpf ole
func.func @minifloat(%x: tensor<16xf32>) -> tensor<16xf32> {
  %q = mase.quantize %x : tensor<16xf32> to #mase.minifloat_ieee<8, 4>
  return %q : tensor<16xf32>
}

// -----

// block_fp: pad to whole blocks, view as [G0, B0, G1, B1], max |x| per
// block, MASE's all-zero-block fallback, per-block scale, element codes,
// then back to the input's shape.
// CHECK-LABEL: func.func @bfp
// CHECK: tensor.pad %{{.*}} low[0, 0] high[0, 12]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] output_shape [3, 1, 2, 16]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: arith.minimumf
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<3x2xf32>, tensor<f32>, tensor<f32>)
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<3x1x2x16xf32>, tensor<3x2xf32>)
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<3x1x2x16xf32> into tensor<3x32xf32>
// CHECK: tensor.extract_slice %[[C]][0, 0] [3, 20] [1, 1] : tensor<3x32xf32> to tensor<3x20xf32>
func.func @bfp(%x: tensor<3x20xf32>) -> tensor<3x20xf32> {
  %q = mase.quantize %x : tensor<3x20xf32> to #mase.bfp<8, 8, bias = 127, block = [1, 16], skip_first_dim = false>
  return %q : tensor<3x20xf32>
}

// -----

// mxint8: groups of 32 consecutive elements; bf16 rounding, the E8M0 scale
// as an integer max over the exponent fields, then the element codes.
// CHECK-LABEL: func.func @mxint8
// CHECK: tensor.collapse_shape %{{.*}} : tensor<4x16xf32> into tensor<64xf32>
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 32]
// CHECK: arith.andi %{{.*}}, %c-65536_i32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maxsi
// CHECK: arith.cmpi eq, %{{.*}}, %c255_i32
func.func @mxint8(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %q = mase.quantize %x : tensor<4x16xf32> to #mase.mxint8<block = 32>
  return %q : tensor<4x16xf32>
}

// -----

// A constant folds instead of being lowered.
// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.*]] = arith.constant dense<[2.500000e-01, 1.587500e+01]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %c = arith.constant dense<[0.3, 100.0]> : tensor<2xf32>
  %q = mase.quantize %c : tensor<2xf32> to #mase.int<8, 3>
  return %q : tensor<2xf32>
}

// -----

func.func @no_lowering(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{mase-lower-to-linalg: no run-time lowering of #mase.log<4> yet (only constants fold)}}
  // expected-error @+1 {{failed to legalize operation 'mase.quantize'}}
  %q = mase.quantize %x : tensor<4xf32> to #mase.log<4>
  return %q : tensor<4xf32>
}
