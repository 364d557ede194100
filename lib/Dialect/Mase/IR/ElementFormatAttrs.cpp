//===- ElementFormatAttrs.cpp - element-wise format attributes ------------===//
//
// #mase.int, #mase.minifloat_denorm, #mase.minifloat_ieee, #mase.log, #mase.binary,
// #mase.ternary and #mase.scale_integer.
//
//===----------------------------------------------------------------------===//

#include "mase/Dialect/Mase/IR/MaseAttrs.h"

#include "FormatAttrSyntax.h"
#include "FormatAttrUtils.h"
#include "mase/Numerics/Binary.h"
#include "mase/Numerics/Integer.h"
#include "mase/Numerics/IntegerPacking.h"
#include "mase/Numerics/Log.h"
#include "mase/Numerics/Minifloat.h"
#include "mase/Numerics/ScaleInteger.h"
#include "mase/Numerics/Ternary.h"

#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::mase;
namespace numerics = ::mase::numerics;
using Kind = FormatAttrSyntax::Kind;

/// Formats that MASE only defines on 4-D tensors.
static LogicalResult
verifyRank4(Attribute format, ArrayRef<int64_t> shape,
            function_ref<InFlightDiagnostic()> emitError) {
  if (shape.size() == 4)
    return success();
  return emitError() << format << " needs a 4-D tensor (as in MASE), got rank "
                     << shape.size();
}

//===----------------------------------------------------------------------===//
// IntFormatAttr
//===----------------------------------------------------------------------===//

static numerics::IntegerFormat toNumerics(IntFormatAttr attr) {
  numerics::IntegerFormat format;
  format.width = attr.getWidth();
  format.fracWidth = attr.getFracWidth();
  format.isSigned = attr.getIsSigned();
  format.rounding = attr.getFloor() ? numerics::Rounding::Floor
                                    : numerics::Rounding::NearestEven;
  return format;
}

LogicalResult
IntFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      unsigned width, int fracWidth, bool isSigned,
                      bool floor) {
  numerics::IntegerFormat format;
  format.width = width;
  format.fracWidth = fracWidth;
  return checkValid(emitError, getMnemonic(), format.validate());
}

unsigned IntFormatAttr::getBitsPerElement() const { return getWidth(); }
unsigned IntFormatAttr::getSharedBitsPerBlock() const { return 0; }
SmallVector<int64_t> IntFormatAttr::getBlockShape() const { return {}; }

LogicalResult IntFormatAttr::verifyTensorShape(
    ArrayRef<int64_t>, function_ref<InFlightDiagnostic()>) const {
  return success();
}

LogicalResult IntFormatAttr::quantize(ArrayRef<float> input,
                                      ArrayRef<int64_t> shape,
                                      SmallVectorImpl<float> &output,
                                      std::string &error) const {
  return runQuantize(toNumerics(*this), input, shape, output, error);
}

std::optional<int64_t>
IntFormatAttr::getPackedStorageBytes(ArrayRef<int64_t> shape) const {
  return numerics::packedBytes(toNumerics(*this),
                               numerics::numElements(toShape(shape)));
}

LogicalResult IntFormatAttr::pack(ArrayRef<float> input,
                                  ArrayRef<int64_t> shape,
                                  SmallVectorImpl<uint8_t> &bytes,
                                  std::string &error) const {
  bytes.resize(*getPackedStorageBytes(shape));
  error = numerics::encode(toNumerics(*this), input.data(), toShape(shape),
                           bytes.data());
  return success(error.empty());
}

LogicalResult IntFormatAttr::unpack(ArrayRef<uint8_t> bytes,
                                    ArrayRef<int64_t> shape,
                                    SmallVectorImpl<float> &output,
                                    std::string &error) const {
  output.resize(numerics::numElements(toShape(shape)));
  error = numerics::decode(toNumerics(*this), bytes.data(), output.data(),
                           toShape(shape));
  return success(error.empty());
}

//===----------------------------------------------------------------------===//
// Minifloats
//===----------------------------------------------------------------------===//

template <typename Format, typename Attr>
static Format minifloatToNumerics(Attr attr) {
  Format format;
  format.width = attr.getWidth();
  format.exponentWidth = attr.getExponentWidth();
  format.exponentBias = attr.getBias();
  return format;
}

template <typename Format>
static LogicalResult
verifyMinifloat(function_ref<InFlightDiagnostic()> emitError,
                StringRef mnemonic, unsigned width, unsigned exponentWidth,
                std::optional<int> bias) {
  Format format;
  format.width = width;
  format.exponentWidth = exponentWidth;
  format.exponentBias = bias;
  return checkValid(emitError, mnemonic, format.validate());
}

