// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{min-blocks=1 unroll=1 shared-memory=0},canonicalize,cse))' | FileCheck %s
// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{unroll=1 shared-memory=0},canonicalize,cse))' | FileCheck %s --check-prefix=SMALL
// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{fragments=1 unroll=1 shared-memory=0}))' | FileCheck %s --check-prefix=ONE
// RUN: not mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{fragments=0}))' 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: mase-cuda-tensor-core-matmul: fragments must be at least 1, got 0
// RUN: not mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{unroll=0}))' 2>&1 | FileCheck %s --check-prefix=UNROLL0
// UNROLL0: mase-cuda-tensor-core-matmul: unroll must be at least 1, got 0
// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{min-blocks=1 shared-memory=0},canonicalize,cse))' | FileCheck %s --check-prefix=UNROLL
// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-tensor-core-matmul{min-blocks=1},canonicalize,cse))' | FileCheck %s --check-prefix=STAGED

// 64x32 by 32x96: each warp owns 2x2 fragments (32x32 outputs). The 4x6
// fragment grid gives 2 warps down (even) and 1 across (3 warp columns,
// odd): 3x1 blocks of 32x1x2 threads. The accumulators start from the
// output, take K in two steps of 16 and are stored back.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         gpu.launch blocks(%[[BX:.*]], %[[BY:.*]], %{{.*}}) in (%{{.*}} = %[[C3]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%{{.*}}, %[[TY:.*]], %[[TZ:.*]]) in (%{{.*}} = %[[C32]], %{{.*}} = %[[C1]], %{{.*}} = %[[C2]])
// CHECK-COUNT-4: gpu.subgroup_mma_load_matrix %arg2[{{.*}}] {leadDimension = 96 : index} : memref<64x96xf32> -> !gpu.mma_matrix<16x16xf32, "COp">
// CHECK:         %[[SUMS:.*]]:4 = scf.for %[[K:.*]] = %{{.*}} to %[[C32]] step %{{.*}} iter_args(
// CHECK-COUNT-2:   gpu.subgroup_mma_load_matrix %arg0[%{{.*}}, %[[K]]] {leadDimension = 32 : index} : memref<64x32xf16> -> !gpu.mma_matrix<16x16xf16, "AOp">
// CHECK-COUNT-2:   gpu.subgroup_mma_load_matrix %arg1[%[[K]], %{{.*}}] {leadDimension = 96 : index} : memref<32x96xf16> -> !gpu.mma_matrix<16x16xf16, "BOp">
// CHECK-COUNT-4:   gpu.subgroup_mma_compute {{.*}} : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf32, "COp">
// CHECK:           scf.yield
// CHECK:         gpu.subgroup_mma_store_matrix %[[SUMS]]#0, %arg2
// CHECK:         gpu.subgroup_mma_store_matrix %[[SUMS]]#1, %arg2
// CHECK:         gpu.subgroup_mma_store_matrix %[[SUMS]]#2, %arg2
// CHECK:         gpu.subgroup_mma_store_matrix %[[SUMS]]#3, %arg2
// CHECK:         gpu.terminator
// CHECK-NOT:     linalg.matmul
// A warp computes at most `fragments` x `fragments` fragments.
// ONE-LABEL: func.func @matmul
// ONE:       scf.for
// ONE-COUNT-1: gpu.subgroup_mma_compute
// ONE-NOT:   gpu.subgroup_mma_compute
// ONE:       scf.yield
// With shared-memory (the default), the block's 64 lhs rows and 32 rhs
// columns for the next 32 elements of K are copied into shared memory
// (rows padded to 40) by the block's 64 threads, 8 elements each, between
// two barriers; the warps load their fragments from there.
// STAGED-LABEL: func.func @matmul
// STAGED:         gpu.launch {{.*}} workgroup(%[[LHS:.*]] : memref<64x40xf16, #gpu.address_space<workgroup>>, %[[RHS:.*]] : memref<32x40xf16, #gpu.address_space<workgroup>>)
// STAGED:           gpu.barrier
// STAGED-COUNT-4:   vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<64x32xf16>, vector<8xf16>
// STAGED-COUNT-2:   vector.load %arg1[{{.*}}] {alignment = 16 : i64} : memref<32x96xf16>, vector<8xf16>
// STAGED:           gpu.barrier
// STAGED:           gpu.subgroup_mma_load_matrix %[[LHS]][{{.*}}] {leadDimension = 40 : index} : memref<64x40xf16, #gpu.address_space<workgroup>> -> !gpu.mma_matrix<16x16xf16, "AOp">
// STAGED:           gpu.subgroup_mma_load_matrix %[[RHS]][{{.*}}] {leadDimension = 40 : index} : memref<32x40xf16, #gpu.address_space<workgroup>> -> !gpu.mma_matrix<16x16xf16, "BOp">
// STAGED-COUNT-4:   gpu.subgroup_mma_compute
func.func @matmul(%a: memref<64x32xf16>, %b: memref<32x96xf16>, %c: memref<64x96xf32>) {
  linalg.matmul ins(%a, %b : memref<64x32xf16>, memref<32x96xf16>) outs(%c : memref<64x96xf32>)
  return
}

