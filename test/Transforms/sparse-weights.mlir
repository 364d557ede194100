// RUN: mase-opt %s --mase-sparse-weights | FileCheck %s
// RUN: mase-opt %s --mase-sparse-weights="threshold=0.9 report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: mase-opt %s --mase-sparse-weights="report=-" -o /dev/null | FileCheck %s --check-prefix=DEFAULT
// RUN: mase-opt %s --mase-sparse-weights="threshold=1.5 report=-" -o /dev/null | FileCheck %s --check-prefix=NEVER
// RUN: not mase-opt %s --mase-sparse-weights="threshold=-1" 2>&1 | FileCheck %s --check-prefix=RANGE

// Half of @half's weight is zero (one of them -0.0): at the default
// threshold (0.5) it becomes compressed rows: offsets per feature, the
// columns of the nonzeros and their values, in row order.
// CHECK-LABEL: func.func @half
// CHECK-DAG: %[[OFF:.*]] = arith.constant dense<[0, 2, 3, 4]> : tensor<4xi32>
// CHECK-DAG: %[[COL:.*]] = arith.constant dense<[0, 3, 1, 2]> : tensor<4xi16>
// CHECK-DAG: %[[VAL:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, -3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: mase.sparse_linear %arg0, %[[OFF]], %[[COL]], %[[VAL]], %arg1 {mase.layer = "half"} : (tensor<2x4xf32>, tensor<4xi32>, tensor<4xi16>, tensor<4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
func.func @half(%x: tensor<2x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 2.0], [0.0, -3.0, -0.0, 0.0], [0.0, 0.0, 4.0, 0.0]]> : tensor<3x4xf32>
  %y = mase.linear %x, %w, %b {mase.layer = "half"} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// A quarter zero: stays dense. A weight that is not a constant: untouched.
// CHECK-LABEL: func.func @dense
// CHECK: mase.linear
// CHECK-LABEL: func.func @runtime_weight
// CHECK: mase.linear
func.func @dense(%x: tensor<2x4xf32>) -> tensor<2x1xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 3.0, 2.0]]> : tensor<1x4xf32>
  %y = mase.linear %x, %w {mase.layer = "dense"} : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
func.func @runtime_weight(%x: tensor<2x4xf32>, %w: tensor<1x4xf32>) -> tensor<2x1xf32> {
  %y = mase.linear %x, %w : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
// CHECK: func.func private @mase_sparse_gemm(i64, i64, i64, i64, i64, i64, i64, i64)

// Bytes: 12 weights * 4 dense; sparse 4 offsets * 4 + 4 entries * 6.
// REPORT: half linear storage=dense sparsity=0.6667 weight_bytes=48->48
// REPORT: dense linear storage=dense sparsity=0.2500 weight_bytes=16->16
// REPORT: storage: 0 of 3 linear layers sparse (threshold 0.9), weight_bytes=64->64

// DEFAULT: half linear storage=csr sparsity=0.6667 weight_bytes=48->40
// DEFAULT: storage: 1 of 3 linear layers sparse (threshold 0.5), weight_bytes=64->56

// NEVER: storage: 0 of 3 linear layers sparse (threshold 1.5), weight_bytes=64->64
// RANGE: mase-sparse-weights: threshold must be at least 0 (above 1: every weight stays dense), got -1
