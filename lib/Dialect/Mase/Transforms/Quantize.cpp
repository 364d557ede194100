//===- Quantize.cpp - the mase-quantize pass ------------------------------===//
//
// Reads the config (lib/Quant), selects a rule for every quantisable op,
// then wraps the operands MASE quantises in mase.quantize. Block formats
// follow MASE's blocking per op: a linear layer blocks its activation per
// row or token (data_in_skip_first_dim) and its weight and bias as tiles;
// the other ops flatten operands of rank > 3 to 3-D and skip the first
// dimension when the rank is above 2.
//
// With mode=native, a linear layer whose weight format is an integer of at
// most 8 bits becomes mase.int_linear over i8 weight codes (mase.int_codes,
// folded at compile time), and over i8 activation codes too when data_in is
// such an integer; one of 9 to 16 bits, over i16 weight codes and its float
// input. One whose data_in and weight are MXINT8 or block FP of at
// most 8 bits, blocked along rows alike, becomes mase.block_linear over int8
// mantissas and exponent bytes encoded at compile time. Without integer
// activations (integer-activations=0, the GPU) activations stay float: the
// integer layer takes its float input, and a block-scaled weight makes a
// `float_input` mase.block_linear whatever data_in is. An embedding table
// in MXINT8 becomes mase.block_embedding over its mantissas and scale
// bytes, on every target. Every other layer is emulated as above, and the
// report says why.
//
//===----------------------------------------------------------------------===//

#include "BlockMantissas.h"
#include "FormatStorage.h"
#include "PassConfig.h"
#include "QuantizeReport.h"
#include "SupportFunctions.h"

#include "mase-c/ModelSupport.h"

#include "mase/Dialect/Mase/IR/FormatAttrFromNumerics.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Dialect/Mase/Transforms/Passes.h"
#include "mase/Numerics/IntegerPacking.h"
#include "mase/Quant/LayerSelection.h"
#include "mase/Quant/RegexName.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Regex.h"

