// RUN: mase-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-map-loops{block-size=128},cse))' | FileCheck %s

// A 2-D parallel loop becomes one dimension of 6 x 40 = 240 points, tiled by
// 128: blocks step over tiles, threads over the points of a tile, and the
// last tile's points past 240 are guarded.
// CHECK-LABEL: func.func @nest
// CHECK:         %[[ROWS:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK:         %[[POINTS:.*]] = arith.muli %[[ROWS]], %{{.*}} : index
// CHECK:         %[[STEP:.*]] = arith.muli %{{.*}}, %[[C128:.*]] : index
// CHECK:         scf.parallel (%[[TILE:.*]]) = (%{{.*}}) to (%[[POINTS]]) step (%[[STEP]])
// CHECK-NEXT:      scf.parallel (%[[POINT:.*]]) = (%{{.*}}) to (%[[STEP]])
// CHECK:             %[[AT:.*]] = arith.addi %[[POINT]], %[[TILE]]
// CHECK:             %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[POINTS]]
// CHECK:             scf.if %{{.*}}
// CHECK-DAG:           %[[J:.*]] = arith.remsi %[[AT]], %[[C40:.*]] : index
// CHECK-DAG:           %[[I:.*]] = arith.divsi %[[AT]], %[[C40]] : index
// CHECK:               memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]]
func.func @nest(%out: memref<6x40xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c40 = arith.constant 40 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c6, %c40) step (%c1, %c1) {
    memref.store %one, %out[%i, %j] : memref<6x40xf32>
    scf.reduce
  }
  return
}

// -----

// Sequential code (a reduction to a scalar) runs on the GPU too, in a
// one-iteration parallel loop: the host never touches a buffer.
// CHECK-LABEL: func.func @sequential
// CHECK:         scf.parallel (%{{.*}}) = (%[[C0:.*]]) to (%[[C1:.*]]) step
// CHECK-NEXT:      scf.parallel (%{{.*}}) = (%[[C0]]) to (%{{.*}}) step (%[[C1]])
// CHECK-NEXT:        %[[SUM:.*]] = scf.for
// CHECK:             memref.store %[[SUM]]
// CHECK:             scf.reduce
// CHECK:           scf.reduce
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @sequential(%in: memref<16xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %in[%i] : memref<16xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  }
  memref.store %sum, %out[] : memref<f32>
  return
}

// -----

// A kernel that is already a gpu.launch (a tensor-core matmul) is left as
// it is.
// CHECK-LABEL: func.func @launch
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    gpu.launch
// CHECK-NOT:     scf.parallel
func.func @launch(%out: memref<f32>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%a = %c1, %b = %c1, %c = %c1) {
    %one = arith.constant 1.0 : f32
    memref.store %one, %out[] : memref<f32>
    gpu.terminator
  }
  return
}

// -----

func.func @host_needs_value(%in: memref<f32>) -> f32 {
  // expected-error @+1 {{the host needs this value from a buffer, but every buffer lives in GPU memory}}
  %x = memref.load %in[] : memref<f32>
  return %x : f32
}
