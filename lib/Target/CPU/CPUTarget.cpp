//===- CPUTarget.cpp - host code generation through the LLVM TargetMachine ===//

#include "mase/Target/CPU/CPUTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/SplitModule.h"

using namespace mlir;

mase::CPUTarget::CPUTarget() = default;
mase::CPUTarget::CPUTarget(CPUTarget &&) = default;
mase::CPUTarget::~CPUTarget() = default;

namespace {

/// Target options as clang sets them on Linux: constructors (a GPU model
/// loads its kernels in one) go in .init_array, which glibc runs.
llvm::TargetOptions targetOptions() {
  llvm::TargetOptions options;
  options.UseInitArray = true;
  return options;
}

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

  target.machine.reset(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, targetOptions(), llvm::Reloc::PIC_,
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
  target.optLevel = optLevel;
  return target;
}

std::unique_ptr<llvm::TargetMachine> mase::CPUTarget::createMachine() const {
  return std::unique_ptr<llvm::TargetMachine>(
      machine->getTarget().createTargetMachine(
          llvm::Triple(triple), cpu, features, targetOptions(), llvm::Reloc::PIC_,
          std::nullopt, codeGenLevel(optLevel)));
}

std::unique_ptr<llvm::Module> mase::translate(ModuleOp module,
                                              llvm::LLVMContext &context,
                                              const CPUTarget &target,
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
  return llvmModule;
}

LogicalResult mase::optimize(llvm::Module &module, const CPUTarget &target,
                             llvm::TargetMachine &machine,
                             std::string &error) {
  auto transform = makeOptimizingTransformer(std::min(target.optLevel, 3u),
                                             /*sizeLevel=*/0, &machine);
  if (llvm::Error problem = transform(&module)) {
    error = "LLVM optimisation failed: " + llvm::toString(std::move(problem));
    return failure();
  }
  return success();
}

LogicalResult mase::emitObject(llvm::Module &module,
                               llvm::TargetMachine &machine,
                               llvm::raw_pwrite_stream &os,
                               std::string &error) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile)) {
    error = "the LLVM target machine cannot emit object files";
    return failure();
  }
  passes.run(module);
  return success();
}

namespace {

constexpr unsigned kPartitionsPerJob = 4;

/// Parses a partition's bitcode into a context of its own, optimises it and
/// writes its object to a new temporary file.
LogicalResult compilePartition(StringRef bitcode, const mase::CPUTarget &target,
                               std::string &object, std::string &error) {
  llvm::LLVMContext context;
  llvm::Expected<std::unique_ptr<llvm::Module>> module =
      llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode, "partition"),
                             context);
  if (!module) {
    error = "cannot read back a code generation partition: " +
            llvm::toString(module.takeError());
    return failure();
  }
  std::unique_ptr<llvm::TargetMachine> machine = target.createMachine();
  if (!machine) {
    error = "cannot create an LLVM target machine for " + target.triple;
    return failure();
  }
  if (failed(mase::optimize(**module, target, *machine, error)))
    return failure();
  int fd;
  SmallString<128> path;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "mase-model", "o", fd, path)) {
    error = "cannot create a temporary object file: " + ec.message();
    return failure();
  }
  object = path.str().str();
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  if (failed(mase::emitObject(**module, *machine, os, error)))
    return failure();
  os.close();
  if (os.has_error()) {
    error = "cannot write " + object + ": " + os.error().message();
    os.clear_error();
    return failure();
  }
  return success();
}

} // namespace

LogicalResult
mase::optimizeAndEmitObjects(std::unique_ptr<llvm::Module> module,
                             const CPUTarget &target, unsigned jobs,
                             SmallVectorImpl<std::string> &objects,
                             std::string &error) {
  // Each partition travels as bitcode: LLVM contexts are single-threaded.
  // Several partitions a thread even out functions of unequal sizes.
  jobs = std::max(jobs, 1u);
  unsigned functions = 0;
  for (const llvm::Function &function : *module)
    functions += !function.isDeclaration();
  unsigned partitions =
      std::max(1u, std::min(jobs * kPartitionsPerJob, functions));
  SmallVector<std::string> bitcodes;
  llvm::SplitModule(*module, partitions,
                    [&](std::unique_ptr<llvm::Module> partition) {
                      llvm::raw_string_ostream os(bitcodes.emplace_back());
                      llvm::WriteBitcodeToFile(*partition, os);
                    },
                    /*PreserveLocals=*/false, /*RoundRobin=*/true);
  module.reset();

  size_t count = bitcodes.size();
  SmallVector<std::string> paths(count), errors(count);
  SmallVector<char> failed(count, false);
  {
    llvm::DefaultThreadPool pool(llvm::hardware_concurrency(jobs));
    for (size_t i = 0; i < count; ++i)
      pool.async([&, i] {
        failed[i] = mlir::failed(
            compilePartition(bitcodes[i], target, paths[i], errors[i]));
      });
    pool.wait();
  }
  for (size_t i = 0; i < count; ++i) {
    if (!paths[i].empty())
      objects.push_back(paths[i]);
    if (failed[i] && error.empty())
      error = errors[i];
  }
  return error.empty() ? success() : failure();
}

LogicalResult mase::linkSharedLibrary(ArrayRef<std::string> objects,
                                      StringRef output, bool gpuRuntime,
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
  if (!llvm::sys::fs::exists(MASE_MODEL_SUPPORT_LIBRARY)) {
    error = "cannot find " + std::string(MASE_MODEL_SUPPORT_LIBRARY) +
            " (built with mase) to link the model";
    return failure();
  }
  SmallVector<StringRef> args = {*lld,
                                 "-shared",
                                 "--no-undefined",
                                 "--as-needed",
                                 "-o",
                                 output};
  for (const std::string &object : objects)
    args.push_back(object);
  if (gpuRuntime)
    args.push_back(MASE_CUDA_SUPPORT_LIBRARY);
  args.append({"-L",
                                 ompDir,
                                 "-rpath",
                                 ompDir,
                                 "-L",
                                 "/usr/lib/x86_64-linux-gnu",
                                 "-L",
                                 "/lib/x86_64-linux-gnu",
                                 "-lomp",
                                 "-lm",
                                 MASE_MODEL_SUPPORT_LIBRARY,
                                 "-lc",
                                 builtins});
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
