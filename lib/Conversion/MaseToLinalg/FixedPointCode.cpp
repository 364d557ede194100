//===- FixedPointCode.cpp - the integer code of a fixed-point value -------===//

#include "FixedPointCode.h"

#include "mase/Numerics/Integer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
namespace numerics = ::mase::numerics;

namespace mlir::mase::detail {

Value fixedPointCode(TorchFloatBuilder &t, Value x, IntFormatAttr format,
                     Value scale) {
  numerics::IntegerFormat f;
  f.width = format.getWidth();
  f.isSigned = format.getIsSigned();
  Value scaled = arith::MulFOp::create(t.b, t.loc, x, scale);
  Value code = format.getFloor()
                   ? Value(math::FloorOp::create(t.b, t.loc, scaled))
                   : t.roundEven(scaled);
  return t.clamp(code, static_cast<float>(f.minCode()),
                 static_cast<float>(f.maxCode()));
}

} // namespace mlir::mase::detail