#define MASE_MINIFLOAT_ATTR(Attr, Format)                                      \
  LogicalResult Attr::verify(function_ref<InFlightDiagnostic()> emitError,     \
                             unsigned width, unsigned exponentWidth,           \
                             std::optional<int> bias) {                        \
    return verifyMinifloat<numerics::Format>(emitError, getMnemonic(), width,  \
                                             exponentWidth, bias);             \
  }                                                                            \
  unsigned Attr::getBitsPerElement() const { return getWidth(); }              \
  unsigned Attr::getSharedBitsPerBlock() const { return 0; }                   \
  SmallVector<int64_t> Attr::getBlockShape() const { return {}; }              \
  LogicalResult Attr::verifyTensorShape(                                       \
      ArrayRef<int64_t>, function_ref<InFlightDiagnostic()>) const {           \
    return success();                                                          \
  }                                                                            \
  LogicalResult Attr::quantize(ArrayRef<float> input, ArrayRef<int64_t> shape, \
                               SmallVectorImpl<float> &output,                 \
                               std::string &error) const {                     \
    return runQuantize(minifloatToNumerics<numerics::Format>(*this), input,    \
                       shape, output, error);                                  \
  }

MASE_MINIFLOAT_ATTR(MinifloatDenormFormatAttr, MinifloatDenormFormat)
MASE_MINIFLOAT_ATTR(MinifloatIeeeFormatAttr, MinifloatIeeeFormat)
#undef MASE_MINIFLOAT_ATTR

//===----------------------------------------------------------------------===//
// LogFormatAttr
//===----------------------------------------------------------------------===//

static numerics::LogFormat toNumerics(LogFormatAttr attr) {
  numerics::LogFormat format;
  format.width = attr.getWidth();
  format.exponentBias = attr.getBias();
  return format;
}

LogicalResult
LogFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      unsigned width, std::optional<int> bias) {
  numerics::LogFormat format;
  format.width = width;
  format.exponentBias = bias;
  return checkValid(emitError, getMnemonic(), format.validate());
}

unsigned LogFormatAttr::getBitsPerElement() const { return getWidth(); }
unsigned LogFormatAttr::getSharedBitsPerBlock() const { return 0; }
SmallVector<int64_t> LogFormatAttr::getBlockShape() const { return {}; }
LogicalResult LogFormatAttr::verifyTensorShape(
    ArrayRef<int64_t>, function_ref<InFlightDiagnostic()>) const {
  return success();
}
LogicalResult LogFormatAttr::quantize(ArrayRef<float> input,
                                      ArrayRef<int64_t> shape,
                                      SmallVectorImpl<float> &output,
                                      std::string &error) const {
  return runQuantize(toNumerics(*this), input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// BinaryFormatAttr
//===----------------------------------------------------------------------===//

LogicalResult BinaryFormatAttr::verify(function_ref<InFlightDiagnostic()>,
                                       bool) {
  return success();
}

unsigned BinaryFormatAttr::getBitsPerElement() const { return 1; }
unsigned BinaryFormatAttr::getSharedBitsPerBlock() const { return 0; }
SmallVector<int64_t> BinaryFormatAttr::getBlockShape() const { return {}; }
LogicalResult BinaryFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  return getBipolar() ? success() : verifyRank4(*this, shape, emitError);
}
LogicalResult BinaryFormatAttr::quantize(ArrayRef<float> input,
                                         ArrayRef<int64_t> shape,
                                         SmallVectorImpl<float> &output,
                                         std::string &error) const {
  numerics::BinaryFormat format;
  format.bipolar = getBipolar();
  return runQuantize(format, input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// TernaryFormatAttr
//===----------------------------------------------------------------------===//

LogicalResult TernaryFormatAttr::verify(function_ref<InFlightDiagnostic()>,
                                        bool) {
  return success();
}

unsigned TernaryFormatAttr::getBitsPerElement() const { return 2; }
unsigned TernaryFormatAttr::getSharedBitsPerBlock() const { return 0; }
SmallVector<int64_t> TernaryFormatAttr::getBlockShape() const { return {}; }
LogicalResult TernaryFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyRank4(*this, shape, emitError);
}
LogicalResult TernaryFormatAttr::quantize(ArrayRef<float> input,
                                          ArrayRef<int64_t> shape,
                                          SmallVectorImpl<float> &output,
                                          std::string &error) const {
  numerics::TernaryFormat format;
  format.scalingFactor = getScaled();
  return runQuantize(format, input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// ScaleIntegerFormatAttr
//===----------------------------------------------------------------------===//

static numerics::ScaleIntegerFormat toNumerics(ScaleIntegerFormatAttr attr) {
  numerics::ScaleIntegerFormat format;
  format.width = attr.getWidth();
  format.isSigned = attr.getIsSigned();
  return format;
}

LogicalResult
ScaleIntegerFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               unsigned width, bool isSigned) {
  numerics::ScaleIntegerFormat format;
  format.width = width;
  format.isSigned = isSigned;
  return checkValid(emitError, getMnemonic(), format.validate());
}

unsigned ScaleIntegerFormatAttr::getBitsPerElement() const {
  return getWidth();
}
/// One float32 scale per row.
unsigned ScaleIntegerFormatAttr::getSharedBitsPerBlock() const { return 32; }
SmallVector<int64_t> ScaleIntegerFormatAttr::getBlockShape() const {
  return {-1};
}
LogicalResult ScaleIntegerFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  if (!shape.empty())
    return success();
  return emitError() << *this << " needs a tensor of rank >= 1";
}
LogicalResult ScaleIntegerFormatAttr::quantize(ArrayRef<float> input,
                                               ArrayRef<int64_t> shape,
                                               SmallVectorImpl<float> &output,
                                               std::string &error) const {
  return runQuantize(toNumerics(*this), input, shape, output, error);
}
