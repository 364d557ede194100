//===- MaseAttrs.td - number-format attributes -------------*- tablegen -*-===//
//
// One attribute per MASE number format. Syntax: positional parameters, then
// `key = value` options and flags, e.g.
//   #mase.int<8, 4>   #mase.int<8, 4, unsigned, floor>
//   #mase.bfp<8, 8, bias = 127, block = [1, 16]>   #mase.mxint8<block = 32>
//
//===----------------------------------------------------------------------===//

#ifndef MASE_DIALECT_MASE_IR_MASEATTRS_TD
#define MASE_DIALECT_MASE_IR_MASEATTRS_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mase/Dialect/Mase/IR/MaseFormatInterface.td"
include "mlir/IR/AttrTypeBase.td"

class Mase_FormatAttr<string name, string attrMnemonic, list<string> methods = []>
    : AttrDef<Mase_Dialect, name, [DeclareAttrInterfaceMethods<
          Mase_FormatAttrInterface,
          !listconcat(["verifyTensorShape"], methods)>]> {
  let mnemonic = attrMnemonic;
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def Mase_IntFormatAttr : Mase_FormatAttr<"IntFormat", "int"> {
  let summary = "Fixed point (MASE `integer`)";
  let description = [{
    `#mase.int<width, frac_width>` with optional flags `unsigned` and `floor`:
    y = clamp(round(x * 2^f), lo, hi) / 2^f with round-half-even (or floor
    with `floor`), lo/hi the signed or unsigned `width`-bit range. `frac_width`
    may be negative. Packed storage: the integer codes, bit-packed for widths
    up to 8, int16/int32 words above.
  }];
  let parameters = (ins "unsigned":$width, "int":$fracWidth,
                        DefaultValuedParameter<"bool", "true">:$isSigned,
                        DefaultValuedParameter<"bool", "false">:$floor);
}

#endif // MASE_DIALECT_MASE_IR_MASEATTRS_TD
