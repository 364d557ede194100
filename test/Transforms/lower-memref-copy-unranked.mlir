// RUN: mase-opt %s --mase-lower-memref-copy | FileCheck %s
// RUN: mase-opt %s --mase-lower-memref-copy --convert-linalg-to-loops | FileCheck %s --check-prefix=LOOPS

// KNOWN BUG (XFAIL): mase-lower-memref-copy turns a copy between unranked
// memrefs into `linalg.copy ins(%a : memref<*xf32>) outs(%b : memref<*xf32>)`,
// which verifies but has no loops: convert-linalg-to-loops then deletes it,
// so the copy silently disappears. The pass should leave an unranked copy
// alone (or fail). Compiled models have static shapes, so mase-compile does
// not reach this today.
// XFAIL: *

// CHECK-LABEL: func.func @unranked
// CHECK-NEXT:    memref.copy %{{.*}}, %{{.*}} : memref<*xf32> to memref<*xf32>

// LOOPS-LABEL: func.func @unranked
// LOOPS-NEXT:    memref.copy
func.func @unranked(%a: memref<*xf32>, %b: memref<*xf32>) {
  memref.copy %a, %b : memref<*xf32> to memref<*xf32>
  return
}
