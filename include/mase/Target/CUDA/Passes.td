//===- Passes.td - NVIDIA GPU code generation passes -------*- tablegen -*-===//

#ifndef MASE_TARGET_CUDA_PASSES_TD
#define MASE_TARGET_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def CUDAAttentionPass : Pass<"mase-cuda-attention", "ModuleOp"> {
  let summary = "Launch the prebuilt GPU attention kernel for each mase.sdpa";
  let description = [{
    On the graph, after `mase-fuse-sdpa`: every `mase.sdpa` in f16, bf16
    or f32 with depths up to 128 becomes a `gpu.launch_func` of
    `mase_sdpa_<f16|bf16|f32>_d<32|64|128>` in `gpu.binary @mase_attention`,
    which holds the FlashAttention-style kernels of
    lib/Target/CUDA/Kernels/Attention.cu (16-bit on tensor cores, f32 on
    CUDA cores, AttentionF32.cuh) as nvcc built them with the compiler
    (cubins for sm_80 and sm_90, PTX for later chips). The operands go by
    buffer (`bufferization.to_buffer`) and the result into a fresh buffer,
    which `mase-cuda-device-memory` later puts in device memory; the grid is
    (ceil(Sq / R), H, B) blocks of 128 threads, R the query rows a block
    (AttentionKernel.h). Another element type, a larger depth or a chip
    before sm_80 is an error naming the op.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "The GPU architecture the model is built for (sm_80 or later)">,
  ];
  let dependentDialects = ["gpu::GPUDialect", "NVVM::NVVMDialect",
                           "bufferization::BufferizationDialect",
                           "memref::MemRefDialect"];
}

