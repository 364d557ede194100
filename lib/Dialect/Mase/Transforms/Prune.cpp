//===- Prune.cpp - the mase-prune pass ------------------------------------===//
//
// Reads the config (lib/Quant/PruneConfig), computes each pruned layer's
// mask with the numerics library (lib/Numerics/Prune, bit-exact with MASE)
// and replaces its constant weight by the masked one.
//
//===----------------------------------------------------------------------===//

#include "PassConfig.h"
#include "SupportFunctions.h"

#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Dialect/Mase/Transforms/Passes.h"
#include "mase/Numerics/Prune.h"
#include "mase/Quant/PruneConfig.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Format.h"

namespace mlir::mase {
#define GEN_PASS_DEF_PRUNEPASS
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using namespace mlir::mase;
namespace quant = ::mase::quant;
namespace numerics = ::mase::numerics;

namespace {

/// A layer whose weight gets pruned.
struct Layer {
  Operation *op;
  OpOperand *weight;
  std::string name;
  std::vector<float> values;
};

std::string layerName(Operation *op) {
  auto name = op->getAttrOfType<StringAttr>("mase.layer");
  return name ? name.str() : "<unnamed>";
}

struct PrunePass : mlir::mase::impl::PrunePassBase<PrunePass> {
  using Base::Base;

  void runOnOperation() override {
    quant::PruneConfig config;
    if (failed(loadConfig(config)))
      return signalPassFailure();

    SmallVector<Layer> layers;
    bool ok = true;
    getOperation().walk([&](Operation *op) {
      OpOperand *weight = nullptr;
      if (auto linear = dyn_cast<LinearOp>(op))
        weight = &linear.getWeightMutable();
      else if (auto conv = dyn_cast<Conv2dOp>(op))
        weight = &conv.getWeightMutable();
      else
        return;
      DenseElementsAttr values;
      if (!matchPattern(weight->get(), m_Constant(&values)) ||
          !values.getElementType().isF32()) {
        op->emitError() << "mase-prune: layer '" << layerName(op)
                        << "' has no constant f32 weight to prune";
        ok = false;
        return;
      }
      auto range = values.getValues<float>();
      layers.push_back({op, weight, layerName(op),
                        std::vector<float>(range.begin(), range.end())});
    });
    if (!ok)
      return signalPassFailure();

    const quant::PruneSpec &spec = config.weight;
    float globalThreshold = 0.0f;
    if (spec.method == quant::PruneMethod::L1Norm &&
        spec.scope == quant::PruneScope::Global) {
      std::vector<numerics::FloatSpan> all;
      for (const Layer &layer : layers)
        all.push_back({layer.values.data(), layer.values.size()});
      globalThreshold = numerics::l1NormThreshold(all, spec.sparsity);
    }

    std::string report;
    llvm::raw_string_ostream os(report);
    uint64_t totalZeros = 0, totalSize = 0;
    for (auto [index, layer] : llvm::enumerate(layers)) {
      numerics::FloatSpan span{layer.values.data(), layer.values.size()};
      std::vector<uint8_t> mask(span.size);
      float threshold = globalThreshold;
      if (spec.method == quant::PruneMethod::Random) {
        // The layer's position spreads the seeds; splitmix64 mixes them.
        numerics::randomMask(span.size, spec.sparsity,
                             config.seed + 0x9e3779b97f4a7c15ull * index,
                             mask.data());
      } else {
        if (spec.scope == quant::PruneScope::Local)
          threshold = numerics::l1NormThreshold({span}, spec.sparsity);
        numerics::l1NormMask(span, threshold, mask.data());
      }
      std::vector<float> pruned(span.size);
      numerics::applyMask(span, mask.data(), pruned.data());
      replaceWeight(layer, pruned);
      if (!config.activation.isNoOp())
        pruneActivation(layer.op, config.activation.sparsity);

      uint64_t zeros = llvm::count(mask, 0);
      totalZeros += zeros;
      totalSize += span.size;
      os << layer.name << " " << layer.op->getName().stripDialect()
         << " method=" << quant::pruneMethodName(spec.method)
         << " scope=" << quant::pruneScopeName(spec.scope);
      if (spec.method == quant::PruneMethod::L1Norm)
        os << " threshold=" << llvm::format("%.9g", threshold);
      os << " sparsity=" << llvm::format("%.4f", double(zeros) / span.size)
         << " zeros=" << zeros << "/" << span.size
         << " weight_bytes=" << span.size * sizeof(float) << "\n";
    }
    os << "total: " << layers.size() << " layers, sparsity="
       << llvm::format("%.4f", totalSize ? double(totalZeros) / totalSize : 0.0)
       << " zeros=" << totalZeros << "/" << totalSize << "\n";
    if (!config.activation.isNoOp() && !layers.empty())
      declareActivationThreshold(getOperation());
    if (!reportPath.empty() && failed(writeReport(report)))
      return signalPassFailure();
  }

private:
  LogicalResult loadConfig(quant::PruneConfig &config) {
    Location loc = getOperation().getLoc();
    if (failed(loadPassConfig(loc, "mase-prune", "pruning config", configPath,
                              configText, config, quant::parsePruneConfig,
                              quant::loadPruneConfigFile)))
      return failure();
    const quant::PruneSpec &activation = config.activation;
    if (activation.isNoOp() ||
        (activation.method == quant::PruneMethod::L1Norm &&
         activation.scope == quant::PruneScope::Local))
      return success();
    return emitError(loc)
           << "pruning config: activation: only local l1-norm activation "
              "pruning is implemented (and random at sparsity 0, which keeps "
              "everything); MASE's random activation masks come from torch's "
              "generator on every call, and its global scope from recorded "
              "activations";
  }

  /// The weight operand becomes a constant of the pruned values (the
  /// original constant stays for any other user).
  void replaceWeight(Layer &layer, ArrayRef<float> pruned) {
    auto type = cast<RankedTensorType>(layer.weight->get().getType());
    OpBuilder builder(layer.op);
    auto constant = arith::ConstantOp::create(
        builder, layer.weight->get().getLoc(),
        DenseElementsAttr::get(type, pruned));
    layer.weight->set(constant);
  }

  /// The layer's input goes through mase.prune_activation (MASE's forward
  /// pre-hook on the layer).
  void pruneActivation(Operation *op, float sparsity) {
    OpOperand &input = op->getOpOperand(0);
    OpBuilder builder(op);
    auto pruned = PruneActivationOp::create(
        builder, op->getLoc(), input.get().getType(), input.get(),
        builder.getF32FloatAttr(sparsity));
    input.set(pruned);
  }

  LogicalResult writeReport(StringRef report) {
    return writePassReport(getOperation().getLoc(), "mase-prune", reportPath,
                           [&](raw_ostream &os) { os << report; });
  }
};

} // namespace
