//===- RecordModelSignature.cpp - @main's interface as ABI globals --------===//

#include "mase-c/ModelABI.h"
#include "mase/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::mase {
#define GEN_PASS_DEF_RECORDMODELSIGNATUREPASS
#include "mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

/// The ABI's spelling of an element type, or "" when the ABI has none.
StringRef abiTypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isF64())
    return "f64";
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isInteger(1))
    return "bool";
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer || integer.isSigned())
    return "";
  unsigned width = integer.getWidth();
  if (width != 8 && width != 16 && width != 32 && width != 64)
    return "";
  // Signless integers are signed in ONNX's sense; unsigned ones are explicit.
  static const char *const kSigned[] = {"i8", "i16", "i32", "i64"};
  static const char *const kUnsigned[] = {"u8", "u16", "u32", "u64"};
  unsigned slot = width == 8 ? 0 : width == 16 ? 1 : width == 32 ? 2 : 3;
  return integer.isUnsigned() ? kUnsigned[slot] : kSigned[slot];
}

/// Escapes the characters the signature text uses as separators.
void writeEscapedName(llvm::raw_ostream &os, StringRef name) {
  for (char c : name) {
    switch (c) {
    case '%':
      os << "%25";
      break;
    case '\t':
      os << "%09";
      break;
    case '\n':
      os << "%0A";
      break;
    case '\r':
      os << "%0D";
      break;
    default:
      os << c;
    }
  }
}

struct RecordModelSignaturePass
    : mase::impl::RecordModelSignaturePassBase<RecordModelSignaturePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError("the module has no @main function to compile");
      return signalPassFailure();
    }
    for (StringRef symbol :
         {MASE_MODEL_ABI_VERSION_SYMBOL, MASE_MODEL_SIGNATURE_SYMBOL}) {
      if (module.lookupSymbol(symbol)) {
        module.emitError() << "the module already defines @" << symbol
                           << ", a symbol of the compiled-model ABI";
        return signalPassFailure();
      }
    }

    std::string text;
    llvm::raw_string_ostream os(text);
    os << "mase-model\t" << MASE_MODEL_ABI_VERSION << "\n";
    FunctionType type = main.getFunctionType();
    auto writeItem = [&](StringRef kind, unsigned index, Type itemType,
                         StringAttr name) -> LogicalResult {
      auto tensor = dyn_cast<RankedTensorType>(itemType);
      StringRef element = tensor ? abiTypeName(tensor.getElementType()) : "";
      if (!tensor || !tensor.hasStaticShape() || element.empty())
        return main.emitError()
               << "@main " << kind << " #" << index << " has type "
               << itemType
               << "; a compiled model takes and returns statically shaped "
                  "tensors of f32, f64, f16, bf16, i1 or 8/16/32/64-bit "
                  "integers";
      os << kind << "\t";
      if (name)
        writeEscapedName(os, name.getValue());
      else
        os << kind << "_" << index;
      os << "\t" << element << "\t";
      llvm::interleave(tensor.getShape(), os, "x");
      os << "\n";
      return success();
    };
    for (unsigned i = 0; i < type.getNumInputs(); ++i)
      if (failed(writeItem("input", i, type.getInput(i),
                           main.getArgAttrOfType<StringAttr>(
                               i, "mase.input_name"))))
        return signalPassFailure();
    for (unsigned i = 0; i < type.getNumResults(); ++i)
      if (failed(writeItem("output", i, type.getResult(i),
                           main.getResultAttrOfType<StringAttr>(
                               i, "mase.output_name"))))
        return signalPassFailure();

    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    Location loc = main.getLoc();
    auto addGlobal = [&](StringRef name, MemRefType memrefType,
                         DenseElementsAttr value) {
      memref::GlobalOp::create(builder, loc, name,
                               builder.getStringAttr("public"), memrefType,
                               value, /*constant=*/true,
                               /*alignment=*/IntegerAttr());
    };
    auto i32 = builder.getI32Type();
    addGlobal(MASE_MODEL_ABI_VERSION_SYMBOL, MemRefType::get({}, i32),
              DenseElementsAttr::get(RankedTensorType::get({}, i32),
                                     int32_t(MASE_MODEL_ABI_VERSION)));
    SmallVector<int8_t> bytes(text.begin(), text.end());
    bytes.push_back(0);
    auto i8 = builder.getI8Type();
    int64_t size = static_cast<int64_t>(bytes.size());
    addGlobal(MASE_MODEL_SIGNATURE_SYMBOL, MemRefType::get({size}, i8),
              DenseElementsAttr::get(RankedTensorType::get({size}, i8),
                                     ArrayRef<int8_t>(bytes)));
  }
};

} // namespace
