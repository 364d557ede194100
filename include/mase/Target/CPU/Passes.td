//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//

#ifndef MASE_TARGET_CPU_PASSES_TD
#define MASE_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUTileAndVectorizePass
    : Pass<"mase-cpu-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tile linalg ops for threads and registers, then vectorize";
  let description = [{
    Kernel-phase code generation for the host CPU, on tensors. Every linalg
    op with static shapes is tiled twice with the `TilingInterface`:

    1. across threads: its outer parallel dimensions into an `scf.forall`
       (only when the op is large enough to pay for a parallel region);
    2. to registers: `linalg.matmul` / `linalg.batch_matmul` into
       `rows x (2 * vector-width) x 1` tiles (an outer-product micro-kernel
       whose accumulator stays in registers across the reduction loop once
       `loop-invariant-subset-hoisting` runs), every other op into tiles of
       one vector along its innermost dimension (up to four registers
       when it is parallel, eight when it is a reduction; a longer
       reduction becomes a loop of such steps);

    and the innermost tile is vectorized (`linalg::vectorize`, gathers
    included). Tile sizes always divide the dimension, so every tile is
    static; an op the vectorizer does not take stays a scalar tile.

    Example (`vector-width=8`): a `linalg.matmul` of 256x128 by 128x512
    becomes an `scf.forall` over 8x256 blocks, in each an `scf.for` nest over
    4x16 tiles and the 128 reduction steps, whose body is a
    `vector.contract` of `vector<4x1xf32>` and `vector<1x16xf32>`.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "unsigned", /*default=*/"8",
           "f32 lanes of one vector register (8 for AVX2, 16 for AVX-512)">,
    Option<"parallel", "parallel", "bool", /*default=*/"true",
           "Distribute large ops over threads with scf.forall">,
  ];
  let dependentDialects = ["scf::SCFDialect", "tensor::TensorDialect",
                           "vector::VectorDialect"];
}

def CPULowerVectorsPass : Pass<"mase-cpu-lower-vectors", "func::FuncOp"> {
  let summary = "Lower vector ops and math functions to what LLVM handles";
  let description = [{
    After bufferization: lowers `vector.contract` to outer products (FMAs),
    and multi-dimensional reductions and transfer permutation maps to 1-D
    vector operations (transposes, broadcasts and shape casts are left to
    `convert-vector-to-llvm`), and rewrites `math.exp`,
    `math.erf` and `math.tanh` (scalar or vector) into polynomial
    approximations made of arithmetic (so they vectorize instead of
    becoming one libm call per element).

    Example: `vector.contract` of `vector<4x1xf32>` and `vector<1x16xf32>`
    into `vector<4x16xf32>` becomes four `vector.fma` of a broadcast lhs
    element with the rhs row.

    The GPU pipeline runs it with `approximate-math=0`: there the math
    functions come from libdevice.
  }];
  let options = [
    Option<"approximateMath", "approximate-math", "bool", /*default=*/"true",
           "Rewrite math.exp, math.erf and math.tanh as polynomials">,
  ];
  let dependentDialects = ["vector::VectorDialect", "arith::ArithDialect",
                           "math::MathDialect"];
}

#endif // MASE_TARGET_CPU_PASSES_TD