namespace mlir::mase {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using namespace mlir::mase;
namespace quant = ::mase::quant;
namespace numerics = ::mase::numerics;

namespace {

/// The MASE op type of `op`, or "" when mase-quantize does not handle it.
std::string maseOpType(Operation *op) {
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return matmul.getLhs().getType().getRank() == 3 &&
                   matmul.getRhs().getType().getRank() == 3
               ? "bmm"
               : "matmul";
  return TypeSwitch<Operation *, std::string>(op)
      .Case<LinearOp>([](auto) { return "linear"; })
      .Case<AddOp>([](auto) { return "add"; })
      .Case<SubOp>([](auto) { return "sub"; })
      .Case<MulOp>([](auto) { return "mul"; })
      .Case<ReluOp>([](auto) { return "relu"; })
      .Case<TanhOp>([](auto) { return "tanh"; })
      .Case<GeluOp>([](auto) { return "gelu"; })
      .Case<LayerNormOp>([](auto) { return "layer_norm"; })
      .Case<EmbeddingOp>([](auto) { return "embedding"; })
      .Default([](Operation *) { return ""; });
}

bool isF32Tensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isF32();
}

/// Whether the operands `op` computes on are f32 (an embedding's indices
/// are not among them).
bool hasF32Operands(Operation *op) {
  if (auto embedding = dyn_cast<EmbeddingOp>(op))
    return isF32Tensor(embedding.getTable().getType());
  return llvm::all_of(op->getOperandTypes(), isF32Tensor);
}

/// The weight the report measures: a linear layer's, an embedding table;
/// null for other ops.
Value weightOf(Operation *op) {
  if (auto linear = dyn_cast<LinearOp>(op))
    return linear.getWeight();
  if (auto embedding = dyn_cast<EmbeddingOp>(op))
    return embedding.getTable();
  return Value();
}

/// An operand MASE quantises: which operand, in which role.
struct QuantizedOperand {
  unsigned index;
  quant::Role role;
};

SmallVector<QuantizedOperand> quantizedOperands(Operation *op,
                                                const std::string &type) {
  using quant::Role;
  if (auto linear = dyn_cast<LinearOp>(op)) {
    SmallVector<QuantizedOperand> operands = {{0, Role::DataIn},
                                              {1, Role::Weight}};
    if (linear.getBias())
      operands.push_back({2, Role::Bias});
    return operands;
  }
  if (type == "matmul" || type == "bmm")
    return {{0, Role::DataIn}, {1, Role::Weight}};
  if (type == "embedding")
    return {{1, Role::Weight}};
  if (type == "add" || type == "sub" || type == "mul")
    return {{0, Role::DataIn}, {1, Role::DataIn}};
  return {{0, Role::DataIn}};
}

/// The format of `role` on `op`, with MASE's per-op choices applied.
numerics::Format adjustFormat(numerics::Format format, const std::string &type,
                              quant::Role role, const quant::LayerConfig &layer,
                              int64_t rank) {
  if (auto *f = std::get_if<numerics::IntegerFormat>(&format))
    f->isSigned = type != "relu";
  if (auto *f = std::get_if<numerics::BlockFpFormat>(&format)) {
    if (type == "linear")
      f->skipFirstDim = role == quant::Role::DataIn && layer.dataInSkipFirstDim;
    else
      f->skipFirstDim = std::min<int64_t>(rank, 3) > 2;
  }
  return format;
}

bool isBlockFormat(const numerics::Format &format) {
  return std::holds_alternative<numerics::BlockFpFormat>(format);
}

/// Whether mase.block_linear's kernel takes `format` (widths checked later).
bool hasBlockMantissas(const numerics::Format &format) {
  return isBlockFormat(format) ||
         std::holds_alternative<numerics::Mxint8Format>(format);
}

/// The bits of the smallest signed integer (8 or 16) that holds every code
/// of `format`, a fixed-point format; 0 when none does or it is no such
/// format.
unsigned codeBits(const numerics::Format &format) {
  const auto *f = std::get_if<numerics::IntegerFormat>(&format);
  if (!f)
    return 0;
  int width = f->width + (f->isSigned ? 0 : 1);
  return width <= 8 ? 8 : width <= 16 ? 16 : 0;
}

/// Whether `format` is a fixed-point format whose codes fit an i8.
bool hasI8Codes(const numerics::Format &format) {
  return codeBits(format) == 8;
}

/// An i8 constant of `shape` holding `values`.
Value i8Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 ArrayRef<int8_t> values) {
  auto type = RankedTensorType::get(shape, b.getI8Type());
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

struct QuantizePass : mlir::mase::impl::QuantizePassBase<QuantizePass> {
  using QuantizePassBase::QuantizePassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (mode != "emulate" && mode != "native") {
      emitError(module.getLoc())
          << "mase-quantize: mode must be 'emulate' or 'native', got '"
          << mode << "'";
      return signalPassFailure();
    }
    quant::QuantConfig config;
    if (failed(loadConfig(config)))
      return signalPassFailure();

    // Candidates first, so that names and patterns can be checked against
    // every layer before anything changes.
    SmallVector<std::pair<Operation *, quant::LayerInfo>> candidates;
    module.walk([&](Operation *op) {
      std::string type = maseOpType(op);
      if (type.empty() || !hasF32Operands(op))
        return;
      quant::LayerInfo info;
      info.type = type;
      if (auto name = op->getAttrOfType<StringAttr>("mase.layer"))
        info.name = name.str();
      if (auto linear = dyn_cast<LinearOp>(op))
        info.hasBias = static_cast<bool>(linear.getBias());
      candidates.push_back({op, info});
    });
    if (failed(checkRulesSelectSomething(config, candidates)))
      return signalPassFailure();

    std::vector<LayerReport> report;
    bool ok = true;
    for (auto &[op, info] : candidates)
      ok &= succeeded(quantizeOp(op, info, config, report));
    if (!ok)
      return signalPassFailure();
    if (callsQuantizedGemm)
      declareQuantizedGemm(module);
    if (callsIntWeightGemm)
      declareIntWeightGemm(module);
    if (!reportPath.empty() && failed(writeReport(report)))
      return signalPassFailure();
  }

private:
  /// Whether some op now lowers to a call of mase_qgemm.
  bool callsQuantizedGemm = false;
  /// Whether some op now lowers to a call of mase_int_weight_gemm.
  bool callsIntWeightGemm = false;

  LogicalResult loadConfig(quant::QuantConfig &config) {
    return loadPassConfig(getOperation().getLoc(), "mase-quantize",
                          "quantisation config", configPath, configText,
                          config, quant::parseConfig, quant::loadConfigFile);
  }

  /// A `name` key must be some layer's name and a `regex_name` pattern must
  /// match some layer's name (MASE would silently skip them).
  LogicalResult checkRulesSelectSomething(
      const quant::QuantConfig &config,
      ArrayRef<std::pair<Operation *, quant::LayerInfo>> candidates) {
    if (config.by == quant::Selector::Type)
      return success();
    bool ok = true;
    for (const quant::Rule &rule : config.rules) {
      if (rule.key == "default")
        continue;
      bool matched = llvm::any_of(candidates, [&](const auto &candidate) {
        const std::string &name = candidate.second.name;
        return config.by == quant::Selector::Name
                   ? name == rule.key
                   : quant::matchesRegexName(*rule.pattern, name);
      });
      if (matched)
        continue;
      emitError(getOperation().getLoc())
          << "quantisation config: " << rule.path.substr(
                 0, rule.path.size() - std::string(".config").size())
          << ": "
          << (config.by == quant::Selector::Name ? "no quantisable layer is "
                                                   "named '"
                                                 : "the pattern '")
          << rule.key
          << (config.by == quant::Selector::Name ? "'"
                                                 : "' matches no quantisable "
                                                   "layer");
      ok = false;
    }
    return success(ok);
  }

  LogicalResult quantizeOp(Operation *op, const quant::LayerInfo &info,
                           const quant::QuantConfig &config,
                           std::vector<LayerReport> &report) {
    LayerReport entry;
    entry.layer = info.name;
    entry.type = info.type;
    entry.rule = "-";
    if (Value weight = weightOf(op)) {
      entry.weightBytesBefore =
          cast<RankedTensorType>(weight.getType()).getNumElements() * 4;
      entry.weightBytesAfter = entry.weightBytesBefore;
    }
    const quant::Rule *rule = quant::selectRule(config, info);
    // A table no rule selects is not a layer MASE would quantise: it stays
    // out of the report and its totals.
    if (!rule && isa<EmbeddingOp>(op))
      return success();
    if (rule)
      entry.rule = rule->key;
    std::map<quant::Role, numerics::Format> formats;
    if (rule) {
      std::string message = quant::resolveFormats(*rule, info, formats);
      if (!message.empty())
        return op->emitError() << "layer '" << info.name << "' (" << info.type
                               << "): " << message;
    }

    OpBuilder builder(op);
    auto weight = formats.find(quant::Role::Weight);
    auto linear = dyn_cast<LinearOp>(op);
    auto embedding = dyn_cast<EmbeddingOp>(op);
    if (mode == "native" && embedding && weight != formats.end()) {
      FailureOr<Operation *> native = rewriteNativeEmbedding(
          builder, embedding, info, weight->second, entry);
      if (failed(native))
        return failure();
      if (*native)
        op = *native;
    }
    if (mode == "native" && linear && weight != formats.end()) {
      FailureOr<Operation *> native = nullptr;
      if (codeBits(weight->second))
        native = rewriteNativeLinear(builder, linear, info, rule->config,
                                     formats, entry);
      else if (hasBlockMantissas(weight->second))
        native = rewriteNativeBlockLinear(builder, linear, info, rule->config,
                                          formats, entry);
      else
        entry.emulatedBecause = "the weight format has no native kernel "
                                "(integer <= 16 bits, MXINT8, block FP do)";
      if (failed(native))
        return failure();
      if (*native)
        op = *native;
    }
    for (const QuantizedOperand &operand : quantizedOperands(op, info.type)) {
      auto it = formats.find(operand.role);
      if (entry.native || it == formats.end())
        continue;
      Value value = op->getOperand(operand.index);
      FailureOr<Value> quantized =
          quantize(builder, op, info, rule->config, operand.role, it->second,
                   value, entry);
      if (failed(quantized))
        return failure();
      op->setOperand(operand.index, *quantized);
    }
    if (auto it = formats.find(quant::Role::DataOut); it != formats.end()) {
      Value result = op->getResult(0);
      builder.setInsertionPointAfter(op);
      FailureOr<Value> quantized =
          quantize(builder, op, info, rule->config, quant::Role::DataOut,
                   it->second, result, entry);
      if (failed(quantized))
        return failure();
      result.replaceAllUsesExcept(*quantized, quantized->getDefiningOp());
    }
    report.push_back(std::move(entry));
    return success();
  }

  /// Replaces `linear` by mase.int_linear: the weight as mase.int_codes (i8,
  /// or i16 above 8 bits), data_in too when both have i8 codes, the bias
  /// through mase.quantize.
  FailureOr<Operation *>
  rewriteNativeLinear(OpBuilder &builder, LinearOp linear,
                      const quant::LayerInfo &info,
                      const quant::LayerConfig &layer,
                      const std::map<quant::Role, numerics::Format> &formats,
                      LayerReport &entry) {
    Location loc = linear.getLoc();
    auto codes = [&](quant::Role role, Value value) -> FailureOr<Value> {
      numerics::Format format =
          adjustFormat(formats.at(role), info.type, role, layer, 2);
      auto attr = dyn_cast_if_present<IntFormatAttr>(
          getFormatAttr(linear.getContext(), format, [&]() {
            return linear.emitError()
                   << "layer '" << info.name << "' (" << info.type << "), "
                   << quant::roleName(role) << ": ";
          }));
      if (!attr)
        return failure();
      auto type = RankedTensorType::get(
          cast<RankedTensorType>(value.getType()).getShape(),
          builder.getIntegerType(codeBits(formats.at(role))));
      std::string printed;
      llvm::raw_string_ostream os(printed);
      os << attr;
      entry.formats.emplace_back(quant::roleName(role), printed);
      return Value(IntCodesOp::create(builder, loc, type, value, attr));
    };

    Value input = linear.getInput();
    auto dataIn = formats.find(quant::Role::DataIn);
    bool byteWeights = hasI8Codes(formats.at(quant::Role::Weight));
    bool integerInput = integerActivations && byteWeights &&
                        dataIn != formats.end() && hasI8Codes(dataIn->second);
    FailureOr<Value> quantized = success(input);
    if (integerInput)
      quantized = codes(quant::Role::DataIn, input);
    else if (dataIn != formats.end())
      quantized = quantize(builder, linear, info, layer, quant::Role::DataIn,
                           dataIn->second, input, entry);
    if (failed(quantized))
      return failure();
    input = *quantized;

    FailureOr<Value> weight = codes(quant::Role::Weight, linear.getWeight());
    if (failed(weight))
      return failure();
    FailureOr<Value> bias =
        quantizedBias(builder, linear, info, layer, formats, entry);
    if (failed(bias))
      return failure();

    auto formatOf = [](Value codesValue) {
      return cast<IntCodesOp>(codesValue.getDefiningOp()).getFormat();
    };
    auto native = IntLinearOp::create(
        builder, loc, linear.getType(), input, *weight, *bias,
        formatOf(*weight), integerInput ? formatOf(input) : IntFormatAttr());
    callsQuantizedGemm |= integerInput;
    // The CPU's float-input kernel on byte codes; other targets, and i16
    // codes, lower to linalg.
    callsIntWeightGemm |= integerActivations && !integerInput && byteWeights;
    native->setDiscardableAttrs(linear->getDiscardableAttrDictionary());
    linear.replaceAllUsesWith(native.getResult());
    linear.erase();
    entry.native = true;
    // What the lowering stores: i16 codes as they are; byte codes packed
    // at their width, for the CPU kernels padded to their tiles, elsewhere
    // in byte planes when rows are whole groups of bytes (one a byte
    // otherwise).
    ArrayRef<int64_t> shape = cast<RankedTensorType>(weight->getType()).getShape();
    int64_t numCodes = shape[0] * shape[1];
    int bits = native.getPackedWeightBits();
    if (!byteWeights)
      entry.weightBytesAfter = numCodes * 2;
    else if (integerActivations)
      entry.weightBytesAfter = mase_qgemm_packed_size(shape[0], shape[1], bits);
    else if (numerics::packsInByteGroups(bits, shape[1]))
      entry.weightBytesAfter = numCodes * bits / 8;
    else
      entry.weightBytesAfter = numCodes;
    return native.getOperation();
  }

  /// The bias of `linear`, through mase.quantize when the config has a
  /// bias format (null without a bias).
  FailureOr<Value>
  quantizedBias(OpBuilder &builder, LinearOp linear,
                const quant::LayerInfo &info, const quant::LayerConfig &layer,
                const std::map<quant::Role, numerics::Format> &formats,
                LayerReport &entry) {
    Value bias = linear.getBias();
    auto it = formats.find(quant::Role::Bias);
    if (!bias || it == formats.end())
      return bias;
    return quantize(builder, linear, info, layer, quant::Role::Bias,
                    it->second, bias, entry);
  }

  /// Replaces `linear` by mase.block_linear when its weight format has int8
  /// mantissas in blocks along rows, the weight is a constant and (with
  /// integer activations) data_in has mantissas in the same blocks: data_in
  /// and bias go through mase.quantize (the kernel re-expresses the
  /// quantised input exactly), the weight is encoded now. Without integer
  /// activations the op takes the float input as is (`float_input`), so
  /// data_in may have any format or none. Otherwise returns null, leaving
  /// the layer to emulation, with the reason in `entry`.
  FailureOr<Operation *>
  rewriteNativeBlockLinear(OpBuilder &builder, LinearOp linear,
                           const quant::LayerInfo &info,
                           const quant::LayerConfig &layer,
                           const std::map<quant::Role, numerics::Format> &formats,
                           LayerReport &entry) {
    auto emulated = [&](const std::string &reason) -> Operation * {
      entry.emulatedBecause = reason;
      return nullptr;
    };
    auto dataIn = formats.find(quant::Role::DataIn);
    if (integerActivations &&
        (dataIn == formats.end() || !hasBlockMantissas(dataIn->second)))
      return emulated("data_in is not MXINT8 or block FP");
    ArrayRef<int64_t> weightShape = linear.getWeight().getType().getShape();
    int64_t out = weightShape[0], in = weightShape[1];
    numerics::Format weightFormat =
        adjustFormat(formats.at(quant::Role::Weight), info.type,
                     quant::Role::Weight, layer, 2);
    std::string why;
    int64_t block = rowBlockSize(weightFormat, weightShape, why);
    if (!block)
      return emulated("weight: " + why);
    if (integerActivations) {
      RankedTensorType inputType = linear.getInput().getType();
      numerics::Format inputFormat =
          adjustFormat(dataIn->second, info.type, quant::Role::DataIn, layer,
                       inputType.getRank());
      int64_t inputBlock =
          rowBlockSize(inputFormat, inputType.getShape(), why);
      if (!inputBlock)
        return emulated("data_in: " + why);
      if (inputBlock != block)
        return emulated("data_in blocks of " + std::to_string(inputBlock) +
                        " differ from weight blocks of " +
                        std::to_string(block));
    }
    if (block % MASE_QGEMM_DEPTH != 0)
      return emulated("blocks of " + std::to_string(block) +
                      " are not a multiple of " +
                      std::to_string(MASE_QGEMM_DEPTH));
    DenseElementsAttr constant;
    if (!matchPattern(linear.getWeight(), m_Constant(&constant)))
      return emulated("the weight is not a constant");
    SmallVector<float> weight(constant.getValues<float>());
    std::vector<int8_t> mantissas, exponents;
    if (std::string error = encodeBlockWeight(weightFormat, weight, out, in,
                                              block, mantissas, exponents);
        !error.empty())
      return emulated("weight: " + error);

    FailureOr<Value> input = success(linear.getInput());
    if (dataIn != formats.end())
      input = quantize(builder, linear, info, layer, quant::Role::DataIn,
                       dataIn->second, linear.getInput(), entry);
    if (failed(input))
      return failure();
    FailureOr<Value> bias =
        quantizedBias(builder, linear, info, layer, formats, entry);
    if (failed(bias))
      return failure();
    if (failed(recordWeightFormat(linear, info, weightFormat, entry)))
      return failure();

    Location loc = linear.getLoc();
    auto native = BlockLinearOp::create(
        builder, loc, linear.getType(), *input,
        i8Constant(builder, loc, {out, in}, mantissas),
        i8Constant(builder, loc, {out, in / block}, exponents), *bias,
        builder.getI64IntegerAttr(block),
        integerActivations ? UnitAttr() : builder.getUnitAttr());
    native->setDiscardableAttrs(linear->getDiscardableAttrDictionary());
    linear.replaceAllUsesWith(native.getResult());
    linear.erase();
    callsQuantizedGemm |= integerActivations;
    entry.native = true;
    // mase_qgemm's packed tiles, or the mantissas one per byte.
    entry.weightBytesAfter =
        (integerActivations ? mase_qgemm_packed_size(out, in, 8) : out * in) +
        out * in / block;
    return native.getOperation();
  }

  /// Records the weight's `format` of `op` in `entry`; fails after an error
  /// naming the layer when it has no attribute form.
  LogicalResult recordWeightFormat(Operation *op, const quant::LayerInfo &info,
                                   const numerics::Format &format,
                                   LayerReport &entry) {
    FormatAttrInterface attr = getFormatAttr(op->getContext(), format, [&]() {
      return op->emitError() << "layer '" << info.name << "' (" << info.type
                             << "), weight: ";
    });
    if (!attr)
      return failure();
    std::string printed;
    llvm::raw_string_ostream os(printed);
    os << attr;
    entry.formats.emplace_back(quant::roleName(quant::Role::Weight), printed);
    return success();
  }

  /// Replaces `embedding` by mase.block_embedding when its table format is
  /// MXINT8 in whole groups a row and the table is a constant: the table is
  /// encoded now. Otherwise leaves it to emulation, with the reason in
  /// `entry` and returns null.
  FailureOr<Operation *> rewriteNativeEmbedding(OpBuilder &builder,
                                                EmbeddingOp embedding,
                                                const quant::LayerInfo &info,
                                                const numerics::Format &format,
                                                LayerReport &entry) {
    ArrayRef<int64_t> shape = embedding.getTable().getType().getShape();
    std::string why;
    int64_t block = rowBlockSize(format, shape, why);
    if (!block) {
      entry.emulatedBecause = "table: " + why;
      return nullptr;
    }
    DenseElementsAttr constant;
    if (!matchPattern(embedding.getTable(), m_Constant(&constant))) {
      entry.emulatedBecause = "the table is not a constant";
      return nullptr;
    }
    SmallVector<float> table(constant.getValues<float>());
    std::vector<int8_t> mantissas, exponents;
    if (std::string error = encodeBlockWeight(format, table, shape[0], shape[1],
                                              block, mantissas, exponents);
        !error.empty())
      return embedding.emitError()
             << "layer '" << info.name << "' (embedding), weight: " << error;
    if (failed(recordWeightFormat(embedding, info, format, entry)))
      return failure();

    Location loc = embedding.getLoc();
    auto native = BlockEmbeddingOp::create(
        builder, loc, embedding.getType(), embedding.getIndices(),
        i8Constant(builder, loc, shape, mantissas),
        i8Constant(builder, loc, {shape[0], shape[1] / block}, exponents),
        builder.getI64IntegerAttr(block));
    native->setDiscardableAttrs(embedding->getDiscardableAttrDictionary());
    embedding.replaceAllUsesWith(native.getResult());
    embedding.erase();
    entry.native = true;
    entry.weightBytesAfter = shape[0] * shape[1] + shape[0] * shape[1] / block;
    return native.getOperation();
  }

  /// `value` through mase.quantize in `format` (reshaped to 3-D around it
  /// when a block format needs it), recorded in `entry`.
  FailureOr<Value> quantize(OpBuilder &builder, Operation *op,
                            const quant::LayerInfo &info,
                            const quant::LayerConfig &layer, quant::Role role,
                            const numerics::Format &configFormat, Value value,
                            LayerReport &entry) {
    auto type = cast<RankedTensorType>(value.getType());
    const char *roleName = quant::roleName(role);
    auto emitError = [&]() {
      return op->emitError() << "layer '" << info.name << "' (" << info.type
                             << "), " << roleName << ": ";
    };
    numerics::Format format =
        adjustFormat(configFormat, info.type, role, layer, type.getRank());
    FormatAttrInterface attr =
        getFormatAttr(op->getContext(), format, emitError);
    if (!attr)
      return failure();

    SmallVector<int64_t> shape(type.getShape());
    bool flatten =
        info.type != "linear" && isBlockFormat(format) && type.getRank() > 3;
    if (flatten) {
      int64_t leading = 1;
      for (int64_t d : type.getShape().drop_back(2))
        leading *= d;
      shape = {leading, type.getShape()[type.getRank() - 2],
               type.getShape().back()};
    }
    if (failed(attr.verifyTensorShape(shape, emitError)))
      return failure();

    Location loc = op->getLoc();
    Value input = value;
    auto shapedType = RankedTensorType::get(shape, type.getElementType());
    if (flatten)
      input = ReshapeOp::create(builder, loc, shapedType, input);
    Value result = QuantizeOp::create(builder, loc, input, attr);
    if (flatten)
      result = ReshapeOp::create(builder, loc, type, result);

    std::string printed;
    llvm::raw_string_ostream os(printed);
    os << attr;
    entry.formats.emplace_back(roleName, printed);
    if (role == quant::Role::Weight && weightOf(op))
      entry.weightBytesAfter = (storageBits(format, shape) + 7) / 8;
    return result;
  }

  LogicalResult writeReport(ArrayRef<LayerReport> report) {
    return writePassReport(getOperation().getLoc(), "mase-quantize",
                           reportPath, [&](raw_ostream &os) {
                             writeQuantizeReport(os, report);
                           });
  }
};

} // namespace
