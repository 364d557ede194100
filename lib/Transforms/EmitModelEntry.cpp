//===- EmitModelEntry.cpp - the mase_model_entry entry point ----------------===//

#include "mase-c/ModelABI.h"
#include "mase/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::mase {
#define GEN_PASS_DEF_EMITMODELENTRYPASS
#include "mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

struct EmitModelEntryPass
    : mase::impl::EmitModelEntryPassBase<EmitModelEntryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<LLVM::LLVMFuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError("mase-emit-model-entry: the module has no lowered "
                       "@main (an llvm.func with a body)");
      return signalPassFailure();
    }
    if (module.lookupSymbol(MASE_MODEL_ENTRY_SYMBOL)) {
      module.emitError() << "the module already defines @"
                         << MASE_MODEL_ENTRY_SYMBOL;
      return signalPassFailure();
    }
    MLIRContext *context = module.getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    LLVM::LLVMFunctionType mainType = main.getFunctionType();
    if (!isa<LLVM::LLVMVoidType>(mainType.getReturnType()) ||
        llvm::any_of(mainType.getParams(),
                     [&](Type type) { return type != ptr; })) {
      main.emitError() << "mase-emit-model-entry: @main must take only "
                          "pointers and return nothing (bare-pointer memref "
                          "calling convention with out-parameters), got "
                       << mainType;
      return signalPassFailure();
    }

    // The names were recorded in the signature; LLVM IR has no place for them.
    main.removeArgAttrsAttr();
    main.removeResAttrsAttr();

    // Only the ABI symbols stay visible outside the library.
    for (Operation &op : module.getBody()->getOperations()) {
      if (auto func = dyn_cast<LLVM::LLVMFuncOp>(op)) {
        if (!func.isExternal())
          func.setLinkage(LLVM::Linkage::Internal);
      } else if (auto global = dyn_cast<LLVM::GlobalOp>(op)) {
        StringRef name = global.getSymName();
        bool abiSymbol = name == MASE_MODEL_ABI_VERSION_SYMBOL ||
                         name == MASE_MODEL_SIGNATURE_SYMBOL;
        bool declaration = !global.getValue() && global.getInitializerRegion().empty();
        if (!abiSymbol && !declaration)
          global.setLinkage(LLVM::Linkage::Internal);
      }
    }

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    Location loc = main.getLoc();
    auto entry = LLVM::LLVMFuncOp::create(
        builder, loc, MASE_MODEL_ENTRY_SYMBOL,
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), {ptr}));
    Block *body = entry.addEntryBlock(builder);
    builder.setInsertionPointToStart(body);
    Value buffers = body->getArgument(0);
    SmallVector<Value> pointers;
    for (unsigned i = 0; i < mainType.getNumParams(); ++i) {
      Value slot = LLVM::GEPOp::create(builder, loc, ptr, ptr, buffers,
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      pointers.push_back(LLVM::LoadOp::create(builder, loc, ptr, slot));
    }
    LLVM::CallOp::create(builder, loc, main, pointers);
    LLVM::ReturnOp::create(builder, loc, ValueRange());
  }
};

} // namespace
