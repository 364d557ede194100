// RUN: mase-opt %s --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' | FileCheck %s

// The neural-network patterns of mase-lower-to-linalg (NNToLinalg.cpp). The
// values are checked by test/Integration/mase-nn-cpu.mlir; this file checks
// the structure of each lowering.

// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID1:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$D0OF3:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$D1OF3:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[$D01OF3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$BCAST_LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[$BCAST_RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>

// linear: collapse the leading dimensions, transpose the weight, start the
// accumulator from the broadcast bias, matmul, expand back.
// CHECK-LABEL: func.func @linear_bias_3d
// CHECK-SAME: (%[[X:.+]]: tensor<2x5x8xf32>, %[[W:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x5x8xf32> into tensor<10x8xf32>
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W]] : tensor<4x8xf32>) outs(%{{.+}} : tensor<8x4xf32>) permutation = [1, 0]
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%{{.+}} : tensor<10x4xf32>) dimensions = [0]
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[X2]], %[[WT]] : tensor<10x8xf32>, tensor<8x4xf32>) outs(%[[ACC]] : tensor<10x4xf32>)
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [2, 5, 4] : tensor<10x4xf32> into tensor<2x5x4xf32>
// CHECK: return %[[Y]]
// CHECK-NOT: mase.
func.func @linear_bias_3d(%x: tensor<2x5x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x5x4xf32> {
  %y = mase.linear %x, %w, %b : (tensor<2x5x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x5x4xf32>
  return %y : tensor<2x5x4xf32>
}

// Without bias the accumulator is zero; a 1-D input is one row.
// CHECK-LABEL: func.func @linear_no_bias_1d
// CHECK-SAME: (%[[X:.+]]: tensor<8xf32>, %[[W:.+]]: tensor<4x8xf32>)
// CHECK: %[[X2:.+]] = tensor.expand_shape %[[X]] {{\[}}[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W]]
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x4xf32>)
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[X2]], %[[WT]] : tensor<1x8xf32>, tensor<8x4xf32>) outs(%[[ACC]] : tensor<1x4xf32>)
// CHECK: %[[Y:.+]] = tensor.collapse_shape %[[MM]] {{\[}}[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
// CHECK: return %[[Y]]
func.func @linear_no_bias_1d(%x: tensor<8xf32>, %w: tensor<4x8xf32>) -> tensor<4xf32> {
  %y = mase.linear %x, %w : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// Integer linear: the same named ops, integer zero.
// CHECK-LABEL: func.func @linear_i32
// CHECK: linalg.transpose
// CHECK: arith.constant 0 : i32
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x8xi32>, tensor<8x4xi32>) outs(%{{.+}} : tensor<2x4xi32>)
func.func @linear_i32(%x: tensor<2x8xi32>, %w: tensor<4x8xi32>) -> tensor<2x4xi32> {
  %y = mase.linear %x, %w : (tensor<2x8xi32>, tensor<4x8xi32>) -> tensor<2x4xi32>
  return %y : tensor<2x4xi32>
}

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<4x5xf32>)
// CHECK: %[[ACC:.+]] = linalg.fill
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[ACC]] : tensor<3x5xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %r = mase.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// Batch dimensions broadcast on both sides ([2, 1] with [5]): each operand is
// broadcast to [2, 5, ...] by a generic, collapsed to [10, ...], and
// multiplied with batch_matmul.
// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK-SAME: (%[[A:.+]]: tensor<2x1x3x4xf32>, %[[B:.+]]: tensor<5x4x6xf32>)
// CHECK: %[[AB:.+]] = linalg.generic {indexing_maps = [#[[$BCAST_LHS]], #[[$ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[A]] : tensor<2x1x3x4xf32>) outs(%{{.+}} : tensor<2x5x3x4xf32>)
// CHECK: %[[A3:.+]] = tensor.collapse_shape %[[AB]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x3x4xf32> into tensor<10x3x4xf32>
// CHECK: %[[BB:.+]] = linalg.generic {indexing_maps = [#[[$BCAST_RHS]], #[[$ID4]]], {{.*}} ins(%[[B]] : tensor<5x4x6xf32>) outs(%{{.+}} : tensor<2x5x4x6xf32>)
// CHECK: %[[B3:.+]] = tensor.collapse_shape %[[BB]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x4x6xf32> into tensor<10x4x6xf32>
// CHECK: %[[ACC:.+]] = linalg.fill
// CHECK: %[[R:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<10x3x4xf32>, tensor<10x4x6xf32>) outs(%[[ACC]] : tensor<10x3x6xf32>)
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[R]] {{\[}}[0, 1], [2], [3]] output_shape [2, 5, 3, 6] : tensor<10x3x6xf32> into tensor<2x5x3x6xf32>
// CHECK: return %[[Y]]
func.func @matmul_batch_broadcast(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %r = mase.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %r : tensor<2x5x3x6xf32>
}

