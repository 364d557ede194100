//===- Gemm.cpp - large 16-bit matmuls as launches of the GPU GEMM kernel -===//
//
// The kernel itself is CUDA C++ (Kernels/Gemm.cu), built by nvcc into a
// fatbin when the compiler is built; GemmFatbin.inc holds its bytes.
//
//===----------------------------------------------------------------------===//

#include "PrebuiltKernels.h"

#include "mase/Target/CUDA/GemmKernel.h"
#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDAGEMMPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

const unsigned char kGemmFatbin[] = {
#include "GemmFatbin.inc"
};

constexpr StringLiteral kBinaryName = "mase_gemm";

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct CUDAGemmPass : mase::impl::CUDAGemmPassBase<CUDAGemmPass> {
  using Base::Base;

  void runOnOperation() override {
    // mma.sync needs sm_80; older chips keep the generated matmuls.
    if (mase::smVersion(chip).value_or(0) < 80)
      return;
    ModuleOp module = getOperation();
    SmallVector<linalg::MatmulOp> ops;
    module.walk([&](linalg::MatmulOp op) {
      if (kernelFor(op))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    IRRewriter rewriter(&getContext());
    mase::addFatbinBinary(module, rewriter, kBinaryName, chip,
                          StringRef(reinterpret_cast<const char *>(kGemmFatbin),
                                    sizeof(kGemmFatbin)));
    for (linalg::MatmulOp op : ops)
      lower(op, *kernelFor(op), rewriter);
  }

  /// The kernel for `op`: 16-bit operands of one type into f32 on tensors
  /// of static shape, rows aligned as the kernel loads them, and enough
  /// output tiles to fill the GPU; nothing otherwise.
  std::optional<StringRef> kernelFor(linalg::MatmulOp op) const {
    if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps())
      return std::nullopt;
    auto a = dyn_cast<RankedTensorType>(op.getInputs()[0].getType());
    auto b = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
    auto c = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
    if (!a || !b || !c || !a.hasStaticShape() || !b.hasStaticShape() ||
        a.getElementType() != b.getElementType() ||
        !c.getElementType().isF32())
      return std::nullopt;
    int64_t m = a.getShape()[0], k = a.getShape()[1], n = b.getShape()[1];
    if (k % MASE_CUDA_GEMM_ALIGN != 0 || n % MASE_CUDA_GEMM_ALIGN != 0 ||
        ceilDiv(m, MASE_CUDA_GEMM_TILE_M) * ceilDiv(n, MASE_CUDA_GEMM_TILE_N) <
            minBlocks)
      return std::nullopt;
    Type element = a.getElementType();
    if (element.isF16())
      return StringRef("mase_gemm_f16");
    if (element.isBF16())
      return StringRef("mase_gemm_bf16");
    return std::nullopt;
  }

  /// The operands' buffers, a fresh result buffer, the launch, and the
  /// result as a tensor again.
  static void lower(linalg::MatmulOp op, StringRef kernel,
                    IRRewriter &rewriter) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    auto resultType = cast<RankedTensorType>(op.getResultTypes()[0]);
    Value out = memref::AllocOp::create(
        rewriter, loc,
        MemRefType::get(resultType.getShape(), resultType.getElementType()),
        rewriter.getI64IntegerAttr(64));
    auto a = cast<RankedTensorType>(op.getInputs()[0].getType());
    int64_t m = a.getShape()[0], k = a.getShape()[1],
            n = resultType.getShape()[1];
    auto i32 = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, value, 32);
    };
    SmallVector<Value> operands = {
        out, mase::readOnlyBuffer(rewriter, loc, op.getOutputs()[0]),
        mase::readOnlyBuffer(rewriter, loc, op.getInputs()[0]),
        mase::readOnlyBuffer(rewriter, loc, op.getInputs()[1]), i32(m), i32(n),
        i32(k)};
    auto index = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, value);
    };
    gpu::KernelDim3 grid{index(ceilDiv(n, MASE_CUDA_GEMM_TILE_N)),
                         index(ceilDiv(m, MASE_CUDA_GEMM_TILE_M)), index(1)};
    gpu::KernelDim3 block{index(MASE_CUDA_GEMM_THREADS), index(1), index(1)};
    auto symbol = SymbolRefAttr::get(
        rewriter.getStringAttr(kBinaryName),
        {FlatSymbolRefAttr::get(rewriter.getStringAttr(kernel))});
    gpu::LaunchFuncOp::create(rewriter, loc, symbol, grid, block,
                              /*dynamicSharedMemorySize=*/Value(), operands);
    rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(
        op, resultType, out, /*restrict=*/true, /*writable=*/true);
  }
};

} // namespace
