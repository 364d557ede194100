//===- MaseTypes.cpp - mase dialect types ---------------------------------===//

#include "mase/Dialect/Mase/IR/MaseTypes.h"
#include "mase/Dialect/Mase/IR/MaseDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mase;

#define GET_TYPEDEF_CLASSES
#include "mase/Dialect/Mase/IR/MaseOpsTypes.cpp.inc"

void MaseDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "mase/Dialect/Mase/IR/MaseOpsTypes.cpp.inc"
      >();
}

LogicalResult
PackedTensorType::verify(function_ref<InFlightDiagnostic()> emitError,
                         ArrayRef<int64_t> shape, FormatAttrInterface format) {
  for (int64_t dim : shape)
    if (dim <= 0)
      return emitError() << "packed tensor dimensions must be static and "
                            "positive, got "
                         << dim;
  if (!format.getPackedStorageBytes(shape))
    return emitError() << "format " << format << " has no packed storage";
  return format.verifyTensorShape(shape, emitError);
}
