// RUN: mase-opt %s --split-input-file --mase-emit-model-entry | FileCheck %s
// RUN: mase-opt %s --split-input-file --mase-emit-model-entry | mlir-translate --mlir-to-llvmir --split-input-file \
// RUN:   | FileCheck %s --check-prefix=LLVMIR

// @main lowered with the bare-pointer convention (two inputs, one output)
// gets the exported entry point, which loads the three pointers from the
// buffer array in order and calls it. Every other definition becomes
// internal: functions, constants and mutable globals; the ABI globals and
// declarations (libm, external globals) keep external linkage. Argument
// attributes of @main are dropped.

// CHECK-LABEL: module
// CHECK:         llvm.mlir.global external constant @mase_model_abi_version(2 : i32)
// CHECK:         llvm.mlir.global external constant @mase_model_signature("abc\0A\00")
// CHECK:         llvm.mlir.global internal constant @__constant_4xf32(
// CHECK:         llvm.mlir.global internal @scratch(
// CHECK:         llvm.mlir.global external @extern_decl()
// CHECK:         llvm.func @expf(f32) -> f32
// CHECK:         llvm.func internal @helper(
// CHECK:         llvm.func internal @main(%{{[^:]*}}: !llvm.ptr, %{{[^:]*}}: !llvm.ptr, %{{[^:]*}}: !llvm.ptr) {
// CHECK:         llvm.func @mase_model_entry(%[[BUF:.*]]: !llvm.ptr) {
// CHECK-NEXT:      %[[A0:.*]] = llvm.getelementptr %[[BUF]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:      %[[P0:.*]] = llvm.load %[[A0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:      %[[A1:.*]] = llvm.getelementptr %[[BUF]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:      %[[P1:.*]] = llvm.load %[[A1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:      %[[A2:.*]] = llvm.getelementptr %[[BUF]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:      %[[P2:.*]] = llvm.load %[[A2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:      llvm.call @main(%[[P0]], %[[P1]], %[[P2]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT:      llvm.return
// CHECK-NEXT:    }
// CHECK-NOT:     mase.input_name
// CHECK-NOT:     mase.output_name

// In LLVM IR only the three ABI symbols (and declarations) are visible.
// LLVMIR-DAG: @mase_model_abi_version = constant i32 2
// LLVMIR-DAG: @mase_model_signature = constant [5 x i8] c"abc\0A\00"
// LLVMIR-DAG: @__constant_4xf32 = internal constant [4 x float]
// LLVMIR-DAG: @scratch = internal global [4 x float]
// LLVMIR-DAG: @extern_decl = external global i32
// LLVMIR-DAG: declare float @expf(float)
// LLVMIR-DAG: define internal void @helper(ptr
// LLVMIR-DAG: define internal void @main(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}})
// LLVMIR-DAG: define void @mase_model_entry(ptr %{{.*}})
module {
  llvm.mlir.global external constant @mase_model_abi_version(2 : i32) : i32
  llvm.mlir.global external constant @mase_model_signature("abc\0A\00") : !llvm.array<5 x i8>
  llvm.mlir.global private constant @__constant_4xf32(dense<1.0> : tensor<4xf32>) : !llvm.array<4 x f32>
  llvm.mlir.global external @scratch(dense<0.0> : tensor<4xf32>) : !llvm.array<4 x f32>
  llvm.mlir.global external @extern_decl() : i32
  llvm.func @expf(f32) -> f32
  llvm.func @helper(%a: !llvm.ptr) {
    llvm.return
  }
  llvm.func @main(%a: !llvm.ptr {mase.input_name = "a"}, %b: !llvm.ptr {mase.input_name = "b"},
                  %out: !llvm.ptr {mase.output_name = "y"}) {
    llvm.call @helper(%a) : (!llvm.ptr) -> ()
    llvm.return
  }
}

// -----

// A model without inputs or outputs still gets the entry point (and loads
// nothing).

// CHECK-LABEL: llvm.func internal @main() {
// CHECK:       llvm.func @mase_model_entry(%{{.*}}: !llvm.ptr) {
// CHECK-NEXT:    llvm.call @main() : () -> ()
// CHECK-NEXT:    llvm.return

// LLVMIR: define void @mase_model_entry(ptr %{{.*}})
// LLVMIR-NEXT: call void @main()
module {
  llvm.func @main() {
    llvm.return
  }
}
