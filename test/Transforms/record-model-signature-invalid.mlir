// RUN: mase-opt %s --split-input-file --verify-diagnostics --mase-record-model-signature

// expected-error @+1 {{the module has no @main function to compile}}
module {
  func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// expected-error @+1 {{@main input #0 has type 'tensor<?x3xf32>'; a compiled model takes and returns statically shaped tensors of f32, f64, f16, bf16, i1 or 8/16/32/64-bit integers}}
func.func @main(%x: tensor<?x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  return %e : tensor<2x3xf32>
}

// -----

// The error names a result by its own index.
// expected-error @+1 {{@main output #1 has type 'tensor<2x?xf32>'}}
func.func @main(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x?xf32>) {
  %c3 = arith.constant 3 : index
  %e = tensor.empty(%c3) : tensor<2x?xf32>
  return %x, %e : tensor<2x3xf32>, tensor<2x?xf32>
}

// -----

// expected-error @+1 {{@main input #0 has type 'tensor<*xf32>'}}
func.func @main(%x: tensor<*xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  return %e : tensor<2xf32>
}

// -----

// expected-error @+1 {{@main input #1 has type 'tensor<2xcomplex<f32>>'}}
func.func @main(%x: tensor<2xf32>, %c: tensor<2xcomplex<f32>>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{@main input #0 has type 'tensor<8xi4>'}}
func.func @main(%x: tensor<8xi4>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  return %e : tensor<2xf32>
}

// -----

// Explicitly signed integers have no ABI spelling (signless ones are signed).
// expected-error @+1 {{@main output #0 has type 'tensor<2xsi8>'}}
func.func @main(%x: tensor<2xf32>) -> tensor<2xsi8> {
  %e = tensor.empty() : tensor<2xsi8>
  return %e : tensor<2xsi8>
}

// -----

// expected-error @+1 {{@main output #0 has type 'tensor<2xf8E4M3FN>'}}
func.func @main(%x: tensor<2xf32>) -> tensor<2xf8E4M3FN> {
  %e = tensor.empty() : tensor<2xf8E4M3FN>
  return %e : tensor<2xf8E4M3FN>
}

// -----

// A scalar is not a tensor.
// expected-error @+1 {{@main input #1 has type 'f32'}}
func.func @main(%x: tensor<2xf32>, %s: f32) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// Already bufferized.
// expected-error @+1 {{@main output #0 has type 'memref<2xf32>'}}
func.func @main(%x: tensor<2xf32>) -> memref<2xf32> {
  %m = bufferization.to_buffer %x : tensor<2xf32> to memref<2xf32>
  return %m : memref<2xf32>
}

// -----

// expected-error @+1 {{the module already defines @mase_model_signature, a symbol of the compiled-model ABI}}
module {
  memref.global "private" constant @mase_model_signature : memref<1xi8> = dense<0>
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// Any symbol of that name counts, not only a global.
// expected-error @+1 {{the module already defines @mase_model_abi_version, a symbol of the compiled-model ABI}}
module {
  func.func private @mase_model_abi_version() -> i32
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}
