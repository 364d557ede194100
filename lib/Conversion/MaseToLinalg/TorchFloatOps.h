//===- TorchFloatOps.h - torch's float32 steps as arith ops -----*- C++ -*-===//
//
// Private to lib/Conversion/MaseToLinalg: the scalar primitives of the
// numerics library's TorchFloat.h, emitted as arith/math ops inside
// linalg bodies so that compiled quantisation is bit-exact with the library
// (and so with MASE). Only exact operations are used: no math.log2 (whose
// lowering may approximate); exponents come from the float's bits and a
// threshold table (Log2Tables).
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_CONVERSION_MASETOLINALG_TORCHFLOATOPS_H
#define MASE_LIB_CONVERSION_MASETOLINALG_TORCHFLOATOPS_H

#include "mlir/IR/Builders.h"

namespace mlir::mase::detail {

/// ceil/floor of torch.log2 on float32 (the float32-rounded log2, see
/// TorchFloat.h) for v = 2^k (1 + f 2^-23): the result is k or k + 1, and
/// which depends on whether f reaches a threshold that only depends on k.
/// The tables hold those thresholds for k in [-149, 127], computed with the
/// library's own log2; they are materialised as tensor<277xi32> constants.
enum class Log2Rounding { Ceil, Floor };
Value createLog2Table(OpBuilder &b, Location loc, Log2Rounding rounding);

/// Builds float32 scalar code at one insertion point.
struct TorchFloatBuilder {
  OpBuilder &b;
  Location loc;

  Value f32(double v);
  Value i32(int64_t v);
  /// torch.clamp: NaN propagates.
  Value clamp(Value v, double lo, double hi);
  Value roundEven(Value v);
  /// torch.sign(x + 1e-9): +1 for 0, NaN for NaN.
  Value signPlusEpsilon(Value x);
  /// q where |x| > 1e-8, else x, as (1 - c) * q + c * x.
  Value passThroughNearZero(Value x, Value q);
  /// 2^e for an integer-valued (or infinite, NaN) float e, exact.
  Value pow2(Value e);
  /// ceil or floor of torch.log2(v) for v >= 0, with `table` from
  /// createLog2Table: -inf for 0, +inf for +inf, NaN for NaN.
  Value log2Rounded(Value v, Value table);
  /// tensor.bfloat16() and back: round to nearest even, NaN stays NaN.
  Value roundToBf16(Value v);
};

} // namespace mlir::mase::detail

#endif // MASE_LIB_CONVERSION_MASETOLINALG_TORCHFLOATOPS_H
