//===- DeviceConstants.cpp - constant globals read from device copies -----===//

#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDADEVICECONSTANTSPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

constexpr StringLiteral kDeviceConstant = "mase_cuda_constant";

struct CUDADeviceConstantsPass
    : mase::impl::CUDADeviceConstantsPassBase<CUDADeviceConstantsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    DataLayout layout(module);

    SmallVector<LLVM::AddressOfOp> uses;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      func.walk([&](LLVM::AddressOfOp address) {
        auto global =
            module.lookupSymbol<LLVM::GlobalOp>(address.getGlobalName());
        if (global && global.getConstant())
          uses.push_back(address);
      });
    if (uses.empty())
      return;

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto lookup = module.lookupSymbol<LLVM::LLVMFuncOp>(kDeviceConstant);
    if (!lookup)
      lookup = LLVM::LLVMFuncOp::create(
          builder, module.getLoc(), kDeviceConstant,
          LLVM::LLVMFunctionType::get(ptr, {ptr, i64}));
    for (LLVM::AddressOfOp address : uses) {
      auto global =
          module.lookupSymbol<LLVM::GlobalOp>(address.getGlobalName());
      uint64_t bytes = layout.getTypeSize(global.getGlobalType());
      builder.setInsertionPointAfter(address);
      Value size = LLVM::ConstantOp::create(builder, address.getLoc(), i64,
                                            builder.getI64IntegerAttr(bytes));
      auto call = LLVM::CallOp::create(builder, address.getLoc(), lookup,
                                       ValueRange{address, size});
      address.getResult().replaceAllUsesExcept(call.getResult(), call);
    }
  }
};

} // namespace
