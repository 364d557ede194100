// mase-prune's structured granularities on constant weights: n:m along the
// rows and blocks by L1 norm, exact values, and the report.

// RUN: mase-opt %s --mase-prune='config-text={"weight": {"granularity": "n:m", "n": 2, "m": 4, "method": "l1-norm"}, "activation": {"sparsity": 0.0}} report=-' \
// RUN:   | FileCheck %s --check-prefix=NM
// RUN: mase-opt %s --mase-prune='config-text={"weight": {"sparsity": 0.5, "granularity": "block", "block": [2, 2], "method": "l1-norm"}, "activation": {"sparsity": 0.0}} report=-' \
// RUN:   | FileCheck %s --check-prefix=BLOCK
// RUN: mase-opt %s --mase-prune='config-text={"seed": 3, "weight": {"granularity": "n:m", "n": 1, "m": 4, "method": "random"}, "activation": {"sparsity": 0.0}} report=-' \
// RUN:   | FileCheck %s --check-prefix=RANDOM

// 2:4 keeps the two largest magnitudes of each group of four in a row:
// [0.1, -0.9, 0.5, 0.2] keeps -0.9 and 0.5; [1, 1, -1, 0] keeps the first
// two (equal magnitudes in index order); pruned negatives become -0.0.
// NM: nm linear rule=- method=l1-norm scope=local granularity="2:4" sparsity=0.5000 zeros=4/8 weight_bytes=32
// NM-LABEL: func.func @nm
// NM: arith.constant dense<{{\[\[}}0.000000e+00, -0.899999976, 5.000000e-01, 0.000000e+00], [1.000000e+00, 1.000000e+00, -0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
func.func @nm(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[0.1, -0.9, 0.5, 0.2], [1.0, 1.0, -1.0, 0.0]]> : tensor<2x4xf32>
  %y = mase.linear %x, %w {mase.layer = "nm"} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// Blocks of 2 x 2 in a 2 x 4 weight: norms 4 and 1; at 0.5 the threshold
// is their median 2.5, so the right block goes.
// BLOCK: block linear rule=- method=l1-norm scope=local granularity="block 2x2" threshold=2.5 sparsity=0.5000 zeros=4/8
// BLOCK-LABEL: func.func @block
// BLOCK: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, -0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
func.func @block(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.5, 0.25], [1.0, 1.0, -0.25, 0.0]]> : tensor<2x4xf32>
  %y = mase.linear %x, %w {mase.layer = "block"} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// Random 1:4 keeps exactly one of each group of four.
// RANDOM: nm linear rule=- method=random scope=local granularity="1:4" sparsity=0.7500 zeros=6/8
// RANDOM: block linear rule=- method=random scope=local granularity="1:4" sparsity=0.7500 zeros=6/8
