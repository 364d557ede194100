// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cuda-warp-reductions,canonicalize,cse))' | FileCheck %s

// Layer norm's variance: the sum over 96 features of (x - mean)^2, the
// elementwise part fused in, the output filled with zero just before. 20
// rows take 3 blocks of 8 warps; lane l sums elements l, l + 32, l + 64 of
// its row, computing (x - mean)^2 on the way; five xor shuffles combine the
// lanes; lane 0 adds the fill's zero and stores. The fill is gone.
// CHECK-LABEL: func.func @variance
// CHECK-SAME:    (%[[X:.*]]: memref<4x5x96xf32>, %[[MEAN:.*]]: memref<4x5xf32>, %[[OUT:.*]]: memref<4x5xf32>)
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C96:.*]] = arith.constant 96 : index
// CHECK:         gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C3]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%[[LANE:.*]], %[[WARP:.*]], %{{.*}}) in (%{{.*}} = %[[C32]], %{{.*}} = %[[C8]], %{{.*}} = %[[C1]])
// CHECK:           %[[ROW:.*]] = arith.addi
// CHECK:           %[[IN:.*]] = arith.cmpi ult, %[[ROW]], %{{.*}} : index
// CHECK:           scf.if %[[IN]] {
// CHECK:             %[[J:.*]] = arith.remui %[[ROW]], %{{.*}} : index
// CHECK:             %[[I:.*]] = arith.divui %[[ROW]], %{{.*}} : index
// CHECK:             %[[PART:.*]] = scf.for %[[K:.*]] = %[[LANE]] to %[[C96]] step %[[C32]] iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32) {
// CHECK:               %[[A:.*]] = memref.load %[[X]][%[[I]], %[[J]], %[[K]]]
// CHECK:               %[[M:.*]] = memref.load %[[MEAN]][%[[I]], %[[J]]]
// CHECK:               %[[D:.*]] = arith.subf %[[A]], %[[M]]
// CHECK:               %[[SQ:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK:               %[[NEXT:.*]] = arith.addf %[[SQ]], %[[ACC]]
// CHECK:               scf.yield %[[NEXT]]
// CHECK:             %[[S16:.*]], %{{.*}} = gpu.shuffle  xor %[[PART]], %{{.*}}, %{{.*}} : f32
// CHECK:             %[[T16:.*]] = arith.addf %[[S16]], %[[PART]]
// CHECK-COUNT-4:     gpu.shuffle  xor
// CHECK:             %[[TOTAL:.*]] = arith.addf
// CHECK:             %[[FIRST:.*]] = arith.cmpi eq, %[[LANE]], %{{.*}} : index
// CHECK:             scf.if %[[FIRST]] {
// CHECK:               %[[R:.*]] = arith.addf %[[TOTAL]], %[[ZERO]]
// CHECK:               memref.store %[[R]], %[[OUT]][%[[I]], %[[J]]]
// CHECK:           gpu.terminator
// CHECK-NOT:     linalg.generic
func.func @variance(%x: memref<4x5x96xf32>, %mean: memref<4x5xf32>, %out: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<4x5xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, j, k)>, affine_map<(i, j, k) -> (i, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %mean : memref<4x5x96xf32>, memref<4x5xf32>) outs(%out : memref<4x5xf32>) {
  ^bb0(%a: f32, %m: f32, %acc: f32):
    %d = arith.subf %a, %m : f32
    %sq = arith.mulf %d, %d : f32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Softmax's row maximum without a fill before it: lanes start from the
// neutral element (-inf) and lane 0 combines the total with the value the
// output held.
// CHECK-LABEL: func.func @row_max
// CHECK-DAG:     %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         gpu.launch
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %[[NEG]]) -> (f32)
// CHECK:             arith.maximumf
// CHECK-COUNT-5:   gpu.shuffle  xor
// CHECK:           scf.if
// CHECK:             %[[OLD:.*]] = memref.load %arg1
// CHECK:             %[[NEW:.*]] = arith.maximumf %{{.*}}, %[[OLD]]
// CHECK:             memref.store %[[NEW]], %arg1
func.func @row_max(%x: memref<2x3x128xf32>, %out: memref<2x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, j, k)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : memref<2x3x128xf32>) outs(%out : memref<2x3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// Left for the loop lowering: fewer than 32 elements a row; a reduction
// that is not innermost; an f16 accumulator; a combiner with no neutral
// element; a body that reads its indices; tensors.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     gpu.launch
// CHECK-COUNT-6: linalg.generic
// CHECK-NOT:     gpu.launch
func.func @left_alone(%short: memref<4x16xf32>, %t: memref<64x4xf32>, %h: memref<4x64xf16>, %x: memref<4x64xf32>,
                      %o: memref<4xf32>, %oh: memref<4xf16>, %tensor: tensor<4x64xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%short : memref<4x16xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(k, i) -> (k, i)>, affine_map<(k, i) -> (i)>], iterator_types = ["reduction", "parallel"]}
      ins(%t : memref<64x4xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%h : memref<4x64xf16>) outs(%oh : memref<4xf16>) {
  ^bb0(%a: f16, %acc: f16):
    %s = arith.addf %a, %acc : f16
    linalg.yield %s : f16
  }
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.subf %a, %acc : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %k = linalg.index 1 : index
    %ki = arith.index_cast %k : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %p = arith.mulf %a, %kf : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  %r = linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%tensor : tensor<4x64xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Two reductions that start from one shared fill, through copies (as
// bufferization leaves a fill that CSE shared): both copies fold into the
// reductions, and the fill, now unread, goes too.
// CHECK-LABEL: func.func @shared_fill
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     linalg.copy
// CHECK:         gpu.launch
// CHECK:           arith.addf
// CHECK:         gpu.launch
// CHECK:           arith.maximumf
// CHECK-NOT:     linalg.
func.func @shared_fill(%x: memref<4x64xf32>, %sum: memref<4xf32>, %max: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %filled = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%filled : memref<4xf32>)
  linalg.copy ins(%filled : memref<4xf32>) outs(%sum : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  linalg.copy ins(%filled : memref<4xf32>) outs(%max : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  }
  memref.dealloc %filled : memref<4xf32>
  return
}

// -----

// A copy from a buffer that something else also writes is not a known
// constant: it stays, and the reduction loads the output's old value.
// CHECK-LABEL: func.func @copy_of_written_buffer
// CHECK:         linalg.fill
// CHECK:         linalg.copy
// CHECK:         gpu.launch
// CHECK:           memref.load %arg1
func.func @copy_of_written_buffer(%x: memref<4x64xf32>, %sum: memref<4xf32>, %y: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %filled = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%filled : memref<4xf32>)
  linalg.copy ins(%y : memref<4xf32>) outs(%filled : memref<4xf32>)
  linalg.copy ins(%filled : memref<4xf32>) outs(%sum : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  memref.dealloc %filled : memref<4xf32>
  return
}
