// RUN: mase-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(mase-fuse-elementwise))' | FileCheck %s
// RUN: mase-opt %s --split-input-file --linalg-fuse-elementwise-ops | FileCheck %s --check-prefix=UPSTREAM

// A chain of elementwise generics (with a broadcast operand) becomes one
// generic computing tanh(exp(x) * c).

// CHECK-LABEL: func.func @chain
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<8xf32>)
// CHECK:         %[[G:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[X]], %[[C]] : tensor<4x8xf32>, tensor<8xf32>)
// CHECK-NEXT:    ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[A]] : f32
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[E]], %[[B]] : f32
// CHECK-NEXT:      %[[T:.*]] = math.tanh %[[M]] : f32
// CHECK-NEXT:      linalg.yield %[[T]] : f32
// CHECK:         return %[[G]]
// CHECK-NOT:     linalg.generic
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @chain(%x: tensor<4x8xf32>, %c: tensor<8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0, %c : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%1 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.tanh %a : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// An elementwise producer fuses into a reduction consumer (softmax's sum of
// exponentials); a producer with another use is not fused: the consumer
// would compute it a second time.

// CHECK-LABEL: func.func @into_reduction
// CHECK:         %[[ACC:.*]] = linalg.fill
// CHECK:         %[[S:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%arg0 : tensor<4x8xf32>) outs(%[[ACC]] : tensor<4xf32>)
// CHECK:           %[[E:.*]] = math.exp
// CHECK-NEXT:      arith.addf %[[E]],
// CHECK:         return %[[S]]
func.func @into_reduction(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %ex = tensor.empty() : tensor<4x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%ex : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e = tensor.empty() : tensor<4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%g : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// CHECK-LABEL: func.func @two_uses
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK:         %[[G:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      math.exp
// CHECK-NEXT:      linalg.yield
// CHECK:         %[[H:.*]] = linalg.generic {{.*}} ins(%[[G]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      math.sqrt
// CHECK-NEXT:      linalg.yield
// CHECK:         return %[[G]], %[[H]]
func.func @two_uses(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%g : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %g, %h : tensor<4xf32>, tensor<4xf32>
}

// -----

// A reduction producer is not fused into its elementwise consumer.

// CHECK-LABEL: func.func @reduction_producer
// CHECK:         %[[S:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel"]{{.*}} ins(%[[S]] : tensor<4xf32>)
// CHECK:           math.sqrt
func.func @reduction_producer(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%s : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.sqrt %a : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Named contractions stay named, with their elementwise neighbours unfused
// (upstream does not fuse these either).

// CHECK-LABEL: func.func @matmul_bias
// CHECK:         %[[MM:.*]] = linalg.matmul
// CHECK:         linalg.generic {{.*}} ins(%[[MM]], %{{.*}} : tensor<4x8xf32>, tensor<8xf32>)
// CHECK-LABEL: func.func @exp_into_batch_matmul
// CHECK:         %[[G:.*]] = linalg.generic
// CHECK:           arith.negf
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %[[G]] : tensor<2x4x16xf32>, tensor<2x16x8xf32>)
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @matmul_bias(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%acc : tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %r = arith.addf %a, %bb : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
func.func @exp_into_batch_matmul(%x: tensor<2x4x16xf32>, %w: tensor<2x16x8xf32>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ew = tensor.empty() : tensor<2x16x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(b, i, j) -> (b, i, j)>, affine_map<(b, i, j) -> (b, i, j)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%w : tensor<2x16x8xf32>) outs(%ew : tensor<2x16x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<2x16x8xf32>
  %e = tensor.empty() : tensor<2x4x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %mm = linalg.batch_matmul ins(%x, %g : tensor<2x4x16xf32>, tensor<2x16x8xf32>) outs(%acc : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %mm : tensor<2x4x8xf32>
}

// -----

// The difference from upstream: a matmul between reshapes (a 3-D linear
// layer) stays a linalg.matmul with its reshapes, where
// linalg-fuse-elementwise-ops propagates the reshapes into it and turns it
// into a 4-loop linalg.generic.

// CHECK-LABEL: func.func @matmul_between_reshapes
// CHECK:         %[[C:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x4x16xf32> into tensor<8x16xf32>
// CHECK:         %[[MM:.*]] = linalg.matmul ins(%[[C]], %arg1 : tensor<8x16xf32>, tensor<16x8xf32>)
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [2, 4, 8]
// CHECK:         return %[[R]]
// CHECK-NOT:     linalg.generic

// UPSTREAM-LABEL: func.func @matmul_between_reshapes
// UPSTREAM-NOT:   linalg.matmul
// UPSTREAM:       linalg.generic
// UPSTREAM-SAME:    iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// UPSTREAM-SAME:    ins(%arg0, %arg1 : tensor<2x4x16xf32>, tensor<16x8xf32>)
// UPSTREAM-NOT:   linalg.matmul
func.func @matmul_between_reshapes(%x: tensor<2x4x16xf32>, %w: tensor<16x8xf32>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x4x16xf32> into tensor<8x16xf32>
  %e = tensor.empty() : tensor<8x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %mm = linalg.matmul ins(%c, %w : tensor<8x16xf32>, tensor<16x8xf32>) outs(%acc : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r = tensor.expand_shape %mm [[0, 1], [2]] output_shape [2, 4, 8] : tensor<8x8xf32> into tensor<2x4x8xf32>
  return %r : tensor<2x4x8xf32>
}

// -----

// Reshapes are not propagated: the generics on either side of an
// expand_shape stay apart (upstream moves the reshape to the input and fuses
// them).

// CHECK-LABEL: func.func @across_reshape
// CHECK:         %[[G:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<32xf32>)
// CHECK:           math.exp
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[G]]
// CHECK:         linalg.generic {{.*}} ins(%[[R]] : tensor<4x8xf32>)
// CHECK-NOT:       math.exp
// CHECK:           math.tanh

// UPSTREAM-LABEL: func.func @across_reshape
// UPSTREAM:       %[[R:.*]] = tensor.expand_shape %arg0
// UPSTREAM:       linalg.generic {{.*}} ins(%[[R]] : tensor<4x8xf32>)
// UPSTREAM:         math.exp
// UPSTREAM-NEXT:    math.tanh
func.func @across_reshape(%x: tensor<32xf32>) -> tensor<4x8xf32> {
  %e1 = tensor.empty() : tensor<32xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<32xf32>) outs(%e1 : tensor<32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  %r = tensor.expand_shape %0 [[0, 1]] output_shape [4, 8] : tensor<32xf32> into tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
