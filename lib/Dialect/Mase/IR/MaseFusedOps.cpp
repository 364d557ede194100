//===- MaseFusedOps.cpp - ops that graph fusions create -------------------===//

#include "mase/Dialect/Mase/IR/MaseOps.h"

using namespace mlir;
using namespace mlir::mase;

//===----------------------------------------------------------------------===//
// SdpaOp
//===----------------------------------------------------------------------===//

LogicalResult SdpaOp::verify() {
  ArrayRef<int64_t> q = getQuery().getType().getShape();
  ArrayRef<int64_t> kt = getKeyT().getType().getShape();
  ArrayRef<int64_t> v = getValue().getType().getShape();
  ArrayRef<int64_t> out = getType().getShape();
  for (auto [name, shape] : {std::pair{"query", q}, std::pair{"key_t", kt},
                             std::pair{"value", v}, std::pair{"result", out}})
    if (llvm::any_of(shape, ShapedType::isDynamic))
      return emitOpError() << name << " must have a static shape";
  if (kt[0] != q[0] || kt[1] != q[1] || v[0] != q[0] || v[1] != q[1])
    return emitOpError("query, key_t and value must share batch and heads");
  if (kt[2] != q[3])
    return emitOpError("key_t [B, H, D, Sk] must have the query's depth D = ")
           << q[3];
  if (v[2] != kt[3])
    return emitOpError("value [B, H, Sk, Dv] must have key_t's Sk = ")
           << kt[3];
  if (out != ArrayRef<int64_t>{q[0], q[1], q[2], v[3]})
    return emitOpError("result must be [B, H, Sq, Dv]");
  if (Value mask = getMask()) {
    ArrayRef<int64_t> m = cast<RankedTensorType>(mask.getType()).getShape();
    int64_t scores[4] = {q[0], q[1], q[2], kt[3]};
    if (m.size() > 4)
      return emitOpError("mask must have rank <= 4");
    for (size_t i = 0; i < m.size(); ++i) {
      int64_t target = scores[4 - m.size() + i];
      if (m[i] != 1 && m[i] != target)
        return emitOpError("mask must broadcast to the scores [B, H, Sq, Sk] "
                           "= [")
               << q[0] << ", " << q[1] << ", " << q[2] << ", " << kt[3] << "]";
    }
  }
  return success();
}
