//===- Attention.cpp - mase.sdpa as a launch of the GPU attention kernel --===//
//
// The kernel itself is CUDA C++ (Kernels/Attention.cu), built by nvcc into a
// fatbin when the compiler is built; AttentionFatbin.inc holds its bytes.
//
//===----------------------------------------------------------------------===//

#include "PrebuiltKernels.h"

#include "mase/Target/CUDA/AttentionKernel.h"
#include "mase/Target/CUDA/Passes.h"

#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDAATTENTIONPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

const unsigned char kAttentionFatbin[] = {
#include "AttentionFatbin.inc"
};

constexpr StringLiteral kBinaryName = "mase_attention";

/// The depth bound of the kernel that takes `depth` (32, 64 or 128).
int64_t depthBound(int64_t depth) {
  return depth <= 32 ? 32 : depth <= 64 ? 64 : 128;
}

/// A kernel of AttentionKernel.h: its name and query rows a block.
struct Kernel {
  std::string name;
  int64_t rows;
};

/// The kernel for `op`'s element type and depths, or a diagnostic.
FailureOr<Kernel> kernelFor(mase::SdpaOp op) {
  // The op takes f16, bf16 and f32: the kernels' types.
  Type element = op.getType().getElementType();
  std::array<int64_t, 6> sizes = op.getSizes();
  int64_t depth = std::max(sizes[4], sizes[5]);
  if (depth > MASE_CUDA_SDPA_MAX_DEPTH)
    return op.emitOpError("has depth ")
           << depth << "; the GPU attention kernel takes at most "
           << MASE_CUDA_SDPA_MAX_DEPTH;
  StringRef type = element.isF16() ? "f16" : element.isBF16() ? "bf16" : "f32";
  return Kernel{("mase_sdpa_" + type + "_d" + Twine(depthBound(depth))).str(),
                element.isF32() ? MASE_CUDA_SDPA_F32_ROWS
                                : MASE_CUDA_SDPA_ROWS(depthBound(depth))};
}

/// Element strides (batch, head, sequence) of a [B, H, S, D] tensor, or of
/// [B, S, H, D] when sequence-major.
std::array<int64_t, 3> rowStrides(ArrayRef<int64_t> shape,
                                  bool sequenceMajor) {
  int64_t depth = shape[3], inner = shape[2] * depth;
  int64_t batch = shape[1] * inner;
  if (sequenceMajor)
    return {batch, depth, shape[2] * depth};
  return {batch, inner, depth};
}

struct CUDAAttentionPass
    : mase::impl::CUDAAttentionPassBase<CUDAAttentionPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<mase::SdpaOp> ops;
    module.walk([&](mase::SdpaOp op) { ops.push_back(op); });
    if (ops.empty())
      return;
    if (mase::smVersion(chip).value_or(0) < 80) {
      ops.front().emitOpError("needs --chip sm_80 or later for the GPU "
                              "attention kernel (tensor-core mma.sync), not '")
          << chip << "'";
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    mase::addFatbinBinary(module, rewriter, kBinaryName, chip,
                          kAttentionFatbin);
    for (mase::SdpaOp op : ops) {
      FailureOr<Kernel> kernel = kernelFor(op);
      if (failed(kernel))
        return signalPassFailure();
      lower(op, *kernel, rewriter);
    }
  }

  /// The operands' buffers, a fresh result buffer, the launch, and the
  /// result as a tensor again.
  static void lower(mase::SdpaOp op, const Kernel &kernel,
                    IRRewriter &rewriter) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    auto buffer = [&](Value tensor) {
      return mase::readOnlyBuffer(rewriter, loc, tensor);
    };
    RankedTensorType resultType = op.getType();
    Value out = mase::resultBuffer(rewriter, loc, resultType.getShape(),
                                   resultType.getElementType());
    Value query = buffer(op.getQuery());
    // Without a mask the kernel never reads the pointer it is given.
    Value mask = op.getMask() ? buffer(op.getMask()) : query;

    auto [batch, heads, sq, sk, depth, valueDepth] = op.getSizes();
    bool sequenceMajor = op.getSequenceMajor();
    bool aligned = depth % 8 == 0 && valueDepth % 8 == 0 && sk % 8 == 0;
    int flags = (op.getZeroNanRows() ? MASE_CUDA_SDPA_ZERO_NAN_ROWS : 0) |
                (aligned ? MASE_CUDA_SDPA_ALIGNED : 0) |
                (op.getMask() ? MASE_CUDA_SDPA_HAS_MASK : 0);
    SmallVector<Value> operands = {out, query, buffer(op.getKeyT()),
                                   buffer(op.getValue()), mask};
    auto i32 = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, value, 32);
    };
    auto i64 = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, value, 64);
    };
    for (int64_t size : {sq, sk, depth, valueDepth})
      operands.push_back(i32(size));
    for (Value tensor : {op.getQuery(), op.getValue(), op.getResult()})
      for (int64_t stride : rowStrides(
               cast<RankedTensorType>(tensor.getType()).getShape(),
               sequenceMajor))
        operands.push_back(i64(stride));
    operands.append({i64(heads * depth * sk), i64(depth * sk)});
    for (int64_t stride : op.getMaskStrides())
      operands.push_back(i64(stride));
    operands.push_back(arith::ConstantOp::create(rewriter, loc,
                                                 op.getScaleAttr()));
    operands.push_back(i32(flags));

    mase::launchKernel(rewriter, loc, kBinaryName, kernel.name,
                       {(sq + kernel.rows - 1) / kernel.rows, heads, batch},
                       MASE_CUDA_SDPA_THREADS, /*sharedBytes=*/0, operands);
    rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(
        op, resultType, out, /*restrict=*/true, /*writable=*/true);
  }
};

} // namespace
