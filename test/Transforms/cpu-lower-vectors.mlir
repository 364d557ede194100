// RUN: mase-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(mase-cpu-lower-vectors))' | FileCheck %s
// RUN: mase-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(mase-cpu-lower-vectors))' \
// RUN:   | FileCheck %s --check-prefix=NOAPPROX

// Nowhere in the output:
// NOAPPROX-NOT: vector.contract
// NOAPPROX-NOT: math.erf
// NOAPPROX-NOT: math.exp
// NOAPPROX-NOT: math.tanh
// NOAPPROX-NOT: vector.multi_reduction

// The matmul micro-kernel's contraction (4x1 times 1x16) becomes one
// vector.fma per row: the broadcast lhs element times the rhs row plus that
// row of the accumulator.

// CHECK-LABEL: func.func @contract
// CHECK-SAME:    (%[[A:.*]]: vector<4x1xf32>, %[[B:.*]]: vector<1x16xf32>, %[[C:.*]]: vector<4x16xf32>)
// CHECK-NOT:     vector.contract
// CHECK-DAG:     %[[ROW:.*]] = vector.extract %[[B]][0] : vector<16xf32> from vector<1x16xf32>
// CHECK-DAG:     %[[A0:.*]] = vector.extract %[[A]][0, 0] : f32 from vector<4x1xf32>
// CHECK:         %[[S0:.*]] = vector.broadcast %[[A0]] : f32 to vector<16xf32>
// CHECK:         %[[C0:.*]] = vector.extract %[[C]][0] : vector<16xf32> from vector<4x16xf32>
// CHECK:         %[[F0:.*]] = vector.fma %[[S0]], %[[ROW]], %[[C0]] : vector<16xf32>
// CHECK:         %[[R0:.*]] = vector.insert %[[F0]], %{{.*}} [0] : vector<16xf32> into vector<4x16xf32>
// CHECK:         %[[A1:.*]] = vector.extract %[[A]][1, 0] : f32 from vector<4x1xf32>
// CHECK:         %[[S1:.*]] = vector.broadcast %[[A1]] : f32 to vector<16xf32>
// CHECK:         %[[C1:.*]] = vector.extract %[[C]][1] : vector<16xf32> from vector<4x16xf32>
// CHECK:         %[[F1:.*]] = vector.fma %[[S1]], %[[ROW]], %[[C1]] : vector<16xf32>
// CHECK:         %[[R1:.*]] = vector.insert %[[F1]], %[[R0]] [1] : vector<16xf32> into vector<4x16xf32>
// CHECK:         vector.fma {{.*}} : vector<16xf32>
// CHECK:         %[[F3:.*]] = vector.fma {{.*}} : vector<16xf32>
// CHECK:         %[[R3:.*]] = vector.insert %[[F3]], %{{.*}} [3] : vector<16xf32> into vector<4x16xf32>
// CHECK-NOT:     vector.fma
// CHECK:         return %[[R3]]
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @contract(%a: vector<4x1xf32>, %b: vector<1x16xf32>, %c: vector<4x16xf32>) -> vector<4x16xf32> {
  %0 = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"],
                        kind = #vector.kind<add>} %a, %b, %c : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
  return %0 : vector<4x16xf32>
}

// -----

// erf, exp and tanh on f32 (vector or scalar) become polynomial arithmetic;
// log and sin keep their math ops (later libm calls or LLVM intrinsics).

// CHECK-LABEL: func.func @transcendentals
// CHECK-SAME:    (%[[X:.*]]: vector<8xf32>)
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.tanh
// CHECK:         math.fma {{.*}} : vector<8xf32>
// CHECK:         arith.divf {{.*}} : vector<8xf32>
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.tanh
// CHECK:         %[[LOG:.*]] = math.log %[[X]] : vector<8xf32>
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.tanh
// CHECK:         return %{{.*}}, %{{.*}}, %{{.*}}, %[[LOG]]
func.func @transcendentals(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %0 = math.erf %x : vector<8xf32>
  %1 = math.exp %x : vector<8xf32>
  %2 = math.tanh %x : vector<8xf32>
  %3 = math.log %x : vector<8xf32>
  return %0, %1, %2, %3 : vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// CHECK-LABEL: func.func @scalars
// CHECK-SAME:    (%[[X:.*]]: f32)
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.exp
// CHECK:         math.fma {{.*}} : f32
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.exp
// CHECK:         %[[SIN:.*]] = math.sin %[[X]] : f32
// CHECK:         return %{{.*}}, %{{.*}}, %[[SIN]]
func.func @scalars(%x: f32) -> (f32, f32, f32) {
  %0 = math.erf %x : f32
  %1 = math.exp %x : f32
  %2 = math.sin %x : f32
  return %0, %1, %2 : f32, f32, f32
}

// -----

// A multi-dimensional reduction becomes a 1-D vector.reduction; a
// broadcasting transfer becomes a 1-D read and a broadcast.

// CHECK-LABEL: func.func @row_reduction
// CHECK-SAME:    (%[[V:.*]]: vector<1x64xf32>, %[[ACC:.*]]: vector<1xf32>)
// CHECK-NOT:     vector.multi_reduction
// CHECK:         %[[ROW:.*]] = vector.extract %[[V]][0] : vector<64xf32> from vector<1x64xf32>
// CHECK:         %[[INIT:.*]] = vector.extract %[[ACC]][0] : f32 from vector<1xf32>
// CHECK:         vector.reduction <add>, %[[ROW]], %[[INIT]] : vector<64xf32> into f32
// CHECK-NOT:     vector.multi_reduction
func.func @row_reduction(%v: vector<1x64xf32>, %acc: vector<1xf32>) -> vector<1xf32> {
  %0 = vector.multi_reduction <add>, %v, %acc [1] : vector<1x64xf32> to vector<1xf32>
  return %0 : vector<1xf32>
}

// CHECK-LABEL: func.func @broadcast_read
// CHECK:         %[[R:.*]] = vector.transfer_read %{{.*}}[%{{.*}}], %{{.*}} {in_bounds = [true]} : memref<32xf32>, vector<32xf32>
// CHECK-NEXT:    %[[B:.*]] = vector.broadcast %[[R]] : vector<32xf32> to vector<1x32xf32>
// CHECK-NEXT:    return %[[B]]
func.func @broadcast_read(%m: memref<32xf32>) -> vector<1x32xf32> {
  %c0 = arith.constant 0 : index
  %p = arith.constant 0.0 : f32
  %0 = vector.transfer_read %m[%c0], %p {in_bounds = [true, true], permutation_map = affine_map<(d0) -> (0, d0)>}
      : memref<32xf32>, vector<1x32xf32>
  return %0 : vector<1x32xf32>
}
