// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cpu-tile-and-vectorize{vector-width=8},canonicalize,cse))' \
// RUN:   | FileCheck %s
// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cpu-tile-and-vectorize{vector-width=8 parallel=false},canonicalize,cse))' \
// RUN:   | FileCheck %s --check-prefix=SERIAL
// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cpu-tile-and-vectorize{vector-width=16},canonicalize,cse))' \
// RUN:   | FileCheck %s --check-prefix=AVX512

// (canonicalize,cse only fold the constants the tiling leaves.)

// A 256x128 by 128x512 matmul: threads over 8x256 blocks of the result (64
// tasks), in each 4x16 register tiles (4 rows of 2 vectors of 8) over the
// 128 reduction steps, each step a vector.contract of a 4x1 column of the
// lhs and a 1x16 row of the rhs. Its fill is split over threads too, by rows.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: tensor<256x128xf32>, %[[B:.*]]: tensor<128x512xf32>)
// CHECK:         %[[FILL:.*]] = scf.forall (%{{.*}}) = (0) to (256) step (4)
// CHECK:           vector.transfer_write %{{.*}} : vector<1x32xf32>, tensor<1x32xf32>
// CHECK:         scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (256, 512) step (8, 256) shared_outs(%{{.*}} = %[[FILL]])
// CHECK:           tensor.extract_slice %[[A]][%[[I]], 0] [8, 128] [1, 1]
// CHECK:           tensor.extract_slice %[[B]][0, %[[J]]] [128, 256] [1, 1]
// CHECK:           scf.for %{{.*}} = %c0 to %c8 step %c4
// CHECK:             scf.for %{{.*}} = %c0 to %c256 step %c16
// CHECK:               scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK:                 %[[L:.*]] = vector.transfer_read {{.*}} : tensor<4x1xf32>, vector<4x1xf32>
// CHECK:                 %[[R:.*]] = vector.transfer_read {{.*}} : tensor<1x16xf32>, vector<1x16xf32>
// CHECK:                 %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x16xf32>, vector<4x16xf32>
// CHECK:                 vector.contract
// CHECK-SAME:              iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:              %[[L]], %[[R]], %[[ACC]] : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK:           scf.forall.in_parallel
// CHECK-NOT:     linalg.matmul
// CHECK-NOT:     linalg.fill

// Without threads: the same register tiles, no scf.forall.
// SERIAL-LABEL: func.func @matmul
// SERIAL-NOT:     scf.forall
// SERIAL:         scf.for %{{.*}} = %c0 to %c256 step %c4
// SERIAL:           scf.for %{{.*}} = %c0 to %c512 step %c16
// SERIAL:             scf.for %{{.*}} = %c0 to %c128 step %c1
// SERIAL:               vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// SERIAL-NOT:     scf.forall
// SERIAL-NOT:     linalg.matmul

// AVX-512: 2 vectors of 16 per row.
// AVX512-LABEL: func.func @matmul
// AVX512:         vector.contract {{.*}} : vector<4x1xf32>, vector<1x32xf32> into vector<4x32xf32>
func.func @matmul(%a: tensor<256x128xf32>, %b: tensor<128x512xf32>) -> tensor<256x512xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x512xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<256x512xf32>) -> tensor<256x512xf32>
  %y = linalg.matmul ins(%a, %b : tensor<256x128xf32>, tensor<128x512xf32>)
                     outs(%acc : tensor<256x512xf32>) -> tensor<256x512xf32>
  return %y : tensor<256x512xf32>
}

// -----

// A batch matmul: threads over (batch, 4-row blocks), the same micro-kernel
// with a unit batch dimension.

