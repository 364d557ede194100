//===- BlockFormatAttrs.cpp - block format attributes ---------------------===//
//
// #mase.bfp, #mase.block_minifloat and #mase.block_log. They share the
// options `block = [..]` (MASE's block_size, default [16]) and
// `skip_first_dim = true|false` (default true), and MASE's blocking rules.
//
//===----------------------------------------------------------------------===//

#include "mase/Dialect/Mase/IR/MaseAttrs.h"

#include "FormatAttrSyntax.h"
#include "FormatAttrUtils.h"
#include "mase/Numerics/BlockFp.h"
#include "mase/Numerics/BlockLog.h"
#include "mase/Numerics/BlockMinifloat.h"
#include "mase/Numerics/Blocking.h"

#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::mase;
namespace numerics = ::mase::numerics;
using Kind = FormatAttrSyntax::Kind;

/// MASE's blocking accepts only some ranks and block sizes.
static LogicalResult
verifyBlockedShape(Attribute format, ArrayRef<int64_t> shape,
                   ArrayRef<int64_t> block, bool skipFirstDim,
                   function_ref<InFlightDiagnostic()> emitError) {
  numerics::BlockPartition partition;
  return checkShape(emitError, format,
                    numerics::partitionIntoBlocks(
                        toShape(shape), {block.begin(), block.end()},
                        skipFirstDim, partition));
}

//===----------------------------------------------------------------------===//
// BlockFpFormatAttr
//===----------------------------------------------------------------------===//

static numerics::BlockFpFormat makeBlockFp(unsigned width,
                                           unsigned exponentWidth,
                                           std::optional<int> bias,
                                           ArrayRef<int64_t> block,
                                           bool skipFirstDim) {
  numerics::BlockFpFormat format;
  format.width = width;
  format.exponentWidth = exponentWidth;
  format.exponentBias = bias;
  format.blockSize.assign(block.begin(), block.end());
  format.skipFirstDim = skipFirstDim;
  return format;
}

LogicalResult
BlockFpFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          unsigned width, unsigned exponentWidth,
                          std::optional<int> bias, ArrayRef<int64_t> block,
                          bool skipFirstDim) {
  return checkValid(
      emitError, getMnemonic(),
      makeBlockFp(width, exponentWidth, bias, block, skipFirstDim).validate());
}

unsigned BlockFpFormatAttr::getBitsPerElement() const { return getWidth(); }
unsigned BlockFpFormatAttr::getSharedBitsPerBlock() const {
  return getExponentWidth();
}
SmallVector<int64_t> BlockFpFormatAttr::getBlockShape() const {
  return llvm::to_vector(getBlockSize());
}
LogicalResult BlockFpFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyBlockedShape(*this, shape, getBlockSize(), getSkipFirstDim(),
                            emitError);
}
LogicalResult BlockFpFormatAttr::quantize(ArrayRef<float> input,
                                          ArrayRef<int64_t> shape,
                                          SmallVectorImpl<float> &output,
                                          std::string &error) const {
  return runQuantize(makeBlockFp(getWidth(), getExponentWidth(), getBias(),
                                 getBlockSize(), getSkipFirstDim()),
                     input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// BlockMinifloatFormatAttr
//===----------------------------------------------------------------------===//

static numerics::BlockMinifloatFormat
makeBlockMinifloat(unsigned width, unsigned exponentWidth,
                   unsigned exponentBiasWidth, ArrayRef<int64_t> block,
                   bool skipFirstDim) {
  numerics::BlockMinifloatFormat format;
  format.width = width;
  format.exponentWidth = exponentWidth;
  format.exponentBiasWidth = exponentBiasWidth;
  format.blockSize.assign(block.begin(), block.end());
  format.skipFirstDim = skipFirstDim;
  return format;
}

LogicalResult BlockMinifloatFormatAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, unsigned width,
    unsigned exponentWidth, unsigned exponentBiasWidth,
    ArrayRef<int64_t> block, bool skipFirstDim) {
  return checkValid(emitError, getMnemonic(),
                    makeBlockMinifloat(width, exponentWidth, exponentBiasWidth,
                                       block, skipFirstDim)
                        .validate());
}

unsigned BlockMinifloatFormatAttr::getBitsPerElement() const {
  return getWidth();
}
unsigned BlockMinifloatFormatAttr::getSharedBitsPerBlock() const {
  return getExponentBiasWidth();
}
SmallVector<int64_t> BlockMinifloatFormatAttr::getBlockShape() const {
  return llvm::to_vector(getBlockSize());
}
LogicalResult BlockMinifloatFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyBlockedShape(*this, shape, getBlockSize(), getSkipFirstDim(),
                            emitError);
}
LogicalResult BlockMinifloatFormatAttr::quantize(
    ArrayRef<float> input, ArrayRef<int64_t> shape,
    SmallVectorImpl<float> &output, std::string &error) const {
  return runQuantize(makeBlockMinifloat(getWidth(), getExponentWidth(),
                                        getExponentBiasWidth(), getBlockSize(),
                                        getSkipFirstDim()),
                     input, shape, output, error);
}

//===----------------------------------------------------------------------===//
// BlockLogFormatAttr
//===----------------------------------------------------------------------===//

static numerics::BlockLogFormat makeBlockLog(unsigned width,
                                             unsigned exponentBiasWidth,
                                             ArrayRef<int64_t> block,
                                             bool skipFirstDim) {
  numerics::BlockLogFormat format;
  format.width = width;
  format.exponentBiasWidth = exponentBiasWidth;
  format.blockSize.assign(block.begin(), block.end());
  format.skipFirstDim = skipFirstDim;
  return format;
}

LogicalResult
BlockLogFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           unsigned width, unsigned exponentBiasWidth,
                           ArrayRef<int64_t> block, bool skipFirstDim) {
  return checkValid(
      emitError, getMnemonic(),
      makeBlockLog(width, exponentBiasWidth, block, skipFirstDim).validate());
}

unsigned BlockLogFormatAttr::getBitsPerElement() const { return getWidth(); }
unsigned BlockLogFormatAttr::getSharedBitsPerBlock() const {
  return getExponentBiasWidth();
}
SmallVector<int64_t> BlockLogFormatAttr::getBlockShape() const {
  return llvm::to_vector(getBlockSize());
}
LogicalResult BlockLogFormatAttr::verifyTensorShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyBlockedShape(*this, shape, getBlockSize(), getSkipFirstDim(),
                            emitError);
}
LogicalResult BlockLogFormatAttr::quantize(ArrayRef<float> input,
                                           ArrayRef<int64_t> shape,
                                           SmallVectorImpl<float> &output,
                                           std::string &error) const {
  return runQuantize(makeBlockLog(getWidth(), getExponentBiasWidth(),
                                  getBlockSize(), getSkipFirstDim()),
                     input, shape, output, error);
}
