//===- MaseAttrs.cpp - format attributes: registration and syntax ---------===//
//
// The textual syntax (parse/print) of every number-format attribute. Their
// semantics (verification, FormatAttrInterface) are in
// ElementFormatAttrs.cpp, BlockFormatAttrs.cpp and MxFormatAttrs.cpp. The
// syntax lives beside the generated storage classes because building an
// attribute needs them.
//
//===----------------------------------------------------------------------===//

#include "mase/Dialect/Mase/IR/MaseAttrs.h"
#include "mase/Dialect/Mase/IR/FormatAttrFromNumerics.h"
#include "mase/Dialect/Mase/IR/MaseDialect.h"

#include "FormatAttrSyntax.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mase;
using Kind = FormatAttrSyntax::Kind;

#include "mase/Dialect/Mase/IR/MaseFormatInterface.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mase/Dialect/Mase/IR/MaseAttrs.cpp.inc"

void MaseDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mase/Dialect/Mase/IR/MaseAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Element-wise formats
//===----------------------------------------------------------------------===//

Attribute IntFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 2,
                   {{"unsigned", Kind::Flag}, {"floor", Kind::Flag}}))
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    syntax.positional(1), !syntax.flag("unsigned"),
                    syntax.flag("floor"));
}

void IntFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getFracWidth();
  if (!getIsSigned())
    printer << ", unsigned";
  if (getFloor())
    printer << ", floor";
  printer << '>';
}

static void printBias(AsmPrinter &printer, std::optional<int> bias) {
  if (bias)
    printer << ", bias = " << *bias;
}

template <typename Attr>
static Attribute parseMinifloat(AsmParser &parser) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, Attr::getMnemonic(), 2, {{"bias", Kind::Integer}}))
    return {};
  std::optional<int> bias;
  if (std::optional<int64_t> b = syntax.integer("bias"))
    bias = *b;
  return Attr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), syntax.positional(0), syntax.positional(1), bias);
}

Attribute MinifloatDenormFormatAttr::parse(AsmParser &parser, Type) {
  return parseMinifloat<MinifloatDenormFormatAttr>(parser);
}

void MinifloatDenormFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getExponentWidth();
  printBias(printer, getBias());
  printer << '>';
}

Attribute MinifloatIeeeFormatAttr::parse(AsmParser &parser, Type) {
  return parseMinifloat<MinifloatIeeeFormatAttr>(parser);
}

void MinifloatIeeeFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getExponentWidth();
  printBias(printer, getBias());
  printer << '>';
}

Attribute LogFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 1, {{"bias", Kind::Integer}}))
    return {};
  std::optional<int> bias;
  if (std::optional<int64_t> b = syntax.integer("bias"))
    bias = *b;
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0), bias);
}

void LogFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth();
  printBias(printer, getBias());
  printer << '>';
}

Attribute BinaryFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 0, {{"bipolar", Kind::Bool}},
                   /*bodyOptional=*/true))
    return {};
  return get(parser.getContext(), syntax.boolean("bipolar").value_or(true));
}

void BinaryFormatAttr::print(AsmPrinter &printer) const {
  if (!getBipolar())
    printer << "<bipolar = false>";
}

Attribute TernaryFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 0, {{"scaled", Kind::Flag}},
                   /*bodyOptional=*/true))
    return {};
  return get(parser.getContext(), syntax.flag("scaled"));
}

void TernaryFormatAttr::print(AsmPrinter &printer) const {
  if (getScaled())
    printer << "<scaled>";
}

Attribute ScaleIntegerFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 1, {{"unsigned", Kind::Flag}}))
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    !syntax.flag("unsigned"));
}

void ScaleIntegerFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth();
  if (!getIsSigned())
    printer << ", unsigned";
  printer << '>';
}

//===----------------------------------------------------------------------===//
// Block formats: options `block = [..]` (default [16]) and
// `skip_first_dim = true|false` (default true)
//===----------------------------------------------------------------------===//

static constexpr int64_t kDefaultBlock[] = {16};

static const FormatAttrSyntax::OptionSpec kBlockOptions[] = {
    {"block", Kind::List}, {"skip_first_dim", Kind::Bool}};

static SmallVector<int64_t> blockOption(const FormatAttrSyntax &syntax) {
  return syntax.list("block").value_or(llvm::to_vector(kDefaultBlock));
}

static void printBlockOptions(AsmPrinter &printer, ArrayRef<int64_t> block,
                              bool skipFirstDim) {
  if (block != ArrayRef<int64_t>(kDefaultBlock)) {
    printer << ", block = ";
    printIntegerList(printer, block);
  }
  if (!skipFirstDim)
    printer << ", skip_first_dim = false";
}

Attribute BlockFpFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  SmallVector<FormatAttrSyntax::OptionSpec> options =
      llvm::to_vector(kBlockOptions);
  options.push_back({"bias", Kind::Integer});
  if (syntax.parse(parser, getMnemonic(), 2, options))
    return {};
  std::optional<int> bias;
  if (std::optional<int64_t> b = syntax.integer("bias"))
    bias = *b;
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    syntax.positional(1), bias, blockOption(syntax),
                    syntax.boolean("skip_first_dim").value_or(true));
}

void BlockFpFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getExponentWidth();
  if (getBias())
    printer << ", bias = " << *getBias();
  printBlockOptions(printer, getBlockSize(), getSkipFirstDim());
  printer << '>';
}

Attribute BlockMinifloatFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 3, kBlockOptions))
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    syntax.positional(1), syntax.positional(2),
                    blockOption(syntax),
                    syntax.boolean("skip_first_dim").value_or(true));
}

void BlockMinifloatFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getExponentWidth() << ", "
          << getExponentBiasWidth();
  printBlockOptions(printer, getBlockSize(), getSkipFirstDim());
  printer << '>';
}

Attribute BlockLogFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 2, kBlockOptions))
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    syntax.positional(1), blockOption(syntax),
                    syntax.boolean("skip_first_dim").value_or(true));
}

void BlockLogFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getExponentBiasWidth();
  printBlockOptions(printer, getBlockSize(), getSkipFirstDim());
  printer << '>';
}

//===----------------------------------------------------------------------===//
// Microscaling formats
//===----------------------------------------------------------------------===//

Attribute MxintFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  SMLoc loc = parser.getCurrentLocation();
  if (syntax.parse(parser, getMnemonic(), 1,
                   {{"block", Kind::Integer},
                    {"block_dim", Kind::Integer},
                    {"scale_bits", Kind::Integer}}))
    return {};
  std::optional<int64_t> block = syntax.integer("block");
  if (!block) {
    parser.emitError(loc, "#mase.mxint needs a `block = B` option");
    return {};
  }
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0), *block,
                    syntax.integer("block_dim").value_or(-1),
                    syntax.integer("scale_bits").value_or(8));
}

void MxintFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getElementBits() << ", block = " << getBlockSize();
  if (getBlockDim() != -1)
    printer << ", block_dim = " << getBlockDim();
  if (getScaleBits() != 8)
    printer << ", scale_bits = " << getScaleBits();
  printer << '>';
}

Attribute MxintHardwareFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  SMLoc loc = parser.getCurrentLocation();
  if (syntax.parse(parser, getMnemonic(), 2,
                   {{"parallelism", Kind::List}}))
    return {};
  std::optional<SmallVector<int64_t>> parallelism =
      syntax.list("parallelism");
  if (!parallelism) {
    parser.emitError(loc,
                     "#mase.mxint_hardware needs a `parallelism = [p1, p0]` "
                     "option");
    return {};
  }
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    syntax.positional(1), *parallelism);
}

void MxintHardwareFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getExponentWidth()
          << ", parallelism = ";
  printIntegerList(printer, getParallelism());
  printer << '>';
}

Attribute Mxint8FormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 0, {{"block", Kind::Integer}},
                   /*bodyOptional=*/true))
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(),
                    syntax.integer("block").value_or(32));
}

void Mxint8FormatAttr::print(AsmPrinter &printer) const {
  printer << "<block = " << getBlockSize() << '>';
}

//===----------------------------------------------------------------------===//
// Construction from numerics-library formats (FormatAttrFromNumerics.h). It
// lives here because only this file sees the generated storage classes.
//===----------------------------------------------------------------------===//

FormatAttrInterface
mlir::mase::getFormatAttr(MLIRContext *ctx,
                          const ::mase::numerics::Format &format,
                          function_ref<InFlightDiagnostic()> emitError) {
  namespace numerics = ::mase::numerics;
  auto build = [&](const auto &f) -> FormatAttrInterface {
    using T = std::decay_t<decltype(f)>;
    if constexpr (std::is_same_v<T, numerics::IntegerFormat>)
      return IntFormatAttr::getChecked(
          emitError, ctx, f.width, f.fracWidth, f.isSigned,
          f.rounding == numerics::Rounding::Floor);
    else if constexpr (std::is_same_v<T, numerics::MinifloatDenormFormat>)
      return MinifloatDenormFormatAttr::getChecked(
          emitError, ctx, f.width, f.exponentWidth, f.exponentBias);
    else if constexpr (std::is_same_v<T, numerics::MinifloatIeeeFormat>)
      return MinifloatIeeeFormatAttr::getChecked(
          emitError, ctx, f.width, f.exponentWidth, f.exponentBias);
    else if constexpr (std::is_same_v<T, numerics::BlockFpFormat>)
      return BlockFpFormatAttr::getChecked(emitError, ctx, f.width,
                                           f.exponentWidth, f.exponentBias,
                                           f.blockSize, f.skipFirstDim);
    else if constexpr (std::is_same_v<T, numerics::Mxint8Format>)
      return Mxint8FormatAttr::getChecked(emitError, ctx, f.groupSize);
    else if constexpr (std::is_same_v<T, numerics::LogFormat>)
      return LogFormatAttr::getChecked(emitError, ctx, f.width,
                                       f.exponentBias);
    else {
      emitError() << "this numerics format has no attribute builder yet";
      return {};
    }
  };
  return std::visit(build, format);
}

