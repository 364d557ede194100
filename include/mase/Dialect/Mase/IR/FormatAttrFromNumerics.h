//===- FormatAttrFromNumerics.h - attributes of numerics formats -*- C++ -*-===//
//
// The `#mase.*` attribute of a numerics-library format struct: the inverse
// of the conversion every format attribute makes for its folder. Used by
// passes that build formats from MASE configs.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_DIALECT_MASE_IR_FORMATATTRFROMNUMERICS_H
#define MASE_DIALECT_MASE_IR_FORMATATTRFROMNUMERICS_H

#include "mase/Dialect/Mase/IR/MaseAttrs.h"
#include "mase/Numerics/FormatSpec.h"

namespace mlir::mase {

/// The attribute of `format`, or null after reporting through `emitError`
/// when the attribute's verifier rejects it.
FormatAttrInterface
getFormatAttr(MLIRContext *ctx, const ::mase::numerics::Format &format,
              function_ref<InFlightDiagnostic()> emitError);

} // namespace mlir::mase

#endif // MASE_DIALECT_MASE_IR_FORMATATTRFROMNUMERICS_H
