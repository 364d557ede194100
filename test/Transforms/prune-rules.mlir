// Per-layer prune rules (mase's extension): the first rule whose name or
// pattern selects a layer applies, its keys over the defaults'.

// RUN: mase-opt %s --mase-prune='config-text={"by": "regex_name", "weight": {"sparsity": 0.5, "method": "l1-norm"}, "activation": {"sparsity": 0.0}, "enc\\.1\\..*": {"weight": {"sparsity": 0.75}, "activation": {"sparsity": 0.5, "method": "l1-norm"}}, "enc\\..*": {"weight": {"granularity": "n:m", "n": 1, "m": 4, "sparsity": 0.75}}} report=-' \
// RUN:   | FileCheck %s
// RUN: mase-opt %s --mase-prune='config-text={"by": "name", "weight": {"sparsity": 0.0, "method": "random"}, "activation": {"sparsity": 0.0}, "head": {"weight": {"sparsity": 0.5, "method": "l1-norm"}}} report=-' \
// RUN:   | FileCheck %s --check-prefix=NAME
// RUN: not mase-opt %s --mase-prune='config-text={"by": "name", "weight": {}, "activation": {}, "tail": {"weight": {"sparsity": 0.5}}}' 2>&1 | FileCheck %s --check-prefix=UNMATCHED
// RUN: not mase-opt %s --mase-prune='config-text={"by": "regex_name", "weight": {}, "activation": {}, "x.*y": {"weight": {"sparsity": 0.5}}}' 2>&1 | FileCheck %s --check-prefix=PATTERN
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {}, "activation": {}, "head": {"weight": {"sparsity": 0.5}}}' 2>&1 | FileCheck %s --check-prefix=NO-BY
// RUN: not mase-opt %s --mase-prune='config-text={"by": "type", "weight": {}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=BY
// RUN: not mase-opt %s --mase-prune='config-text={"by": "name", "weight": {"sparsity": 0.5, "method": "l1-norm", "scope": "global"}, "activation": {}, "head": {"weight": {"sparsity": 0.25}}}' 2>&1 | FileCheck %s --check-prefix=GLOBAL
// RUN: not mase-opt %s --mase-prune='config-text={"by": "name", "weight": {}, "activation": {}, "head": {"bias": {}}}' 2>&1 | FileCheck %s --check-prefix=ROLE

// enc.1.fc: the first rule (0.75, its input pruned at run time); enc.0.fc:
// the second (1:4, l1-norm inherited); head: the defaults.
// CHECK: enc.0.fc linear rule=enc\..* method=l1-norm scope=local granularity="1:4" sparsity=0.7500 zeros=12/16
// CHECK: enc.1.fc linear rule=enc\.1\..* method=l1-norm scope=local threshold={{.*}} sparsity=0.7500 zeros=12/16 weight_bytes=64 activation_sparsity=0.5
// CHECK: head linear rule=- method=l1-norm scope=local threshold={{.*}} sparsity=0.5000 zeros=8/16
// CHECK-LABEL: func.func @net
// CHECK: mase.linear
// CHECK: mase.prune_activation
// CHECK: mase.linear {{.*}}"enc.1.fc"
// CHECK-NOT: mase.prune_activation
// CHECK: func.func private @mase_activation_l1_threshold

// NAME: enc.0.fc linear rule=- method=random scope=local sparsity=0.0000
// NAME: head linear rule=head method=l1-norm scope=local threshold={{.*}} sparsity=0.5000

// UNMATCHED: error: pruning config: tail: no prunable layer is named 'tail'
// PATTERN: error: pruning config: x.*y: the pattern 'x.*y' matches no prunable layer
// NO-BY: error: pruning config: head: unknown key (expected weight, activation, seed or by; per-layer tables need by = "name" or "regex_name")
// BY: error: pruning config: by: expected "name" or "regex_name", got "type"
// GLOBAL: error: mase-prune: layer '{{.*}}' is pruned with global scope at another sparsity or granularity than other global layers; one global threshold needs one spec
// ROLE: error: pruning config: head.bias: unknown key (expected weight or activation)

func.func @net(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %w0 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %h0 = mase.linear %x, %w0 {mase.layer = "enc.0.fc"} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  %h1 = mase.linear %h0, %w0 {mase.layer = "enc.1.fc"} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  %y = mase.linear %h1, %w0 {mase.layer = "head"} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
