// RUN: mase-opt %s | mase-opt | FileCheck %s
// RUN: mase-opt %s --mlir-print-op-generic | mase-opt | FileCheck %s
// RUN: mase-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Round trip of every graph op through its custom and its generic form.

// CHECK-LABEL: func.func @arithmetic
// CHECK-NEXT: mase.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: mase.sub %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: mase.mul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: mase.div %{{.*}}, %{{.*}} : (tensor<4x1x3xi32>, tensor<5x1xi32>) -> tensor<4x5x3xi32>
// CHECK-NEXT: mase.pow %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: mase.max %{{.*}}, %{{.*}} : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: mase.min %{{.*}}, %{{.*}} : (tensor<0x3xi64>, tensor<1xi64>) -> tensor<0x3xi64>
// GENERIC-LABEL: sym_name = "arithmetic"
// GENERIC: "mase.add"(%{{.*}}, %{{.*}}) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
func.func @arithmetic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>,
                      %s: tensor<f32>, %i: tensor<4x1x3xi32>, %j: tensor<5x1xi32>,
                      %r: tensor<1x3xf32>, %e: tensor<0x3xi64>, %k: tensor<1xi64>) {
  %0 = mase.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = mase.sub %a, %c : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %2 = mase.mul %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = mase.div %i, %j : (tensor<4x1x3xi32>, tensor<5x1xi32>) -> tensor<4x5x3xi32>
  %4 = mase.pow %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = mase.max %c, %r : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %6 = mase.min %e, %k : (tensor<0x3xi64>, tensor<1xi64>) -> tensor<0x3xi64>
  return
}

// CHECK-LABEL: func.func @comparison_and_logic
// CHECK-NEXT: mase.equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: mase.less %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: mase.greater %{{.*}}, %{{.*}} : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
// CHECK-NEXT: mase.greater_equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: mase.less_equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: mase.equal %{{.*}}, %{{.*}} : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK-NEXT: mase.and %{{.*}}, %{{.*}} : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK-NEXT: mase.or %{{.*}}, %{{.*}} : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT: mase.xor %{{.*}}, %{{.*}} : (tensor<1xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT: mase.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
func.func @comparison_and_logic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>,
                                %i: tensor<4xi64>, %p: tensor<4xi1>, %q: tensor<1xi1>,
                                %cond: tensor<2x1xi1>, %s: tensor<f32>) {
  %0 = mase.equal %a, %c : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  %1 = mase.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %2 = mase.greater %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %3 = mase.greater_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %4 = mase.less_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %5 = mase.equal %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %6 = mase.and %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %7 = mase.or %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %xor = mase.xor %q, %p : (tensor<1xi1>, tensor<4xi1>) -> tensor<4xi1>
  %8 = mase.where %cond, %b, %s : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @unary
// CHECK-NEXT: mase.relu %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.relu %{{.*}} : tensor<4xi8>
// CHECK-NEXT: mase.gelu %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.gelu %{{.*}} {approximate = "tanh"} : tensor<2x3xf32>
// CHECK-NEXT: mase.erf %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.tanh %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.sigmoid %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.exp %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.log %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.sqrt %{{.*}} : tensor<2x3xbf16>
// CHECK-NEXT: mase.neg %{{.*}} : tensor<4xi8>
// CHECK-NEXT: mase.abs %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.reciprocal %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT: mase.not %{{.*}} : tensor<4xi1>
// CHECK-NEXT: mase.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xi64>
// CHECK-NEXT: mase.cast %{{.*}} : tensor<4xi1> to tensor<4xf32>
// The default `approximate` is spelled out in the generic form.
// GENERIC-LABEL: sym_name = "unary"
// GENERIC: "mase.gelu"(%{{.*}}) <{approximate = "none"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @unary(%x: tensor<2x3xf32>, %i: tensor<4xi8>, %h: tensor<2x3xbf16>, %p: tensor<4xi1>) {
  %0 = mase.relu %x : tensor<2x3xf32>
  %1 = mase.relu %i : tensor<4xi8>
  %2 = mase.gelu %x {approximate = "none"} : tensor<2x3xf32>
  %3 = mase.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  %4 = mase.erf %x : tensor<2x3xf32>
  %5 = mase.tanh %x : tensor<2x3xf32>
  %6 = mase.sigmoid %x : tensor<2x3xf32>
  %7 = mase.exp %x : tensor<2x3xf32>
  %8 = mase.log %x : tensor<2x3xf32>
  %9 = mase.sqrt %h : tensor<2x3xbf16>
  %10 = mase.neg %i : tensor<4xi8>
  %11 = mase.abs %x : tensor<2x3xf32>
  %12 = mase.reciprocal %x : tensor<2x3xf32>
  %13 = mase.not %p : tensor<4xi1>
  %14 = mase.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
  %15 = mase.cast %p : tensor<4xi1> to tensor<4xf32>
  return
}

