//===- PrebuiltKernels.cpp - launching kernels nvcc built -----------------===//

#include "PrebuiltKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

std::optional<int> mase::smVersion(StringRef chip) {
  int version = 0;
  if (!chip.consume_front("sm_") || chip.getAsInteger(10, version))
    return std::nullopt;
  return version;
}

void mase::addFatbinBinary(ModuleOp module, OpBuilder &builder, StringRef name,
                           StringRef chip, ArrayRef<unsigned char> fatbin) {
  MLIRContext *context = module.getContext();
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  builder.getUnitAttr());
  if (module.lookupSymbol(name))
    return;
  auto target = NVVM::NVVMTargetAttr::get(context, /*optLevel=*/3,
                                          "nvptx64-nvidia-cuda", chip);
  auto object = gpu::ObjectAttr::get(
      target, gpu::CompilationTarget::Fatbin,
      builder.getStringAttr(StringRef(
          reinterpret_cast<const char *>(fatbin.data()), fatbin.size())));
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  gpu::BinaryOp::create(builder, module.getLoc(), name, Attribute(),
                        ArrayRef<Attribute>{object});
}

Value mase::readOnlyBuffer(OpBuilder &builder, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return bufferization::ToBufferOp::create(
      builder, loc, MemRefType::get(type.getShape(), type.getElementType()),
      tensor, /*readOnly=*/true);
}

Value mase::resultBuffer(OpBuilder &builder, Location loc,
                         ArrayRef<int64_t> shape, Type element) {
  return memref::AllocOp::create(builder, loc, MemRefType::get(shape, element),
                                 builder.getI64IntegerAttr(64));
}

void mase::launchKernel(OpBuilder &builder, Location loc, StringRef binary,
                        StringRef kernel, std::array<int64_t, 3> grid,
                        int64_t threads, int64_t sharedBytes,
                        ValueRange operands) {
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, value);
  };
  auto symbol = SymbolRefAttr::get(
      builder.getStringAttr(binary),
      {FlatSymbolRefAttr::get(builder.getStringAttr(kernel))});
  Value shared =
      sharedBytes ? arith::ConstantIntOp::create(builder, loc, sharedBytes, 32)
                  : Value();
  gpu::LaunchFuncOp::create(
      builder, loc, symbol,
      gpu::KernelDim3{index(grid[0]), index(grid[1]), index(grid[2])},
      gpu::KernelDim3{index(threads), index(1), index(1)}, shared, operands);
}
