// RUN: mase-opt %s --split-input-file --mase-lower-memref-copy | FileCheck %s
// RUN: mase-opt %s --split-input-file --mase-lower-memref-copy --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=LOOPS

// Every memref.copy becomes a linalg.copy between the same two memrefs,
// keeping their layouts; no call to the runner library's memrefCopy remains
// possible.

// CHECK-LABEL: func.func @contiguous
// CHECK-SAME:    (%[[A:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<4x8xf32>)
// CHECK-NEXT:    linalg.copy ins(%[[A]] : memref<4x8xf32>) outs(%[[B]] : memref<4x8xf32>)
// CHECK-NEXT:    return
func.func @contiguous(%a: memref<4x8xf32>, %b: memref<4x8xf32>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  return
}

// -----

// CHECK-LABEL: func.func @strided
// CHECK-SAME:    (%[[A:.*]]: memref<4xf32, strided<[2]>>, %[[B:.*]]: memref<4xf32>)
// CHECK-NOT:     memref.copy
// CHECK:         linalg.copy ins(%[[A]] : memref<4xf32, strided<[2]>>) outs(%[[B]] : memref<4xf32>)
// CHECK-NOT:     memref.copy

// LOOPS-LABEL: func.func @strided
// LOOPS:         scf.for %[[I:.*]] =
// LOOPS-NEXT:      %[[V:.*]] = memref.load %{{.*}}[%[[I]]] : memref<4xf32, strided<[2]>>
// LOOPS-NEXT:      memref.store %[[V]], %{{.*}}[%[[I]]] : memref<4xf32>
func.func @strided(%a: memref<4xf32, strided<[2]>>, %b: memref<4xf32>) {
  memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
  return
}

// -----

// Between two subviews with dynamic offsets and different strides, inside a
// loop.

// CHECK-LABEL: func.func @subviews_in_loop
// CHECK:         scf.for
// CHECK:           %[[S:.*]] = memref.subview %{{.*}} : memref<8x8xi8> to memref<2x4xi8, strided<[8, 1], offset: ?>>
// CHECK-NEXT:      %[[T:.*]] = memref.subview %{{.*}} : memref<4x16xi8> to memref<2x4xi8, strided<[16, 1], offset: ?>>
// CHECK-NEXT:      linalg.copy ins(%[[S]] : memref<2x4xi8, strided<[8, 1], offset: ?>>) outs(%[[T]] : memref<2x4xi8, strided<[16, 1], offset: ?>>)
// CHECK-NEXT:    }
// CHECK-NOT:     memref.copy
func.func @subviews_in_loop(%a: memref<8x8xi8>, %b: memref<4x16xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %s = memref.subview %a[%i, 2] [2, 4] [1, 1] : memref<8x8xi8> to memref<2x4xi8, strided<[8, 1], offset: ?>>
    %t = memref.subview %b[1, %i] [2, 4] [1, 1] : memref<4x16xi8> to memref<2x4xi8, strided<[16, 1], offset: ?>>
    memref.copy %s, %t : memref<2x4xi8, strided<[8, 1], offset: ?>> to memref<2x4xi8, strided<[16, 1], offset: ?>>
  }
  return
}

// -----

// Rank 0 and dynamic shapes.

// CHECK-LABEL: func.func @rank0_and_dynamic
// CHECK-SAME:    (%[[A:.*]]: memref<f32>, %[[B:.*]]: memref<f32>, %[[C:.*]]: memref<?xf32>, %[[D:.*]]: memref<?xf32>)
// CHECK-NEXT:    linalg.copy ins(%[[A]] : memref<f32>) outs(%[[B]] : memref<f32>)
// CHECK-NEXT:    linalg.copy ins(%[[C]] : memref<?xf32>) outs(%[[D]] : memref<?xf32>)
// CHECK-NEXT:    return

// LOOPS-LABEL: func.func @rank0_and_dynamic
// LOOPS:         %[[V:.*]] = memref.load %{{.*}}[] : memref<f32>
// LOOPS-NEXT:    memref.store %[[V]], %{{.*}}[] : memref<f32>
// LOOPS:         memref.dim
// LOOPS:         scf.for
func.func @rank0_and_dynamic(%a: memref<f32>, %b: memref<f32>, %c: memref<?xf32>, %d: memref<?xf32>) {
  memref.copy %a, %b : memref<f32> to memref<f32>
  memref.copy %c, %d : memref<?xf32> to memref<?xf32>
  return
}
