//===- MaseTypes.td - mase dialect types -------------------*- tablegen -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASETYPES_TD
#define MASE_DIALECT_MASE_IR_MASETYPES_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mase/Dialect/Mase/IR/MaseFormatInterface.td"
include "mlir/IR/AttrTypeBase.td"

def Mase_PackedTensorType : TypeDef<Mase_Dialect, "PackedTensor"> {
  let mnemonic = "packed";
  let summary = "A tensor stored in a number format's packed low-precision layout";
  let description = [{
    `!mase.packed<[4, 32], #mase.mxint8<block = 32>>` is a 4x32 tensor stored
    as the format's packed bytes (here 128 int8 mantissas and 4 uint8 E8M0
    scales). Only formats with packed storage are allowed; the shape must be
    static and suit the format.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t", "logical shape">:$shape,
                        "::mlir::mase::FormatAttrInterface":$format);
  let assemblyFormat = "`<` `[` $shape `]` `,` $format `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Bytes of storage this tensor occupies.
    int64_t getStorageBytes() const {
      return *getFormat().getPackedStorageBytes(getShape());
    }
  }];
}

#endif // MASE_DIALECT_MASE_IR_MASETYPES_TD
