//===- MxFormatAttrs.cpp - microscaling format attributes -----------------===//
//
// #mase.mxint (MASE's MXINT), #mase.mxint_hardware and #mase.mxint8 (OCP
// MXINT8 as MASE's lab kernel implements it, with packed storage).
//
//===----------------------------------------------------------------------===//

#include "mase/Dialect/Mase/IR/MaseAttrs.h"

#include "FormatAttrSyntax.h"
#include "FormatAttrUtils.h"
#include "mase/Numerics/Mxint.h"
#include "mase/Numerics/Mxint8.h"
#include "mase/Numerics/MxintHardware.h"

#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::mase;
namespace numerics = ::mase::numerics;
using Kind = FormatAttrSyntax::Kind;

/// Formats whose blocks run over the flattened tensor need a multiple of the
/// block size.
static LogicalResult
verifyDivisibleNumel(Attribute format, ArrayRef<int64_t> shape, int64_t block,
                     function_ref<InFlightDiagnostic()> emitError) {
  int64_t numel = numerics::numElements(toShape(shape));
  if (numel % block == 0)
    return success();
  return emitError() << format << " needs a multiple of " << block
                     << " elements, got " << numel;
}

//===----------------------------------------------------------------------===//
// MxintFormatAttr
//===----------------------------------------------------------------------===//

static numerics::MxintFormat makeMxint(unsigned elementBits, int64_t blockSize,
                                       int blockDim, unsigned scaleBits) {
  numerics::MxintFormat format;
  format.elementBits = elementBits;
  format.blockSize = blockSize;
  format.blockDim = blockDim;
  format.scaleBits = scaleBits;
  return format;
}

static numerics::MxintFormat toNumerics(MxintFormatAttr attr) {
  return makeMxint(attr.getElementBits(), attr.getBlockSize(),
                   attr.getBlockDim(), attr.getScaleBits());
}

LogicalResult
MxintFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        unsigned elementBits, int64_t blockSize, int blockDim,
                        unsigned scaleBits) {
  return checkValid(
      emitError, getMnemonic(),
      makeMxint(elementBits, blockSize, blockDim, scaleBits).validate());
}

unsigned MxintFormatAttr::getBitsPerElement() const {
  return getElementBits();
}
unsigned MxintFormatAttr::getSharedBitsPerBlock() const {
  return getScaleBits();
}
SmallVector<int64_t> MxintFormatAttr::getBlockShape() const {
  return {getBlockSize()};
}
LogicalResult MxintFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  int64_t rank = shape.size();
  if (getBlockDim() < -rank || getBlockDim() >= rank)
    return emitError() << *this << ": block_dim " << getBlockDim()
                       << " is out of range for rank " << rank;
  return verifyDivisibleNumel(*this, shape, getBlockSize(), emitError);
}
LogicalResult MxintFormatAttr::quantize(ArrayRef<float> input,
                                        ArrayRef<int64_t> shape,
                                        SmallVectorImpl<float> &output,
                                        std::string &error) const {
  return runQuantize(toNumerics(*this), input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// MxintHardwareFormatAttr
//===----------------------------------------------------------------------===//

static numerics::MxintHardwareFormat
makeMxintHardware(unsigned width, unsigned exponentWidth,
                  ArrayRef<int64_t> parallelism) {
  numerics::MxintHardwareFormat format;
  format.width = width;
  format.exponentWidth = exponentWidth;
  for (auto [i, p] : llvm::enumerate(parallelism.take_front(2)))
    format.parallelism[i] = p;
  return format;
}

LogicalResult MxintHardwareFormatAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, unsigned width,
    unsigned exponentWidth, ArrayRef<int64_t> parallelism) {
  if (parallelism.size() != 2)
    return emitError() << "invalid #mase.mxint_hardware: parallelism needs 2 "
                          "entries [p1, p0], got "
                       << parallelism.size();
  return checkValid(
      emitError, getMnemonic(),
      makeMxintHardware(width, exponentWidth, parallelism).validate());
}

unsigned MxintHardwareFormatAttr::getBitsPerElement() const {
  return getWidth();
}
unsigned MxintHardwareFormatAttr::getSharedBitsPerBlock() const {
  return getExponentWidth();
}
SmallVector<int64_t> MxintHardwareFormatAttr::getBlockShape() const {
  return llvm::to_vector(getParallelism());
}
LogicalResult MxintHardwareFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  // Leading dims are flattened and a 1-D tensor is one row; the tile must
  // divide the last two dims exactly.
  int64_t rows = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  int64_t cols = shape.empty() ? 1 : shape.back();
  ArrayRef<int64_t> tile = getParallelism();
  if (rows % tile[0] == 0 && cols % tile[1] == 0)
    return success();
  return emitError() << *this << ": the " << tile[0] << "x" << tile[1]
                     << " tile does not divide the last two dims " << rows
                     << "x" << cols;
}
LogicalResult MxintHardwareFormatAttr::quantize(
    ArrayRef<float> input, ArrayRef<int64_t> shape,
    SmallVectorImpl<float> &output, std::string &error) const {
  return runQuantize(
      makeMxintHardware(getWidth(), getExponentWidth(), getParallelism()),
      input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// Mxint8FormatAttr
//===----------------------------------------------------------------------===//

static numerics::Mxint8Format toNumerics(Mxint8FormatAttr attr) {
  numerics::Mxint8Format format;
  format.groupSize = attr.getBlockSize();
  return format;
}

LogicalResult
Mxint8FormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         int64_t blockSize) {
  numerics::Mxint8Format format;
  format.groupSize = blockSize;
  return checkValid(emitError, getMnemonic(), format.validate());
}

unsigned Mxint8FormatAttr::getBitsPerElement() const { return 8; }
unsigned Mxint8FormatAttr::getSharedBitsPerBlock() const { return 8; }
SmallVector<int64_t> Mxint8FormatAttr::getBlockShape() const {
  return {getBlockSize()};
}
LogicalResult Mxint8FormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyDivisibleNumel(*this, shape, getBlockSize(), emitError);
}
LogicalResult Mxint8FormatAttr::quantize(ArrayRef<float> input,
                                         ArrayRef<int64_t> shape,
                                         SmallVectorImpl<float> &output,
                                         std::string &error) const {
  return runQuantize(toNumerics(*this), input, shape, output, error);
}

/// Packed layout: numel int8 mantissas, then numel / block uint8 scales.
std::optional<int64_t>
Mxint8FormatAttr::getPackedStorageBytes(ArrayRef<int64_t> shape) const {
  int64_t numel = numerics::numElements(toShape(shape));
  return numel + numel / getBlockSize();
}

LogicalResult Mxint8FormatAttr::pack(ArrayRef<float> input,
                                     ArrayRef<int64_t> shape,
                                     SmallVectorImpl<uint8_t> &bytes,
                                     std::string &error) const {
  int64_t numel = input.size();
  bytes.resize(*getPackedStorageBytes(shape));
  error = numerics::encode(toNumerics(*this), input.data(), toShape(shape),
                           reinterpret_cast<int8_t *>(bytes.data()),
                           bytes.data() + numel);
  return success(error.empty());
}

LogicalResult Mxint8FormatAttr::unpack(ArrayRef<uint8_t> bytes,
                                       ArrayRef<int64_t> shape,
                                       SmallVectorImpl<float> &output,
                                       std::string &error) const {
  int64_t numel = numerics::numElements(toShape(shape));
  output.resize(numel);
  error = numerics::decode(toNumerics(*this),
                           reinterpret_cast<const int8_t *>(bytes.data()),
                           bytes.data() + numel, output.data(), toShape(shape));
  return success(error.empty());
}
