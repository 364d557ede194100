//===- mase-compile.cpp - ONNX or MLIR to a native model library ----------===//
//
// mase-compile MODEL.onnx|MODEL.mlir -o OUT.so [--target=cpu|cuda]
//              [--shape NAME=DIMS ...] [--emit=PHASE] [-O0..-O3]
//              [--mcpu=CPU] [--mattr=+F,-G] [--chip=sm_NN] [--cuda-path=DIR]
//
//===----------------------------------------------------------------------===//

#include "mase/Compiler/Compiler.h"
#include "mase/InitAll.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

using namespace llvm;
using mlir::mase::EmitKind;

namespace {

enum OptLevel : unsigned { O0, O1, O2, O3 };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx|.mlir>"));
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("filename"), cl::init("-"));
cl::opt<mlir::mase::TargetKind> target(
    "target", cl::desc("Target to compile for"),
    cl::init(mlir::mase::TargetKind::CPU),
    cl::values(clEnumValN(mlir::mase::TargetKind::CPU, "cpu",
                          "the host CPU (default)"),
               clEnumValN(mlir::mase::TargetKind::CUDA, "cuda",
                          "an NVIDIA GPU: kernels in the library, launched "
                          "through the CUDA driver, loaded at run time")));
cl::opt<std::string> chip("chip",
                          cl::desc("--target=cuda: the GPU architecture "
                                   "(default sm_90, Hopper)"),
                          cl::init("sm_90"));
cl::opt<int64_t> cudaGemmMinBlocks(
    "cuda-gemm-min-blocks",
    cl::desc("--target=cuda: launch the prebuilt tensor-core GEMM for 16-bit "
             "matmuls with at least this many 128x128 output tiles (default "
             "64, half an H100's SMs; 0: never)"),
    cl::init(64));
cl::opt<std::string> cudaPath(
    "cuda-path",
    cl::desc("--target=cuda: the CUDA toolkit with ptxas, fatbinary and "
             "libdevice (default /usr/local/cuda)"),
    cl::init("/usr/local/cuda"));
cl::opt<EmitKind> emit(
    "emit", cl::desc("Stop after this phase and write its output"),
    cl::init(EmitKind::Library),
    cl::values(
        clEnumValN(EmitKind::Graph, "graph", "mase graph IR (imported model)"),
        clEnumValN(EmitKind::Linalg, "linalg", "linalg on tensors"),
        clEnumValN(EmitKind::LLVMDialect, "llvm-dialect",
                   "the MLIR LLVM dialect"),
        clEnumValN(EmitKind::Ptx, "ptx",
                   "the GPU kernels' PTX (--target=cuda)"),
        clEnumValN(EmitKind::LLVMIR, "llvm-ir", "optimised LLVM IR"),
        clEnumValN(EmitKind::Object, "obj", "an ELF object file"),
        clEnumValN(EmitKind::Library, "lib",
                   "a shared library with the model ABI (default)")));
cl::opt<OptLevel> optLevel(
    cl::desc("Optimisation level (default -O3)"), cl::init(O3),
    cl::values(clEnumValN(O0, "O0", "scalar loops, no LLVM optimisation"),
               clEnumValN(O1, "O1", "scalar loops, LLVM -O1"),
               clEnumValN(O2, "O2", "tiled, vectorized, parallel; LLVM -O2"),
               clEnumValN(O3, "O3", "as -O2 with LLVM -O3")));
cl::opt<std::string> mcpu("mcpu",
                          cl::desc("Target CPU, an LLVM CPU name (default: "
                                   "the host's)"),
                          cl::init("host"));
cl::opt<std::string> mattr("mattr",
                           cl::desc("Target features to add or remove, e.g. "
                                    "+avx512f,-avx512vnni"),
                           cl::init(""));
cl::list<std::string>
    shapes("shape",
           cl::desc("Static shape of an ONNX graph input, NAME=DIMS (e.g. "
                    "input_ids=1x128); repeatable"),
           cl::value_desc("NAME=DIMS"));
cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("Make an ONNX graph input a constant read from a serialized "
             "TensorProto, NAME=FILE.pb (for inputs that feed shapes); "
             "repeatable"),
    cl::value_desc("NAME=FILE.pb"));
cl::opt<mlir::mase::WeightsPlacement> weights(
    "weights", cl::desc("Where the weights go (LLVM IR, object, library)"),
    cl::values(clEnumValN(mlir::mase::WeightsPlacement::Auto, "auto",
                          "In OUT.weights when they total 64 MiB or more, "
                          "else in the library (default)"),
               clEnumValN(mlir::mase::WeightsPlacement::Embed, "embed",
                          "Constants inside the library"),
               clEnumValN(mlir::mase::WeightsPlacement::External, "external",
                          "In the side file OUT.weights, which the runtime "
                          "maps")),
    cl::init(mlir::mase::WeightsPlacement::Auto));
