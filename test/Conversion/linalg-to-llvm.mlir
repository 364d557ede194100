// RUN: mase-opt %s --pass-pipeline=%interim_cpu_pipeline | FileCheck %s
// RUN: mase-opt %s --pass-pipeline=%interim_cpu_pipeline | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// The interim CPU lowering takes linalg on tensors all the way to the LLVM
// dialect (the pipeline ends with mase-verify-contract{allowed-dialects=llvm}),
// and the result translates to LLVM IR with a C interface wrapper.

// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @bias_relu
// CHECK:         llvm.intr.maximum
// CHECK-LABEL: llvm.func @_mlir_ciface_bias_relu

// LLVMIR: define { ptr, ptr, i64, [1 x i64], [1 x i64] } @bias_relu(
// LLVMIR: define void @_mlir_ciface_bias_relu(

func.func @bias_relu(%x: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<16xf32>
    attributes {llvm.emit_c_interface} {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%x, %b : tensor<16xf32>, tensor<16xf32>) outs(%init : tensor<16xf32>) {
  ^bb0(%v: f32, %c: f32, %out: f32):
    %s = arith.addf %v, %c : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  return %y : tensor<16xf32>
}
