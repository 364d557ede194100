// RUN: mase-opt %s --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' | FileCheck %s

// The sliding-window patterns of mase-lower-to-linalg (WindowToLinalg.cpp):
// the structure of each lowering. The ONNX conformance tests
// (test_conv_*, test_maxpool_*, test_averagepool_*) check the values.

// CHECK-DAG: #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$HW:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>

// conv2d: zero padding, the bias broadcast over N, OH, OW as accumulator,
// linalg.conv_2d_nchw_fchw with the strides and dilations.
// CHECK-LABEL: func.func @conv_bias_padded
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%{{.+}} : tensor<1x4x4x4xf32>) dimensions = [0, 2, 3]
// CHECK: %[[Y:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%[[ACC]] : tensor<1x4x4x4xf32>)
// CHECK: return %[[Y]]
// CHECK-NOT: mase.
func.func @conv_bias_padded(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %y = mase.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>,
                               dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// Grouped: asymmetric padding, zero accumulator, group-split views for
// linalg.conv_2d_ngchw_gfchw, collapsed back.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x5x6xf32>, %[[W:.+]]: tensor<8x1x2x2xf32>)
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 0, 1] high[0, 0, 2, 0]
// CHECK: } : tensor<2x4x5x6xf32> to tensor<2x4x7x7xf32>
// CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x8x5x6xf32>)
// CHECK: %[[XG:.+]] = tensor.expand_shape %[[P]] {{.*}} into tensor<2x4x1x7x7xf32>
// CHECK: %[[WG:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [4, 2, 1, 2, 2] : tensor<8x1x2x2xf32> into tensor<4x2x1x2x2xf32>
// CHECK: %[[AG:.+]] = tensor.expand_shape %[[ACC]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 4, 2, 5, 6] : tensor<2x8x5x6xf32> into tensor<2x4x2x5x6xf32>
// CHECK: %[[Y:.+]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XG]], %[[WG]] : tensor<2x4x1x7x7xf32>, tensor<4x2x1x2x2xf32>) outs(%[[AG]] : tensor<2x4x2x5x6xf32>)
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2], [3], [4]] : tensor<2x4x2x5x6xf32> into tensor<2x8x5x6xf32>
// CHECK: return %[[R]]
func.func @conv_grouped(%x: tensor<2x4x5x6xf32>, %w: tensor<8x1x2x2xf32>) -> tensor<2x8x5x6xf32> {
  %y = mase.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 1, 2, 0>,
                           dilation = array<i64: 2, 1>, groups = 4 : i64}
         : (tensor<2x4x5x6xf32>, tensor<8x1x2x2xf32>) -> tensor<2x8x5x6xf32>
  return %y : tensor<2x8x5x6xf32>
}

// max_pool2d: padded with -inf, here only at the end for the last ceil-mode
// window, and pooled from -inf.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]]
// CHECK: } : tensor<1x3x5x5xf32> to tensor<1x3x6x6xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x3x3x3xf32>)
// CHECK: %[[WIN:.+]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[Y:.+]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[WIN]] : tensor<1x3x6x6xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x3x3x3xf32>)
// CHECK: return %[[Y]]
func.func @max_pool_ceil(%x: tensor<1x3x5x5xf32>) -> tensor<1x3x3x3xf32> {
  %y = mase.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = true} : tensor<1x3x5x5xf32> -> tensor<1x3x3x3xf32>
  return %y : tensor<1x3x3x3xf32>
}

// Integers pool from the smallest value; no padding, no tensor.pad.
// CHECK-LABEL: func.func @max_pool_int
// CHECK-NOT: tensor.pad
// CHECK: arith.constant -128 : i8
// CHECK: linalg.pooling_nchw_max
func.func @max_pool_int(%x: tensor<1x1x4x4xi8>) -> tensor<1x1x2x2xi8> {
  %y = mase.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = false} : tensor<1x1x4x4xi8> -> tensor<1x1x2x2xi8>
  return %y : tensor<1x1x2x2xi8>
}

// avg_pool2d without count_include_pad: the sum divided by the number of
// input elements in each window (4 in the corners, 6 on the edges, 9 inside).
// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[S:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[P]], %{{.+}} : tensor<1x2x5x5xf32>, tensor<3x3xf32>)
// CHECK: %[[N:.+]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$HW]], #[[$ID4]]]
// CHECK-SAME: ins(%[[S]], %[[N]] : tensor<1x2x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @avg_pool_exclude_pad(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %y = mase.avg_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>,
                           padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>,
                           ceil_mode = false, count_include_pad = false}
         : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// Unpadded windows all count their full size.
// CHECK-LABEL: func.func @avg_pool_include_pad
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.constant dense<4.000000e+00> : tensor<2x2xf32>
// CHECK: arith.divf
func.func @avg_pool_include_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %y = mase.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = false, count_include_pad = true}
         : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
