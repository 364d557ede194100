//===- FixedPointCode.h - the code of a fixed-point value ------*- C++ -*-===//
//
// Private to lib/Conversion/MaseToLinalg: the code c = clamp(round(x * 2^f),
// lo, hi) of `#mase.int` as float32 scalar ops, shared by mase.quantize
// (which then divides by 2^f) and mase.int_codes (which converts c to i8).
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_CONVERSION_MASETOLINALG_FIXEDPOINTCODE_H
#define MASE_LIB_CONVERSION_MASETOLINALG_FIXEDPOINTCODE_H

#include "TorchFloatOps.h"

#include "mase/Dialect/Mase/IR/MaseAttrs.h"

namespace mlir::mase::detail {

/// The code of `x` in `format` as an integer-valued f32 (NaN stays NaN),
/// computed exactly as the numerics library does; `scale` is the f32
/// constant 2^frac_width.
Value fixedPointCode(TorchFloatBuilder &t, Value x, IntFormatAttr format,
                     Value scale);

} // namespace mlir::mase::detail

#endif // MASE_LIB_CONVERSION_MASETOLINALG_FIXEDPOINTCODE_H
