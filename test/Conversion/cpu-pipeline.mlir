// The registered mase-cpu-pipeline, phase by phase: graph -> linalg ->
// LLVM dialect, each phase resumable from the previous one's output.

// RUN: mase-opt %s --pass-pipeline='builtin.module(mase-cpu-pipeline{to=linalg})' -o %t.linalg.mlir
// RUN: FileCheck %s --check-prefix=LINALG --input-file=%t.linalg.mlir
// RUN: mase-opt %t.linalg.mlir -o %t.llvm.mlir \
// RUN:   --pass-pipeline='builtin.module(mase-cpu-pipeline{from=linalg to=llvm-dialect opt-level=3 vector-width=8})'
// RUN: FileCheck %s --input-file=%t.llvm.mlir
// RUN: FileCheck %s --check-prefix=ONLY-LLVM --input-file=%t.llvm.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.llvm.mlir | FileCheck %s --check-prefix=LLVMIR

// The whole pipeline in one go (the defaults: from=graph, to=llvm-dialect,
// opt-level=3, vector-width=8) gives the same module as the two phases.
// RUN: mase-opt %s --pass-pipeline='builtin.module(mase-cpu-pipeline)' -o %t.full.mlir
// RUN: diff %t.full.mlir %t.llvm.mlir

// RUN: mase-opt %t.linalg.mlir --pass-pipeline='builtin.module(mase-cpu-pipeline{from=linalg opt-level=0})' \
// RUN:   | FileCheck %s --check-prefixes=O0,ONLY-LLVM
// RUN: mase-opt %t.linalg.mlir --pass-pipeline='builtin.module(mase-cpu-pipeline{from=linalg vector-width=16})' \
// RUN:   | FileCheck %s --check-prefix=W16
// from=linalg to=linalg has nothing to do.
// RUN: mase-opt %t.linalg.mlir --pass-pipeline='builtin.module(mase-cpu-pipeline{from=linalg to=linalg})' \
// RUN:   | diff - %t.linalg.mlir

// Bad options and inputs in the wrong phase.
// RUN: not mase-opt %s --pass-pipeline='builtin.module(mase-cpu-pipeline{from=llvm-dialect})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-FROM
// RUN: not mase-opt %s --pass-pipeline='builtin.module(mase-cpu-pipeline{from=tosa})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-FROM-TOSA
// RUN: not mase-opt %s --pass-pipeline='builtin.module(mase-cpu-pipeline{to=graph})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-TO
// RUN: not mase-opt %t.linalg.mlir --pass-pipeline='builtin.module(mase-cpu-pipeline{from=graph})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOT-GRAPH

// Graph -> linalg: the signature recorded from the importer's names, one
// fused generic per relu, no mase ops left.
// LINALG-LABEL: module
// LINALG:         memref.global "public" constant @mase_model_abi_version : memref<i32> = dense<2>
// LINALG:         memref.global "public" constant @mase_model_signature : memref<88xi8>
// LINALG:         func.func @main(%{{.*}}: tensor<128x512xf32> {mase.input_name = "x"}, %{{.*}}: tensor<2x3xf32> {mase.input_name = "y"})
// LINALG-SAME:      -> (tensor<128x512xf32> {mase.output_name = "r"}, tensor<2x3xf32> {mase.output_name = "s"})
// LINALG:           linalg.generic
// LINALG:             arith.maximumf
// LINALG:           linalg.generic
// LINALG:             arith.maximumf
// LINALG-NOT:     mase.relu

// Linalg -> LLVM dialect: the ABI globals exported, @main internal and
// taking bare pointers (2 inputs, 2 outputs), the large relu spread over
// OpenMP threads and vectorized by 4 x 8 lanes, the entry point calling it.
// CHECK-LABEL: module
// CHECK-DAG:     llvm.mlir.global external constant @mase_model_abi_version(2 : i32)
// CHECK-DAG:     llvm.mlir.global external constant @mase_model_signature(dense<[109, 97, 115, 101, {{.*}}, 0]> : tensor<88xi8>) {{.*}} : !llvm.array<88 x i8>
// CHECK:         llvm.func internal @main(%[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %[[R:.*]]: !llvm.ptr, %[[S:.*]]: !llvm.ptr) {
// CHECK:           omp.parallel
// CHECK:             omp.wsloop
// CHECK:               omp.loop_nest
// CHECK:                 llvm.load %{{.*}} : !llvm.ptr -> vector<32xf32>
// CHECK:                 llvm.intr.maximum({{.*}}) : (vector<32xf32>, vector<32xf32>) -> vector<32xf32>
// CHECK:                 llvm.store %{{.*}} : vector<32xf32>, !llvm.ptr
// CHECK:         llvm.func @mase_model_entry(%[[BUF:.*]]: !llvm.ptr) {
// CHECK-COUNT-4:   llvm.load {{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK:           llvm.call @main({{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT:      llvm.return

// Nothing but the llvm and omp dialects is left.
// ONLY-LLVM-NOT: {{(func|arith|math|memref|linalg|scf|vector|tensor|affine|cf|ub|bufferization|mase)\.[a-z_]+}}
// ONLY-LLVM-NOT: unrealized_conversion_cast

// LLVMIR-DAG: @mase_model_abi_version = constant i32 2
// LLVMIR-DAG: @mase_model_signature = constant [88 x i8] c"mase-model\092\0Ainput\09x\09f32\09128x512\0Ainput\09y\09f32\092x3\0Aoutput\09r\09f32\09128x512\0Aoutput\09s\09f32\092x3\0A\00"
// LLVMIR-DAG: define internal void @main(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}})
// LLVMIR-DAG: define void @mase_model_entry(ptr %{{.*}})
// LLVMIR-DAG: call void {{.*}}@__kmpc_fork_call(

// -O0: scalar loops on one thread: no OpenMP, no vectors.
// O0-LABEL: llvm.func internal @main
// O0-NOT:     omp.
// O0-NOT:     vector<
// O0:         llvm.intr.maximum({{.*}}) : (f32, f32) -> f32
// O0-NOT:     omp.
// O0-NOT:     vector<
// O0-LABEL: llvm.func @mase_model_entry

// AVX-512 width: vectors of 4 x 16 lanes.
// W16-LABEL: llvm.func internal @main
// W16:         omp.parallel
// W16:         llvm.intr.maximum({{.*}}) : (vector<64xf32>, vector<64xf32>) -> vector<64xf32>

// BAD-FROM: for the --from option: Cannot find option named 'llvm-dialect'!
// BAD-FROM: failed to add `mase-cpu-pipeline` with options `from=llvm-dialect`
// BAD-FROM-TOSA: for the --from option: Cannot find option named 'tosa'!
// BAD-TO: for the --to option: Cannot find option named 'graph'!

// NOT-GRAPH-DAG: error: 'memref.global' (2 occurrences) is outside the contract of phase 'graph'; allowed dialects: arith, builtin, func, mase, tensor
// NOT-GRAPH-DAG: error: 'linalg.generic' (2 occurrences) is outside the contract of phase 'graph'

func.func @main(%x: tensor<128x512xf32> {mase.input_name = "x"}, %y: tensor<2x3xf32> {mase.input_name = "y"})
    -> (tensor<128x512xf32> {mase.output_name = "r"}, tensor<2x3xf32> {mase.output_name = "s"}) {
  %r = mase.relu %x : tensor<128x512xf32>
  %s = mase.relu %y : tensor<2x3xf32>
  return %r, %s : tensor<128x512xf32>, tensor<2x3xf32>
}
