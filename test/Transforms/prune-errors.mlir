// mase-prune's config and input errors: each names the key or the layer.

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"sparsity": 0.5, "method": "l2"}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: error: pruning config: weight.method: expected "random" or "l1-norm", got "l2"

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"sparsity": 1.5}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: error: pruning config: weight.sparsity: expected a number in [0, 1], got 1.5

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"sparsity": "half"}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=TYPE
// TYPE: error: pruning config: weight.sparsity: expected a number in [0, 1], got a string

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"sparsity": 0.5, "ratio": 2}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=KEY
// KEY: error: pruning config: weight.ratio: unknown key (expected sparsity, scope, method, granularity, n, m or block)

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"scope": "layer"}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=SCOPE
// SCOPE: error: pruning config: weight.scope: expected "local" or "global", got "layer"

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "channel"}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=GRANULARITY
// GRANULARITY: error: pruning config: weight.granularity: expected "elementwise" (the only granularity MASE implements), "n:m" or "block", got "channel"

// Structured granularities: the keys each needs, and only those.
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "n:m", "n": 2}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=NM-MISSING
// NM-MISSING: error: pruning config: weight.m: missing (granularity "n:m" needs n and m)
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "n:m", "n": 5, "m": 4}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=NM-ORDER
// NM-ORDER: error: pruning config: weight.n: expected 0 <= n <= m and m >= 1, got n = 5, m = 4
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "n:m", "n": 2, "m": 4, "sparsity": 0.75}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=NM-SPARSITY
// NM-SPARSITY: error: pruning config: weight.sparsity: n:m with n = 2, m = 4 prunes 0.500000; give that sparsity or none
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "n:m", "n": 2, "m": 4, "scope": "global"}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=NM-SCOPE
// NM-SCOPE: error: pruning config: weight.scope: n:m groups are local to each layer; use "local"
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"n": 2, "m": 4}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=NM-KEYS
// NM-KEYS: error: pruning config: weight.n: only granularity "n:m" takes n and m
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "block", "block": [4]}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=BLOCK-SHAPE
// BLOCK-SHAPE: error: pruning config: weight.block: expected [rows, columns], two positive integers, got an array
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"granularity": "block"}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=BLOCK-MISSING
// BLOCK-MISSING: error: pruning config: weight.block: missing (granularity "block" needs block = [rows, columns])
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {}, "activation": {"granularity": "n:m", "n": 2, "m": 4}}' 2>&1 | FileCheck %s --check-prefix=ACT-GRANULARITY
// ACT-GRANULARITY: error: pruning config: activation.granularity: activations are pruned elementwise (n:m and block are for weights)

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {"sparsity": 0.5}}' 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: pruning config: activation: missing (MASE requires both weight and activation)

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {}, "activation": {}, "extra": 1}' 2>&1 | FileCheck %s --check-prefix=TOP
// TOP: error: pruning config: extra: unknown key (expected weight, activation, seed or by; per-layer tables need by = "name" or "regex_name")

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {}, "activation": {"sparsity": 0.5, "method": "random"}}' 2>&1 | FileCheck %s --check-prefix=ACTIVATION
// RUN: not mase-opt %s --mase-prune='config-text={"weight": {}, "activation": {"sparsity": 0.5, "method": "l1-norm", "scope": "global"}}' 2>&1 | FileCheck %s --check-prefix=ACTIVATION
// ACTIVATION: error: pruning config: activation: only local l1-norm activation pruning is implemented

// RUN: not mase-opt %s --mase-prune=config=%t.missing.toml 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: pruning config: cannot open pruning config '{{.*}}missing.toml'

// RUN: not mase-opt %s --mase-prune 2>&1 | FileCheck %s --check-prefix=NOCONFIG
// NOCONFIG: error: mase-prune needs exactly one of config=<file> and config-text=<TOML or JSON>

// RUN: not mase-opt %s --mase-prune='config-text={"passes": {"prune": {"weight": 3}}}' 2>&1 | FileCheck %s --check-prefix=WRAPPED
// WRAPPED: error: pruning config: passes.prune.weight: expected a table, got an integer

// RUN: not mase-opt %s --mase-prune='config-text={"weight": {}, "activation": {}}' 2>&1 | FileCheck %s --check-prefix=WEIGHT
// WEIGHT: error: mase-prune: layer 'fc' has no constant f32 weight to prune
func.func @runtime_weight(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %y = mase.linear %x, %w {mase.layer = "fc"} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
