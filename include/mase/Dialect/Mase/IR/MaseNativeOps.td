//===- MaseNativeOps.td - native integer quantisation ops --*- tablegen -*-===//
//
// The ops of native quantisation (`mase-quantize{mode=native}`): tensors of
// fixed-point integer codes and the linear layers that compute on integer
// codes and on block-scaled int8 mantissas.
// Included from MaseOps.td; the C++ is in lib/Dialect/Mase/IR/MaseNativeOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_DIALECT_MASE_IR_MASENATIVEOPS_TD
#define MASE_DIALECT_MASE_IR_MASENATIVEOPS_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mase/Dialect/Mase/IR/MaseAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mase_IntCodesOp : Mase_Op<"int_codes", [Pure]> {
  let summary = "The integer codes of a fixed-point format, in i8 or i16";
  let description = [{
    `c = clamp(round(x * 2^f), lo, hi)` (floor with `floor`), the code that
    `mase.quantize` to the same format divides by 2^f: so
    `c * 2^-f == mase.quantize(x)` for every non-NaN x. Every code of the
    format must fit the result's element type: at most 8 bits (7 when
    unsigned) for `i8`, 16 (15) for `i16`. A NaN input has no code (the
    result element is unspecified). A constant input folds to a constant of
    codes, which is how native mode stores weights.

    ```mlir
    %c = mase.int_codes %w : tensor<4x8xf32> -> tensor<4x8xi8> in #mase.int<8, 7>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[F32]>:$input,
                       Mase_IntFormatAttr:$format);
  let results = (outs StaticShapeTensorOf<[I8, I16]>:$result);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($result) `in` "
      "qualified($format)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mase_IntLinearOp : Mase_Op<"int_linear", [Pure]> {
  let summary = "Linear layer over fixed-point integer codes";
  let description = [{
    `y = x' (W * 2^-fw)^T + bias` where `W` (`[out_features, in_features]`,
    `i8`, or `i16` for formats of 9 to 16 bits with a float input) holds the
    codes of `weight_format` and `x'` is the float32 `input`
    itself or, with `input_format`, the `i8` codes of `input` times
    `2^-fx`. Equal to `mase.linear` on the dequantised operands; the lowering
    never materialises them: float inputs multiply `i8` weights converted in
    the GEMM loop, integer inputs use an `i8 x i8 -> i32` GEMM scaled once.
    A constant weight is stored at its width (`getPackedWeightBits` bits a
    code, as bit planes) for the model support library's kernels when the
    input is integer (`mase_qgemm`, which the module must declare) or when
    the module declares `mase_int_weight_gemm` (CPU builds); otherwise
    (the GPU), codes of at most 4 bits two a byte, wider ones one an `i8`
    or `i16` element.

    ```mlir
    %y = mase.int_linear %cx, %cw, %b {input_format = #mase.int<8, 4>,
           weight_format = #mase.int<8, 7>}
           : (tensor<2x8xi8>, tensor<4x8xi8>, tensor<4xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[F32, I8]>:$input,
                       StaticShapeTensorOf<[I8, I16]>:$weight,
                       Optional<StaticShapeTensorOf<[F32]>>:$bias,
                       Mase_IntFormatAttr:$weight_format,
                       OptionalAttr<Mase_IntFormatAttr>:$input_format);
  let results = (outs StaticShapeTensorOf<[F32]>:$result);
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The bits a weight code takes in the kernel's packed storage: the
    /// width of weight_format, one more when it is unsigned (the kernel
    /// reads signed codes).
    int getPackedWeightBits();
  }];
}

def Mase_BlockLinearOp : Mase_Op<"block_linear", [Pure]> {
  let summary = "Linear layer over block-scaled int8 mantissas (MXINT8, block FP)";
  let description = [{
    `y = x' W'^T + bias`. `W'` is `weight` (`[out_features, in_features]`
    int8 mantissas) with every `block` consecutive elements of a row scaled
    by 2^(e - 133), e the matching byte of `weight_exponents`
    (`[out_features, in_features / block]`, read as unsigned): MXINT8's
    E8M0 scale with the mantissa read as m / 64, so 255 is NaN. `x'` is
    `input` with every `block` consecutive elements of a row re-expressed
    as int8 mantissas times a shared 2^s, s = floor(log2 max |x|) - 6
    (round half to even, clamped to [-128, 127]; s is one less when that
    maximum is a power of two reached only by negative elements, whose
    mantissa is then -128; mase-c/ModelSupport.h): the identity on values that
    already are MXINT8 or block FP of at most 8 bits with these blocks,
    which is how native quantisation feeds it (a `mase.quantize` first).
    Each block's dot product is exact in int32; the blocks accumulate in
    float32, in order. A row of `input` holding inf or NaN gives a row of
    NaN. Lowers to a call of the model support library's `mase_qgemm`,
    whose declaration the module must hold (mase-quantize adds it).

    With `float_input`, `x'` is `input` itself and only the weight is
    block-scaled: the form for targets without int8 activation kernels (the
    GPU) and for weight-only quantisation. It lowers to one linalg
    contraction that reads the int8 mantissas and exponent bytes and
    dequantises each weight inside the product loop (float32 multiply-adds,
    in `in_features` order); the weight is never stored in float.

    ```mlir
    %y = mase.block_linear %x, %wm, %we, %b {block = 32}
           : (tensor<2x64xf32>, tensor<4x64xi8>, tensor<4x2xi8>, tensor<4xf32>)
           -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[F32]>:$input,
                       StaticShapeTensorOf<[I8]>:$weight,
                       StaticShapeTensorOf<[I8]>:$weight_exponents,
                       Optional<StaticShapeTensorOf<[F32]>>:$bias,
                       ConfinedAttr<I64Attr, [IntPositive]>:$block,
                       UnitAttr:$float_input);
  let results = (outs StaticShapeTensorOf<[F32]>:$result);
  let assemblyFormat = "$input `,` $weight `,` $weight_exponents (`,` $bias^)? "
                       "attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_BlockEmbeddingOp : Mase_Op<"block_embedding", [Pure]> {
  let summary = "Embedding lookup in a table of block-scaled int8 mantissas (MXINT8)";
  let description = [{
    Looks up rows of a table stored as `table` (`[num_embeddings,
    embedding_dim]` int8 mantissas) with every `block` consecutive elements
    of a row scaled by 2^(e - 133), e the matching byte of
    `table_exponents` (`[num_embeddings, embedding_dim / block]`, read as
    unsigned): MXINT8's E8M0 scale with the mantissa read as m / 64, so 255
    is NaN, as in `mase.block_linear`. The result is `[..., embedding_dim]`
    f32 over the shape of `indices`; a negative index counts from the end,
    as `mase.embedding`'s does. Each element read is dequantised where it is
    read: the table is never stored in float.

    ```mlir
    %e = mase.block_embedding %ids, %m, %s {block = 32}
           : (tensor<2x5xi64>, tensor<100x64xi8>, tensor<100x2xi8>)
           -> tensor<2x5x64xf32>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[AnySignlessInteger]>:$indices,
                       StaticShapeTensorOf<[I8]>:$table,
                       StaticShapeTensorOf<[I8]>:$table_exponents,
                       ConfinedAttr<I64Attr, [IntPositive]>:$block);
  let results = (outs StaticShapeTensorOf<[F32]>:$result);
  let assemblyFormat = "$indices `,` $table `,` $table_exponents attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_SparseLinearOp : Mase_Op<"sparse_linear", [Pure]> {
  let summary = "Linear layer over a weight in compressed sparse rows";
  let description = [{
    `y = x W^T + bias` with `W` (`[out_features, in_features]`, f32) stored
    as compressed sparse rows: `offsets` (`[out_features + 1]`, i32: the
    nonzeros of output feature j are entries `offsets[j]` to
    `offsets[j + 1] - 1`), `columns` (i16 read as unsigned, increasing within
    a feature) and `values` (f32), one per stored entry. Each output is the
    fused multiply-add of its feature's entries in stored order (a dense
    GEMM adds the same nonzero products in another order). Pruning makes
    such weights; `mase-sparse-weights` chooses this storage when it pays.
    Lowers to a call of the model support library's `mase_sparse_gemm`,
    whose declaration the module must hold (mase-sparse-weights adds it).

    ```mlir
    %y = mase.sparse_linear %x, %offsets, %columns, %values, %b
           : (tensor<2x8xf32>, tensor<5xi32>, tensor<6xi16>, tensor<6xf32>,
              tensor<4xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[F32]>:$input,
                       1DTensorOf<[I32]>:$offsets,
                       1DTensorOf<[I16]>:$columns,
                       1DTensorOf<[F32]>:$values,
                       Optional<StaticShapeTensorOf<[F32]>>:$bias);
  let results = (outs StaticShapeTensorOf<[F32]>:$result);
  let assemblyFormat = "$input `,` $offsets `,` $columns `,` $values "
                       "(`,` $bias^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // MASE_DIALECT_MASE_IR_MASENATIVEOPS_TD
