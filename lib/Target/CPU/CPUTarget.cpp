//===- CPUTarget.cpp - host code generation through the LLVM TargetMachine ===//

#include "mase/Target/CPU/CPUTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

mase::CPUTarget::CPUTarget() = default;
mase::CPUTarget::CPUTarget(CPUTarget &&) = default;
mase::CPUTarget::~CPUTarget() = default;

namespace {

llvm::CodeGenOptLevel codeGenLevel(unsigned optLevel) {
  switch (optLevel) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

/// The f32 lanes of the widest vector register `machine`'s subtarget has.
unsigned vectorWidthOf(const llvm::MCSubtargetInfo &info) {
  if (info.checkFeatures("+avx512f"))
    return 16;
  if (info.checkFeatures("+avx"))
    return 8;
  return 4;
}

} // namespace

FailureOr<mase::CPUTarget> mase::resolveCPUTarget(StringRef mcpu,
                                                  StringRef mattr,
                                                  unsigned optLevel,
                                                  std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  CPUTarget target;
  target.triple = llvm::sys::getDefaultTargetTriple();
  llvm::Triple triple(target.triple);
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return failure();

  llvm::SubtargetFeatures features;
  if (mcpu == "host") {
    target.cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.first(), feature.second);
  } else {
    target.cpu = mcpu.str();
  }
  SmallVector<StringRef> extra;
  llvm::SplitString(mattr, extra, ", ");
  for (StringRef feature : extra) {
    if (feature.size() < 2 || (feature[0] != '+' && feature[0] != '-')) {
      error = ("--mattr: '" + feature +
               "' is not a feature; write +name or -name")
                  .str();
      return failure();
    }
    features.AddFeature(feature);
  }
  target.features = features.getString();

  llvm::TargetOptions options;
  target.machine.reset(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, options, llvm::Reloc::PIC_,
      std::nullopt, codeGenLevel(optLevel)));
  if (!target.machine) {
    error = "cannot create an LLVM target machine for " + target.triple;
    return failure();
  }
  const llvm::MCSubtargetInfo &info = *target.machine->getMCSubtargetInfo();
  if (!info.isCPUStringValid(target.cpu)) {
    error = "--mcpu: '" + target.cpu + "' is not a CPU LLVM knows for " +
            target.triple;
    return failure();
  }
  for (StringRef feature : extra) {
    StringRef name = feature.drop_front();
    if (llvm::none_of(info.getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &known) {
                        return name == known.Key;
                      })) {
      error = ("--mattr: '" + feature + "' is not a feature of " +
               target.triple)
                  .str();
      return failure();
    }
  }
  target.vectorWidth = vectorWidthOf(info);
  return target;
}

std::unique_ptr<llvm::Module>
mase::translateAndOptimize(ModuleOp module, llvm::LLVMContext &context,
                           const CPUTarget &target, unsigned optLevel,
                           std::string &error) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule) {
    error = "translation of the LLVM dialect to LLVM IR failed";
    return nullptr;
  }
  llvmModule->setTargetTriple(llvm::Triple(target.triple));
  llvmModule->setDataLayout(target.machine->createDataLayout());
  // Target attributes on every function, as clang sets them, so that the
  // IR-level optimisations see the vector features.
  for (llvm::Function &function : llvmModule->functions()) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", target.cpu);
    function.addFnAttr("target-features", target.features);
  }
  auto optimize = makeOptimizingTransformer(std::min(optLevel, 3u),
                                            /*sizeLevel=*/0,
                                            target.machine.get());
  if (llvm::Error failure = optimize(llvmModule.get())) {
    error = "LLVM optimisation failed: " + llvm::toString(std::move(failure));
    return nullptr;
  }
  return llvmModule;
}

LogicalResult mase::emitObject(llvm::Module &module, const CPUTarget &target,
                               llvm::raw_pwrite_stream &os,
                               std::string &error) {
  llvm::legacy::PassManager passes;
  if (target.machine->addPassesToEmitFile(passes, os, nullptr,
                                          llvm::CodeGenFileType::ObjectFile)) {
    error = "the LLVM target machine cannot emit object files";
    return failure();
  }
  passes.run(module);
  return success();
}

LogicalResult mase::linkSharedLibrary(StringRef object, StringRef output,
                                      std::string &error) {
  llvm::ErrorOr<std::string> lld =
      llvm::sys::findProgramByName("ld.lld-22");
  if (!lld)
    lld = llvm::sys::findProgramByName("ld.lld", {LLVM_TOOLS_BINARY_DIR});
  if (!lld) {
    error = "cannot find ld.lld-22 (Debian package lld-22) to link the model";
    return failure();
  }
  std::string ompDir = LLVM_LIBRARY_DIR;
  // compiler-rt's builtins: conversions such as f64 -> f16 are calls.
  std::string builtins = std::string(LLVM_LIBRARY_DIR) + "/clang/" +
                         std::to_string(LLVM_VERSION_MAJOR) +
                         "/lib/linux/libclang_rt.builtins-x86_64.a";
  if (!llvm::sys::fs::exists(builtins)) {
    error = "cannot find " + builtins + " (Debian package libclang-rt-" +
            std::to_string(LLVM_VERSION_MAJOR) + "-dev) to link the model";
    return failure();
  }
  SmallVector<StringRef> args = {*lld,
                                 "-shared",
                                 "--no-undefined",
                                 "--as-needed",
                                 "-o",
                                 output,
                                 object,
                                 "-L",
                                 ompDir,
                                 "-rpath",
                                 ompDir,
                                 "-L",
                                 "/usr/lib/x86_64-linux-gnu",
                                 "-L",
                                 "/lib/x86_64-linux-gnu",
                                 "-lomp",
                                 "-lm",
                                 "-lc",
                                 builtins};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, {}, 0, 0,
                                         &message);
  if (status != 0) {
    error = "linking " + output.str() + " with " + *lld + " failed" +
            (message.empty() ? std::string(" (see its messages above)")
                             : ": " + message);
    return failure();
  }
  return success();
}
