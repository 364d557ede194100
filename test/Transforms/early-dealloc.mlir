// RUN: mase-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(mase-early-dealloc))' | FileCheck %s

// Each temporary is freed right after the last op that uses it, so that the
// next temporary can reuse its memory.

// CHECK-LABEL: func.func @chain
// CHECK:         %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    linalg.fill {{.*}} outs(%[[A]]
// CHECK-NEXT:    %[[B:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    linalg.copy ins(%[[A]] {{.*}} outs(%[[B]]
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    linalg.copy ins(%[[B]] {{.*}} outs(%arg0
// CHECK-NEXT:    memref.dealloc %[[B]]
// CHECK-NEXT:    return
func.func @chain(%out: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%a : memref<4xf32>)
  %b = memref.alloc() : memref<4xf32>
  linalg.copy ins(%a : memref<4xf32>) outs(%b : memref<4xf32>)
  linalg.copy ins(%b : memref<4xf32>) outs(%out : memref<4xf32>)
  memref.dealloc %a : memref<4xf32>
  memref.dealloc %b : memref<4xf32>
  return
}

// -----

// A view of the buffer, and a use nested in a loop, keep it alive.

// CHECK-LABEL: func.func @views_and_loops
// CHECK:         %[[A:.*]] = memref.alloc() : memref<2x4xf32>
// CHECK:         %[[V:.*]] = memref.collapse_shape %[[A]]
// CHECK-NEXT:    %[[B:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT:    scf.for
// CHECK:           memref.load %[[V]]
// CHECK:         }
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    linalg.copy ins(%[[B]]
// CHECK-NEXT:    memref.dealloc %[[B]]
func.func @views_and_loops(%out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %a = memref.alloc() : memref<2x4xf32>
  %v = memref.collapse_shape %a [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %v[%i] : memref<8xf32>
    memref.store %x, %b[%i] : memref<8xf32>
  }
  linalg.copy ins(%b : memref<8xf32>) outs(%out : memref<8xf32>)
  memref.dealloc %a : memref<2x4xf32>
  memref.dealloc %b : memref<8xf32>
  return
}

// -----

// A pointer taken for a call is the buffer too: it stays until the call.

// CHECK-LABEL: func.func @pointer_for_call
// CHECK:         %[[A:.*]] = memref.alloc() : memref<16xi8>
// CHECK:         call @kernel
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    return
func.func private @kernel(i64)
func.func @pointer_for_call() {
  %a = memref.alloc() : memref<16xi8>
  %p = memref.extract_aligned_pointer_as_index %a : memref<16xi8> -> index
  %i = arith.index_cast %p : index to i64
  %c = arith.constant 0 : i64
  %sum = arith.addi %i, %c : i64
  call @kernel(%sum) : (i64) -> ()
  memref.dealloc %a : memref<16xi8>
  return
}

// -----

// Never used: freed right after its allocation. A buffer allocated elsewhere
// (an argument) is not touched.

// CHECK-LABEL: func.func @unused
// CHECK:         %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    linalg.fill
// CHECK-NEXT:    memref.dealloc %arg0
// CHECK-NEXT:    return
func.func @unused(%arg0: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%arg0 : memref<4xf32>)
  memref.dealloc %arg0 : memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  return
}
