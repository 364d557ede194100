// RUN: mase-opt %s --mase-quantize='config-text={"by": "name", "wide": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "weight_width": 12, "weight_frac_width": 10, "bias_width": 8, "bias_frac_width": 4}}, "too_wide": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "weight_width": 20, "weight_frac_width": 10}}} mode=native' | FileCheck %s
// RUN: mase-opt %s --mase-quantize='config-text={"by": "name", "wide": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "weight_width": 12, "weight_frac_width": 10, "bias_width": 8, "bias_frac_width": 4}}, "too_wide": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "weight_width": 20, "weight_frac_width": 10}}} mode=native report=-' -o /dev/null | FileCheck %s --check-prefix=REPORT

// Integer weights of 9 to 16 bits are stored as i16 codes (2 bytes a
// weight). The integer kernels take byte codes only, so the 8-bit data_in
// is quantised as in emulation and the layer multiplies its float input by
// the codes; no model support kernel is declared. 20-bit weights have no
// native form: emulated, with the reason in the report.
// CHECK-LABEL: func.func @layers
// CHECK: %[[QX:.*]] = mase.quantize %arg0 : tensor<2x8xf32> to #mase.int<8, 4>
// CHECK: %[[CW:.*]] = mase.int_codes %{{.*}} : tensor<4x8xf32> -> tensor<4x8xi16> in #mase.int<12, 10>
// CHECK: mase.int_linear %[[QX]], %[[CW]], %{{.*}} {mase.layer = "wide", weight_format = #mase.int<12, 10>} : (tensor<2x8xf32>, tensor<4x8xi16>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: mase.linear {{.*}} {mase.layer = "too_wide"}
// CHECK-NOT: func.func private
// REPORT: wide linear rule=wide native data_in=#mase.int<8, 4> weight=#mase.int<12, 10> bias=#mase.int<8, 4> weight_bytes=128->64
// REPORT: too_wide linear rule=too_wide emulated="the weight format has no native kernel (integer <= 16 bits, MXINT8, block FP do)"
func.func @layers(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.3> : tensor<4x8xf32>
  %b = arith.constant dense<0.1> : tensor<4xf32>
  %h = mase.linear %x, %w, %b {mase.layer = "wide"} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %w2 = arith.constant dense<0.2> : tensor<4x4xf32>
  %y = mase.linear %h, %w2 {mase.layer = "too_wide"} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
