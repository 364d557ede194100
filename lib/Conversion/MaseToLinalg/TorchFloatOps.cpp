//===- TorchFloatOps.cpp - torch's float32 steps as arith ops -------------===//

#include "TorchFloatOps.h"

#include "mase/Numerics/TorchFloat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;

namespace mlir::mase::detail {

namespace {

constexpr int kMinExponent = -149, kMaxExponent = 127;
constexpr int64_t kMantissaCount = int64_t(1) << 23;

/// Whether the float32 log2 of 2^k (1 + f 2^-23) is above k (Ceil) or
/// reaches k + 1 (Floor). The value is exact in double for every k here.
bool crosses(int k, int64_t f, Log2Rounding rounding) {
  double v = std::ldexp(1.0 + std::ldexp(static_cast<double>(f), -23), k);
  float l = static_cast<float>(std::log2(v));
  return rounding == Log2Rounding::Ceil ? l > static_cast<float>(k)
                                        : l >= static_cast<float>(k + 1);
}

/// The smallest f in [0, 2^23] that crosses (2^23: none); log2 is monotonic.
int32_t threshold(int k, Log2Rounding rounding) {
  int64_t lo = 0, hi = kMantissaCount;
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    if (crosses(k, mid, rounding))
      hi = mid;
    else
      lo = mid + 1;
  }
  return static_cast<int32_t>(lo);
}

} // namespace

Value createLog2Table(OpBuilder &b, Location loc, Log2Rounding rounding) {
  SmallVector<int32_t> table;
  for (int k = kMinExponent; k <= kMaxExponent; ++k)
    table.push_back(threshold(k, rounding));
  auto type = RankedTensorType::get({static_cast<int64_t>(table.size())},
                                    b.getI32Type());
  return arith::ConstantOp::create(
      b, loc, DenseIntElementsAttr::get(type, ArrayRef<int32_t>(table)));
}

Value TorchFloatBuilder::f32(double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

Value TorchFloatBuilder::i32(int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
}

Value TorchFloatBuilder::clamp(Value v, double lo, double hi) {
  using P = arith::CmpFPredicate;
  Value loV = f32(lo), hiV = f32(hi);
  Value below = arith::CmpFOp::create(b, loc, P::OLT, v, loV);
  Value above = arith::CmpFOp::create(b, loc, P::OGT, v, hiV);
  Value upper = arith::SelectOp::create(b, loc, above, hiV, v);
  return arith::SelectOp::create(b, loc, below, loV, upper);
}

Value TorchFloatBuilder::roundEven(Value v) {
  return math::RoundEvenOp::create(b, loc, v);
}

Value TorchFloatBuilder::signPlusEpsilon(Value x) {
  using P = arith::CmpFPredicate;
  Value v = arith::AddFOp::create(b, loc, x, f32(::mase::numerics::torch::kEpsilon));
  Value zero = f32(0.0);
  Value positive = arith::CmpFOp::create(b, loc, P::OGT, v, zero);
  Value negative = arith::CmpFOp::create(b, loc, P::OLT, v, zero);
  Value isNan = arith::CmpFOp::create(b, loc, P::UNO, v, v);
  Value sign = arith::SelectOp::create(
      b, loc, positive, f32(1.0),
      arith::SelectOp::create(b, loc, negative, f32(-1.0), zero));
  return arith::SelectOp::create(b, loc, isNan, v, sign);
}

Value TorchFloatBuilder::passThroughNearZero(Value x, Value q) {
  Value magnitude = math::AbsFOp::create(b, loc, x);
  Value isClose = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE,
                                        magnitude, f32(1e-8f));
  Value close = arith::SelectOp::create(b, loc, isClose, f32(1.0), f32(0.0));
  Value far = arith::SubFOp::create(b, loc, f32(1.0), close);
  return arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, far, q),
                               arith::MulFOp::create(b, loc, close, x));
}

Value TorchFloatBuilder::pow2(Value e) {
  // 2^e = 2^a * 2^(e - a) with a = floor(e / 2): both factors are normal
  // for e in [-252, 254], and their product rounds once, like ldexp (to a
  // subnormal, 0 or inf).
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, e, e);
  Value safe = arith::SelectOp::create(b, loc, isNan, f32(0.0),
                                       clamp(e, -252.0, 254.0));
  Value n = arith::FPToSIOp::create(b, loc, b.getI32Type(), safe);
  Value a = arith::ShRSIOp::create(b, loc, n, i32(1));
  Value c = arith::SubIOp::create(b, loc, n, a);
  auto power = [&](Value k) {
    Value biased = arith::AddIOp::create(b, loc, k, i32(127));
    Value bits = arith::ShLIOp::create(b, loc, biased, i32(23));
    return arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
  };
  Value product = arith::MulFOp::create(b, loc, power(a), power(c));
  return arith::SelectOp::create(b, loc, isNan, e, product);
}

Value TorchFloatBuilder::log2Rounded(Value v, Value table) {
  using P = arith::CmpFPredicate;
  // Subnormals are scaled into the normal range; their exponent is fixed up.
  Value isSubnormal =
      arith::CmpFOp::create(b, loc, P::OLT, v, f32(std::ldexp(1.0, -126)));
  Value scaled = arith::MulFOp::create(b, loc, v, f32(std::ldexp(1.0, 64)));
  Value normal = arith::SelectOp::create(b, loc, isSubnormal, scaled, v);
  Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), normal);
  Value field = arith::ShRUIOp::create(b, loc, bits, i32(23));
  Value offset =
      arith::SelectOp::create(b, loc, isSubnormal, i32(127 + 64), i32(127));
  Value k = arith::SubIOp::create(b, loc, field, offset);
  Value fraction = arith::AndIOp::create(b, loc, bits, i32(kMantissaCount - 1));
  // Clamped so that inf, NaN and 0 (handled below) index the table safely.
  Value index = arith::MaxSIOp::create(
      b, loc, i32(0),
      arith::MinSIOp::create(b, loc, i32(kMaxExponent - kMinExponent),
                             arith::SubIOp::create(b, loc, k,
                                                   i32(kMinExponent))));
  Value limit = tensor::ExtractOp::create(
      b, loc, table,
      ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(), index)});
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, fraction,
                                   limit);
  Value exponent = arith::AddIOp::create(
      b, loc, k, arith::ExtUIOp::create(b, loc, b.getI32Type(), up));
  Value result = arith::SIToFPOp::create(b, loc, b.getF32Type(), exponent);
  Value isZero = arith::CmpFOp::create(b, loc, P::OEQ, v, f32(0.0));
  Value isInf = arith::CmpFOp::create(b, loc, P::OEQ, v, f32(INFINITY));
  Value isNan = arith::CmpFOp::create(b, loc, P::UNO, v, v);
  result = arith::SelectOp::create(b, loc, isZero, f32(-INFINITY), result);
  result = arith::SelectOp::create(b, loc, isInf, v, result);
  return arith::SelectOp::create(b, loc, isNan, v, result);
}

Value TorchFloatBuilder::roundToBf16(Value v) {
  Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), v);
  Value lsb = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, i32(16)), i32(1));
  Value rounded = arith::AddIOp::create(
      b, loc, arith::AddIOp::create(b, loc, bits, i32(0x7fff)), lsb);
  Value truncated = arith::AndIOp::create(b, loc, rounded, i32(0xffff0000));
  Value result = arith::BitcastOp::create(b, loc, b.getF32Type(), truncated);
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, v, v);
  return arith::SelectOp::create(b, loc, isNan, v, result);
}

} // namespace mlir::mase::detail
