//===- MaseFusedOps.td - ops that graph fusions create -----*- tablegen -*-===//
//
// Ops that stand for a whole subgraph after a fusion pass recognised it.
// Included from MaseOps.td; the C++ is in lib/Dialect/Mase/IR/MaseFusedOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_DIALECT_MASE_IR_MASEFUSEDOPS_TD
#define MASE_DIALECT_MASE_IR_MASEFUSEDOPS_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mase_SdpaOp : Mase_Op<"sdpa", [Pure]> {
  let summary = "Scaled dot-product attention, fused";
  let description = [{
    `softmax(scale * Q K^T + mask, axis = -1) V` per batch and head:
    `query` is `[B, H, Sq, D]`, `key_t` the keys already transposed,
    `[B, H, D, Sk]` (as the graphs that compute `Q K^T` hold them), `value`
    `[B, H, Sk, Dv]` and the result `[B, H, Sq, Dv]`. The optional `mask` is
    added to the scaled scores and broadcasts to `[B, H, Sq, Sk]` (numpy
    rules, right-aligned). With `sequence_major`, `query`, `value` and the
    result are `[B, S, H, D]` instead (heads not yet split, or merged
    again: the layout the linear layers around attention use), so the
    fusion absorbs the transposes that split and merge heads; `key_t` keeps
    its layout. A query row whose scores are all -inf (every key
    masked) gets NaN, as softmax does, or zeros with `zero_nan_rows` (the
    NaN guard PyTorch's SDPA exports put after the softmax). Every operand
    has one element type: f32, which the CPU kernel takes, or f16 or bf16,
    which the GPU kernel takes. `mase-fuse-sdpa` makes it from the unfused
    subgraph. On the CPU it lowers to one call of the model support
    library's `mase_sdpa` (an online-softmax loop nest that never stores
    the score matrix), whose declaration the module must hold (the pass
    adds it); on the GPU `mase-cuda-attention` launches the prebuilt
    kernel.

    ```mlir
    %o = mase.sdpa %q, %kt, %v, %mask {scale = 1.250000e-01 : f32}
           : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>,
              tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32>
    ```
  }];
  let arguments = (ins 4DTensorOf<[F32, F16, BF16]>:$query,
                       4DTensorOf<[F32, F16, BF16]>:$key_t,
                       4DTensorOf<[F32, F16, BF16]>:$value,
                       Optional<StaticShapeTensorOf<[F32, F16, BF16]>>:$mask,
                       F32Attr:$scale,
                       UnitAttr:$zero_nan_rows,
                       UnitAttr:$sequence_major);
  let results = (outs 4DTensorOf<[F32, F16, BF16]>:$result);
  let assemblyFormat = "$query `,` $key_t `,` $value (`,` $mask^)? attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Batch, heads, queries, keys, depth and value depth.
    std::array<int64_t, 6> getSizes();
    /// The mask's element strides over the scores [B, H, Sq, Sk]: 0 where
    /// it broadcasts (all 0 without a mask).
    std::array<int64_t, 4> getMaskStrides();
  }];
}

#endif // MASE_DIALECT_MASE_IR_MASEFUSEDOPS_TD
