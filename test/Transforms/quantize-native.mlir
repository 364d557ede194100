// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native.toml mode=native" | FileCheck %s
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native.toml mode=native" --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native.toml mode=native report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native.toml" | FileCheck %s --check-prefix=EMULATE
// RUN: mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native.toml mode=native integer-activations=0" | FileCheck %s --check-prefix=FLOAT
// RUN: not mase-opt %s --mase-quantize="config=%S/Inputs/quantize/native.toml mode=fast" 2>&1 | FileCheck %s --check-prefix=MODE

// fc1 (8-bit data_in and weight): both operands as i8 codes, the bias
// through mase.quantize, an integer linear.
// CHECK-LABEL: func.func @mlp
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{.*}}> : tensor<4x8xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<{{.*}}> : tensor<4xf32>
// CHECK: %[[CX:.*]] = mase.int_codes %arg0 : tensor<2x8xf32> -> tensor<2x8xi8> in #mase.int<8, 4>
// CHECK: %[[CW:.*]] = mase.int_codes %[[W1]] : tensor<4x8xf32> -> tensor<4x8xi8> in #mase.int<8, 7>
// CHECK: %[[QB:.*]] = mase.quantize %[[B1]] : tensor<4xf32> to #mase.int<8, 7>
// CHECK: %[[H:.*]] = mase.int_linear %[[CX]], %[[CW]], %[[QB]] {input_format = #mase.int<8, 4>, mase.layer = "fc1", weight_format = #mase.int<8, 7>} : (tensor<2x8xi8>, tensor<4x8xi8>, tensor<4xf32>) -> tensor<2x4xf32>
// fc2 (16-bit data_in, 4-bit weight): a float input through mase.quantize,
// the weight as i8 codes of the 4-bit format, no bias.
// CHECK: %[[QH:.*]] = mase.quantize %[[H]] : tensor<2x4xf32> to #mase.int<16, 8>
// CHECK: %[[CW2:.*]] = mase.int_codes %{{.*}} : tensor<3x4xf32> -> tensor<3x4xi8> in #mase.int<4, 2>
// CHECK: %[[Y:.*]] = mase.int_linear %[[QH]], %[[CW2]] {mase.layer = "fc2", weight_format = #mase.int<4, 2>} : (tensor<2x4xf32>, tensor<3x4xi8>) -> tensor<2x3xf32>
// fc3 (block_fp in blocks of 3, which the kernel cannot take): emulated.
// CHECK: mase.quantize %[[Y]] : tensor<2x3xf32> to #mase.bfp
// CHECK: mase.linear {{.*}} {mase.layer = "fc3"}
// fc4 (8-bit data_in, 4-bit weight): integer codes on both sides.
// CHECK: mase.int_linear {{.*}} {input_format = #mase.int<8, 4>, mase.layer = "fc4", weight_format = #mase.int<4, 3>} : (tensor<2x5xi8>, tensor<16x5xi8>) -> tensor<2x16xf32>
// CHECK-NOT: mase.int_
// fc1 and fc4 call the quantised GEMM of the model support library, fc2
// its integer-weight GEMM.
// CHECK-DAG: func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)
// CHECK-DAG: func.func private @mase_int_weight_gemm(i64, i64, i64, i64, i64, i32, i64, f32, i64)

// Without integer activations (the GPU), fc1's 8-bit data_in is quantised
// as in emulation and stays float; only the weight is in codes, and no CPU
// kernel is declared.
// FLOAT-LABEL: func.func @mlp
// FLOAT: %[[QX:.*]] = mase.quantize %arg0 : tensor<2x8xf32> to #mase.int<8, 4>
// FLOAT: %[[CW:.*]] = mase.int_codes %{{.*}} : tensor<4x8xf32> -> tensor<4x8xi8> in #mase.int<8, 7>
// FLOAT: mase.int_linear %[[QX]], %[[CW]], %{{.*}} {mase.layer = "fc1", weight_format = #mase.int<8, 7>} : (tensor<2x8xf32>, tensor<4x8xi8>, tensor<4xf32>) -> tensor<2x4xf32>
// FLOAT-NOT: mase_qgemm
// FLOAT-NOT: mase_int_weight_gemm

// The weights fold to i8 constants of their codes: 0.5 is 64 * 2^-7 and
// -0.75 is -3 * 2^-2; no float copy of them remains.
// FOLD-LABEL: func.func @mlp
// FOLD-NOT: tensor<4x8xf32>
// FOLD-NOT: tensor<3x4xf32>
// FOLD-DAG: arith.constant dense<64> : tensor<4x8xi8>
// FOLD-DAG: arith.constant dense<-3> : tensor<3x4xi8>
// FOLD-NOT: mase.int_codes %cst
// FOLD: mase.int_codes %arg0
// FOLD-NOT: tensor<4x8xf32>
// FOLD-NOT: tensor<3x4xf32>

// fc1's codes are stored packed for mase_qgemm: 4 x 8 padded to 16 x 8.
// REPORT: fc1 linear rule=fc1 native data_in=#mase.int<8, 4> weight=#mase.int<8, 7> bias=#mase.int<8, 7> weight_bytes=128->128
// fc2's float input takes mase_int_weight_gemm, on codes packed the same
// way: 3 x 4 padded to 16 x 4 at 4 bits, 32 bytes.
// REPORT: fc2 linear rule=fc2 native data_in=#mase.int<16, 8> weight=#mase.int<4, 2> weight_bytes=48->32
// REPORT: fc3 linear rule=fc3 emulated="blocks of 3 are not a multiple of 4" data_in=#mase.bfp
// fc4's 4-bit codes, packed for mase_qgemm at 4 bits: 16 x 5 padded to
// 16 x 8, 64 bytes.
// REPORT: fc4 linear rule=fc4 native data_in=#mase.int<8, 4> weight=#mase.int<4, 3> weight_bytes=320->64
// REPORT-NOT: native

// EMULATE-LABEL: func.func @mlp
// EMULATE-NOT: mase.int_
// EMULATE: mase.linear
// EMULATE-NOT: mase.int_

// MODE: mase-quantize: mode must be 'emulate' or 'native', got 'fast'

func.func @mlp(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %w1 = arith.constant dense<0.5> : tensor<4x8xf32>
  %b1 = arith.constant dense<0.25> : tensor<4xf32>
  %h = mase.linear %x, %w1, %b1 {mase.layer = "fc1"}
      : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %w2 = arith.constant dense<-0.8> : tensor<3x4xf32>
  %y = mase.linear %h, %w2 {mase.layer = "fc2"}
      : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %w3 = arith.constant dense<1.0> : tensor<5x3xf32>
  %z = mase.linear %y, %w3 {mase.layer = "fc3"}
      : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
  %w4 = arith.constant dense<0.375> : tensor<16x5xf32>
  %o = mase.linear %z, %w4 {mase.layer = "fc4"}
      : (tensor<2x5xf32>, tensor<16x5xf32>) -> tensor<2x16xf32>
  return %o : tensor<2x16xf32>
}