// -----

// Batches are blocks along z, indexed by the block id. 48x16 outputs are
// three fragments in a column; 3 has no divisor from 2 to `fragments`, so
// each warp takes one, a block of one warp each: 1x3x4 blocks.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         gpu.launch blocks(%{{.*}}, %{{.*}}, %[[BZ:.*]]) in (%{{.*}} = %[[C1]], %{{.*}} = %[[C3]], %{{.*}} = %[[C4]]) threads
// CHECK:         gpu.subgroup_mma_load_matrix %arg2[%[[BZ]], {{.*}}] {leadDimension = 16 : index} : memref<4x48x16xf32, strided<[768, 16, 1], offset: 32>>
// CHECK:         scf.for
// CHECK:           gpu.subgroup_mma_load_matrix %arg0[%[[BZ]], {{.*}}] {leadDimension = 64 : index}
// CHECK:           gpu.subgroup_mma_load_matrix %arg1[%[[BZ]], {{.*}}] {leadDimension = 16 : index}
// CHECK:           gpu.subgroup_mma_compute
// CHECK-NOT:       gpu.subgroup_mma_compute
// CHECK:           scf.yield
// CHECK-NOT:     linalg.batch_matmul
// Unrolled twice (the default), the batch matmul's loop over K = 64 takes
// two steps of 16 an iteration.
// UNROLL-LABEL: func.func @batch_matmul
// UNROLL-DAG:     %[[C32:.*]] = arith.constant 32 : index
// UNROLL:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32]]
// UNROLL-COUNT-2:   gpu.subgroup_mma_compute
// UNROLL-NOT:       gpu.subgroup_mma_compute
// UNROLL:           scf.yield
func.func @batch_matmul(%a: memref<4x48x64xf16>, %b: memref<4x64x16xf16>, %c: memref<4x48x16xf32, strided<[768, 16, 1], offset: 32>>) {
  linalg.batch_matmul ins(%a, %b : memref<4x48x64xf16>, memref<4x64x16xf16>) outs(%c : memref<4x48x16xf32, strided<[768, 16, 1], offset: 32>>)
  return
}

// -----

