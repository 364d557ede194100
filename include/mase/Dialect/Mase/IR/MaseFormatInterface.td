//===- MaseFormatInterface.td - number-format interface ----*- tablegen -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASEFORMATINTERFACE_TD
#define MASE_DIALECT_MASE_IR_MASEFORMATINTERFACE_TD

include "mlir/IR/OpBase.td"

def Mase_FormatAttrInterface : AttrInterface<"FormatAttrInterface"> {
  let cppNamespace = "::mlir::mase";
  let description = [{
    Implemented by every number-format attribute (`#mase.int`, `#mase.bfp`,
    `#mase.mxint8`, ...), so that passes ask any format the same questions:
    its storage cost, its block structure, whether a tensor shape suits it,
    how to quantise a constant, and how it is stored when packed. The
    arithmetic is the numerics library's (`lib/Numerics`), bit-exact with
    MASE.
  }];
  let methods = [
    InterfaceMethod<"Storage bits of one element (sign and mantissa or code).",
      "unsigned", "getBitsPerElement">,
    InterfaceMethod<[{Bits shared by all elements of one block (a shared
      exponent or scale); 0 for element-wise formats.}],
      "unsigned", "getSharedBitsPerBlock">,
    InterfaceMethod<[{The block shape as written in the format (MASE's
      `block_size`, right-aligned to the tensor's rank); empty for
      element-wise formats.}],
      "::llvm::SmallVector<int64_t>", "getBlockShape">,
    InterfaceMethod<[{Checks that a tensor of `shape` can be quantised in this
      format (rank, divisibility); reports the reason through `emitError`.}],
      "::llvm::LogicalResult", "verifyTensorShape",
      (ins "::llvm::ArrayRef<int64_t>":$shape,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
    InterfaceMethod<[{Quantises a row-major float32 tensor exactly as MASE
      does (float in, float out). On failure `error` says why.}],
      "::llvm::LogicalResult", "quantize",
      (ins "::llvm::ArrayRef<float>":$input, "::llvm::ArrayRef<int64_t>":$shape,
           "::llvm::SmallVectorImpl<float> &":$output, "std::string &":$error)>,
    InterfaceMethod<[{Bytes of packed storage for a tensor of `shape`, or
      nullopt when the format has no packed storage.}],
      "std::optional<int64_t>", "getPackedStorageBytes",
      (ins "::llvm::ArrayRef<int64_t>":$shape), [{}],
      [{ return std::nullopt; }]>,
    InterfaceMethod<"Quantises and packs a float32 tensor into storage bytes.",
      "::llvm::LogicalResult", "pack",
      (ins "::llvm::ArrayRef<float>":$input, "::llvm::ArrayRef<int64_t>":$shape,
           "::llvm::SmallVectorImpl<uint8_t> &":$bytes, "std::string &":$error),
      [{}], [{
        error = "format has no packed storage";
        return ::mlir::failure();
      }]>,
    InterfaceMethod<"Decodes storage bytes into float32 values.",
      "::llvm::LogicalResult", "unpack",
      (ins "::llvm::ArrayRef<uint8_t>":$bytes, "::llvm::ArrayRef<int64_t>":$shape,
           "::llvm::SmallVectorImpl<float> &":$output, "std::string &":$error),
      [{}], [{
        error = "format has no packed storage";
        return ::mlir::failure();
      }]>,
  ];
}

#endif // MASE_DIALECT_MASE_IR_MASEFORMATINTERFACE_TD
