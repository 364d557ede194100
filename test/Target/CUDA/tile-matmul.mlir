// RUN: mase-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tile-matmul,canonicalize,cse,loop-invariant-subset-hoisting,canonicalize))' | FileCheck %s
// RUN: mase-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tile-matmul{tensor-cores=1}))' | FileCheck %s --check-prefix=TC

// Each 4x4 output tile is one forall iteration (one thread); the reduction
// is a loop of outer products whose accumulator stays a vector through it:
// read once before the loop, written once after.
// CHECK-LABEL: func.func @matmul
// CHECK:         scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (8, 12) step (4, 4)
// CHECK:           %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x4xf32>, vector<4x4xf32>
// CHECK:           %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A:.*]] = %[[ACC]]) -> (vector<4x4xf32>)
// CHECK:             vector.transfer_read {{.*}} : tensor<4x1xf32>, vector<4x1xf32>
// CHECK:             vector.transfer_read {{.*}} : tensor<1x4xf32>, vector<1x4xf32>
// CHECK:             %[[NEXT:.*]] = vector.contract {{.*}} %[[A]] : vector<4x1xf32>, vector<1x4xf32> into vector<4x4xf32>
// CHECK:             scf.yield %[[NEXT]]
// CHECK:           vector.transfer_write %[[SUM]]
// CHECK:           tensor.parallel_insert_slice
func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<16x12xf32>, %c: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x12xf32>) outs(%c : tensor<8x12xf32>) -> tensor<8x12xf32>
  return %r : tensor<8x12xf32>
}

// -----

// Batches are tiled one at a time; a dimension with no divisor from 2 to 4
// gets tiles of one (5 rows), a dimension of at most 4 is not tiled (2
// columns). Half-precision
// operands accumulate into the f32 tile.
// CHECK-LABEL: func.func @batch_matmul
// CHECK:         scf.forall (%{{.*}}, %{{.*}}) in (3, 5)
// CHECK:           scf.for {{.*}} -> (vector<1x1x2xf32>)
// CHECK:             vector.contract {{.*}} : vector<1x1x1xf16>, vector<1x1x2xf16> into vector<1x1x2xf32>
func.func @batch_matmul(%a: tensor<3x5x7xf16>, %b: tensor<3x7x2xf16>, %c: tensor<3x5x2xf32>) -> tensor<3x5x2xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x5x7xf16>, tensor<3x7x2xf16>) outs(%c : tensor<3x5x2xf32>) -> tensor<3x5x2xf32>
  return %r : tensor<3x5x2xf32>
}

// -----

// With tensor-cores, f16 matmuls of sizes in multiples of 16 are left for
// mase-cuda-tensor-core-matmul; the others are tiled as before (see
// @batch_matmul).
// TC-LABEL: func.func @batch_matmul
// TC:         scf.forall
// TC-LABEL: func.func @tensor_core_matmul
// TC-NOT:     scf.forall
// TC:         linalg.matmul
// CHECK-LABEL: func.func @tensor_core_matmul
// CHECK:         scf.forall
func.func @tensor_core_matmul(%a: tensor<32x16xf16>, %b: tensor<16x48xf16>, %c: tensor<32x48xf32>) -> tensor<32x48xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<32x16xf16>, tensor<16x48xf16>) outs(%c : tensor<32x48xf32>) -> tensor<32x48xf32>
  return %r : tensor<32x48xf32>
}

// -----

// One row by 768x768 (BERT's pooler at batch 1): 192 thread tiles, each of
// 768 steps, would leave the GPU idle; the matmul stays a reduction over K
// (its generic form) for mase-cuda-warp-reductions, one warp an output.
// CHECK-LABEL: func.func @pooler
// CHECK-NOT:     scf.forall
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%arg0, %arg1 : tensor<1x768xf16>, tensor<768x768xf16>) outs(%arg2 : tensor<1x768xf32>)
// CHECK:           arith.extf
// CHECK:           arith.extf
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @pooler(%a: tensor<1x768xf16>, %b: tensor<768x768xf16>, %c: tensor<1x768xf32>) -> tensor<1x768xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1x768xf16>, tensor<768x768xf16>) outs(%c : tensor<1x768xf32>) -> tensor<1x768xf32>
  return %r : tensor<1x768xf32>
}

// -----

// A generic contraction (native quantisation's dequantising GEMM: rows by
// i8 weights in blocks, with one exponent byte per block) is tiled like a
// matmul: a 4x4 tile a thread, a loop per reduction (blocks, then elements
// of a block), the accumulator a vector through both.
// CHECK-LABEL: func.func @dequantizing_gemm
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (8, 12) step (4, 4)
// CHECK:           %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x4xf32>, vector<4x4xf32>
// CHECK:           scf.for {{.*}} iter_args(%[[A:.*]] = %[[ACC]]) -> (vector<4x4xf32>)
// CHECK:             scf.for {{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (vector<4x4xf32>)
// CHECK:               arith.sitofp {{.*}} : vector<4x4x1x1xi8> to vector<4x4x1x1xf32>
// CHECK:               arith.addf %[[B]], %{{.*}} : vector<4x4xf32>
// CHECK:           vector.transfer_write
#x = affine_map<(r, o, kb, ki) -> (r, kb, ki)>
#w = affine_map<(r, o, kb, ki) -> (o, kb, ki)>
#e = affine_map<(r, o, kb, ki) -> (o, kb)>
#y = affine_map<(r, o, kb, ki) -> (r, o)>
func.func @dequantizing_gemm(%x: tensor<8x2x32xf32>, %w: tensor<12x2x32xi8>, %e: tensor<12x2xf32>, %c: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %r = linalg.generic {indexing_maps = [#x, #w, #e, #y],
                       iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w, %e : tensor<8x2x32xf32>, tensor<12x2x32xi8>, tensor<12x2xf32>) outs(%c : tensor<8x12xf32>) {
  ^bb0(%xv: f32, %m: i8, %s: f32, %acc: f32):
    %mf = arith.sitofp %m : i8 to f32
    %wv = arith.mulf %mf, %s : f32
    %p = arith.mulf %xv, %wv : f32
    %sum = arith.addf %acc, %p : f32
    linalg.yield %sum : f32
  } -> tensor<8x12xf32>
  return %r : tensor<8x12xf32>
}

// -----

// A row reduction (layer norm's sum over 128 features of [4, 16] rows)
// has the loops of a contraction but one input spanning every parallel
// loop: it is no matmul and is left as it is, for
// mase-cuda-warp-reductions (a 4x4 tile a thread would give a handful of
// threads all the work).
// CHECK-LABEL: func.func @row_sum
// CHECK-NOT:     scf.forall
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
#in = affine_map<(b, s, h) -> (b, s, h)>
#out = affine_map<(b, s, h) -> (b, s)>
func.func @row_sum(%x: tensor<4x16x128xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.generic {indexing_maps = [#in, #out],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : tensor<4x16x128xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %sum = arith.addf %acc, %v : f32
    linalg.yield %sum : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
