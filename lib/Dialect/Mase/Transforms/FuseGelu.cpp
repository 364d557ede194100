//===- FuseGelu.cpp - the exporters' erf chain as one mase.gelu -----------===//
//
// PyTorch's exporter writes GELU (Hugging Face's `gelu`, torch's exact
// `F.gelu`) as arithmetic around Erf: x * 0.5 * (1 + erf(x / sqrt(2))), in
// either association and with the division a product by 1 / sqrt(2).
//
//===----------------------------------------------------------------------===//

#include "ConstantMatchers.h"

#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Dialect/Mase/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::mase {
#define GEN_PASS_DEF_FUSEGELUPASS
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using namespace mlir::mase;

namespace {

/// Whether `value` is a constant within the rounding of a 16-bit float of
/// `expected`.
bool isConstant(Value value, double expected) {
  std::optional<float> constant = scalarConstant(value);
  return constant && std::abs(*constant - expected) <= 1e-3 * expected;
}

/// `op` of the two-operand kind `Op`, used once and of `type`, with one
/// operand the constant `expected`: the other operand; else null.
template <typename Op>
Value withConstant(Value value, Type type, double expected) {
  auto op = value.getDefiningOp<Op>();
  if (!op || !op->hasOneUse() || op.getType() != type)
    return {};
  if (isConstant(op.getRhs(), expected))
    return op.getLhs();
  // Only products commute (x / c is not c / x).
  if (std::is_same_v<Op, MulOp> && isConstant(op.getLhs(), expected))
    return op.getRhs();
  return {};
}

/// The x of `1 + erf(x / sqrt(2))` (or of x * (1 / sqrt(2))), or null.
Value erfTermInput(Value value, Type type) {
  Value erfValue = withConstant<AddOp>(value, type, 1.0);
  if (!erfValue) {
    // 1 + erf(...), the constant first.
    auto add = value.getDefiningOp<AddOp>();
    if (add && add->hasOneUse() && add.getType() == type &&
        isConstant(add.getLhs(), 1.0))
      erfValue = add.getRhs();
  }
  auto erf = erfValue ? erfValue.getDefiningOp<ErfOp>() : ErfOp();
  if (!erf || !erf->hasOneUse())
    return {};
  if (Value x = withConstant<DivOp>(erf.getInput(), type, std::sqrt(2.0)))
    return x;
  return withConstant<MulOp>(erf.getInput(), type, 1.0 / std::sqrt(2.0));
}

/// x * 0.5 * (1 + erf(x / sqrt(2))) ending in the product `root`, of one
/// of `elementTypes` (any when empty).
struct FuseErfGelu : OpRewritePattern<MulOp> {
  FuseErfGelu(MLIRContext *context, ArrayRef<std::string> elementTypes)
      : OpRewritePattern(context), elementTypes(elementTypes) {}

  LogicalResult matchAndRewrite(MulOp root,
                                PatternRewriter &rewriter) const override {
    Type type = root.getType();
    std::string element;
    llvm::raw_string_ostream(element) << getElementTypeOrSelf(type);
    if (!elementTypes.empty() && !llvm::is_contained(elementTypes, element))
      return failure();
    Value x = matchGelu(root.getLhs(), root.getRhs(), type);
    if (!x)
      x = matchGelu(root.getRhs(), root.getLhs(), type);
    if (!x || x.getType() != type)
      return failure();
    rewriter.replaceOpWithNewOp<GeluOp>(root, type, x);
    return success();
  }

  /// The x when `a * b` is GELU(x) as (x * 0.5) * (1 + erf(...)) or as
  /// (x * (1 + erf(...))) * 0.5; else null.
  static Value matchGelu(Value a, Value b, Type type) {
    if (Value x = withConstant<MulOp>(a, type, 0.5))
      return erfTermInput(b, type) == x ? x : Value();
    if (!isConstant(b, 0.5))
      return {};
    auto product = a.getDefiningOp<MulOp>();
    if (!product || !product->hasOneUse() || product.getType() != type)
      return {};
    if (erfTermInput(product.getRhs(), type) == product.getLhs())
      return product.getLhs();
    if (erfTermInput(product.getLhs(), type) == product.getRhs())
      return product.getRhs();
    return {};
  }

  SmallVector<std::string> elementTypes;
};

struct FuseGeluPass : mase::impl::FuseGeluPassBase<FuseGeluPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::string> types(elementTypes.begin(), elementTypes.end());
    for (const std::string &type : types)
      if (type != "f32" && type != "f16" && type != "bf16") {
        getOperation().emitError() << "mase-fuse-gelu: element-types: '" << type
                                   << "' is not a float type (f32, f16, bf16)";
        return signalPassFailure();
      }
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseErfGelu>(&getContext(), types);
    // Only the fusion: a graph without GELU comes out as it went in.
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
