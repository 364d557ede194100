// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native-block.toml mode=native" | FileCheck %s
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native-block.toml mode=native report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native-block.toml mode=native integer-activations=0 report=%t.report" | FileCheck %s --check-prefix=FLOAT
// RUN: FileCheck %s --check-prefix=FLOAT-REPORT < %t.report

// MXINT8 weights keep their own encoding: 0.5 = 64 * 2^(126 - 133), so
// every mantissa is 64 and every scale byte 126.
// CHECK-LABEL: func.func @mx
// CHECK: %[[X:.*]] = mase.quantize %arg0 : tensor<2x64xf32> to #mase.mxint8<block = 32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<64> : tensor<4x64xi8>
// CHECK-DAG: %[[E:.*]] = arith.constant dense<126> : tensor<4x2xi8>
// CHECK: mase.block_linear %[[X]], %[[M]], %[[E]] {block = 32 : i64, mase.layer = "mx"}
// CHECK-SAME: (tensor<2x64xf32>, tensor<4x64xi8>, tensor<4x2xi8>) -> tensor<2x4xf32>
func.func @mx(%x: tensor<2x64xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x64xf32>
  %y = mase.linear %x, %w {mase.layer = "mx"} : (tensor<2x64xf32>, tensor<4x64xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// Block FP values are re-expressed as the kernel expresses its input:
// 0.75 = 96 * 2^-7, stored as the byte -7 + 133 = 126. The bias is
// quantised as in emulation.
// CHECK-LABEL: func.func @bfp
// CHECK: %[[X:.*]] = mase.quantize %arg0 : tensor<5x8xf32> to #mase.bfp<8, 8, bias = 127, block = [1, 4]>
// CHECK: %[[B:.*]] = mase.quantize %{{.*}} : tensor<3xf32> to #mase.bfp<8, 8, bias = 127, block = [4], skip_first_dim = false>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<96> : tensor<3x8xi8>
// CHECK-DAG: %[[E:.*]] = arith.constant dense<126> : tensor<3x2xi8>
// CHECK: mase.block_linear %[[X]], %[[M]], %[[E]], %[[B]] {block = 4 : i64, mase.layer = "bfp"}
func.func @bfp(%x: tensor<5x8xf32>) -> tensor<5x3xf32> {
  %w = arith.constant dense<0.75> : tensor<3x8xf32>
  %b = arith.constant dense<0.1> : tensor<3xf32>
  %y = mase.linear %x, %w, %b {mase.layer = "bfp"} : (tensor<5x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// CHECK-LABEL: func.func @mixed
// CHECK-NOT: mase.block_linear
// CHECK: mase.linear
func.func @mixed(%x: tensor<2x64xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x64xf32>
  %y = mase.linear %x, %w {mase.layer = "mixed"} : (tensor<2x64xf32>, tensor<4x64xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @argw
// CHECK-NOT: mase.block_linear
// CHECK: mase.linear
func.func @argw(%x: tensor<2x32xf32>, %w: tensor<4x32xf32>) -> tensor<2x4xf32> {
  %y = mase.linear %x, %w {mase.layer = "argw"} : (tensor<2x32xf32>, tensor<4x32xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
// CHECK: func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)

// Stored bytes: mantissas padded to 16 features and 4-deep groups, plus one
// exponent byte per block.
// REPORT: mx linear rule=mx native data_in=#mase.mxint8<block = 32> weight=#mase.mxint8<block = 32> weight_bytes=1024->1032
// REPORT: bfp linear rule=bfp native data_in=#mase.bfp<8, 8, bias = 127, block = [1, 4]> bias=#mase.bfp<8, 8, bias = 127, block = [4], skip_first_dim = false> weight=#mase.bfp<8, 8, bias = 127, block = [1, 4], skip_first_dim = false> weight_bytes=96->134
// REPORT: mixed linear rule=mixed emulated="data_in blocks of 32 differ from weight blocks of 16" data_in=#mase.mxint8<block = 32> weight=#mase.mxint8<block = 16>
// REPORT: argw linear rule=argw emulated="the weight is not a constant"

// Without integer activations (the GPU) every block-scaled constant weight
// is native, whatever data_in's blocks: the input is quantised as in
// emulation and taken as float, the weight stays in mantissas and exponent
// bytes, and no CPU kernel is declared.
// FLOAT-LABEL: func.func @mx
// FLOAT: %[[X:.*]] = mase.quantize %arg0 : tensor<2x64xf32> to #mase.mxint8<block = 32>
// FLOAT: mase.block_linear %[[X]], %{{.*}}, %{{.*}} {block = 32 : i64, float_input, mase.layer = "mx"}
// FLOAT-LABEL: func.func @bfp
// FLOAT: mase.block_linear {{.*}} {block = 4 : i64, float_input, mase.layer = "bfp"}
// FLOAT-LABEL: func.func @mixed
// FLOAT: %[[X:.*]] = mase.quantize %arg0 : tensor<2x64xf32> to #mase.mxint8<block = 32>
// FLOAT-DAG: %[[M:.*]] = arith.constant dense<64> : tensor<4x64xi8>
// FLOAT-DAG: %[[E:.*]] = arith.constant dense<126> : tensor<4x4xi8>
// FLOAT: mase.block_linear %[[X]], %[[M]], %[[E]] {block = 16 : i64, float_input, mase.layer = "mixed"}
// FLOAT-LABEL: func.func @argw
// FLOAT: mase.linear
// FLOAT-NOT: mase_qgemm

// Mantissas one per byte, plus one exponent byte per block.
// FLOAT-REPORT: mx linear rule=mx native {{.*}} weight_bytes=1024->264
// FLOAT-REPORT: mixed linear rule=mixed native {{.*}} weight_bytes=1024->272
// FLOAT-REPORT: argw linear rule=argw emulated="the weight is not a constant"
