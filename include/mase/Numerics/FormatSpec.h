//===- FormatSpec.h - MASE formats by name and keywords ---------*- C++ -*-===//
//
// Builds a number format from MASE's quantizer name and keyword arguments,
// written as text, e.g.
//
//   parseFormat("block_fp", "width=8,exponent_bias=None,block_size=[1,16]", f)
//
// Names are MASE's quantizer names (integer, integer_floor, minifloat_denorm,
// minifloat_ieee, block_fp, block_minifloat, log, block_log, binary, ternary,
// scale_integer, mxint, mxint_hardware) plus mxint8 (the lab's OCP MXINT8).
// Parameters are `key=value` separated by commas; a value is an integer, a
// number, true/false (or True/False), None (or none/null) or a list of
// integers [a, b]. An integer stands for a one-entry list. Keys left out take
// MASE's defaults; docs/user-guide.md lists every format's keys. Every
// problem (unknown name or key, missing or repeated key, wrongly typed value,
// invalid format) is a message naming it. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_FORMATSPEC_H
#define MASE_NUMERICS_FORMATSPEC_H

#include "mase/Numerics/Binary.h"
#include "mase/Numerics/BlockFp.h"
#include "mase/Numerics/BlockLog.h"
#include "mase/Numerics/BlockMinifloat.h"
#include "mase/Numerics/Integer.h"
#include "mase/Numerics/Log.h"
#include "mase/Numerics/Minifloat.h"
#include "mase/Numerics/Mxint.h"
#include "mase/Numerics/Mxint8.h"
#include "mase/Numerics/MxintHardware.h"
#include "mase/Numerics/ScaleInteger.h"
#include "mase/Numerics/Ternary.h"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mase::numerics {

/// Any MASE number format (integer and integer_floor are both IntegerFormat).
using Format =
    std::variant<IntegerFormat, MinifloatDenormFormat, MinifloatIeeeFormat,
                 BlockFpFormat, BlockMinifloatFormat, LogFormat, BlockLogFormat,
                 BinaryFormat, TernaryFormat, ScaleIntegerFormat, MxintFormat,
                 MxintHardwareFormat, Mxint8Format>;

/// Builds the format `name` from `params` ("key=value,..."; may be empty)
/// and validates it. Returns an empty string on success (then `format` holds
/// it), otherwise a message naming the problem.
std::string parseFormat(std::string_view name, std::string_view params,
                        Format &format);

/// The names parseFormat accepts.
const std::vector<std::string> &formatNames();

/// Quantises with whichever format `format` holds (see each format's header).
std::string quantize(const Format &format, const float *in, float *out,
                     const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_FORMATSPEC_H
