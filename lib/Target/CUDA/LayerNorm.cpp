//===- LayerNorm.cpp - mase.layer_norm as a launch of the GPU kernel ------===//
//
// The kernel itself is CUDA C++ (Kernels/LayerNorm.cu), built by nvcc into a
// fatbin when the compiler is built; LayerNormFatbin.inc holds its bytes.
//
//===----------------------------------------------------------------------===//

#include "PrebuiltKernels.h"

#include "mase/Target/CUDA/LayerNormKernel.h"
#include "mase/Target/CUDA/Passes.h"

#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDALAYERNORMPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

const unsigned char kLayerNormFatbin[] = {
#include "LayerNormFatbin.inc"
};

constexpr StringLiteral kBinaryName = "mase_layer_norm";

/// (rows, columns) of `op`'s input: the dimensions before its axis and the
/// normalised ones from it, each flattened.
std::pair<int64_t, int64_t> rowsAndColumns(mase::LayerNormOp op) {
  ArrayRef<int64_t> shape = op.getType().getShape();
  int64_t rank = shape.size(), axis = op.getAxis();
  if (axis < 0)
    axis += rank;
  int64_t rows = 1, columns = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? rows : columns) *= shape[d];
  return {rows, columns};
}

/// The kernel for `op`: a 16-bit op of static, non-empty shape whose rows
/// are 16-byte multiples that fit the kernel's registers; nothing
/// otherwise.
std::optional<StringRef> kernelFor(mase::LayerNormOp op) {
  RankedTensorType type = op.getType();
  if (!type.hasStaticShape())
    return std::nullopt;
  auto [rows, columns] = rowsAndColumns(op);
  if (rows == 0 || columns == 0 || columns % MASE_CUDA_LAYER_NORM_ALIGN != 0 ||
      columns > MASE_CUDA_LAYER_NORM_MAX_COLUMNS)
    return std::nullopt;
  if (type.getElementType().isF16())
    return StringRef("mase_layer_norm_f16");
  if (type.getElementType().isBF16())
    return StringRef("mase_layer_norm_bf16");
  return std::nullopt;
}

/// The sum `op` normalises when the kernel can add it itself: a
/// `mase.add` of two operands of the result's type (no broadcast) that
/// nothing else uses.
mase::AddOp residualSum(mase::LayerNormOp op) {
  auto add = op.getInput().getDefiningOp<mase::AddOp>();
  if (!add || !add->hasOneUse() || add.getLhs().getType() != op.getType() ||
      add.getRhs().getType() != op.getType())
    return {};
  return add;
}

struct CUDALayerNormPass
    : mase::impl::CUDALayerNormPassBase<CUDALayerNormPass> {
  using Base::Base;

  void runOnOperation() override {
    // The fatbin holds code for sm_80 and later.
    if (mase::smVersion(chip).value_or(0) < 80)
      return;
    ModuleOp module = getOperation();
    SmallVector<mase::LayerNormOp> ops;
    module.walk([&](mase::LayerNormOp op) {
      if (kernelFor(op))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    IRRewriter rewriter(&getContext());
    mase::addFatbinBinary(module, rewriter, kBinaryName, chip,
                          kLayerNormFatbin);
    for (mase::LayerNormOp op : ops)
      lower(op, *kernelFor(op), rewriter);
  }

  /// The operands' buffers (the residual sum's two, when it folds in), a
  /// fresh result buffer, the launch, and the result as a tensor again.
  static void lower(mase::LayerNormOp op, StringRef kernel,
                    IRRewriter &rewriter) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    auto buffer = [&](Value tensor) {
      return mase::readOnlyBuffer(rewriter, loc, tensor);
    };
    RankedTensorType resultType = op.getType();
    Value out = mase::resultBuffer(rewriter, loc, resultType.getShape(),
                                   resultType.getElementType());
    mase::AddOp sum = residualSum(op);
    Value input = buffer(sum ? sum.getLhs() : op.getInput());
    int flags = 0;
    // An operand the flags leave out is passed as the input, never read.
    auto optional = [&](Value tensor, int flag) {
      if (!tensor)
        return input;
      flags |= flag;
      return buffer(tensor);
    };
    Value residual =
        optional(sum ? sum.getRhs() : Value(), MASE_CUDA_LAYER_NORM_RESIDUAL);
    Value weight = optional(op.getWeight(), MASE_CUDA_LAYER_NORM_WEIGHT);
    Value bias = optional(op.getBias(), MASE_CUDA_LAYER_NORM_BIAS);
    auto [rows, columns] = rowsAndColumns(op);
    auto i32 = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, value, 32);
    };
    SmallVector<Value> operands = {
        out,
        input,
        residual,
        weight,
        bias,
        i32(rows),
        i32(columns),
        arith::ConstantOp::create(rewriter, loc, op.getEpsilonAttr()),
        i32(flags)};
    int64_t blockRows = MASE_CUDA_LAYER_NORM_ROWS;
    mase::launchKernel(rewriter, loc, kBinaryName, kernel,
                       {(rows + blockRows - 1) / blockRows, 1, 1},
                       32 * blockRows, /*sharedBytes=*/0, operands);
    rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(
        op, resultType, out, /*restrict=*/true, /*writable=*/true);
    if (sum)
      rewriter.eraseOp(sum);
  }
};

} // namespace
