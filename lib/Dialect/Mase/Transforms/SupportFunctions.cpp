//===- SupportFunctions.cpp - declarations of model support calls ---------===//

#include "SupportFunctions.h"

#include "mase-c/ModelSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

using namespace mlir;

static void declare(ModuleOp module, StringRef name, TypeRange arguments,
                    TypeRange results) {
  if (module.lookupSymbol(name))
    return;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto function =
      func::FuncOp::create(builder, module.getLoc(), name,
                           builder.getFunctionType(arguments, results));
  function.setPrivate();
}

void mlir::mase::declareActivationThreshold(ModuleOp module) {
  Builder b(module.getContext());
  Type i64 = b.getI64Type(), f32 = b.getF32Type();
  declare(module, MASE_ACTIVATION_L1_THRESHOLD_SYMBOL, {i64, i64, f32}, {f32});
}

void mlir::mase::declareQuantizedGemm(ModuleOp module) {
  Builder b(module.getContext());
  Type i64 = b.getI64Type(), i32 = b.getI32Type(), f32 = b.getF32Type();
  declare(module, MASE_QGEMM_SYMBOL,
          {i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64}, {});
}

void mlir::mase::declareIntWeightGemm(ModuleOp module) {
  Builder b(module.getContext());
  Type i64 = b.getI64Type(), i32 = b.getI32Type(), f32 = b.getF32Type();
  declare(module, MASE_INT_WEIGHT_GEMM_SYMBOL,
          {i64, i64, i64, i64, i64, i32, i64, f32, i64}, {});
}

void mlir::mase::declareSparseGemm(ModuleOp module) {
  Type i64 = Builder(module.getContext()).getI64Type();
  declare(module, MASE_SPARSE_GEMM_SYMBOL, SmallVector<Type>(8, i64), {});
}

void mlir::mase::declareSdpa(ModuleOp module) {
  Builder b(module.getContext());
  SmallVector<Type> arguments(6, b.getI64Type());
  arguments.push_back(b.getI32Type());
  arguments.append(8, b.getI64Type());
  arguments.push_back(b.getF32Type());
  arguments.push_back(b.getI32Type());
  arguments.push_back(b.getI64Type());
  declare(module, MASE_SDPA_SYMBOL, arguments, {});
}
