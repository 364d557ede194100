// RUN: mase-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(mase-verify-contract{phase=kernel allowed-dialects=func,arith,tensor,linalg})'
// RUN: not mase-opt %s --pass-pipeline='builtin.module(mase-verify-contract{phase=x})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-DIALECTS

// NO-DIALECTS: mase-verify-contract: option 'allowed-dialects' must name at least one dialect

// One error per offending op name, at its first location, with its count.
func.func @math_ops_left(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'math.exp' (2 occurrences) is outside the contract of phase 'kernel'; allowed dialects: arith, builtin, func, linalg, tensor}}
  %0 = math.exp %x : tensor<2x8xf32>
  %1 = math.exp %0 : tensor<2x8xf32>
  // expected-error @+1 {{'math.tanh' (1 occurrence) is outside the contract of phase 'kernel'}}
  %2 = math.tanh %1 : tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// An op outside the contract is reported once, not together with its body.
func.func @bufferized(%a: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'scf.for' (1 occurrence) is outside the contract of phase 'kernel'}}
  %r = scf.for %i = %c0 to %c0 step %c0 iter_args(%acc = %c0) -> (index) {
    // No error for memref.load: it sits inside the reported scf.for.
    %v = memref.load %a[%i] : memref<4xf32>
    scf.yield %acc : index
  }
  %c1 = arith.constant 1.0 : f32
  return %c1 : f32
}
