// RUN: mase-opt %s --mase-cuda-device-constants | FileCheck %s

// A constant global used by host code is read through its device copy
// (16 floats: 64 bytes); mutable globals and globals no function uses keep
// their address.
// CHECK-LABEL: llvm.func @main
// CHECK:         %[[HOST:.*]] = llvm.mlir.addressof @weight : !llvm.ptr
// CHECK:         %[[BYTES:.*]] = llvm.mlir.constant(64 : i64) : i64
// CHECK:         %[[DEVICE:.*]] = llvm.call @mase_cuda_constant(%[[HOST]], %[[BYTES]]) : (!llvm.ptr, i64) -> !llvm.ptr
// CHECK:         llvm.call @use(%[[DEVICE]])
// CHECK:         %[[STATE:.*]] = llvm.mlir.addressof @state : !llvm.ptr
// CHECK:         llvm.call @use(%[[STATE]])
// CHECK:       llvm.func @mase_cuda_constant(!llvm.ptr, i64) -> !llvm.ptr
llvm.mlir.global private constant @weight(dense<1.0> : tensor<16xf32>) : !llvm.array<16 x f32>
llvm.mlir.global private @state(0 : i64) : i64
llvm.mlir.global external constant @mase_model_signature("x\00") : !llvm.array<2 x i8>
llvm.func @use(!llvm.ptr)
llvm.func @main() {
  %w = llvm.mlir.addressof @weight : !llvm.ptr
  llvm.call @use(%w) : (!llvm.ptr) -> ()
  %s = llvm.mlir.addressof @state : !llvm.ptr
  llvm.call @use(%s) : (!llvm.ptr) -> ()
  llvm.return
}