// CHECK-LABEL: func.func @neural_network
// CHECK-NEXT: mase.softmax %{{.*}} {axis = -1 : i64} : tensor<2x8xf32>
// CHECK-NEXT: mase.softmax %{{.*}} {axis = 0 : i64} : tensor<2x8xf32>
// CHECK-NEXT: mase.layer_norm %{{.*}} weight(%{{.*}}) bias(%{{.*}}) {axis = -1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: mase.layer_norm %{{.*}} weight(%{{.*}}) {axis = 0 : i64, epsilon = 1.000000e-03 : f32} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: mase.layer_norm %{{.*}} bias(%{{.*}}) {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: mase.layer_norm %{{.*}} {axis = -1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: mase.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: mase.linear %{{.*}}, %{{.*}} : (tensor<3x2x8xf32>, tensor<4x8xf32>) -> tensor<3x2x4xf32>
// CHECK-NEXT: mase.linear %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4xf32>
// GENERIC-LABEL: sym_name = "neural_network"
// GENERIC: "mase.layer_norm"(%{{.*}}, %{{.*}}) <{axis = 1 : i64, epsilon = 9.99999974E-6 : f32, operandSegmentSizes = array<i32: 1, 0, 1>}>
func.func @neural_network(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>,
                          %w: tensor<4x8xf32>, %bias: tensor<4xf32>, %x3: tensor<3x2x8xf32>,
                          %v: tensor<8xf32>) {
  %0 = mase.softmax %x {axis = -1 : i64} : tensor<2x8xf32>
  %1 = mase.softmax %x {axis = 0 : i64} : tensor<2x8xf32>
  %2 = mase.layer_norm %x weight(%g) bias(%b) {axis = -1 : i64, epsilon = 1.0e-5 : f32}
         : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %3 = mase.layer_norm %x weight(%x) {axis = 0 : i64, epsilon = 1.0e-3 : f32}
         : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = mase.layer_norm %x bias(%b) {axis = 1 : i64, epsilon = 1.0e-5 : f32}
         : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %5 = mase.layer_norm %x {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %6 = mase.linear %x, %w, %bias : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %7 = mase.linear %x3, %w : (tensor<3x2x8xf32>, tensor<4x8xf32>) -> tensor<3x2x4xf32>
  %8 = mase.linear %v, %w : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4xf32>
  return
}

// numpy matmul: batch broadcasting and 1-D operands.
// CHECK-LABEL: func.func @matmul
// CHECK-NEXT: mase.matmul %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK-NEXT: mase.matmul %{{.*}}, %{{.*}} : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
// CHECK-NEXT: mase.matmul %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<7x4x5xf32>) -> tensor<7x5xf32>
// CHECK-NEXT: mase.matmul %{{.*}}, %{{.*}} : (tensor<7x3x4xf32>, tensor<4xf32>) -> tensor<7x3xf32>
// CHECK-NEXT: mase.matmul %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
// CHECK-NEXT: mase.matmul %{{.*}}, %{{.*}} : (tensor<3x4xi8>, tensor<4x5xi8>) -> tensor<3x5xi8>
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x1x3x4xf32>,
                  %d: tensor<5x4x6xf32>, %v: tensor<4xf32>, %e: tensor<7x4x5xf32>,
                  %f: tensor<7x3x4xf32>, %i: tensor<3x4xi8>, %j: tensor<4x5xi8>) {
  %0 = mase.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %1 = mase.matmul %c, %d : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  %2 = mase.matmul %v, %e : (tensor<4xf32>, tensor<7x4x5xf32>) -> tensor<7x5xf32>
  %3 = mase.matmul %f, %v : (tensor<7x3x4xf32>, tensor<4xf32>) -> tensor<7x3xf32>
  %4 = mase.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %5 = mase.matmul %i, %j : (tensor<3x4xi8>, tensor<4x5xi8>) -> tensor<3x5xi8>
  return
}

// CHECK-LABEL: func.func @indexing
// CHECK-NEXT: mase.embedding %{{.*}}, %{{.*}} : (tensor<2x5xi64>, tensor<100x16xf32>) -> tensor<2x5x16xf32>
// CHECK-NEXT: mase.embedding %{{.*}}, %{{.*}} : (tensor<i32>, tensor<100x16xf32>) -> tensor<16xf32>
// CHECK-NEXT: mase.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2xi64>) -> tensor<3x2x5xf32>
// CHECK-NEXT: mase.gather %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<3x4x5xf32>, tensor<2x2xi64>) -> tensor<3x4x2x2xf32>
// CHECK-NEXT: mase.gather %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x4x5xf32>, tensor<i32>) -> tensor<4x5xf32>
func.func @indexing(%ids: tensor<2x5xi64>, %id: tensor<i32>, %table: tensor<100x16xf32>,
                    %x: tensor<3x4x5xf32>, %i: tensor<2xi64>, %i2: tensor<2x2xi64>) {
  %0 = mase.embedding %ids, %table : (tensor<2x5xi64>, tensor<100x16xf32>) -> tensor<2x5x16xf32>
  %1 = mase.embedding %id, %table : (tensor<i32>, tensor<100x16xf32>) -> tensor<16xf32>
  %2 = mase.gather %x, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2xi64>) -> tensor<3x2x5xf32>
  %3 = mase.gather %x, %i2 {axis = -1 : i64} : (tensor<3x4x5xf32>, tensor<2x2xi64>) -> tensor<3x4x2x2xf32>
  %4 = mase.gather %x, %id {axis = 0 : i64} : (tensor<3x4x5xf32>, tensor<i32>) -> tensor<4x5xf32>
  return
}

