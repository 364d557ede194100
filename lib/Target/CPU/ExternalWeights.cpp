//===- ExternalWeights.cpp - weights in a side file next to the model -----===//

#include "mase/Target/CPU/ExternalWeights.h"

#include "mase-c/ModelABI.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/xxhash.h"

#include <optional>

using namespace mlir;

namespace {

/// The bytes of a global that may move to the side file: an internal
/// constant, not a splat, of byte-sized integers or floats, large enough.
std::optional<ArrayRef<char>> weightData(LLVM::GlobalOp global) {
  if (!global.getConstant() ||
      (global.getLinkage() != LLVM::Linkage::Internal &&
       global.getLinkage() != LLVM::Linkage::Private))
    return std::nullopt;
  std::optional<Attribute> value = global.getValue();
  if (!value)
    return std::nullopt;
  auto elements = dyn_cast<ElementsAttr>(*value);
  if (!elements || !elements.getElementType().isIntOrFloat() ||
      elements.getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  ArrayRef<char> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(elements)) {
    if (dense.isSplat())
      return std::nullopt;
    data = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(elements)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    data = blob->getData();
  } else {
    return std::nullopt;
  }
  if (data.size() < mase::kMinExternalWeightBytes)
    return std::nullopt;
  return data;
}

struct Weight {
  LLVM::GlobalOp global;
  ArrayRef<char> data;
  uint64_t offset;
};

/// The weights in module order, at MASE_WEIGHTS_ALIGNMENT-aligned offsets.
SmallVector<Weight> collectWeights(ModuleOp module, uint64_t &size) {
  SmallVector<Weight> weights;
  size = 0;
  for (auto global : module.getOps<LLVM::GlobalOp>())
    if (std::optional<ArrayRef<char>> data = weightData(global)) {
      size = llvm::alignTo(size, MASE_WEIGHTS_ALIGNMENT);
      weights.push_back({global, *data, size});
      size += data->size();
    }
  return weights;
}

/// A digest of the data and its layout: each weight's offset, size and
/// xxh3 hash, hashed together.
uint64_t digestOf(ArrayRef<Weight> weights) {
  SmallVector<uint64_t> summary;
  for (const Weight &weight : weights)
    summary.append(
        {weight.offset, weight.data.size(),
         llvm::xxh3_64bits(ArrayRef<uint8_t>(
             reinterpret_cast<const uint8_t *>(weight.data.data()),
             weight.data.size()))});
  return llvm::xxh3_64bits(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(summary.data()),
      summary.size() * sizeof(uint64_t)));
}

LogicalResult writeWeightsFile(StringRef path, ArrayRef<Weight> weights,
                               uint64_t size, uint64_t digest,
                               std::string &error) {
  std::error_code ec;
  llvm::ToolOutputFile file(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write the weights file " + path.str() + ": " +
            ec.message();
    return failure();
  }
  char header[MASE_WEIGHTS_HEADER_SIZE] = {};
  std::memcpy(header, MASE_WEIGHTS_MAGIC, 8);
  llvm::support::endian::write32le(header + 8, MASE_WEIGHTS_FORMAT_VERSION);
  llvm::support::endian::write64le(header + 16, digest);
  llvm::support::endian::write64le(header + 24, size);
  llvm::raw_fd_ostream &os = file.os();
  os.write(header, sizeof(header));
  uint64_t written = 0;
  for (const Weight &weight : weights) {
    os.write_zeros(weight.offset - written);
    os.write(weight.data.data(), weight.data.size());
    written = weight.offset + weight.data.size();
  }
  os.flush();
  if (os.has_error()) {
    error = "cannot write the weights file " + path.str() + ": " +
            os.error().message();
    os.clear_error();
    return failure();
  }
  file.keep();
  return success();
}

/// Turns `global` into a pointer global that each of its users (the
/// `addresses` taking it) loads.
void makePointerGlobal(LLVM::GlobalOp global,
                       ArrayRef<LLVM::AddressOfOp> addresses) {
  OpBuilder builder(global);
  auto ptr = LLVM::LLVMPointerType::get(global.getContext());
  for (LLVM::AddressOfOp address : addresses) {
    builder.setInsertionPointAfter(address);
    auto load = LLVM::LoadOp::create(builder, address.getLoc(), ptr, address);
    address.getResult().replaceAllUsesExcept(load, load);
  }

  builder.setInsertionPoint(global);
  auto pointer = LLVM::GlobalOp::create(
      builder, global.getLoc(), ptr, /*isConstant=*/false,
      LLVM::Linkage::Internal, global.getSymName(), /*value=*/Attribute());
  Block *init = builder.createBlock(&pointer.getInitializerRegion());
  builder.setInsertionPointToStart(init);
  LLVM::ReturnOp::create(builder, global.getLoc(),
                         LLVM::ZeroOp::create(builder, global.getLoc(), ptr)
                             .getResult());
  global.erase();
}

