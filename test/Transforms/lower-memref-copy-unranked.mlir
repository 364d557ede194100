// RUN: mase-opt %s --mase-lower-memref-copy | FileCheck %s
// RUN: mase-opt %s --mase-lower-memref-copy --convert-linalg-to-loops | FileCheck %s --check-prefix=LOOPS

// A copy between unranked memrefs has no linalg.copy form (it would have no
// loops, and convert-linalg-to-loops would drop it): the pass leaves it alone.

// CHECK-LABEL: func.func @unranked
// CHECK-NEXT:    memref.copy %{{.*}}, %{{.*}} : memref<*xf32> to memref<*xf32>

// LOOPS-LABEL: func.func @unranked
// LOOPS-NEXT:    memref.copy
func.func @unranked(%a: memref<*xf32>, %b: memref<*xf32>) {
  memref.copy %a, %b : memref<*xf32> to memref<*xf32>
  return
}
