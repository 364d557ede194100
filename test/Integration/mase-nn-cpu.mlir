// RUN: mase-opt %s --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' \
// RUN:   | mase-opt --pass-pipeline=%interim_cpu_pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void \
// RUN:       -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN:   | FileCheck %s

// Lowers the mase neural-network ops with mase-lower-to-linalg, compiles them
// for the host CPU and runs them on small constants. The expected values were
// computed independently with numpy (float64; printMemrefF32 prints 6
// significant digits).

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  // linear, 3-D input with bias: x [2, 2, 3], w [2, 3], b [2]; x w^T + b.
  // CHECK: rank = 3 offset = 0 sizes = [2, 2, 2]
  // CHECK-NEXT: {{\[+}}-1.75, 7.5],
  // CHECK-NEXT: [-1.75, 18]],
  // CHECK-NEXT: {{\[+}}-1.75, 0.5],
  // CHECK-NEXT: [-1.25, 2.75]]]
  %lx = arith.constant dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                              [[-1.0, 0.0, 1.0], [0.5, -0.5, 2.0]]]> : tensor<2x2x3xf32>
  %lw = arith.constant dense<[[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]]> : tensor<2x3xf32>
  %lb = arith.constant dense<[0.25, -1.0]> : tensor<2xf32>
  %ly = mase.linear %lx, %lw, %lb : (tensor<2x2x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x2x2xf32>
  %ly_u = tensor.cast %ly : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ly_u) : (tensor<*xf32>) -> ()

  // linear, 1-D input, no bias.
  // CHECK: rank = 1 offset = 0 sizes = [2]
  // CHECK-NEXT: [0.5, -0.5]
  %lv = arith.constant dense<[1.0, -2.0, 0.5]> : tensor<3xf32>
  %lz = mase.linear %lv, %lw : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2xf32>
  %lz_u = tensor.cast %lz : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%lz_u) : (tensor<*xf32>) -> ()

  // matmul, batch dimensions broadcast on both sides:
  // [2, 1, 1, 3] x [2, 3, 2] -> [2, 2, 1, 2].
  // CHECK: rank = 4 offset = 0 sizes = [2, 2, 1, 2]
  // CHECK-NEXT: {{\[+}}4, 5]],
  // CHECK-NEXT: {{\[+}}4, 6.5]]],
  // CHECK-NEXT: {{\[+}}1, 2.5]],
  // CHECK-NEXT: {{\[+}}-1.5, 3.5]]]]
  %ma = arith.constant dense<[[[[1.0, 2.0, 3.0]]], [[[-1.0, 0.5, 2.0]]]]> : tensor<2x1x1x3xf32>
  %mb = arith.constant dense<[[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
                              [[2.0, -1.0], [1.0, 3.0], [0.0, 0.5]]]> : tensor<2x3x2xf32>
  %mc = mase.matmul %ma, %mb : (tensor<2x1x1x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x1x2xf32>
  %mc_u = tensor.cast %mc : tensor<2x2x1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%mc_u) : (tensor<*xf32>) -> ()

  // matmul, batched lhs and 2-D rhs: [2, 2, 3] x [3, 2] -> [2, 2, 2].
  // CHECK: rank = 3 offset = 0 sizes = [2, 2, 2]
  // CHECK-NEXT: {{\[+}}5, 9],
  // CHECK-NEXT: [14, 16.5]],
  // CHECK-NEXT: {{\[+}}-1, 4],
  // CHECK-NEXT: [-0.5, 5.25]]]
  %m2 = arith.constant dense<[[1.0, -1.0], [2.0, 0.5], [0.0, 3.0]]> : tensor<3x2xf32>
  %md = mase.matmul %lx, %m2 : (tensor<2x2x3xf32>, tensor<3x2xf32>) -> tensor<2x2x2xf32>
  %md_u = tensor.cast %md : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%md_u) : (tensor<*xf32>) -> ()

  // matmul, 1-D lhs: [3] x [2, 3, 2] -> [2, 2].
  // CHECK: rank = 2 offset = 0 sizes = [2, 2]
  // CHECK-NEXT: {{\[+}}1.5, -1.5],
  // CHECK-NEXT: [0, -6.75]]
  %me = mase.matmul %lv, %mb : (tensor<3xf32>, tensor<2x3x2xf32>) -> tensor<2x2xf32>
  %me_u = tensor.cast %me : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%me_u) : (tensor<*xf32>) -> ()

  // matmul, two vectors: [3] x [3] -> [].
  // CHECK: rank = 0 offset = 0 sizes = []
  // CHECK-NEXT: [2]
  %mv = arith.constant dense<[2.0, 1.0, 4.0]> : tensor<3xf32>
  %mf = mase.matmul %lv, %mv : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  %mf_u = tensor.cast %mf : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%mf_u) : (tensor<*xf32>) -> ()

  // softmax over the last axis (the 1000 checks the max subtraction) and
  // over axis 0.
  // CHECK: rank = 2 offset = 0 sizes = [2, 3]
  // CHECK-NEXT: {{\[+}}0.0900306, 0.244728, 0.665241],
  // CHECK-NEXT: [0, 0, 1]]
  // CHECK: rank = 2 offset = 0 sizes = [2, 3]
  // CHECK-NEXT: {{\[+}}0.880797, 0.880797, 0],
  // CHECK-NEXT: [0.119203, 0.119203, 1]]
  %sx = arith.constant dense<[[1.0, 2.0, 3.0], [-1.0, 0.0, 1000.0]]> : tensor<2x3xf32>
  %s1 = mase.softmax %sx {axis = -1 : i64} : tensor<2x3xf32>
  %s1_u = tensor.cast %s1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%s1_u) : (tensor<*xf32>) -> ()
  %s0 = mase.softmax %sx {axis = 0 : i64} : tensor<2x3xf32>
  %s0_u = tensor.cast %s0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%s0_u) : (tensor<*xf32>) -> ()

  // layer_norm over the last axis with weight and bias (epsilon 1e-5).
  // CHECK: rank = 2 offset = 0 sizes = [2, 4]
  // CHECK-NEXT: {{\[+}}-1.34164, 0.776394, -0.105576, -0.841635],
  // CHECK-NEXT: [-1.41421, 1, -1, -0.91421]]
  %nx = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [-2.0, 0.0, 0.0, 2.0]]> : tensor<2x4xf32>
  %nw = arith.constant dense<[1.0, 0.5, 2.0, -1.0]> : tensor<4xf32>
  %nb = arith.constant dense<[0.0, 1.0, -1.0, 0.5]> : tensor<4xf32>
  %ny = mase.layer_norm %nx weight(%nw) bias(%nb) {axis = -1 : i64, epsilon = 9.99999974E-6 : f32}
      : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %ny_u = tensor.cast %ny : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%ny_u) : (tensor<*xf32>) -> ()

  // layer_norm over dimensions 1 and 2, no weight or bias, epsilon 0.5.
  // CHECK: rank = 3 offset = 0 sizes = [2, 2, 2]
  // CHECK-NEXT: {{\[+}}-1.06749, -0.457496],
  // CHECK-NEXT: [0.152499, 1.37249]],
  // CHECK-NEXT: {{\[+}}0, 0],
  // CHECK-NEXT: [1, -1]]]
  %n3 = arith.constant dense<[[[1.0, 2.0], [3.0, 5.0]], [[0.0, 0.0], [1.0, -1.0]]]> : tensor<2x2x2xf32>
  %n3y = mase.layer_norm %n3 {axis = 1 : i64, epsilon = 0.5 : f32} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %n3y_u = tensor.cast %n3y : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%n3y_u) : (tensor<*xf32>) -> ()

  // gelu, exact and tanh approximation. gelu(-3) is a small difference
  // (1 + erf or 1 + tanh near -1) that float32 only gets to about 5 digits
  // (numpy: -0.00404969 and -0.00363739), so its last digits are left open.
  // CHECK: rank = 1 offset = 0 sizes = [6]
  // CHECK-NEXT: [{{-0.00404(97|96[0-9])}}, -0.158655, -0.154269, 0, 0.345731, 1.9545]
  // CHECK: rank = 1 offset = 0 sizes = [6]
  // CHECK-NEXT: [{{-0.003637[0-9]*}}, -0.158808, -0.154286, 0, 0.345714, 1.9546]
  %gx = arith.constant dense<[-3.0, -1.0, -0.5, 0.0, 0.5, 2.0]> : tensor<6xf32>
  %g0 = mase.gelu %gx : tensor<6xf32>
  %g0_u = tensor.cast %g0 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%g0_u) : (tensor<*xf32>) -> ()
  %g1 = mase.gelu %gx {approximate = "tanh"} : tensor<6xf32>
  %g1_u = tensor.cast %g1 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%g1_u) : (tensor<*xf32>) -> ()

  // embedding, 2-D indices (-1 wraps to the last row).
  // CHECK: rank = 3 offset = 0 sizes = [2, 2, 2]
  // CHECK-NEXT: {{\[+}}0, 0.5],
  // CHECK-NEXT: [2, 2.5]],
  // CHECK-NEXT: {{\[+}}1, 1.5],
  // CHECK-NEXT: [2, 2.5]]]
  %et = arith.constant dense<[[0.0, 0.5], [1.0, 1.5], [2.0, 2.5]]> : tensor<3x2xf32>
  %ei = arith.constant dense<[[0, 2], [1, -1]]> : tensor<2x2xi64>
  %ey = mase.embedding %ei, %et : (tensor<2x2xi64>, tensor<3x2xf32>) -> tensor<2x2x2xf32>
  %ey_u = tensor.cast %ey : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ey_u) : (tensor<*xf32>) -> ()

  // gather on axis 1 (i32 indices, -3 wraps to 0), on axis 0 with a scalar
  // index, and on axis 0 with 2-D indices.
  // CHECK: rank = 2 offset = 0 sizes = [2, 2]
  // CHECK-NEXT: {{\[+}}3, 1],
  // CHECK-NEXT: [6, 4]]
  // CHECK: rank = 1 offset = 0 sizes = [2]
  // CHECK-NEXT: [3, 4]
  // CHECK: rank = 3 offset = 0 sizes = [2, 2, 3]
  // CHECK-NEXT: {{\[+}}4, 5, 6],
  // CHECK-NEXT: [1, 2, 3]],
  // CHECK-NEXT: {{\[+}}4, 5, 6],
  // CHECK-NEXT: [4, 5, 6]]]
  %gd = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %gi = arith.constant dense<[2, -3]> : tensor<2xi32>
  %ga = mase.gather %gd, %gi {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x2xf32>
  %ga_u = tensor.cast %ga : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ga_u) : (tensor<*xf32>) -> ()
  %gt = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %gs = arith.constant dense<1> : tensor<i64>
  %gb = mase.gather %gt, %gs {axis = 0 : i64} : (tensor<3x2xf32>, tensor<i64>) -> tensor<2xf32>
  %gb_u = tensor.cast %gb : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%gb_u) : (tensor<*xf32>) -> ()
  %g2 = arith.constant dense<[[1, 0], [-1, 1]]> : tensor<2x2xi64>
  %gc = mase.gather %gd, %g2 {axis = -2 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2x3xf32>
  %gc_u = tensor.cast %gc : tensor<2x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%gc_u) : (tensor<*xf32>) -> ()

  // reductions of r = [[[0, 1], [2, 3], [4, 5]], [[6, 7], [-7, 9], [10, 11]]].
  // CHECK: rank = 1 offset = 0 sizes = [3]
  // CHECK-NEXT: [14, 7, 30]
  // CHECK: rank = 3 offset = 0 sizes = [2, 3, 1]
  // CHECK-NEXT: {{\[+}}0.5],
  // CHECK-NEXT: [2.5],
  // CHECK-NEXT: [4.5]],
  // CHECK-NEXT: {{\[+}}6.5],
  // CHECK-NEXT: [1],
  // CHECK-NEXT: [10.5]]]
  // CHECK: rank = 2 offset = 0 sizes = [2, 2]
  // CHECK-NEXT: {{\[+}}4, 5],
  // CHECK-NEXT: [10, 11]]
  // CHECK: rank = 0 offset = 0 sizes = []
  // CHECK-NEXT: [11]
  %r = arith.constant dense<[[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]],
                             [[6.0, 7.0], [-7.0, 9.0], [10.0, 11.0]]]> : tensor<2x3x2xf32>
  %rs = mase.reduce_sum %r {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x2xf32> -> tensor<3xf32>
  %rs_u = tensor.cast %rs : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%rs_u) : (tensor<*xf32>) -> ()
  %rm = mase.reduce_mean %r {axes = array<i64: -1>, keepdims = true} : tensor<2x3x2xf32> -> tensor<2x3x1xf32>
  %rm_u = tensor.cast %rm : tensor<2x3x1xf32> to tensor<*xf32>
  call @printMemrefF32(%rm_u) : (tensor<*xf32>) -> ()
  %rx = mase.reduce_max %r {axes = array<i64: 1>, keepdims = false} : tensor<2x3x2xf32> -> tensor<2x2xf32>
  %rx_u = tensor.cast %rx : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%rx_u) : (tensor<*xf32>) -> ()
  %ra = mase.reduce_max %r {axes = array<i64: 2, 0, 1>, keepdims = false} : tensor<2x3x2xf32> -> tensor<f32>
  %ra_u = tensor.cast %ra : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%ra_u) : (tensor<*xf32>) -> ()
  return
}

