//===- Passes.td - dialect-independent mase passes ---------*- tablegen -*-===//

#ifndef MASE_TRANSFORMS_PASSES_TD
#define MASE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def VerifyContractPass : Pass<"mase-verify-contract", "ModuleOp"> {
  let summary = "Check that only the dialects allowed at the end of a phase remain";
  let description = [{
    Closes a phase of a pipeline: fails, with one error per offending
    operation name (at its first location, with its count), when the module
    holds an operation from a dialect outside `allowed-dialects`. The
    `builtin` dialect is always allowed. Pipelines run it after each phase so
    that anything left unlowered is reported where it happens instead of
    surfacing as an obscure failure later.

    Example: a kernel-phase contract that does not admit `math`,

    ```mlir
    func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
      %0 = math.exp %a : tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    ```

    run with `mase-verify-contract{phase=kernel allowed-dialects=func,linalg,tensor,arith}`
    reports

    ```
    error: 'math.exp' (1 occurrence) is outside the contract of phase
           'kernel'; allowed dialects: arith, builtin, func, linalg, tensor
    ```

    and leaves the IR unchanged when every operation is allowed.
  }];
  let options = [
    ListOption<"allowedDialects", "allowed-dialects", "std::string",
               "Dialect namespaces allowed to remain (builtin is implied)">,
    Option<"phase", "phase", "std::string", /*default=*/"\"unnamed\"",
           "Name of the phase this contract closes, used in diagnostics">,
  ];
}

def RecordModelSignaturePass : Pass<"mase-record-model-signature", "ModuleOp"> {
  let summary = "Record the interface of @main as the model signature global";
  let description = [{
    Writes the two data symbols of the compiled-model ABI
    (`include/mase-c/ModelABI.h`) as `memref.global` constants, which the
    later lowering turns into exported LLVM globals:
    `mase_model_abi_version` (i32) and `mase_model_signature` (the
    NUL-terminated signature text, one line per input and output with its
    ONNX name, element type and shape). Names come from the importer's
    `mase.input_name` / `mase.output_name` attributes, falling back to
    `input_<i>` / `output_<i>`.

    It fails, naming the argument or result, when `@main` is missing, takes
    or returns anything but a statically shaped tensor of a supported
    element type, or when the module already defines one of the symbols.

    Example: for

    ```mlir
    func.func @main(%x: tensor<2x3xf32> {mase.input_name = "x"})
        -> (tensor<2x3xf32> {mase.output_name = "y"})
    ```

    it adds

    ```mlir
    memref.global constant @mase_model_abi_version : memref<i32> = dense<1>
    memref.global constant @mase_model_signature : memref<47xi8> = dense<[...]>
    ```

    whose text is `"mase-model\t1\ninput\tx\tf32\t2x3\noutput\ty\tf32\t2x3\n"`.
  }];
  let dependentDialects = ["memref::MemRefDialect"];
}

def BufferizeModelPass : Pass<"mase-bufferize", "ModuleOp"> {
  let summary = "Bufferize the module with caller-owned results for @main";
  let description = [{
    One-Shot Bufferize of the whole module across function boundaries, with
    identity-layout memrefs at function boundaries, then every function
    result turned into an out-parameter, with statically
    shaped result allocations replaced by the out-parameter itself: `@main`
    writes its outputs straight into the caller's buffers. `@main`'s
    arguments are marked non-writable, so the caller's inputs are never
    written (an in-place update of an input gets a copy).

    Example:

    ```mlir
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = math.exp %x : tensor<4xf32>  // (as linalg)
      return %0 : tensor<4xf32>
    }
    ```

    becomes

    ```mlir
    func.func @main(%x: memref<4xf32>, %out: memref<4xf32>) {
      linalg.generic ... ins(%x : memref<4xf32>) outs(%out : memref<4xf32>)
      return
    }
    ```
  }];
  let dependentDialects = ["bufferization::BufferizationDialect",
                           "memref::MemRefDialect"];
}

def LowerMemRefCopyPass : Pass<"mase-lower-memref-copy", "func::FuncOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Upstream lowers a `memref.copy` between non-contiguous views to a call
    of `memrefCopy` from MLIR's C runner library; compiled models must not
    depend on it. This pass rewrites every `memref.copy` as `linalg.copy`,
    which later lowers to loops (or vectors); copies between unranked
    memrefs are left alone. Run it after canonicalization
    has folded the self-copies bufferization leaves behind.

    Example:

    ```mlir
    memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
    ```

    becomes

    ```mlir
    linalg.copy ins(%a : memref<4xf32, strided<[2]>>) outs(%b : memref<4xf32>)
    ```
  }];
  let dependentDialects = ["linalg::LinalgDialect"];
}