// CHECK-LABEL: func.func @batch_matmul
// CHECK:         scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (4, 64) step (1, 4)
// CHECK:           scf.for %{{.*}} = %c0 to %c48 step %c16
// CHECK:             scf.for %{{.*}} = %c0 to %c32 step %c1
// CHECK:               vector.contract {{.*}} : vector<1x4x1xf32>, vector<1x1x16xf32> into vector<1x4x16xf32>
// CHECK-NOT:     linalg.batch_matmul
func.func @batch_matmul(%a: tensor<4x64x32xf32>, %b: tensor<4x32x48xf32>, %c: tensor<4x64x48xf32>) -> tensor<4x64x48xf32> {
  %y = linalg.batch_matmul ins(%a, %b : tensor<4x64x32xf32>, tensor<4x32x48xf32>)
                           outs(%c : tensor<4x64x48xf32>) -> tensor<4x64x48xf32>
  return %y : tensor<4x64x48xf32>
}

// -----

// A matmul of 16x16x64 = 16384 iterations is below the parallel threshold:
// register tiles only.

// CHECK-LABEL: func.func @small_matmul
// CHECK-NOT:     scf.forall
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c4
// CHECK:           scf.for %{{.*}} = %c0 to %c64 step %c1
// CHECK:             vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK-NOT:     scf.forall
func.func @small_matmul(%a: tensor<16x64xf32>, %b: tensor<64x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %y : tensor<16x16xf32>
}

// -----

// An elementwise op of 128x512 = 65536 iterations: 64 thread tasks of 2 rows,
// then one vector of 4 x 8 lanes along the innermost dimension, the
// broadcast operand read with a broadcasting transfer.

// CHECK-LABEL: func.func @elementwise
// CHECK:         scf.forall (%{{.*}}) = (0) to (128) step (2)
// CHECK:           scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK:             scf.for %{{.*}} = %c0 to %c512 step %c32
// CHECK:               %[[X:.*]] = vector.transfer_read {{.*}} : tensor<1x32xf32>, vector<1x32xf32>
// CHECK:               %[[B:.*]] = vector.transfer_read {{.*}} : tensor<32xf32>, vector<1x32xf32>
// CHECK:               %[[S:.*]] = arith.addf %[[X]], %[[B]] : vector<1x32xf32>
// CHECK:               %[[E:.*]] = math.exp %[[S]] : vector<1x32xf32>
// CHECK:               vector.transfer_write %[[E]], {{.*}} : vector<1x32xf32>, tensor<1x32xf32>
// CHECK-NOT:     linalg.generic

// SERIAL-LABEL: func.func @elementwise
// SERIAL-NOT:     scf.forall
// SERIAL:         math.exp {{.*}} : vector<1x32xf32>

// AVX512-LABEL: func.func @elementwise
// AVX512:         scf.forall
// AVX512:         math.exp {{.*}} : vector<1x64xf32>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @elementwise(%x: tensor<128x512xf32>, %b: tensor<512xf32>) -> tensor<128x512xf32> {
  %e = tensor.empty() : tensor<128x512xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<128x512xf32>, tensor<512xf32>) outs(%e : tensor<128x512xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %r = math.exp %s : f32
    linalg.yield %r : f32
  } -> tensor<128x512xf32>
  return %0 : tensor<128x512xf32>
}

// -----

// The parallel threshold is 32768 iterations: 64x512 is split over threads,
// 63x512 is not. The innermost tile is the largest divisor up to 32 lanes
// (24 of 24).

// CHECK-LABEL: func.func @at_threshold
// CHECK:         scf.forall
// CHECK:           vector<1x32xf32>
// CHECK-LABEL: func.func @below_threshold
// CHECK-NOT:     scf.forall
// CHECK:         scf.for %{{.*}} = %c0 to %c63 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c512 step %c32
// CHECK:             arith.negf {{.*}} : vector<1x32xf32>
// CHECK-NOT:     scf.forall
// CHECK-LABEL: func.func @odd_width
// CHECK-NOT:     scf.forall
// CHECK:         scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK:           math.exp {{.*}} : vector<1x24xf32>
// CHECK-NOT:     scf.forall
#id = affine_map<(i, j) -> (i, j)>
func.func @at_threshold(%x: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %e = tensor.empty() : tensor<64x512xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x512xf32>) outs(%e : tensor<64x512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<64x512xf32>
  return %0 : tensor<64x512xf32>
}
func.func @below_threshold(%x: tensor<63x512xf32>) -> tensor<63x512xf32> {
  %e = tensor.empty() : tensor<63x512xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<63x512xf32>) outs(%e : tensor<63x512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<63x512xf32>
  return %0 : tensor<63x512xf32>
}
func.func @odd_width(%x: tensor<4x24xf32>) -> tensor<4x24xf32> {
  %e = tensor.empty() : tensor<4x24xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x24xf32>) outs(%e : tensor<4x24xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x24xf32>
  return %0 : tensor<4x24xf32>
}

