//===- AlignWorkgroupMemory.cpp - shared memory aligned for tensor cores --===//

#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDAALIGNWORKGROUPMEMORYPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// The alignment `wmma.load` asks of a fragment's address.
constexpr int64_t kFragmentAlignment = 32;

struct CUDAAlignWorkgroupMemoryPass
    : mase::impl::CUDAAlignWorkgroupMemoryPassBase<
          CUDAAlignWorkgroupMemoryPass> {
  void runOnOperation() override {
    Builder builder(&getContext());
    getOperation().walk([&](gpu::GPUFuncOp func) {
      for (unsigned i = 0; i < func.getNumWorkgroupAttributions(); ++i)
        if (!func.getWorkgroupAttributionAttr(
                i, LLVM::LLVMDialect::getAlignAttrName()))
          func.setWorkgroupAttributionAttr(
              i, LLVM::LLVMDialect::getAlignAttrName(),
              builder.getI64IntegerAttr(kFragmentAlignment));
    });
  }
};

} // namespace
