//===- Compiler.cpp - the mase-compile driver -----------------------------===//

#include "mase/Compiler/Compiler.h"

#include "mase-c/ModelABI.h"
#include "mase/Target/CPU/CPUPipeline.h"
#include "mase/Target/CPU/CPUTarget.h"
#include "mase/Target/CUDA/CUDAPipeline.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::mase {
namespace {

InFlightDiagnostic error(MLIRContext &context, const Twine &message) {
  return emitError(UnknownLoc::get(&context)) << "mase-compile: " << message;
}

/// The phase a module is in: LLVM dialect when it has no func.func left,
/// else linalg once the model signature is recorded (the first step of the
/// graph -> linalg phase), else graph.
Phase phaseOf(ModuleOp module) {
  if (module.getOps<func::FuncOp>().empty())
    return Phase::LLVMDialect;
  return module.lookupSymbol(MASE_MODEL_SIGNATURE_SYMBOL) ? Phase::Linalg
                                                          : Phase::Graph;
}

Phase lastPhaseOf(EmitKind emit) {
  switch (emit) {
  case EmitKind::Graph:
    return Phase::Graph;
  case EmitKind::Linalg:
    return Phase::Linalg;
  default:
    return Phase::LLVMDialect;
  }
}

OwningOpRef<ModuleOp> load(const CompileOptions &options,
                           MLIRContext &context) {
  if (llvm::sys::path::extension(options.input) == ".onnx")
    return ::mase::onnx_import::importModel(options.input, options.import,
                                            &context);
  if (!llvm::sys::fs::exists(options.input)) {
    error(context, "cannot open '" + options.input + "': no such file");
    return nullptr;
  }
  if (!options.import.inputShapes.empty()) {
    error(context, "--shape applies to ONNX models only; '" + options.input +
                       "' is MLIR with static shapes already");
    return nullptr;
  }
  return parseSourceFile<ModuleOp>(options.input, &context);
}

/// The output file, or null after reporting why it cannot be opened.
std::unique_ptr<llvm::ToolOutputFile> openOutput(const CompileOptions &options,
                                                 MLIRContext &context) {
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(options.output, &message);
  if (!file)
    error(context, message);
  return file;
}

LogicalResult writeIR(const CompileOptions &options, ModuleOp module,
                      MLIRContext &context) {
  std::unique_ptr<llvm::ToolOutputFile> file = openOutput(options, context);
  if (!file)
    return failure();
  if (options.emitBytecode) {
    if (failed(writeBytecodeToFile(module, file->os())))
      return error(context, "cannot write bytecode to " + options.output);
  } else {
    module.print(file->os());
  }
  file->keep();
  return success();
}

/// Writes the PTX of every kernel module (`--emit=ptx`).
LogicalResult writePtx(const CompileOptions &options, ModuleOp module,
                       MLIRContext &context) {
  std::unique_ptr<llvm::ToolOutputFile> file = openOutput(options, context);
  if (!file)
    return failure();
  unsigned kernels = 0;
  for (auto binary : module.getOps<gpu::BinaryOp>())
    for (Attribute object : binary.getObjects()) {
      auto gpuObject = cast<gpu::ObjectAttr>(object);
      file->os() << "// gpu.binary @" << binary.getSymName() << " ("
                 << gpuObject.getTarget() << ")";
      // Prebuilt kernels (the attention kernel's fatbin) have no PTX here.
      if (gpuObject.getFormat() != gpu::CompilationTarget::Assembly) {
        file->os() << ": prebuilt, "
                   << gpuObject.getObject().getValue().size()
                   << " bytes of " << gpu::stringifyCompilationTarget(
                                          gpuObject.getFormat())
                   << "\n";
        continue;
      }
      file->os() << "\n" << gpuObject.getObject().getValue() << "\n";
      ++kernels;
    }
  if (!kernels)
    return error(context, "--emit=ptx: the model has no GPU kernels");
  file->keep();
  return success();
}

/// Moves the weights to `<output>.weights` when `options.weights` asks for
/// it; else removes a stale side file a former compilation left there.
LogicalResult placeWeights(const CompileOptions &options, ModuleOp module,
                           MLIRContext &context) {
  std::string path = options.output + MASE_WEIGHTS_FILE_SUFFIX;
  bool external =
      options.weights == WeightsPlacement::External ||
      (options.weights == WeightsPlacement::Auto &&
       options.target == TargetKind::CPU &&
       externalizableWeightBytes(module) >= kAutoExternalWeightsBytes);
  if (external && options.output == "-")
    return error(context, "--weights=external needs an output file (-o FILE) "
                          "to put the weights next to");
  if (!external) {
    if (options.output != "-")
      llvm::sys::fs::remove(path);
    return success();
  }
  std::string message;
  if (failed(externalizeWeights(module, path, message)))
    return error(context, message);
  return success();
}

/// Threads for code generation: `--jobs`, else every core, and no more than
/// the module has functions to spread.
unsigned codeGenerationJobs(const CompileOptions &options, ModuleOp module) {
  unsigned jobs = options.jobs ? options.jobs
                               : llvm::hardware_concurrency().compute_thread_count();
  unsigned functions = 0;
  for (auto function : module.getOps<LLVM::LLVMFuncOp>())
    functions += !function.isExternal();
  return std::max(1u, std::min(jobs, functions));
}

/// LLVM IR, object or shared library from an LLVM-dialect module.
LogicalResult emitTarget(const CompileOptions &options, ModuleOp module,
                         CPUTarget &target, MLIRContext &context,
                         TimingScope &timing) {
  TimingScope weightsTiming = timing.nest("Weights file");
  if (failed(placeWeights(options, module, context)))
    return failure();
  weightsTiming.stop();

  std::string message;
  llvm::LLVMContext llvmContext;
  TimingScope translateTiming = timing.nest("LLVM translation");
  std::unique_ptr<llvm::Module> llvmModule =
      translate(module, llvmContext, target, message);
  translateTiming.stop();
  if (!llvmModule)
    return error(context, message);

  // A library is optimised and compiled in partitions, one per thread.
  if (options.emit == EmitKind::Library) {
    TimingScope codegenTiming =
        timing.nest("LLVM optimisation and code generation");
    SmallVector<std::string> objects;
    LogicalResult compiled = optimizeAndEmitObjects(
        std::move(llvmModule), target, codeGenerationJobs(options, module),
        objects, message);
    codegenTiming.stop();
    LogicalResult linked = failure();
    if (succeeded(compiled)) {
      TimingScope linkTiming = timing.nest("Link");
      linked = linkSharedLibrary(objects, options.output,
                                 options.target == TargetKind::CUDA, message);
    }
    for (const std::string &object : objects)
      llvm::sys::fs::remove(object);
    if (failed(linked))
      return error(context, message);
    return success();
  }

  TimingScope optimizeTiming = timing.nest("LLVM optimisation");
  if (failed(optimize(*llvmModule, target, *target.machine, message)))
    return error(context, message);
  optimizeTiming.stop();
  std::unique_ptr<llvm::ToolOutputFile> file = openOutput(options, context);
  if (!file)
    return failure();
  if (options.emit == EmitKind::LLVMIR) {
    llvmModule->print(file->os(), nullptr);
  } else {
    TimingScope codegenTiming = timing.nest("Code generation");
    if (failed(emitObject(*llvmModule, *target.machine, file->os(), message)))
      return error(context, message);
  }
  file->keep();
  return success();
}

/// The target-independent pipeline options of a compilation.
template <typename Options>
void setGraphOptions(Options &pipeline, const CompileOptions &options,
                     Phase from, Phase to) {
  pipeline.pruneConfig = options.pruneConfig;
  pipeline.pruneReport = options.pruneReport;
  pipeline.sparseThreshold = options.sparseThreshold;
  pipeline.fuseSdpa = options.fuseSdpa;
  pipeline.fusionReport = options.fusionReport;
  pipeline.precision = options.precision;
  pipeline.quantConfig = options.quantConfig;
  pipeline.quantMode = options.quantMode;
  pipeline.quantReport = options.quantReport;
  pipeline.from = from;
  pipeline.to = to;
}

void addCPUPipeline(PassManager &pm, const CompileOptions &options,
                    Phase from, Phase to, const CPUTarget &target) {
  CPUPipelineOptions pipeline;
  setGraphOptions(pipeline, options, from, to);
  pipeline.optLevel = options.optLevel;
  pipeline.vectorWidth = target.vectorWidth;
  buildCPUPipeline(pm, pipeline);
}

void addCUDAPipeline(PassManager &pm, const CompileOptions &options,
                     Phase from, Phase to) {
  CUDAPipelineOptions pipeline;
  setGraphOptions(pipeline, options, from, to);
  // The GPU has no compressed-row kernels yet: pruned weights stay dense.
  pipeline.sparseThreshold = 2.0;
  pipeline.chip = options.chip;
  pipeline.toolkit = options.cudaPath;
  pipeline.gemmMinBlocks = options.cudaGemmMinBlocks;
  pipeline.format = options.emit == EmitKind::Ptx ? "isa" : "fatbin";
  buildCUDAPipeline(pm, pipeline);
}

/// Options that --target=cuda does not take yet.
LogicalResult checkCUDAOptions(const CompileOptions &options,
                               MLIRContext &context) {
  if (options.target != TargetKind::CUDA) {
    if (options.emit == EmitKind::Ptx)
      return error(context, "--emit=ptx needs --target=cuda");
    return success();
  }
  if (options.weights == WeightsPlacement::External)
    return error(context, "--weights=external: --target=cuda keeps the "
                          "weights in the library");
  if (!StringRef(options.chip).starts_with("sm_"))
    return error(context, "--chip: '" + options.chip +
                              "' is not an NVIDIA architecture (sm_NN)");
  if (options.cudaGemmMinBlocks < 0)
    return error(context, "--cuda-gemm-min-blocks: " +
                              std::to_string(options.cudaGemmMinBlocks) +
                              " is negative (0 turns the prebuilt GEMM off)");
  // Cubins and fatbins (every phase from the LLVM dialect on, except PTX)
  // come from the toolkit's assembler and packer.
  if (options.emit >= EmitKind::LLVMDialect && options.emit != EmitKind::Ptx)
    for (StringRef tool : {"ptxas", "fatbinary"}) {
      SmallString<128> path(options.cudaPath);
      llvm::sys::path::append(path, "bin", tool);
      if (!llvm::sys::fs::can_execute(path))
        return error(context, "--cuda-path: '" + options.cudaPath +
                                  "' has no " + tool +
                                  " (bin/" + tool +
                                  "), which GPU kernels are built with; "
                                  "--emit=ptx needs neither");
    }
  return success();
}

} // namespace

