//===- Passes.td - mase conversion passes ------------------*- tablegen -*-===//

#ifndef MASE_CONVERSION_PASSES_TD
#define MASE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerMaseToLinalgPass : Pass<"mase-lower-to-linalg", "func::FuncOp"> {
  let summary = "Lower mase graph ops to linalg on tensors";
  let description = [{
    Rewrites the `mase` graph operations into `linalg`, `tensor`, `arith` and
    `math` operations on tensors, as a dialect conversion: every `mase`
    operation is illegal except `mase.pack`, `mase.unpack` and
    `mase.packed_constant`, which stay for the packed-storage lowering. A
    graph op without a lowering makes the pass fail at that op.

    - `mase.quantize` of a constant folds to the quantised constant; on a
      run-time tensor it becomes linalg code bit-exact with the numerics
      library (and so with MASE) for `#mase.int`, `#mase.minifloat_denorm`,
      `#mase.minifloat_ieee`, `#mase.bfp` (zero padding to whole blocks, a
      per-block max reduction, MASE's all-zero-block rule, per-block scale)
      and `#mase.mxint8` (bf16 rounding, an E8M0 scale per group). Exponents
      are taken from the float's bits with a threshold table that reproduces
      torch's float32 `log2` rounding, so no `math.log2` is emitted.

    - Elementwise operations (arithmetic, comparisons, logical, `where`,
      unary functions, `cast`) become one `linalg.generic` each, with
      numpy broadcasting expressed in the indexing maps: an operand
      dimension of size 1 that the result broadcasts reads index 0, and the
      leading dimensions an operand lacks are dropped from its map.
    - Shape movement becomes `tensor` operations (`reshape` through
      `collapse_shape`/`expand_shape`, `concat`, `extract_slice` for
      positive-step `slice`), `linalg.transpose`, or a `linalg.generic`
      (`expand`, negative-step `slice`).
    - Neural-network operations (`linear`, `matmul`, `softmax`,
      `layer_norm`, `gelu`, `embedding`, `gather`, reductions) become linalg
      named or generic operations.
    - Sliding-window operations (`conv2d`, `max_pool2d`, `avg_pool2d`) pad
      their input with `tensor.pad` and become `linalg.conv_2d_nchw_fchw`
      (`conv_2d_ngchw_gfchw` when grouped), `linalg.pooling_nchw_max` or
      `linalg.pooling_nchw_sum` followed by a division by each window's
      count.

    Example:

    ```mlir
    %r = mase.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```

    becomes

    ```mlir
    %e = tensor.empty() : tensor<2x3xf32>
    %r = linalg.generic {
        indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                         affine_map<(d0, d1) -> (d1)>,
                         affine_map<(d0, d1) -> (d0, d1)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%a, %b : tensor<2x3xf32>, tensor<3xf32>)
        outs(%e : tensor<2x3xf32>) {
    ^bb0(%x: f32, %y: f32, %out: f32):
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    } -> tensor<2x3xf32>
    ```
  }];
  let dependentDialects = [
    "arith::ArithDialect",
    "bufferization::BufferizationDialect",
    "linalg::LinalgDialect",
    "math::MathDialect",
    "memref::MemRefDialect",
    "tensor::TensorDialect",
  ];
}

#endif // MASE_CONVERSION_PASSES_TD
