//===- TorchFloat.h - float32 primitives as torch computes them -*- C++ -*-===//
//
// MASE does all quantisation arithmetic in float32 through torch. These
// helpers reproduce the torch behaviours the formats depend on (spec section
// 1): log2-based exponents, the +1e-9 offsets, the |x| <= 1e-8 pass-through
// and torch.sign. Header-only; no MLIR or LLVM dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_TORCHFLOAT_H
#define MASE_NUMERICS_TORCHFLOAT_H

#include <cmath>

namespace mase::numerics::torch {

/// The Python constant 1e-9 as torch adds it to a float32 tensor.
inline constexpr float kEpsilon = 1e-9f;

/// torch.log2 on float32: the correctly rounded float32 log2 (float64 log2
/// rounded to nearest), which is what ceil/floor of torch.log2 act on.
inline float log2(float v) {
  return static_cast<float>(std::log2(static_cast<double>(v)));
}
inline float ceilLog2(float v) { return std::ceil(log2(v)); }
inline float floorLog2(float v) { return std::floor(log2(v)); }

/// torch.round: round half to even (the default floating-point environment).
inline float roundHalfEven(float v) { return std::nearbyint(v); }

/// torch.clamp(v, lo, hi): NaN propagates.
inline float clamp(float v, float lo, float hi) {
  if (std::isnan(v))
    return v;
  return v < lo ? lo : (v > hi ? hi : v);
}

/// torch.isclose(x, 0) with the default tolerances: |x| <= f32(1e-8).
inline bool isCloseToZero(float x) { return std::fabs(x) <= 1e-8f; }

/// torch.sign(x + 1e-9) in float32: +1 for 0, NaN for NaN.
inline float signPlusEpsilon(float x) {
  float v = x + kEpsilon;
  if (std::isnan(v))
    return v;
  return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f);
}

/// 2^e as an exact float32 (e an integer-valued float); inf/0 outside range.
inline float exp2(float e) { return std::ldexp(1.0f, static_cast<int>(e)); }

} // namespace mase::numerics::torch

#endif // MASE_NUMERICS_TORCHFLOAT_H
