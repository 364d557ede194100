//===- Minifloat.cpp - MASE minifloat quantisation ------------------------===//
//
// Every step is the float32 operation torch performs, in MASE's order; both
// branches of MASE's arithmetic selects are formed, so NaN and inf leak the
// way they do in MASE (inf gives NaN).
//
//===----------------------------------------------------------------------===//

#include "mase/Numerics/Minifloat.h"
#include "mase/Numerics/TorchFloat.h"

#include <cmath>

namespace mase::numerics {

namespace {

// Wider biases only move every exponent out of the float32 range.
constexpr int kMaxAbsBias = 1000;

std::string validateMinifloat(const char *name, int width, int exponentWidth,
                              const std::optional<int> &exponentBias) {
  std::string prefix = std::string(name) + " ";
  if (exponentWidth < 1 || exponentWidth > 8)
    return prefix + "exponent_width must be in [1, 8], got " +
           std::to_string(exponentWidth);
  if (width < exponentWidth + 1 || width > 32)
    return prefix + "width must be in [exponent_width + 1, 32] = [" +
           std::to_string(exponentWidth + 1) + ", 32], got " +
           std::to_string(width);
  if (exponentBias &&
      (*exponentBias < -kMaxAbsBias || *exponentBias > kMaxAbsBias))
    return prefix + "exponent_bias must be in [-" +
           std::to_string(kMaxAbsBias) + ", " + std::to_string(kMaxAbsBias) +
           "], got " + std::to_string(*exponentBias);
  return {};
}

template <typename Format, typename Element>
std::string quantizeElementwise(const Format &format, const float *in,
                                float *out, const Shape &shape,
                                Element element) {
  if (std::string error = format.validate(); !error.empty())
    return error;
  const std::int64_t n = numElements(shape);
  for (std::int64_t i = 0; i < n; ++i)
    out[i] = element(in[i], format.width, format.exponentWidth, format.bias());
  return {};
}

} // namespace

std::string MinifloatDenormFormat::validate() const {
  return validateMinifloat("minifloat_denorm", width, exponentWidth,
                           exponentBias);
}

std::string MinifloatIeeeFormat::validate() const {
  return validateMinifloat("minifloat_ieee", width, exponentWidth,
                           exponentBias);
}

float quantizeMinifloatDenormElement(float x, int width, int exponentWidth,
                                     int bias) {
  const MinifloatGrid grid(width, exponentWidth, bias);
  const float shift = grid.shift, mantissaMax = grid.mantissaMax;

  const float sign = torch::signPlusEpsilon(x);
  const float value = std::fabs(x);
  // ceil puts the mantissa in [0, 1): 2^k itself needs q = 2^M and saturates.
  const float exponent = torch::clamp(
      std::ceil(torch::log2(value + torch::kEpsilon)), grid.minExponent, grid.maxExponent);
  const float scale = torch::pow2(exponent);
  const float q = torch::clamp(torch::roundHalfEven(value / scale * shift),
                               0.0f, mantissaMax);
  return torch::passThroughNearZero(x, sign * scale * (q / shift));
}

float quantizeMinifloatIeeeElement(float x, int width, int exponentWidth,
                                   int bias) {
  const MinifloatGrid grid(width, exponentWidth, bias);
  const float shift = grid.shift, mantissaMax = grid.mantissaMax;

  const float sign = torch::signPlusEpsilon(x);
  const float value = std::fabs(x);
  const float exponent = torch::clamp(
      std::floor(torch::log2(value + torch::kEpsilon)), grid.minExponent, grid.maxExponent);
  const float scale = torch::pow2(exponent);
  const float mantissa = value / scale;
  // The lowest exponent holds the subnormals (no implicit bit, step doubled).
  // Each branch clamps its own code, so rounding never carries a binade up.
  const float normal = torch::isClose(exponent, grid.minExponent) ? 0.0f : 1.0f;
  const float normalCode = torch::clamp(
      torch::roundHalfEven(mantissa * shift - shift), 0.0f, mantissaMax);
  const float subnormalCode = torch::clamp(
      torch::roundHalfEven(mantissa * shift / 2), 0.0f, mantissaMax);
  const float code = normal * normalCode + (1.0f - normal) * subnormalCode;
  const float significand =
      normal * (1.0f + code / shift) + (1.0f - normal) * (code / shift * 2);
  return torch::passThroughNearZero(x, sign * scale * significand);
}

std::string quantize(const MinifloatDenormFormat &format, const float *in,
                     float *out, const Shape &shape) {
  return quantizeElementwise(format, in, out, shape,
                             quantizeMinifloatDenormElement);
}

std::string quantize(const MinifloatIeeeFormat &format, const float *in,
                     float *out, const Shape &shape) {
  return quantizeElementwise(format, in, out, shape,
                             quantizeMinifloatIeeeElement);
}

} // namespace mase::numerics
