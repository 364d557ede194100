// RUN: mase-opt %s --split-input-file --verify-diagnostics --mase-emit-model-entry

// expected-error @+1 {{mase-emit-model-entry: the module has no lowered @main (an llvm.func with a body)}}
module {
  llvm.func @forward(%a: !llvm.ptr) {
    llvm.return
  }
}

// -----

// A declaration is not a lowered @main.
// expected-error @+1 {{mase-emit-model-entry: the module has no lowered @main (an llvm.func with a body)}}
module {
  llvm.func @main(!llvm.ptr)
}

// -----

// @main not lowered to the LLVM dialect yet.
// expected-error @+1 {{mase-emit-model-entry: the module has no lowered @main (an llvm.func with a body)}}
module {
  func.func @main(%a: memref<4xf32>) {
    return
  }
}

// -----

module {
  // expected-error @+1 {{mase-emit-model-entry: @main must take only pointers and return nothing (bare-pointer memref calling convention with out-parameters), got '!llvm.func<void (ptr, i64)>'}}
  llvm.func @main(%a: !llvm.ptr, %n: i64) {
    llvm.return
  }
}

// -----

// A memref descriptor (not the bare-pointer convention).
module {
  // expected-error @+1 {{@main must take only pointers and return nothing (bare-pointer memref calling convention with out-parameters), got '!llvm.func<void (ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>'}}
  llvm.func @main(%a: !llvm.ptr, %b: !llvm.ptr, %o: i64, %s: !llvm.array<1 x i64>, %t: !llvm.array<1 x i64>) {
    llvm.return
  }
}

// -----

module {
  // expected-error @+1 {{@main must take only pointers and return nothing (bare-pointer memref calling convention with out-parameters), got '!llvm.func<ptr (ptr)>'}}
  llvm.func @main(%a: !llvm.ptr) -> !llvm.ptr {
    llvm.return %a : !llvm.ptr
  }
}

// -----

// expected-error @+1 {{the module already defines @mase_model_entry}}
module {
  llvm.func @main(%a: !llvm.ptr) {
    llvm.return
  }
  llvm.func @mase_model_entry(%a: !llvm.ptr) {
    llvm.return
  }
}