def CUDALayerNormPass : Pass<"mase-cuda-layer-norm", "ModuleOp"> {
  let summary = "Launch the prebuilt GPU layer-norm kernel for each 16-bit "
                "mase.layer_norm";
  let description = [{
    On the graph, after `mase-convert-float`: every `mase.layer_norm` in f16
    or bf16 of static shape whose normalised dimensions hold a multiple of 8
    elements, at most 1024, becomes a `gpu.launch_func` of
    `mase_layer_norm_<f16|bf16>` in `gpu.binary @mase_layer_norm`: the
    kernel of lib/Target/CUDA/Kernels/LayerNorm.cu (one warp a row, the row
    in registers, float32 arithmetic), as nvcc built it with the compiler
    (cubins for sm_80 and sm_90, PTX for later chips). When its input is a
    `mase.add` of two tensors of its type that nothing else uses (a
    transformer's residual connection), the kernel adds them itself and the
    add goes: one pass over memory where the generated kernels take five.
    The operands go by buffer and the result into a fresh buffer; the grid
    is ceil(rows / 8) blocks of 256 threads. Other layer norms, and chips
    before sm_80, keep the generated kernels.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "The GPU architecture the model is built for">,
  ];
  let dependentDialects = ["gpu::GPUDialect", "NVVM::NVVMDialect",
                           "bufferization::BufferizationDialect",
                           "memref::MemRefDialect", "arith::ArithDialect"];
}

def CUDAGemmPass : Pass<"mase-cuda-gemm", "ModuleOp"> {
  let summary = "Launch the prebuilt GPU GEMM kernel for large 16-bit matmuls";
  let description = [{
    On linalg, before `mase-cuda-tile-matmul`: every `linalg.matmul` on
    tensors of static shape taking f16 or bf16 operands into f32, with the
    depth and the output columns multiples of 8 (16-byte rows) and at least
    `min-blocks` 128 x 128 output tiles, becomes a `gpu.launch_func` of
    `mase_gemm_<f16|bf16>` in `gpu.binary @mase_gemm`: the tensor-core
    kernel of lib/Target/CUDA/Kernels/Gemm.cu (four cp.async stages in
    74 KiB of dynamic shared memory, eight warps of 64 x 32), as nvcc built
    it with the compiler (cubins for sm_80 and sm_90, PTX for later chips).
    It reads the matmul's init and writes
    a fresh f32 buffer; when the init is a bias broadcast over rows and
    extended to f32, and the only user rounds the result to the operands'
    type, `mase_gemm_<f16|bf16>_bias` reads the bias vector and writes the
    rounded result instead, replacing the rounding too (saving the f32
    init and result's memory traffic); when the rounded result, directly or
    through reshapes, only feeds mase.gelu's generic (marked
    `mase.activation = "gelu"`), `mase_gemm_<f16|bf16>_bias_gelu` applies
    the GELU too, in f32 before rounding, and the generic goes. Each
    kernel has a `_narrow` twin of 128 x 96 tiles, launched where the
    chip's last wave of 128 x 128 tiles (two blocks a multiprocessor: 264
    on sm_90, 216 on sm_80) would be more than 10 points emptier (BERT-base
    at batch 32: 4096 x 768 outputs, 73% against 97%). Smaller matmuls,
    which would leave most of the GPU idle in 128 x 128 tiles, and chips
    before sm_80 keep the generated kernels.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "The GPU architecture the model is built for">,
    Option<"minBlocks", "min-blocks", "int64_t", /*default=*/"64",
           "The fewest 128 x 128 output tiles a matmul needs to take the "
           "kernel">,
  ];
  let dependentDialects = ["gpu::GPUDialect", "NVVM::NVVMDialect",
                           "bufferization::BufferizationDialect",
                           "memref::MemRefDialect", "arith::ArithDialect"];
}

def CUDATileMatmulPass : Pass<"mase-cuda-tile-matmul", "func::FuncOp"> {
  let summary = "Give each GPU thread a register tile of a matmul";
  let description = [{
    On tensors, before bufferization: every static `linalg.matmul` and
    `linalg.batch_matmul`, and every `linalg.generic` shaped like one (loops
    (batch,) m, n, then only reductions, the output indexed by the parallel
    loops: native quantisation's dequantising GEMM, whose reductions are
    (block, element)), becomes an `scf.forall` over `tile x tile` output
    tiles (the largest divisors of M and N up to `tile`), one tile a thread
    once the forall is a parallel loop, and inside each an `scf.for` (one
    per reduction) over the
    reduction whose body is the vectorized product of a column of the lhs
    and a row of the rhs (`vector.contract`, lowered to FMAs). With
    `loop-invariant-subset-hoisting` next, the output tile stays in
    registers through the reduction instead of being read and written at
    every step, and each step loads `2 * tile` values for `tile * tile`
    FMAs.

    A matmul that would have fewer than 1024 thread tiles while K is at
    least 256 (BERT's pooler at batch 1: 192 threads, each 768 steps alone)
    becomes its `linalg.generic` form instead: a reduction over K, which
    `mase-cuda-warp-reductions` gives one warp an output (such a generic
    contraction is left as it is).

    Example (`tile=4`): a 128x768 by 768x768 `linalg.matmul` becomes an
    `scf.forall (%i, %j) in (32, 192)` whose body runs 768 steps of a
    `vector.contract` of `vector<4x1xf32>` and `vector<1x4xf32>` into
    `vector<4x4xf32>`.
  }];
  let options = [
    Option<"tile", "tile", "int64_t", /*default=*/"4",
           "Rows and columns of a thread's output tile (at most)">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"false",
           "Leave the matmuls that mase-cuda-tensor-core-matmul takes (f16 "
           "operands, an f32 accumulator, sizes multiples of 16)">,
  ];
  let dependentDialects = ["scf::SCFDialect", "tensor::TensorDialect",
                           "vector::VectorDialect", "arith::ArithDialect"];
}

def CUDATensorCoreMatmulPass
    : Pass<"mase-cuda-tensor-core-matmul", "func::FuncOp"> {
  let summary = "Run f16 matmuls on tensor cores, a block of fragments a warp";
  let description = [{
    On buffers, before `convert-linalg-to-parallel-loops`: every
    `linalg.matmul` and `linalg.batch_matmul` with f16 operands, an f32
    accumulator, default indexing maps and M, N and K multiples of 16 becomes
    a `gpu.launch` in which each warp computes `fragments x fragments`
    16x16 output fragments (fewer where M or N has no such divisor, or
    where the grid would have fewer than `min-blocks` blocks, by default
    512: about four blocks a multiprocessor of an H100) with
    `gpu.subgroup_mma_load_matrix`, `gpu.subgroup_mma_compute` and
    `gpu.subgroup_mma_store_matrix`. `convert-gpu-to-nvvm` lowers these to
    the tensor-core instructions `wmma.load`, `wmma.mma.sync` (f16 x f16 +
    f32) and `wmma.store`. The accumulators start from the output buffer
    (a matmul adds to its init, such as a bias) and stay in registers over
    K. Warps are grouped 2x2 in a block where the fragment grid allows.

    With `shared-memory` (the default), each step of K first copies the
    block's lhs rows and rhs columns for the next 32 (or 16) elements of K
    into shared memory, 8 elements a thread at a time, so that each
    operand element is read from global memory once a block rather than
    once a warp; warps then load their fragments from there. Rows of the
    staged tiles are padded by 8 elements against bank conflicts.

    Where even one fragment a warp leaves fewer than `min-blocks` blocks
    (batch 1's linear layers), K is split too (into at most K/128
    parts, each a multiple of 16): each split is a block of its own that
    starts from zero and stores its sums into its slice of a partial buffer,
    and a reduction over the splits (a `linalg.generic`, lowered with the
    other loops) adds them into the output.

    When a `linalg.copy` into the output comes just before the matmul
    (bufferization's copy of a shared initial value, such as a broadcast
    bias) and K is not split, the accumulators load from the copy's source
    and the copy is dropped.

    Only buffers whose fragments stay 32-byte aligned qualify: static
    strides, unit stride along rows, and offset, row and batch strides that
    are multiples of 16 elements; and the grid must fit CUDA's limits (at
    most 65535 blocks of rows or of batches). Other matmuls are left for
    the loop lowering.

    Example (`fragments=2`): a 128x768 by 768x3072 matmul becomes a launch
    of 48x2 blocks of 2x2 warps; each warp adds 48 steps of 2x2 fragment
    products into its 32x32 outputs.
  }];
  let options = [
    Option<"fragments", "fragments", "int64_t", /*default=*/"2",
           "Rows and columns of 16x16 output fragments a warp computes "
           "(at most)">,
    Option<"sharedMemory", "shared-memory", "bool", /*default=*/"true",
           "Stage the block's operand tiles in shared memory (otherwise "
           "warps load fragments straight from global memory)">,
    Option<"unroll", "unroll", "int64_t", /*default=*/"2",
           "Without shared-memory: unroll the K loop of warps with at most "
           "4 fragments by this factor">,
    Option<"minBlocks", "min-blocks", "int64_t", /*default=*/"512",
           "Fewer fragments a warp, then splits of K, where the grid would "
           "have fewer blocks than this (about four a multiprocessor on an "
           "H100's 132)">,
  ];
  let dependentDialects = ["gpu::GPUDialect", "scf::SCFDialect",
                           "arith::ArithDialect", "vector::VectorDialect"];
}

def CUDAWarpReductionsPass
    : Pass<"mase-cuda-warp-reductions", "func::FuncOp"> {
  let summary = "Run row reductions one warp a row";
  let description = [{
    On buffers, before `convert-linalg-to-parallel-loops` (which would give
    each row one thread, reading addresses a row apart from its
    neighbours'): every `linalg.generic` with static sizes, parallel loops
    then one innermost reduction of at least 32 elements, projected-
    permutation maps, one output indexed by the parallel loops, and a body
    that yields `combiner(element, acc)` for a 32-bit arith combiner with a
    neutral element (`addf`, `maximumf`, `mulf`, `addi`, ...) becomes a
    `gpu.launch` of blocks of 8 warps, one warp a row. Lane `l` combines
    elements `l, l + 32, ...` of its row (the rest of the body, cloned, so
    that fused elementwise producers are computed on the way), from the
    combiner's neutral element; five `gpu.shuffle xor` steps combine the
    lanes; lane 0 combines the total with the output's value and stores it.
    When the output was just filled with a constant (a `linalg.fill` just
    before, or a `linalg.copy` just before from a buffer only an earlier
    fill writes), that constant is folded into the last step and the fill
    or copy, a kernel of its own, is dropped.

    Example: layer norm's mean over 768 features of 128 rows becomes 16
    blocks of 32x8 threads, each lane summing 24 elements.
  }];
  let dependentDialects = ["gpu::GPUDialect", "scf::SCFDialect",
                           "arith::ArithDialect", "memref::MemRefDialect"];
}

def CUDAMapLoopsPass : Pass<"mase-cuda-map-loops", "func::FuncOp"> {
  let summary = "Shape a function's parallel loops into GPU blocks and threads";
  let description = [{
    Prepares host code on buffers for `gpu-map-parallel-loops` and
    `convert-parallel-loops-to-gpu`, after `convert-linalg-to-parallel-loops`:

    1. every outermost `scf.parallel` is collapsed into one dimension and
       tiled by `block-size`, so that the tiles become blocks and the
       points of a tile become threads (a tile that overruns the loop is
       guarded, so any trip count works);
    2. any other top-level loop or store (code with no parallel dimension,
       such as a reduction to a scalar) is wrapped in a one-iteration
       `scf.parallel`, so that it runs on the GPU as well: nothing outside a
       kernel may touch a buffer, since every buffer is in device memory.

    A top-level `memref.load` whose value the host needs is an error.
    Kernels that are already `gpu.launch` ops, and launches of prebuilt
    kernels (`gpu.launch_func`), are left as they are.

    Example (`block-size=256`): `scf.parallel (%i, %j) = (0, 0) to (128, 768)`
    becomes `scf.parallel (%b) = (0) to (98304) step (256)` around
    `scf.parallel (%t) = (0) to (256)`, whose body recovers `%i` and `%j`
    from `%b + %t`.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads in a block">,
  ];
  let dependentDialects = ["scf::SCFDialect", "affine::AffineDialect",
                           "arith::ArithDialect"];
}

def CUDAAlignWorkgroupMemoryPass
    : Pass<"mase-cuda-align-workgroup-memory", "ModuleOp"> {
  let summary = "Align kernels' shared memory for tensor-core loads";
  let description = [{
    After `gpu-kernel-outlining`: every workgroup (shared) memory
    attribution of a `gpu.func` without an `llvm.align` attribute gets
    `llvm.align = 32`, the alignment `wmma.load` needs of a fragment's
    address (and more than the 16 bytes of a vector load). Without it the
    NVVM lowering aligns the buffer only to its element type (2 bytes for
    f16).
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def CUDADeviceMemoryPass : Pass<"mase-cuda-device-memory", "ModuleOp"> {
  let summary = "Put the host functions' buffers in GPU memory";
  let description = [{
    After `gpu-kernel-outlining`, in every host function:
    `memref.alloc`/`memref.alloca` become `gpu.alloc` and `memref.dealloc`
    becomes `gpu.dealloc`. In `@main`, each argument (the caller's input and
    output buffers, host or device memory) gets a device buffer: inputs (the
    arguments named by `mase.input_name`) are copied in at entry, outputs are
    copied out before each return. Run `gpu-async-region` next to put these
    operations and the launches on one stream. A call of an external
    function (a CPU kernel of the model support library) is an error.
  }];
  let dependentDialects = ["gpu::GPUDialect"];
}

def CUDADeviceConstantsPass
    : Pass<"mase-cuda-device-constants", "ModuleOp"> {
  let summary = "Read constant globals (weights) from device copies";
  let description = [{
    In the LLVM dialect, after `gpu-to-llvm`: the address of a constant
    global taken in a host function (a weight or other constant buffer that
    kernels read) becomes a call of `mase_cuda_constant(address, bytes)`,
    the model's GPU runtime (lib/CUDASupport), which copies the constant to
    device memory on first use and returns the device copy from then on.
  }];
}

#endif // MASE_TARGET_CUDA_PASSES_TD