LogicalResult compile(const CompileOptions &options, MLIRContext &context,
                      TimingScope &timing) {
  if (options.emit >= EmitKind::Object && options.output == "-")
    return error(context, "an object file or library needs an output file "
                          "(-o FILE)");
  for (auto [config, report, name] :
       {std::tuple{&options.quantConfig, &options.quantReport, "quant"},
        std::tuple{&options.pruneConfig, &options.pruneReport, "prune"}}) {
    if (!report->empty() && config->empty())
      return error(context, "--" + Twine(name) + "-report needs --" + name +
                                "-config");
    if (!config->empty() && options.emit == EmitKind::Graph)
      return error(context, "--" + Twine(name) +
                                "-config applies after the graph phase; "
                                "--emit=graph writes the model as imported");
  }
  if (!options.fusionReport.empty() && !options.fuseSdpa)
    return error(context, "--fusion-report needs attention fusion, which "
                          "--no-fuse-sdpa turns off");
  if (options.precision != "f32" && options.precision != "f16" &&
      options.precision != "bf16")
    return error(context, "--precision: '" + options.precision +
                              "' is not one of f32, f16, bf16");
  if (options.precision != "f32" && !options.quantConfig.empty())
    return error(context, "--precision=" + options.precision +
                              " and --quant-config: MASE's number formats "
                              "are defined on f32; quantise an f32 model");
  if (!(options.sparseThreshold >= 0.0))
    return error(context, "--sparse-threshold must be at least 0 (above 1: "
                          "every weight stays dense)");
  if (failed(checkCUDAOptions(options, context)))
    return failure();
  if (options.optLevel > 3)
    return error(context, "-O" + Twine(options.optLevel) +
                              ": the levels are -O0 to -O3");

  std::string message;
  FailureOr<CPUTarget> target = resolveCPUTarget(
      options.mcpu, options.mattr, options.optLevel, message);
  if (failed(target))
    return error(context, message);

  TimingScope loadTiming = timing.nest("Load");
  OwningOpRef<ModuleOp> module = load(options, context);
  loadTiming.stop();
  if (!module)
    return failure();

  Phase from = phaseOf(*module);
  Phase to = lastPhaseOf(options.emit);
  if (from > to)
    return error(context, "'" + options.input + "' is already in phase '" +
                              phaseName(from) + "', past --emit=" +
                              phaseName(to));

  if ((!options.quantConfig.empty() || !options.pruneConfig.empty() ||
       options.precision != "f32") &&
      from != Phase::Graph)
    return error(context, "--quant-config, --prune-config and --precision "
                          "transform the "
                          "graph phase, but '" +
                              options.input + "' is already in phase '" +
                              phaseName(from) + "'");

  if (from < to) {
    PassManager pm(&context);
    TimingScope pipelineTiming = timing.nest("Pipeline");
    pm.enableTiming(pipelineTiming);
    if (options.target == TargetKind::CUDA)
      addCUDAPipeline(pm, options, from, to);
    else
      addCPUPipeline(pm, options, from, to, *target);
    if (options.printPipeline) {
      llvm::errs() << "mase-compile: pipeline: ";
      pm.printAsTextualPipeline(llvm::errs());
      llvm::errs() << "\n";
    }
    if (options.configurePassManager &&
        failed(options.configurePassManager(pm)))
      return failure();
    if (failed(pm.run(*module)))
      return failure();
  }

  if (options.emit == EmitKind::Ptx)
    return writePtx(options, *module, context);
  if (options.emit <= EmitKind::LLVMDialect)
    return writeIR(options, *module, context);
  return emitTarget(options, *module, *target, context, timing);
}

} // namespace mlir::mase
