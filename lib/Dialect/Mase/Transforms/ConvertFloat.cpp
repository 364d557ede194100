//===- ConvertFloat.cpp - a float32 graph computed in float16 or bfloat16 -===//

#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Dialect/Mase/Transforms/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CONVERTFLOATPASS
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// `type` with f32 (as a scalar or a tensor's element type) replaced by
/// `target`.
Type convertType(Type type, FloatType target) {
  if (type.isF32())
    return target;
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    if (tensor.getElementType().isF32())
      return tensor.clone(target);
  return type;
}

/// `value` rounded to `target`, clamped to its finite range.
APFloat convertValue(const APFloat &value, FloatType target) {
  const llvm::fltSemantics &semantics = target.getFloatSemantics();
  APFloat result = value;
  bool losesInfo;
  result.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
  if (result.isInfinity() && !value.isInfinity())
    result = APFloat::getLargest(semantics, value.isNegative());
  return result;
}

struct ConvertFloatPass
    : mase::impl::ConvertFloatPassBase<ConvertFloatPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    FloatType target;
    if (to == "f16")
      target = Float16Type::get(context);
    else if (to == "bf16")
      target = BFloat16Type::get(context);
    else {
      module.emitError() << "mase-convert-float: to=" << to
                         << " is not a float type it converts to; use f16 "
                            "or bf16";
      return signalPassFailure();
    }
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError("mase-convert-float: the module has no @main with a "
                       "body");
      return signalPassFailure();
    }

    IRRewriter rewriter(context);
    WalkResult walk = main.walk([&](Operation *op) -> WalkResult {
      if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
        auto values = dyn_cast<DenseFPElementsAttr>(constant.getValue());
        if (!values || !values.getElementType().isF32())
          return WalkResult::advance();
        auto type = cast<ShapedType>(convertType(values.getType(), target));
        DenseElementsAttr converted =
            values.isSplat()
                ? DenseElementsAttr::get(
                      type, convertValue(values.getSplatValue<APFloat>(),
                                         target))
                : values.mapValues(target, [&](const APFloat &value) {
                    return convertValue(value, target).bitcastToAPInt();
                  });
        rewriter.setInsertionPoint(constant);
        rewriter.replaceOpWithNewOp<arith::ConstantOp>(constant, converted);
        return WalkResult::advance();
      }
      if (isa<func::ReturnOp>(op) || op == main.getOperation())
        return WalkResult::advance();
      if (op->getNumRegions() && !isa<mase::MaseDialect>(op->getDialect()))
        return op->emitError("mase-convert-float: cannot retype an op with "
                             "regions from outside the mase dialect");
      for (OpResult result : op->getResults())
        result.setType(convertType(result.getType(), target));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // The interface stays f32: inputs are converted on entry, results
    // converted back before each return.
    Block &entry = main.getBody().front();
    rewriter.setInsertionPointToStart(&entry);
    for (BlockArgument argument : main.getArguments()) {
      Type converted = convertType(argument.getType(), target);
      if (converted == argument.getType())
        continue;
      auto cast = mase::CastOp::create(rewriter, argument.getLoc(), converted,
                                       argument);
      rewriter.replaceAllUsesExcept(argument, cast, cast);
    }
    main.walk([&](func::ReturnOp ret) {
      rewriter.setInsertionPoint(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Type expected =
            main.getFunctionType().getResult(operand.getOperandNumber());
        if (operand.get().getType() != expected)
          operand.set(mase::CastOp::create(rewriter, ret.getLoc(), expected,
                                           operand.get()));
      }
    });
  }
};

} // namespace