def EarlyDeallocPass : Pass<"mase-early-dealloc", "func::FuncOp"> {
  let summary = "Free each temporary buffer right after its last use";
  let description = [{
    Upstream's `buffer-deallocation-pipeline` frees the buffers of a block
    at the end of that block, so a model's temporaries all stay allocated
    until `@main` returns: its peak memory is the sum of every temporary
    (62 MiB for BERT-base at batch 1). This pass moves each `memref.dealloc`
    in a function's body block up to just after the last operation of that
    block that uses the buffer or anything derived from it: views, casts,
    pointers taken for calls, and every result of an operation that reads
    it, transitively, including uses nested in loops and launches. Run it
    after the deallocation pipeline and canonicalization, which leave
    unconditional deallocations of the block's own allocations.

    On the CPU the freed block returns to the model's buffer cache and is
    handed to a later temporary of the same size; on the GPU it goes back
    to the stream-ordered pool.

    Example:

    ```mlir
    %a = memref.alloc() : memref<4xf32>
    linalg.fill ins(%zero : f32) outs(%a : memref<4xf32>)
    linalg.copy ins(%a : memref<4xf32>) outs(%out : memref<4xf32>)
    %b = memref.alloc() : memref<4xf32>
    ...
    memref.dealloc %a : memref<4xf32>
    memref.dealloc %b : memref<4xf32>
    ```

    becomes

    ```mlir
    %a = memref.alloc() : memref<4xf32>
    linalg.fill ins(%zero : f32) outs(%a : memref<4xf32>)
    linalg.copy ins(%a : memref<4xf32>) outs(%out : memref<4xf32>)
    memref.dealloc %a : memref<4xf32>
    %b = memref.alloc() : memref<4xf32>
    ...
    ```
  }];
}

def EmitModelEntryPass : Pass<"mase-emit-model-entry", "ModuleOp"> {
  let summary = "Add the mase_model_entry entry point and hide everything else";
  let description = [{
    Runs on the LLVM dialect, after `@main` was lowered with the bare-pointer
    memref calling convention (one `!llvm.ptr` per input, then per output).
    Adds `llvm.func @mase_model_entry(%buffers: !llvm.ptr)` that loads the
    pointer array and calls `@main`, gives every other function and global
    definition internal linkage except the ABI symbols
    (`include/mase-c/ModelABI.h`), and fails when `@main` is missing or takes
    anything but pointers.

    Example:

    ```mlir
    llvm.func @main(%a: !llvm.ptr, %out: !llvm.ptr) { ... }
    ```

    gains

    ```mlir
    llvm.func @mase_model_entry(%buffers: !llvm.ptr) {
      %p0 = llvm.load %buffers : !llvm.ptr -> !llvm.ptr
      %a1 = llvm.getelementptr %buffers[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
      %p1 = llvm.load %a1 : !llvm.ptr -> !llvm.ptr
      llvm.call @main(%p0, %p1) : (!llvm.ptr, !llvm.ptr) -> ()
      llvm.return
    }
    ```

    and `@main` becomes `llvm.func internal @main`.
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def FuseElementwisePass : Pass<"mase-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse elementwise linalg.generic producers into consumers";
  let description = [{
    Upstream elementwise fusion (`linalg::populateElementwiseOpsFusionPatterns`)
    restricted to producers that are all-parallel `linalg.generic` ops used
    only by the consumer they fuse into (a producer with other users would be
    recomputed in each: along BERT's residual stream the copies nest, layer
    after layer), with no reshape propagation: unlike `linalg-fuse-elementwise-ops`, it never
    turns a `linalg.matmul` or `linalg.batch_matmul` into a `linalg.generic`,
    so the contraction keeps its micro-kernel in code generation.

    Example: `%e = exp(%x)` followed by `%s = %e * %c`, both
    `linalg.generic`, become one `linalg.generic` computing `exp(%x) * %c`.
  }];
  let dependentDialects = ["linalg::LinalgDialect"];
}

#endif // MASE_TRANSFORMS_PASSES_TD