cl::opt<unsigned> jobs(
    "j",
    cl::desc("Threads that optimise and compile the library's code "
             "(default: every core)"),
    cl::value_desc("N"), cl::init(0), cl::Prefix);
cl::opt<std::string> pruneConfig(
    "prune-config",
    cl::desc("Prune with a MASE prune config (TOML or JSON), before any "
             "quantisation"),
    cl::value_desc("FILE"), cl::init(""));
cl::opt<std::string> pruneReport(
    "prune-report",
    cl::desc("Write the per-layer pruning report to FILE (- : stdout)"),
    cl::value_desc("FILE"), cl::init(""));
cl::opt<double> sparseThreshold(
    "sparse-threshold",
    cl::desc("With --prune-config: store a linear weight in compressed sparse "
             "rows, run by a kernel that skips the zeros, from this fraction "
             "of zeros (default 0.5, measured; above 1: never)"),
    cl::value_desc("F"), cl::init(0.5));
cl::opt<bool> noFuseSdpa(
    "no-fuse-sdpa",
    cl::desc("Do not fuse scaled dot-product attention (on by default)"));
cl::opt<std::string> fusionReport(
    "fusion-report",
    cl::desc("Write every attention site, fused or not and why, to FILE "
             "(- : stdout)"),
    cl::value_desc("FILE"), cl::init(""));
cl::opt<std::string> quantConfig(
    "quant-config",
    cl::desc("Quantise with a MASE quantize config (TOML or JSON)"),
    cl::value_desc("FILE"), cl::init(""));
cl::opt<std::string> quantMode(
    "quant-mode",
    cl::desc("emulate (default): float compute with MASE's simulated "
             "quantisation; native: integer codes and GEMMs where a kernel "
             "exists"),
    cl::value_desc("emulate|native"), cl::init("emulate"));
cl::opt<std::string> quantReport(
    "quant-report",
    cl::desc("Write the per-layer quantisation report to FILE (- : stdout)"),
    cl::value_desc("FILE"), cl::init(""));
cl::opt<std::string> precision(
    "precision",
    cl::desc("The float type the model computes in: f32 (default), f16 or "
             "bf16; inputs and outputs stay f32"),
    cl::value_desc("f32|f16|bf16"), cl::init("f32"));
cl::opt<bool> emitBytecode("emit-bytecode",
                           cl::desc("Write MLIR phases as bytecode"));
cl::opt<bool> printPipeline(
    "print-pipeline",
    cl::desc("Print the pass pipeline that runs, as mase-opt text"));

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // The pipeline is built from registered pass names.
  mlir::mase::registerAllPasses();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "mase compiler\n");

  if (inputFile.empty()) {
    errs() << "mase-compile: no input given (see --help)\n";
    return 1;
  }
  mlir::mase::CompileOptions options;
  options.input = inputFile;
  options.output = outputFile;
  options.emit = emit;
  options.target = target;
  options.chip = chip;
  options.cudaGemmMinBlocks = cudaGemmMinBlocks;
  options.cudaPath = cudaPath;
  options.optLevel = optLevel;
  options.mcpu = mcpu;
  options.mattr = mattr;
  options.emitBytecode = emitBytecode;
  options.weights = weights;
  options.pruneConfig = pruneConfig;
  options.pruneReport = pruneReport;
  options.sparseThreshold = sparseThreshold;
  options.fuseSdpa = !noFuseSdpa;
  options.fusionReport = fusionReport;
  options.quantConfig = quantConfig;
  options.jobs = jobs;
  options.quantReport = quantReport;
  options.quantMode = quantMode;
  options.precision = precision;
  options.printPipeline = printPipeline;
  for (const std::string &shape : shapes)
    if (std::string error =
            mase::onnx_import::parseShapeOption(shape, options.import);
        !error.empty()) {
      errs() << "mase-compile: " << error << "\n";
      return 1;
    }
  for (const std::string &frozen : frozenInputs)
    if (std::string error =
            mase::onnx_import::parseFreezeOption(frozen, options.import);
        !error.empty()) {
      errs() << "mase-compile: " << error << "\n";
      return 1;
    }
  options.configurePassManager = [](mlir::PassManager &pm) {
    return mlir::applyPassManagerCLOptions(pm);
  };

  mlir::DialectRegistry registry;
  mlir::mase::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  mlir::DefaultTimingManager timingManager;
  mlir::applyDefaultTimingManagerCLOptions(timingManager);
  mlir::TimingScope timing = timingManager.getRootScope();
  return mlir::succeeded(mlir::mase::compile(options, context, timing)) ? 0
                                                                        : 1;
}