// Left for the loop lowering: f32 operands (tensor cores would round them
// to tf32), a K of 24, a transposed operand (user-defined maps), a row stride
// that misaligns fragments, a dynamic offset, tensors, and 4M rows (65536
// blocks of 64 rows: past CUDA's 65535 along y).
// CHECK-LABEL: func.func @not_taken
// CHECK-NOT:     gpu.launch
// CHECK-COUNT-7: linalg.matmul
func.func @not_taken(%a: memref<32x32xf32>, %b: memref<32x32xf32>, %c: memref<32x32xf32>,
                     %a24: memref<32x24xf16>, %b24: memref<24x32xf16>, %c16: memref<32x32xf32>,
                     %h: memref<32x32xf16>,
                     %odd: memref<32x32xf16, strided<[40, 1]>>,
                     %dyn: memref<32x32xf16, strided<[32, 1], offset: ?>>,
                     %ta: tensor<32x32xf16>, %tc: tensor<32x32xf32>,
                     %tall: memref<4194304x16xf16>, %tallc: memref<4194304x16xf32>, %b16: memref<16x16xf16>) -> tensor<32x32xf32> {
  linalg.matmul ins(%tall, %b16 : memref<4194304x16xf16>, memref<16x16xf16>) outs(%tallc : memref<4194304x16xf32>)
  linalg.matmul ins(%a, %b : memref<32x32xf32>, memref<32x32xf32>) outs(%c : memref<32x32xf32>)
  linalg.matmul ins(%a24, %b24 : memref<32x24xf16>, memref<24x32xf16>) outs(%c16 : memref<32x32xf32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%h, %h : memref<32x32xf16>, memref<32x32xf16>) outs(%c16 : memref<32x32xf32>)
  linalg.matmul ins(%odd, %h : memref<32x32xf16, strided<[40, 1]>>, memref<32x32xf16>) outs(%c16 : memref<32x32xf32>)
  linalg.matmul ins(%dyn, %h : memref<32x32xf16, strided<[32, 1], offset: ?>>, memref<32x32xf16>) outs(%c16 : memref<32x32xf32>)
  %r = linalg.matmul ins(%ta, %ta : tensor<32x32xf16>, tensor<32x32xf16>) outs(%tc : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}


// -----

// With the default min-blocks (512), a small output takes one fragment a
// warp: 128x256 in 2x2 fragments would be 4x2 blocks; in one fragment it is
// 8x4 blocks of 2x2 warps (still under 512, but the most there can be, and
// K = 64 is too short to split).
// SMALL-LABEL: func.func @small_output
// SMALL-DAG:     %[[C4:.*]] = arith.constant 4 : index
// SMALL-DAG:     %[[C8:.*]] = arith.constant 8 : index
// SMALL:         gpu.launch blocks({{.*}}) in (%{{.*}} = %[[C8]], %{{.*}} = %[[C4]], %{{.*}} = %{{.*}})
// SMALL:           scf.for
// SMALL-COUNT-1:     gpu.subgroup_mma_compute
// SMALL-NOT:         gpu.subgroup_mma_compute
// SMALL:             scf.yield
func.func @small_output(%a: memref<128x64xf16>, %b: memref<64x256xf16>, %c: memref<128x256xf32>) {
  linalg.matmul ins(%a, %b : memref<128x64xf16>, memref<64x256xf16>) outs(%c : memref<128x256xf32>)
  return
}

// -----

// A small output with a long K: 32 blocks of one fragment a warp are
// still few, so K (32 steps of 16) is split in 4 (at least 8 steps a split,
// 128 blocks). Each split starts from zero and stores its sums into its
// slice of a partial buffer; a reduction over the splits then adds them
// into the output (which a matmul adds to).
// SMALL-LABEL: func.func @split_k
// SMALL-DAG:     %[[C4:.*]] = arith.constant 4 : index
// SMALL-DAG:     %[[C8:.*]] = arith.constant 8 : index
// SMALL-DAG:     %[[C128:.*]] = arith.constant 128 : index
// SMALL:         %[[PARTIAL:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x128x256xf32>
// SMALL:         gpu.launch blocks({{.*}}, {{.*}}, %[[BZ:.*]]) in (%{{.*}} = %[[C8]], %{{.*}} = %[[C4]], %{{.*}} = %[[C4]])
// SMALL:           %[[SPLIT:.*]] = arith.remui %[[BZ]], %[[C4]]
// SMALL:           %[[INIT:.*]] = gpu.subgroup_mma_constant_matrix %{{.*}} : !gpu.mma_matrix<16x16xf32, "COp">
// SMALL:           %[[BEGIN:.*]] = arith.muli %[[SPLIT]], %[[C128]]
// SMALL:           %[[END:.*]] = arith.addi %[[BEGIN]], %[[C128]]
// SMALL:           %[[SUM:.*]] = scf.for %{{.*}} = %[[BEGIN]] to %[[END]] step %{{.*}} iter_args(%{{.*}} = %[[INIT]])
// SMALL:           gpu.subgroup_mma_store_matrix %[[SUM]], %[[PARTIAL]][%[[SPLIT]], {{.*}}] {leadDimension = 256 : index}
// SMALL:         linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PARTIAL]] : memref<4x128x256xf32>) outs(%arg2 : memref<128x256xf32>)
// SMALL:           arith.addf
// SMALL:         memref.dealloc %[[PARTIAL]]
func.func @split_k(%a: memref<128x512xf16>, %b: memref<512x256xf16>, %c: memref<128x256xf32>) {
  linalg.matmul ins(%a, %b : memref<128x512xf16>, memref<512x256xf16>) outs(%c : memref<128x256xf32>)
  return
}

// -----

// Splits of a batch matmul: blocks along z are (batch, split) pairs, the
// partial buffer has the splits outermost, and the reduction over splits
// keeps the batch.
// SMALL-LABEL: func.func @split_k_batched
// SMALL-DAG:     %[[C4:.*]] = arith.constant 4 : index
// SMALL-DAG:     %[[C8:.*]] = arith.constant 8 : index
// SMALL:         %[[PARTIAL:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x2x128x256xf32>
// SMALL:         gpu.launch blocks({{.*}}, {{.*}}, %[[BZ:.*]]) in (%{{.*}} = %[[C8]], %{{.*}} = %[[C4]], %{{.*}} = %[[C8]])
// SMALL-DAG:       %[[BATCH:.*]] = arith.divui %[[BZ]], %[[C4]]
// SMALL-DAG:       %[[SPLIT:.*]] = arith.remui %[[BZ]], %[[C4]]
// SMALL:           gpu.subgroup_mma_load_matrix %arg0[%[[BATCH]], {{.*}}] {leadDimension = 512 : index}
// SMALL:           gpu.subgroup_mma_store_matrix %{{.*}}, %[[PARTIAL]][%[[SPLIT]], %[[BATCH]], {{.*}}] {leadDimension = 256 : index}
// SMALL:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[PARTIAL]] : memref<4x2x128x256xf32>) outs(%arg2 : memref<2x128x256xf32>)
func.func @split_k_batched(%a: memref<2x128x512xf16>, %b: memref<2x512x256xf16>, %c: memref<2x128x256xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x128x512xf16>, memref<2x512x256xf16>) outs(%c : memref<2x128x256xf32>)
  return
}

