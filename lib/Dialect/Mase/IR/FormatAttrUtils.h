//===- FormatAttrUtils.h - helpers shared by format attributes --*- C++ -*-===//

#ifndef MASE_LIB_DIALECT_MASE_IR_FORMATATTRUTILS_H
#define MASE_LIB_DIALECT_MASE_IR_FORMATATTRUTILS_H

#include "mase/Dialect/Mase/IR/MaseAttrs.h"
#include "mase/Numerics/Shape.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir::mase {

/// Turns a numerics-library validation message into an attribute error.
inline LogicalResult checkValid(function_ref<InFlightDiagnostic()> emitError,
                                StringRef mnemonic,
                                const std::string &message) {
  if (message.empty())
    return success();
  return emitError() << "invalid #mase." << mnemonic << ": " << message;
}

/// Same, for a shape check made by the numerics library.
inline LogicalResult checkShape(function_ref<InFlightDiagnostic()> emitError,
                                Attribute format, const std::string &message) {
  if (message.empty())
    return success();
  return emitError() << "shape not supported by " << format << ": "
                     << message;
}

inline ::mase::numerics::Shape toShape(ArrayRef<int64_t> shape) {
  return ::mase::numerics::Shape(shape.begin(), shape.end());
}

/// Runs a numerics-library quantiser on a row-major tensor.
template <typename Format>
LogicalResult runQuantize(const Format &format, ArrayRef<float> input,
                          ArrayRef<int64_t> shape,
                          SmallVectorImpl<float> &output, std::string &error) {
  output.resize(input.size());
  error = quantize(format, input.data(), output.data(), toShape(shape));
  return success(error.empty());
}

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_IR_FORMATATTRUTILS_H