// -----

// An op reading or writing i1 tensors is tiled but stays a scalar
// linalg.generic per tile (a vector of i1 is packed bits in LLVM, an i1
// memref one byte per element).

// CHECK-LABEL: func.func @select_on_mask
// CHECK:         scf.for %{{.*}} = %c0 to %c64 step %c1
// CHECK:           %[[T:.*]] = linalg.generic
// CHECK-SAME:        ins(%{{.*}}, %{{.*}} : tensor<1x32xi1>, tensor<1x32xf32>) outs(%{{.*}} : tensor<1x32xf32>)
// CHECK:             arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     vector.
// CHECK-LABEL: func.func @compare
// CHECK:         scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c64 step %c32
// CHECK:             linalg.generic
// CHECK-SAME:          ins(%{{.*}} : tensor<1x32xf32>) outs(%{{.*}} : tensor<1x32xi1>)
// CHECK:               arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     vector.
#id = affine_map<(i, j) -> (i, j)>
func.func @select_on_mask(%m: tensor<64x32xi1>, %x: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %e = tensor.empty() : tensor<64x32xf32>
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %x : tensor<64x32xi1>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%c: i1, %a: f32, %o: f32):
    %r = arith.select %c, %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<64x32xf32>
  return %0 : tensor<64x32xf32>
}
func.func @compare(%x: tensor<8x64xf32>) -> tensor<8x64xi1> {
  %e = tensor.empty() : tensor<8x64xi1>
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x64xf32>) outs(%e : tensor<8x64xi1>) {
  ^bb0(%a: f32, %o: i1):
    %r = arith.cmpf ogt, %a, %zero : f32
    linalg.yield %r : i1
  } -> tensor<8x64xi1>
  return %0 : tensor<8x64xi1>
}

// -----

// A row reduction of up to eight vector registers is one vector reduction
// per row; a longer row (768 = 12 x 64) is a loop of 64-wide steps, so no
// row is held in registers whole.

// CHECK-LABEL: func.func @row_sum
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK:           %[[ROW:.*]] = vector.transfer_read {{.*}} : tensor<1x64xf32>, vector<1x64xf32>
// CHECK:           vector.multi_reduction <add>, %[[ROW]], %{{.*}} [1] : vector<1x64xf32> to vector<1xf32>
// CHECK-LABEL: func.func @long_row_sum
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c768 step %c64
// CHECK:             %[[STEP:.*]] = vector.transfer_read {{.*}} : tensor<1x64xf32>, vector<1x64xf32>
// CHECK:             vector.multi_reduction <add>, %[[STEP]], %{{.*}} [1] : vector<1x64xf32> to vector<1xf32>
// CHECK-NOT:     vector<1x768xf32>
#id = affine_map<(i, j) -> (i, j)>
func.func @row_sum(%x: tensor<16x64xf32>) -> tensor<16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  %s = linalg.generic {indexing_maps = [#id, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16x64xf32>) outs(%acc : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  return %s : tensor<16xf32>
}
func.func @long_row_sum(%x: tensor<16x768xf32>) -> tensor<16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  %s = linalg.generic {indexing_maps = [#id, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16x768xf32>) outs(%acc : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  return %s : tensor<16xf32>
}

// -----

// Dynamic shapes are left alone.

// CHECK-LABEL: func.func @dynamic
// CHECK-NEXT:    linalg.generic
// CHECK-NOT:     scf.
func.func @dynamic(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      outs(%x : tensor<?x64xf32>) {
  ^bb0(%o: f32):
    %r = arith.negf %o : f32
    linalg.yield %r : f32
  } -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
