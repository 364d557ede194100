// RUN: mase-opt %s --mase-cuda-align-workgroup-memory | FileCheck %s

// Workgroup attributions get llvm.align = 32 (wmma.load's alignment); one
// that already has an alignment keeps it, private ones are left alone.
// CHECK-LABEL: gpu.func @kernel
// CHECK-SAME:    workgroup(%{{.*}} : memref<16x24xf16, #gpu.address_space<workgroup>> {llvm.align = 32 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
// CHECK-SAME:    private(%{{.*}} : memref<4xf32, #gpu.address_space<private>>)
// CHECK-SAME:    kernel
gpu.module @kernels {
  gpu.func @kernel()
      workgroup(%tile : memref<16x24xf16, #gpu.address_space<workgroup>>,
                %sums : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
      private(%scratch : memref<4xf32, #gpu.address_space<private>>) kernel {
    gpu.return
  }
}
