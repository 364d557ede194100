// RUN: mase-opt %s --split-input-file --verify-diagnostics --mase-cuda-device-memory | FileCheck %s

// @main's input is copied to a device buffer at entry, its output computed
// in a device buffer and copied out before the return; the temporary is a
// device allocation.
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[IN:.*]]: memref<4xf32> {mase.input_name = "x"}, %[[OUT:.*]]: memref<4xf32>)
// CHECK-DAG:     %[[DEV_OUT:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-DAG:     %[[DEV_IN:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-DAG:     gpu.memcpy %[[DEV_IN]], %[[IN]] :
// CHECK-NOT:     gpu.memcpy %[[DEV_OUT]], %[[OUT]]
// CHECK:         %[[TMP:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.launch_func @kernels::@twice {{.*}} args(%[[DEV_IN]] : memref<4xf32>, %[[TMP]] : memref<4xf32>)
// CHECK:         gpu.launch_func @kernels::@twice {{.*}} args(%[[TMP]] : memref<4xf32>, %[[DEV_OUT]] : memref<4xf32>)
// CHECK:         gpu.dealloc %[[TMP]] :
// CHECK-DAG:     gpu.memcpy %[[OUT]], %[[DEV_OUT]] :
// CHECK-DAG:     gpu.dealloc %[[DEV_OUT]] :
// CHECK-DAG:     gpu.dealloc %[[DEV_IN]] :
// CHECK-NOT:     gpu.memcpy %[[IN]]
// CHECK:         return
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @twice(%in: memref<4xf32>, %out: memref<4xf32>) kernel {
      %i = gpu.thread_id x
      %x = memref.load %in[%i] : memref<4xf32>
      %y = arith.addf %x, %x : f32
      memref.store %y, %out[%i] : memref<4xf32>
      gpu.return
    }
  }
  func.func @main(%in: memref<4xf32> {mase.input_name = "x"}, %out: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %tmp = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
    gpu.launch_func @kernels::@twice blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%in : memref<4xf32>, %tmp : memref<4xf32>)
    gpu.launch_func @kernels::@twice blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%tmp : memref<4xf32>, %out : memref<4xf32>)
    memref.dealloc %tmp : memref<4xf32>
    return
  }
}

// -----

// A buffer with a strided layout has no device allocation here.
func.func @main(%in: memref<4xf32> {mase.input_name = "x"}) {
  // expected-error @+1 {{mase-cuda-device-memory: cannot place a buffer of type 'memref<4xf32, strided<[2]>>' in GPU memory}}
  %tmp = memref.alloc() : memref<4xf32, strided<[2]>>
  return
}
