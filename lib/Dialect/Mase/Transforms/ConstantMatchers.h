//===- ConstantMatchers.h - constants the graph fusions match ---*- C++ -*-===//

#ifndef MASE_LIB_DIALECT_MASE_TRANSFORMS_CONSTANTMATCHERS_H
#define MASE_LIB_DIALECT_MASE_TRANSFORMS_CONSTANTMATCHERS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <optional>

namespace mlir::mase {

/// The value of `value` when it is a float constant with one value
/// throughout (a scalar or a splat), as a float.
inline std::optional<float> scalarConstant(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  APFloat splat = attr.getSplatValue<APFloat>();
  bool losesInfo;
  splat.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return splat.convertToFloat();
}

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_TRANSFORMS_CONSTANTMATCHERS_H
