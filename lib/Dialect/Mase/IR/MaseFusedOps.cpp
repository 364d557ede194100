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
  // [B, H, S, D], or [B, S, H, D] when sequence-major.
  bool sequenceMajor = getSequenceMajor();
  auto heads = [&](ArrayRef<int64_t> s) { return s[sequenceMajor ? 2 : 1]; };
  auto rows = [&](ArrayRef<int64_t> s) { return s[sequenceMajor ? 1 : 2]; };
  int64_t b = q[0], h = heads(q), sq = rows(q), d = q[3], sk = kt[3];
  Type element = getType().getElementType();
  for (Value operand : getOperands())
    if (cast<ShapedType>(operand.getType()).getElementType() != element)
      return emitOpError("operands and result must share one element type");
  if (kt[0] != b || kt[1] != h || v[0] != b || heads(v) != h)
    return emitOpError("query, key_t and value must share batch and heads");
  if (kt[2] != d)
    return emitOpError("key_t [B, H, D, Sk] must have the query's depth D = ")
           << d;
  if (rows(v) != sk)
    return emitOpError("value must have key_t's Sk = ") << sk << " rows";
  SmallVector<int64_t> expected =
      sequenceMajor ? SmallVector<int64_t>{b, sq, h, v[3]}
                    : SmallVector<int64_t>{b, h, sq, v[3]};
  if (out != ArrayRef<int64_t>(expected))
    return emitOpError(sequenceMajor ? "result must be [B, Sq, H, Dv]"
                                     : "result must be [B, H, Sq, Dv]");
  if (Value mask = getMask()) {
    ArrayRef<int64_t> m = cast<RankedTensorType>(mask.getType()).getShape();
    int64_t scores[4] = {b, h, sq, sk};
    if (m.size() > 4)
      return emitOpError("mask must have rank <= 4");
    for (size_t i = 0; i < m.size(); ++i) {
      int64_t target = scores[4 - m.size() + i];
      if (m[i] != 1 && m[i] != target)
        return emitOpError("mask must broadcast to the scores [B, H, Sq, Sk] "
                           "= [")
               << b << ", " << h << ", " << sq << ", " << sk << "]";
    }
  }
  return success();
}

std::array<int64_t, 6> SdpaOp::getSizes() {
  bool sequenceMajor = getSequenceMajor();
  ArrayRef<int64_t> q = getQuery().getType().getShape();
  ArrayRef<int64_t> kt = getKeyT().getType().getShape();
  ArrayRef<int64_t> v = getValue().getType().getShape();
  return {q[0], kt[1], q[sequenceMajor ? 1 : 2], kt[3], q[3], v[3]};
}

std::array<int64_t, 4> SdpaOp::getMaskStrides() {
  std::array<int64_t, 4> strides = {0, 0, 0, 0};
  if (Value mask = getMask()) {
    ArrayRef<int64_t> m = cast<RankedTensorType>(mask.getType()).getShape();
    int64_t stride = 1;
    for (int64_t i = static_cast<int64_t>(m.size()) - 1; i >= 0; --i) {
      strides[4 - m.size() + i] = m[i] == 1 ? 0 : stride;
      stride *= m[i];
    }
  }
  return strides;
}
