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
#include "mase/Quant/RegexName.h"

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
  /// The weight as a matrix: output features by everything else.
  int64_t rows;
  /// The specs that apply (the selecting rule's, or the defaults) and the
  /// rule's key ("-" for the defaults).
  const quant::PruneSpec *weightSpec = nullptr, *activationSpec = nullptr;
  std::string rule;
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
                        std::vector<float>(range.begin(), range.end()),
                        values.getType().getShape()[0], nullptr, nullptr,
                        ""});
    });
    if (!ok)
      return signalPassFailure();

    using Granularity = quant::PruneGranularity;
    if (failed(checkRulesSelectSomething(config, layers)))
      return signalPassFailure();
    // Each layer's specs: its rule's, or the defaults.
    for (Layer &layer : layers) {
      const quant::PruneRule *rule = config.select(layer.name);
      layer.weightSpec = rule ? &rule->weight : &config.weight;
      layer.activationSpec = rule ? &rule->activation : &config.activation;
      layer.rule = rule ? rule->key : "-";
    }
    // Block granularity scores blocks by their L1 norm; the others, weights.
    std::vector<std::vector<float>> blockNorms(layers.size());
    auto scoresOf = [&](size_t index) -> numerics::FloatSpan {
      const Layer &layer = layers[index];
      if (layer.weightSpec->granularity == Granularity::Block)
        return {blockNorms[index].data(), blockNorms[index].size()};
      return {layer.values.data(), layer.values.size()};
    };
    for (auto [index, layer] : llvm::enumerate(layers))
      if (const quant::PruneSpec &spec = *layer.weightSpec;
          spec.granularity == Granularity::Block)
        blockNorms[index] = numerics::blockL1Norms(
            {layer.values.data(), layer.values.size()}, layer.rows,
            layer.values.size() / layer.rows, spec.blockRows, spec.blockCols);
    // Global scope: one threshold over every layer whose spec is global
    // l1-norm; they must agree on what they prune.
    std::vector<numerics::FloatSpan> global;
    const quant::PruneSpec *globalSpec = nullptr;
    for (auto [index, layer] : llvm::enumerate(layers)) {
      const quant::PruneSpec &spec = *layer.weightSpec;
      if (spec.method != quant::PruneMethod::L1Norm ||
          spec.scope != quant::PruneScope::Global)
        continue;
      if (globalSpec && (globalSpec->sparsity != spec.sparsity ||
                         quant::pruneGranularityName(*globalSpec) !=
                             quant::pruneGranularityName(spec))) {
        layer.op->emitError()
            << "mase-prune: layer '" << layer.name
            << "' is pruned with global scope at another sparsity or "
               "granularity than other global layers; one global threshold "
               "needs one spec";
        return signalPassFailure();
      }
      globalSpec = &spec;
      global.push_back(scoresOf(index));
    }
    float globalThreshold =
        globalSpec ? numerics::l1NormThreshold(global, globalSpec->sparsity)
                   : 0.0f;

    std::string report;
    llvm::raw_string_ostream os(report);
    uint64_t totalZeros = 0, totalSize = 0;
    bool prunesActivations = false;
    for (auto [index, layer] : llvm::enumerate(layers)) {
      const quant::PruneSpec &spec = *layer.weightSpec;
      numerics::FloatSpan span{layer.values.data(), layer.values.size()};
      int64_t cols = span.size / layer.rows;
      // The layer's position spreads the seeds; splitmix64 mixes them.
      uint64_t seed = config.seed + 0x9e3779b97f4a7c15ull * index;
      std::vector<uint8_t> mask(span.size);
      float threshold = globalThreshold;
      if (spec.granularity == Granularity::NOfM) {
        std::vector<float> draws;
        if (spec.method == quant::PruneMethod::Random) {
          draws.resize(span.size);
          numerics::uniformDraws(span.size, seed, draws.data());
        }
        numerics::nOfMMask(draws.empty() ? span
                                         : numerics::FloatSpan{draws.data(),
                                                               draws.size()},
                           cols, spec.n, spec.m, mask.data());
      } else {
        // Elementwise, or the same decision on block norms.
        bool block = spec.granularity == Granularity::Block;
        numerics::FloatSpan scores = scoresOf(index);
        std::vector<uint8_t> keep(scores.size);
        if (spec.method == quant::PruneMethod::Random) {
          numerics::randomMask(scores.size, spec.sparsity, seed, keep.data());
        } else {
          if (spec.scope == quant::PruneScope::Local)
            threshold = numerics::l1NormThreshold({scores}, spec.sparsity);
          numerics::l1NormMask(scores, threshold, keep.data());
        }
        if (block)
          numerics::expandBlockMask(keep.data(), layer.rows, cols,
                                    spec.blockRows, spec.blockCols,
                                    mask.data());
        else
          mask = std::move(keep);
      }
      std::vector<float> pruned(span.size);
      numerics::applyMask(span, mask.data(), pruned.data());
      replaceWeight(layer, pruned);
      if (!layer.activationSpec->isNoOp()) {
        pruneActivation(layer.op, layer.activationSpec->sparsity);
        prunesActivations = true;
      }

      uint64_t zeros = llvm::count(mask, 0);
      totalZeros += zeros;
      totalSize += span.size;
      os << layer.name << " " << layer.op->getName().stripDialect()
         << " rule=" << layer.rule
         << " method=" << quant::pruneMethodName(spec.method)
         << " scope=" << quant::pruneScopeName(spec.scope);
      if (spec.granularity != Granularity::Elementwise)
        os << " granularity=\"" << quant::pruneGranularityName(spec) << "\"";
      if (spec.method == quant::PruneMethod::L1Norm &&
          spec.granularity != Granularity::NOfM)
        os << " threshold=" << llvm::format("%.9g", threshold);
      os << " sparsity=" << llvm::format("%.4f", double(zeros) / span.size)
         << " zeros=" << zeros << "/" << span.size
         << " weight_bytes=" << span.size * sizeof(float);
      if (!layer.activationSpec->isNoOp())
        os << " activation_sparsity="
           << llvm::format("%g", layer.activationSpec->sparsity);
      os << "\n";
    }
    os << "total: " << layers.size() << " layers, sparsity="
       << llvm::format("%.4f", totalSize ? double(totalZeros) / totalSize : 0.0)
       << " zeros=" << totalZeros << "/" << totalSize << "\n";
    if (prunesActivations)
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
    bool ok = checkActivationSpec(loc, "activation", config.activation);
    for (const quant::PruneRule &rule : config.rules)
      ok &= checkActivationSpec(loc, rule.path + ".activation",
                                rule.activation);
    return success(ok);
  }

  static bool checkActivationSpec(Location loc, const std::string &path,
                                  const quant::PruneSpec &activation) {
    if (activation.isNoOp() ||
        (activation.method == quant::PruneMethod::L1Norm &&
         activation.scope == quant::PruneScope::Local))
      return true;
    emitError(loc) << "pruning config: " << path
                   << ": only local l1-norm activation pruning is implemented "
                      "(and random at sparsity 0, which keeps everything); "
                      "MASE's random activation masks come from torch's "
                      "generator on every call, and its global scope from "
                      "recorded activations";
    return false;
  }

  /// Every rule must select a layer (a silent no-op is a bug in the config).
  LogicalResult checkRulesSelectSomething(const quant::PruneConfig &config,
                                          ArrayRef<Layer> layers) {
    bool ok = true;
    for (const quant::PruneRule &rule : config.rules) {
      bool matched = llvm::any_of(layers, [&](const Layer &layer) {
        return config.by == "name"
                   ? layer.name == rule.key
                   : rule.pattern &&
                         quant::matchesRegexName(*rule.pattern, layer.name);
      });
      if (matched)
        continue;
      emitError(getOperation().getLoc())
          << "pruning config: " << rule.path << ": "
          << (config.by == "name" ? "no prunable layer is named '"
                                  : "the pattern '")
          << rule.key
          << (config.by == "name" ? "'" : "' matches no prunable layer");
      ok = false;
    }
    return success(ok);
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
