// mase-prune on constant weights: the spec's worked examples (section 7.5),
// exact values, ties, sparsity 0, global scope, random masks and the report.

// RUN: mase-opt %s --split-input-file \
// RUN:   --mase-prune='config-text={"weight": {"sparsity": 0.5, "method": "l1-norm", "scope": "local"}, "activation": {"sparsity": 0.0}}' \
// RUN:   | FileCheck %s --check-prefix=HALF
// RUN: mase-opt %s --split-input-file \
// RUN:   --mase-prune='config-text={"weight": {"sparsity": 0.0, "method": "l1-norm"}, "activation": {"sparsity": 0.0}}' \
// RUN:   | FileCheck %s --check-prefix=ZERO
// RUN: mase-opt %s --split-input-file \
// RUN:   --mase-prune='config-text={"weight": {"sparsity": 0.5, "method": "l1-norm", "scope": "global"}, "activation": {"sparsity": 0.0}} report=-' \
// RUN:   | FileCheck %s --check-prefix=GLOBAL
// RUN: mase-opt %s --split-input-file \
// RUN:   --mase-prune='config-text={"weight": {"sparsity": 0.5, "method": "l1-norm"}, "activation": {"sparsity": 0.25, "method": "l1-norm"}}' \
// RUN:   | FileCheck %s --check-prefix=ACTIVATION
// RUN: mase-opt %s --split-input-file \
// RUN:   --mase-prune='config-text={"seed": 7, "weight": {"sparsity": 0.5}, "activation": {"sparsity": 0.0}} report=-' \
// RUN:   | FileCheck %s --check-prefix=RANDOM

// W = [[0.1, -0.5], [0.3, -0.2]]: at 0.5 the threshold is 0.25, so 0.1 and
// -0.2 go (-0.2 becomes -0.0); at 0 it is 0.1, which still prunes 0.1.
// Local l1-norm activations: the layer's input is pruned at run time, by a
// call into the model support archive (declared once).
// ACTIVATION-LABEL: func.func @worked
// ACTIVATION:         %[[X:.*]] = mase.prune_activation %{{.*}} {sparsity = 2.500000e-01 : f32} : tensor<1x2xf32>
// ACTIVATION:         mase.linear %[[X]], %{{.*}} {mase.layer = "fc"}
// ACTIVATION:       func.func private @mase_activation_l1_threshold(i64, i64, f32) -> f32
// HALF-LABEL: func.func @worked
// HALF:         arith.constant dense<{{\[\[}}0.000000e+00, -5.000000e-01], [3.000000e-01, -0.000000e+00]]> : tensor<2x2xf32>
// ZERO-LABEL: func.func @worked
// ZERO:         arith.constant dense<{{\[\[}}0.000000e+00, -5.000000e-01], [3.000000e-01, -2.000000e-01]]> : tensor<2x2xf32>
func.func @worked(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[0.1, -0.5], [0.3, -0.2]]> : tensor<2x2xf32>
  %y = mase.linear %x, %w {mase.layer = "fc"} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A constant weight is pruned whole at any sparsity: ties at the threshold
// go.
// HALF-LABEL: func.func @ties
// HALF:         arith.constant dense<0.000000e+00> : tensor<2x2xf32>
func.func @ties(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = mase.linear %x, %w {mase.layer = "fc"} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Global scope: one threshold (0.4) over both layers' weights.
// GLOBAL: fc1 linear rule=- method=l1-norm scope=global threshold=0.400000006 sparsity=0.7500 zeros=3/4 weight_bytes=16
// GLOBAL: fc2 linear rule=- method=l1-norm scope=global threshold=0.400000006 sparsity=0.0000 zeros=0/2 weight_bytes=8
// GLOBAL: total: 2 layers, sparsity=0.5000 zeros=3/6
// GLOBAL-LABEL: func.func @global
// GLOBAL:         arith.constant dense<{{\[\[}}0.000000e+00, -5.000000e-01], [0.000000e+00, -0.000000e+00]]> : tensor<2x2xf32>
// GLOBAL:         arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00]]> : tensor<1x2xf32>
func.func @global(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %w1 = arith.constant dense<[[0.1, -0.5], [0.3, -0.2]]> : tensor<2x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %h = mase.linear %x, %w1 {mase.layer = "fc1"} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = mase.linear %h, %w2 {mase.layer = "fc2"} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

// Random: seeded with `seed`; each weight is kept with probability 1 - s.
// RANDOM: big linear rule=- method=random scope=local sparsity=0.{{4[6-9]|5[0-4]}}{{[0-9]*}} zeros={{[0-9]+}}/4096 weight_bytes=16384
func.func @random(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %w = arith.constant dense<1.0> : tensor<64x64xf32>
  %y = mase.linear %x, %w {mase.layer = "big"} : (tensor<1x64xf32>, tensor<64x64xf32>) -> tensor<1x64xf32>
  return %y : tensor<1x64xf32>
}