// A 2-D rhs is shared by every batch: the lhs batch folds into its rows.
// CHECK-LABEL: func.func @matmul_batch_rhs_2d
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xf32>, %[[B:.+]]: tensor<4x6xf32>)
// CHECK: %[[A2:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[A2]], %[[B]] : tensor<6x4xf32>, tensor<4x6xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0, 1], [2]] output_shape [2, 3, 6]
// CHECK-NOT: linalg.batch_matmul
func.func @matmul_batch_rhs_2d(%a: tensor<2x3x4xf32>, %b: tensor<4x6xf32>) -> tensor<2x3x6xf32> {
  %r = mase.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x6xf32>) -> tensor<2x3x6xf32>
  return %r : tensor<2x3x6xf32>
}

// 1-D operands: a row and a column, the unit dimensions dropped at the end.
// CHECK-LABEL: func.func @matmul_vector
// CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK-DAG: %[[ROW_A:.+]] = tensor.expand_shape %[[A]] {{\[}}[0, 1]] output_shape [1, 4]
// CHECK-DAG: %[[COL_B:.+]] = tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [4, 1]
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[ROW_A]], %[[COL_B]] : tensor<1x4xf32>, tensor<4x1xf32>)
// CHECK: %[[S:.+]] = tensor.collapse_shape %[[R]] [] : tensor<1x1xf32> into tensor<f32>
// CHECK: return %[[S]]
func.func @matmul_vector(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<f32> {
  %r = mase.matmul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// softmax: max from -inf, exp(x - max), sum, divide.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x8xf32>) outs(%[[MAX_INIT]] : tensor<2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<2x8xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<2x8xf32>)
// CHECK: arith.addf
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[SUM]] : tensor<2x8xf32>, tensor<2xf32>)
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %r = mase.softmax %x {axis = -1 : i64} : tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// layer_norm: sum, centre (d = x - sum / N), sum of squares,
// rstd = 1 / sqrt(var + eps), then d * rstd * weight + bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>, %[[W:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<8xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x8xf32>)
// CHECK: %[[D:.+]] = linalg.generic {{.*}} ins(%[[X]], %[[SUM]] : tensor<2x8xf32>, tensor<2xf32>)
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.divf
// CHECK: arith.subf
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[D]] : tensor<2x8xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[RSTD:.+]] = linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]} ins(%[[SQ]] : tensor<2xf32>)
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: math.sqrt
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$COL]], #[[$COL]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[D]], %[[RSTD]], %[[W]], %[[B]] : tensor<2x8xf32>, tensor<2xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return %[[Y]]
func.func @layer_norm(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %r = mase.layer_norm %x weight(%w) bias(%b) {axis = -1 : i64, epsilon = 9.99999974E-6 : f32}
         : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// Normalising over dimensions 1 and 2 (N = 12), no weight or bias.
// CHECK-LABEL: func.func @layer_norm_plain
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0OF3]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: arith.constant 1.200000e+01 : f32
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0OF3]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0OF3]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-NEXT: ^bb0(%[[D:.+]]: f32, %[[R:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: %[[P:.+]] = arith.mulf %[[D]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[P]] : f32
// CHECK: return %[[Y]]
func.func @layer_norm_plain(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %r = mase.layer_norm %x {axis = 1 : i64, epsilon = 0.5 : f32} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// Exact gelu: 0.5 x erfc(-x / sqrt 2), erfc from exp and a polynomial (no
// math.erf, which the CPU pipeline does not lower). The generic says what
// it computes (mase.activation), for the GPU GEMM's epilogue; the tanh form
// does not.
// CHECK-LABEL: func.func @gelu
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: mase.activation = "gelu"
// CHECK: arith.constant -0.707106769 : f32
// CHECK: math.absf
// CHECK-COUNT-9: math.fma
// CHECK: math.exp
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK-NOT: math.erf
// CHECK: linalg.yield
func.func @gelu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = mase.gelu %x : tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// In f16 the generic computes in f32 and rounds once.
// CHECK-LABEL: func.func @gelu_f16
// CHECK: linalg.generic
// CHECK-SAME: mase.activation = "gelu"
// CHECK: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: arith.extf %[[IN]] : f16 to f32
// CHECK: %[[Y:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK-NEXT: linalg.yield %[[Y]] : f16
func.func @gelu_f16(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %r = mase.gelu %x : tensor<2x3xf16>
  return %r : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @gelu_tanh
// CHECK: linalg.generic
// CHECK-NOT: mase.activation
// CHECK: %[[C:.+]] = arith.constant 4.471500e-02 : f32
// CHECK: %[[S:.+]] = arith.constant 0.797884583 : f32
// CHECK: %[[INNER:.+]] = math.fma %[[C]], %{{.+}}, %{{.+}} : f32
// CHECK: %[[SCALED:.+]] = arith.mulf %[[S]], %[[INNER]] : f32
// CHECK: math.tanh %[[SCALED]] : f32
func.func @gelu_tanh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = mase.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// embedding: a generic over the result reads the index and extracts the row.
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[IDS:.+]]: tensor<2x5xi64>, %[[TABLE:.+]]: tensor<100x16xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$D01OF3]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<2x5xi64>) outs(%{{.+}} : tensor<2x5x16xf32>)
// CHECK-NEXT: ^bb0(%[[ID:.+]]: i64, %{{.+}}: f32):
// CHECK-NEXT: %[[I:.+]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: %[[N:.+]] = arith.constant 100 : index
// CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[I]]
// CHECK: %[[WRAP:.+]] = arith.addi %[[I]], %[[N]] : index
// CHECK: %[[ROW_I:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : index
// CHECK: %[[COL_I:.+]] = linalg.index 2 : index
// CHECK: %[[V:.+]] = tensor.extract %[[TABLE]][%[[ROW_I]], %[[COL_I]]] : tensor<100x16xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @embedding(%ids: tensor<2x5xi64>, %table: tensor<100x16xf32>) -> tensor<2x5x16xf32> {
  %r = mase.embedding %ids, %table : (tensor<2x5xi64>, tensor<100x16xf32>) -> tensor<2x5x16xf32>
  return %r : tensor<2x5x16xf32>
}

// gather on axis 1: result [3, 2, 5], indices read on dimension 1.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[X:.+]]: tensor<3x4x5xf32>, %[[IDX:.+]]: tensor<2xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[$D1OF3]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDX]] : tensor<2xi32>) outs(%{{.+}} : tensor<3x2x5xf32>)
// CHECK: %[[I0:.+]] = linalg.index 0 : index
// CHECK: %[[I:.+]] = arith.index_cast %{{.+}} : i32 to index
// CHECK: arith.constant 4 : index
// CHECK: %[[I1:.+]] = arith.select
// CHECK: %[[I2:.+]] = linalg.index 2 : index
// CHECK: tensor.extract %[[X]][%[[I0]], %[[I1]], %[[I2]]] : tensor<3x4x5xf32>
func.func @gather(%x: tensor<3x4x5xf32>, %i: tensor<2xi32>) -> tensor<3x2x5xf32> {
  %r = mase.gather %x, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2xi32>) -> tensor<3x2x5xf32>
  return %r : tensor<3x2x5xf32>
}

