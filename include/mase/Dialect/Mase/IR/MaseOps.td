//===- MaseOps.td - mase dialect operations ----------------*- tablegen -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASEOPS_TD
#define MASE_DIALECT_MASE_IR_MASEOPS_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mase/Dialect/Mase/IR/MaseAttrs.td"
include "mase/Dialect/Mase/IR/MaseTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mase_QuantizeOp : Mase_Op<"quantize", [Pure, SameOperandsAndResultType]> {
  let summary = "Simulate a number format: float tensor in, float tensor out";
  let description = [{
    Rounds every element of a float32 tensor to the nearest value the format
    can represent, exactly as MASE's quantizer for that format does
    (including its quirks); the result is still float32. A `mase.quantize` of
    a constant folds to the quantised constant, which is how weights get
    quantised at compile time.

    ```mlir
    %q = mase.quantize %x : tensor<2x16xf32> to #mase.int<8, 4>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input,
                       Mase_FormatAttrInterface:$format);
  let results = (outs RankedTensorOf<[F32]>:$result);
  // The format comes last: a dialect attribute followed by `: type` would
  // take that type as its own.
  let assemblyFormat = "$input attr-dict `:` type($input) `to` $format";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mase_PackOp : Mase_Op<"pack", [Pure]> {
  let summary = "Quantise a float tensor into packed low-precision storage";
  let description = [{
    ```mlir
    %p = mase.pack %w : tensor<4x32xf32> -> !mase.packed<[4, 32], #mase.mxint8<block = 32>>
    ```
    Packing a constant folds to a `mase.packed_constant`.
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input);
  let results = (outs Mase_PackedTensorType:$result);
  let assemblyFormat =
      "$input attr-dict `:` qualified(type($input)) `->` qualified(type($result))";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mase_UnpackOp : Mase_Op<"unpack", [Pure]> {
  let summary = "Decode packed storage into a float tensor";
  let description = [{
    ```mlir
    %w = mase.unpack %p : !mase.packed<[4, 32], #mase.mxint8<block = 32>> -> tensor<4x32xf32>
    ```
    `unpack(pack(x))` is `quantize(x)` in the same format; unpacking a
    constant folds to a dense constant.
  }];
  let arguments = (ins Mase_PackedTensorType:$input);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat =
      "$input attr-dict `:` qualified(type($input)) `->` qualified(type($result))";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Mase_PackedConstantOp : Mase_Op<"packed_constant", [ConstantLike, Pure]> {
  let summary = "A constant in packed low-precision storage";
  let description = [{
    Holds the storage bytes of a packed tensor:

    ```mlir
    %c = mase.packed_constant dense<[18, -7, 0, 127]> : tensor<4xi8>
           -> !mase.packed<[4], #mase.int<8, 4>>
    ```
  }];
  let arguments = (ins AnyIntElementsAttr:$value);
  let results = (outs Mase_PackedTensorType:$result);
  let assemblyFormat = "$value attr-dict `->` qualified(type($result))";
  let hasVerifier = 1;
  let hasFolder = 1;
}

include "mase/Dialect/Mase/IR/MaseGraphOps.td"
include "mase/Dialect/Mase/IR/MaseNativeOps.td"
include "mase/Dialect/Mase/IR/MaseFusedOps.td"

#endif // MASE_DIALECT_MASE_IR_MASEOPS_TD