/// `mase_model_weights_size`, `mase_model_weights_digest` and
/// `mase_model_bind_weights`, which stores each weight's address in its
/// pointer global.
void addWeightsABI(ModuleOp module, ArrayRef<std::pair<StringAttr, uint64_t>>
                                        offsets,
                   uint64_t size, uint64_t digest) {
  MLIRContext *context = module.getContext();
  Location loc = module.getLoc();
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto i64 = builder.getI64Type();
  LLVM::GlobalOp::create(builder, loc, i64, /*isConstant=*/true,
                         LLVM::Linkage::External,
                         MASE_MODEL_WEIGHTS_SIZE_SYMBOL,
                         builder.getI64IntegerAttr(size));
  LLVM::GlobalOp::create(builder, loc, i64, /*isConstant=*/true,
                         LLVM::Linkage::External,
                         MASE_MODEL_WEIGHTS_DIGEST_SYMBOL,
                         builder.getI64IntegerAttr(digest));

  auto ptr = LLVM::LLVMPointerType::get(context);
  auto bind = LLVM::LLVMFuncOp::create(
      builder, loc, MASE_MODEL_BIND_WEIGHTS_SYMBOL,
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), {ptr}));
  Block *body = bind.addEntryBlock(builder);
  builder.setInsertionPointToStart(body);
  Value data = body->getArgument(0);
  for (auto [name, offset] : offsets) {
    Value index = LLVM::ConstantOp::create(builder, loc, i64,
                                           static_cast<int64_t>(offset));
    Value address =
        LLVM::GEPOp::create(builder, loc, ptr, builder.getI8Type(), data,
                            ArrayRef<LLVM::GEPArg>{index});
    Value slot = LLVM::AddressOfOp::create(builder, loc, ptr, name);
    LLVM::StoreOp::create(builder, loc, address, slot);
  }
  LLVM::ReturnOp::create(builder, loc, ValueRange());
}

} // namespace

uint64_t mlir::mase::externalizableWeightBytes(ModuleOp module) {
  uint64_t size;
  collectWeights(module, size);
  return size;
}

LogicalResult mlir::mase::externalizeWeights(ModuleOp module, StringRef path,
                                             std::string &error) {
  for (StringRef symbol :
       {MASE_MODEL_WEIGHTS_SIZE_SYMBOL, MASE_MODEL_WEIGHTS_DIGEST_SYMBOL,
        MASE_MODEL_BIND_WEIGHTS_SYMBOL})
    if (module.lookupSymbol(symbol)) {
      error = "the module already defines @" + symbol.str() +
              ", a symbol of the compiled-model ABI";
      return failure();
    }
  uint64_t size;
  SmallVector<Weight> weights = collectWeights(module, size);
  // Every use of a weight must be an address taken in code, which becomes a
  // load of the pointer; one walk finds them all.
  llvm::DenseMap<StringAttr, SmallVector<LLVM::AddressOfOp>> addresses;
  for (Weight &weight : weights)
    addresses[weight.global.getSymNameAttr()];
  WalkResult walk = module.walk([&](Operation *op) {
    auto address = dyn_cast<LLVM::AddressOfOp>(op);
    if (address) {
      auto it = addresses.find(address.getGlobalNameAttr().getAttr());
      if (it != addresses.end())
        it->second.push_back(address);
      return WalkResult::advance();
    }
    for (const NamedAttribute &attr : op->getAttrs()) {
      auto symbol = dyn_cast<FlatSymbolRefAttr>(attr.getValue());
      if (symbol && addresses.count(symbol.getAttr())) {
        error = "cannot move @" + symbol.getValue().str() +
                " to the weights file: it is used by " +
                op->getName().getStringRef().str();
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  uint64_t digest = digestOf(weights);
  // The data lives in the globals' attributes: write it before erasing them.
  if (failed(writeWeightsFile(path, weights, size, digest, error)))
    return failure();
  SmallVector<std::pair<StringAttr, uint64_t>> offsets;
  for (Weight &weight : weights) {
    StringAttr name = weight.global.getSymNameAttr();
    offsets.push_back({name, weight.offset});
    makePointerGlobal(weight.global, addresses[name]);
  }
  addWeightsABI(module, offsets, size, digest);
  return success();
}