// reduce_sum over dimensions 0 and 2 (axes = [0, -1]).
// CHECK-LABEL: func.func @reduce_sum
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<3xf32>)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$D1OF3]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%{{.+}} : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<3xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @reduce_sum(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %r = mase.reduce_sum %x {axes = array<i64: 0, -1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// reduce_mean: sum, divide by the count, keepdims re-inserts the unit dim.
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK: %[[MEAN:.+]] = linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.constant 3.000000e+00 : f32
// CHECK: arith.divf
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[MEAN]] {{\[}}[0, 1]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK: return %[[Y]]
func.func @reduce_mean_keepdims(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %r = mase.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : tensor<2x3xf32> -> tensor<2x1xf32>
  return %r : tensor<2x1xf32>
}

// Integer max: from the smallest i32, with maxsi.
// CHECK-LABEL: func.func @reduce_max_i32
// CHECK: %[[MIN:.+]] = arith.constant -2147483648 : i32
// CHECK: linalg.fill ins(%[[MIN]] : i32)
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK: arith.maxsi
func.func @reduce_max_i32(%x: tensor<2x3xi32>) -> tensor<3xi32> {
  %r = mase.reduce_max %x {axes = array<i64: 0>, keepdims = false} : tensor<2x3xi32> -> tensor<3xi32>
  return %r : tensor<3xi32>
}

// No axes: nothing to reduce.
// CHECK-LABEL: func.func @reduce_no_axes
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]] : tensor<2x3xf32>
func.func @reduce_no_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = mase.reduce_sum %x {axes = array<i64>, keepdims = false} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