// -----

// The output was just copied from another buffer (bufferization's copy of a
// broadcast bias that several matmuls share): the accumulators load from
// that buffer and the copy, a kernel of its own, is gone. With splits of K
// the copy stays (the splits are added into the output).
// SMALL-LABEL: func.func @copied_initial
// SMALL-NOT:     linalg.copy
// SMALL:         gpu.launch
// SMALL:           gpu.subgroup_mma_load_matrix %arg2[{{.*}}] {leadDimension = 256 : index} : memref<128x256xf32> -> !gpu.mma_matrix<16x16xf32, "COp">
// SMALL:           gpu.subgroup_mma_store_matrix %{{.*}}, %arg3[{{.*}}] {leadDimension = 256 : index}
// SMALL-LABEL: func.func @copied_initial_split
// SMALL:         linalg.copy ins(%arg2 : memref<128x256xf32>) outs(%arg3 : memref<128x256xf32>)
// SMALL:         gpu.launch
func.func @copied_initial(%a: memref<128x64xf16>, %b: memref<64x256xf16>, %bias: memref<128x256xf32>, %c: memref<128x256xf32>) {
  linalg.copy ins(%bias : memref<128x256xf32>) outs(%c : memref<128x256xf32>)
  linalg.matmul ins(%a, %b : memref<128x64xf16>, memref<64x256xf16>) outs(%c : memref<128x256xf32>)
  return
}
func.func @copied_initial_split(%a: memref<128x512xf16>, %b: memref<512x256xf16>, %bias: memref<128x256xf32>, %c: memref<128x256xf32>) {
  linalg.copy ins(%bias : memref<128x256xf32>) outs(%c : memref<128x256xf32>)
  linalg.matmul ins(%a, %b : memref<128x512xf16>, memref<512x256xf16>) outs(%c : memref<128x256xf32>)
  return
}
