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

//===----------------------------------------------------------------------===//
// Element-wise formats
//===----------------------------------------------------------------------===//

def Mase_IntFormatAttr : Mase_FormatAttr<"IntFormat", "int",
    ["getPackedStorageBytes", "pack", "unpack"]> {
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

def Mase_MinifloatDenormFormatAttr
    : Mase_FormatAttr<"MinifloatDenormFormat", "minifloat_denorm"> {
  let summary = "Minifloat without implicit leading bit (MASE `minifloat_denorm`)";
  let description = [{
    `#mase.minifloat_denorm<width, exponent_width>`, option `bias = b`
    (default 2^(E-1) - 1). Mantissa M = width - E - 1 bits with no hidden
    bit; no inf/NaN encoding; |x| <= 1e-8 passes through unchanged.
  }];
  let parameters = (ins "unsigned":$width, "unsigned":$exponentWidth,
                        OptionalParameter<"std::optional<int>">:$bias);
}

def Mase_MinifloatIeeeFormatAttr
    : Mase_FormatAttr<"MinifloatIeeeFormat", "minifloat_ieee"> {
  let summary = "IEEE-style minifloat with subnormals (MASE `minifloat_ieee`)";
  let description = [{
    `#mase.minifloat_ieee<width, exponent_width>`, option `bias = b`
    (default 2^(E-1) - 1). Hidden bit, IEEE-style subnormals, a finite top
    binade and no carry into the exponent (MASE's rounding).
  }];
  let parameters = (ins "unsigned":$width, "unsigned":$exponentWidth,
                        OptionalParameter<"std::optional<int>">:$bias);
}

def Mase_LogFormatAttr : Mase_FormatAttr<"LogFormat", "log"> {
  let summary = "Logarithmic (power-of-two) format (MASE `log`)";
  let description = [{
    `#mase.log<width>`, option `bias = b` (default 2^(width-2) - 1): one sign
    bit and width - 1 exponent bits; rounding in the log domain; zero is not
    representable (it becomes 2^-b).
  }];
  let parameters = (ins "unsigned":$width,
                        OptionalParameter<"std::optional<int>">:$bias);
}

def Mase_BinaryFormatAttr : Mase_FormatAttr<"BinaryFormat", "binary"> {
  let summary = "Binary format (MASE `binary`, non-stochastic)";
  let description = [{
    `#mase.binary`: +1 for x >= 0, -1 otherwise. `#mase.binary<bipolar = false>`:
    [x > 0] times the mean |x| over dims 1-3 of each sample (4-D tensors only).
  }];
  let parameters = (ins DefaultValuedParameter<"bool", "true">:$bipolar);
}

def Mase_TernaryFormatAttr : Mase_FormatAttr<"TernaryFormat", "ternary"> {
  let summary = "Ternary format (MASE `ternary`)";
  let description = [{
    `#mase.ternary` (or `#mase.ternary<scaled>`): per output channel, +1/0/-1
    against 0.75 * mean |w| (times the mean of the kept magnitudes when
    scaled). 4-D tensors only, as in MASE.
  }];
  let parameters = (ins DefaultValuedParameter<"bool", "false">:$scaled);
}

def Mase_ScaleIntegerFormatAttr
    : Mase_FormatAttr<"ScaleIntegerFormat", "scale_integer"> {
  let summary = "Per-row scaled integer (MASE `scale_integer`)";
  let description = [{
    `#mase.scale_integer<width>` (flag `unsigned`): each row (last dim) is
    scaled by 2^(width-1) / (max|x| + 1e-9) and rounded to integers.
  }];
  let parameters = (ins "unsigned":$width,
                        DefaultValuedParameter<"bool", "true">:$isSigned);
}

//===----------------------------------------------------------------------===//
// Block formats
//===----------------------------------------------------------------------===//

def Mase_BlockFpFormatAttr : Mase_FormatAttr<"BlockFpFormat", "bfp"> {
  let summary = "Block floating point (MASE `block_fp`)";
  let description = [{
    `#mase.bfp<width, exponent_width>`, options `bias = b` (default
    2^(E-1) - 1), `block = [..]` (MASE's block_size, default [16]) and
    `skip_first_dim = true|false` (default true: activation blocking). Each
    block shares one E-bit exponent; elements are sign + (width - 1) bits.
  }];
  let parameters = (ins "unsigned":$width, "unsigned":$exponentWidth,
                        OptionalParameter<"std::optional<int>">:$bias,
                        ArrayRefParameter<"int64_t">:$blockSize,
                        "bool":$skipFirstDim);
}

def Mase_BlockMinifloatFormatAttr
    : Mase_FormatAttr<"BlockMinifloatFormat", "block_minifloat"> {
  let summary = "Block minifloat (MASE `block_minifloat`)";
  let description = [{
    `#mase.block_minifloat<width, exponent_width, exponent_bias_width>`,
    options `block` and `skip_first_dim` as for `#mase.bfp`. Each block shares
    a bias (floor(log2 max), clamped to exponent_bias_width bits) for
    IEEE-style minifloat elements.
  }];
  let parameters = (ins "unsigned":$width, "unsigned":$exponentWidth,
                        "unsigned":$exponentBiasWidth,
                        ArrayRefParameter<"int64_t">:$blockSize,
                        "bool":$skipFirstDim);
}

def Mase_BlockLogFormatAttr : Mase_FormatAttr<"BlockLogFormat", "block_log"> {
  let summary = "Block logarithmic format (MASE `block_log`)";
  let description = [{
    `#mase.block_log<width, exponent_bias_width>`, options `block` and
    `skip_first_dim` as for `#mase.bfp`. Each block shares a bias for
    log-format elements.
  }];
  let parameters = (ins "unsigned":$width, "unsigned":$exponentBiasWidth,
                        ArrayRefParameter<"int64_t">:$blockSize,
                        "bool":$skipFirstDim);
}

//===----------------------------------------------------------------------===//
// Microscaling formats
//===----------------------------------------------------------------------===//

def Mase_MxintFormatAttr : Mase_FormatAttr<"MxintFormat", "mxint"> {
  let summary = "MASE's MXINT (MASE `mxint`)";
  let description = [{
    `#mase.mxint<element_bits, block = B>`, options `block_dim = d` (default
    -1) and `scale_bits = s` (default 8). Blocks of B consecutive elements
    along `block_dim` share a ceil(log2 max) scale; elements are fixed point
    with element_bits - 1 fraction bits. Differs from OCP MXINT8
    (`#mase.mxint8`): see docs/number-formats.
  }];
  let parameters = (ins "unsigned":$elementBits, "int64_t":$blockSize,
                        "int":$blockDim, "unsigned":$scaleBits);
}

def Mase_MxintHardwareFormatAttr
    : Mase_FormatAttr<"MxintHardwareFormat", "mxint_hardware"> {
  let summary = "MASE's hardware MXINT (MASE `mxint_hardware`)";
  let description = [{
    `#mase.mxint_hardware<width, exponent_width, parallelism = [p1, p0]>`:
    p1 x p0 tiles over the last two dims share an exponent; floor rounding.
  }];
  let parameters = (ins "unsigned":$width, "unsigned":$exponentWidth,
                        ArrayRefParameter<"int64_t">:$parallelism);
}

def Mase_Mxint8FormatAttr : Mase_FormatAttr<"Mxint8Format", "mxint8",
    ["getPackedStorageBytes", "pack", "unpack"]> {
  let summary = "OCP MXINT8, as MASE's lab kernel implements it";
  let description = [{
    `#mase.mxint8<block = 32>`: groups of `block` consecutive elements share
    an E8M0 scale (floor(log2 max) + 127); elements are int8 with an implicit
    2^-6, symmetric +-127; inputs are rounded to bf16 first. Packed storage:
    N int8 mantissas followed by N / block uint8 scales.
  }];
  let parameters = (ins DefaultValuedParameter<"int64_t", "32">:$blockSize);
}

#endif // MASE_DIALECT_MASE_IR_MASEATTRS_TD