// CHECK-LABEL: func.func @shape_movement
// CHECK-NEXT: mase.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: mase.reshape %{{.*}} : tensor<1xf32> -> tensor<f32>
// CHECK-NEXT: mase.transpose %{{.*}} {permutation = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
// CHECK-NEXT: mase.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x7x4xf32>
// CHECK-NEXT: mase.concat %{{.*}} {axis = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: mase.slice %{{.*}} {ends = array<i64: 4, 7>, starts = array<i64: 0, 1>, steps = array<i64: 2, 3>} : tensor<4x8xf32> -> tensor<2x2xf32>
// CHECK-NEXT: mase.slice %{{.*}} {ends = array<i64: -1, 2>, starts = array<i64: 3, 2>, steps = array<i64: -1, 1>} : tensor<4x8xf32> -> tensor<4x0xf32>
// CHECK-NEXT: mase.expand %{{.*}} : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: mase.expand %{{.*}} : tensor<f32> -> tensor<2xf32>
// CHECK-NEXT: mase.reduce_mean %{{.*}} {axes = array<i64: -1>, keepdims = true} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
// CHECK-NEXT: mase.reduce_sum %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
// CHECK-NEXT: mase.reduce_max %{{.*}} {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: mase.reduce_max %{{.*}} {axes = array<i64: 0>, keepdims = false} : tensor<5xi32> -> tensor<i32>
func.func @shape_movement(%x: tensor<2x3x4xf32>, %one: tensor<1xf32>, %y: tensor<2x1x4xf32>,
                          %m: tensor<4x8xf32>, %col: tensor<3x1xf32>, %s: tensor<f32>,
                          %i: tensor<5xi32>) {
  %0 = mase.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = mase.reshape %one : tensor<1xf32> -> tensor<f32>
  %2 = mase.transpose %x {permutation = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %3 = mase.concat %x, %y, %x {axis = 1 : i64}
         : (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x7x4xf32>
  %4 = mase.concat %x {axis = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %5 = mase.slice %m {starts = array<i64: 0, 1>, ends = array<i64: 4, 7>, steps = array<i64: 2, 3>}
         : tensor<4x8xf32> -> tensor<2x2xf32>
  // Backwards through the whole of dimension 0; an empty range in dimension 1.
  %6 = mase.slice %m {starts = array<i64: 3, 2>, ends = array<i64: -1, 2>, steps = array<i64: -1, 1>}
         : tensor<4x8xf32> -> tensor<4x0xf32>
  %7 = mase.expand %col : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %8 = mase.expand %s : tensor<f32> -> tensor<2xf32>
  %9 = mase.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
  %10 = mase.reduce_sum %x {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  %11 = mase.reduce_max %x {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %12 = mase.reduce_max %i {axes = array<i64: 0>, keepdims = false} : tensor<5xi32> -> tensor<i32>
  return
}

// CHECK-LABEL: func.func @windows
// CHECK-NEXT: mase.conv2d %{{.*}}, %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: mase.conv2d %{{.*}}, %{{.*}} {dilation = array<i64: 2, 1>, groups = 4 : i64, padding = array<i64: 0, 1, 2, 0>, stride = array<i64: 1, 1>} : (tensor<2x4x5x6xf32>, tensor<8x1x2x2xf32>) -> tensor<2x8x5x6xf32>
// CHECK-NEXT: mase.max_pool2d %{{.*}} {ceil_mode = true, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : tensor<1x3x5x5xi8> -> tensor<1x3x3x3xi8>
// CHECK-NEXT: mase.avg_pool2d %{{.*}} {ceil_mode = false, count_include_pad = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
// GENERIC-LABEL: sym_name = "windows"
// GENERIC: "mase.conv2d"(%{{.*}}, %{{.*}}, %{{.*}}) <{dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}>
func.func @windows(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>,
                   %g: tensor<2x4x5x6xf32>, %gw: tensor<8x1x2x2xf32>, %i: tensor<1x3x5x5xi8>) {
  %0 = mase.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>,
                               dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  // Grouped (depthwise with multiplier 2), dilated, asymmetric padding.
  %1 = mase.conv2d %g, %gw {stride = array<i64: 1, 1>, padding = array<i64: 0, 1, 2, 0>,
                            dilation = array<i64: 2, 1>, groups = 4 : i64}
         : (tensor<2x4x5x6xf32>, tensor<8x1x2x2xf32>) -> tensor<2x8x5x6xf32>
  // ceil_mode: (5 - 2) / 2 rounds up to 2, so 3 windows.
  %2 = mase.max_pool2d %i {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = true} : tensor<1x3x5x5xi8> -> tensor<1x3x3x3xi8>
  %3 = mase.avg_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>,
                           padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>,
                           ceil_mode = false, count_include_pad = false}
         : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  return
}
