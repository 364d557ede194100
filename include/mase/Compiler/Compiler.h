//===- Compiler.h - the mase-compile driver ---------------------*- C++ -*-===//
//
// ONNX (or MLIR at any phase) -> graph -> linalg -> LLVM dialect -> LLVM IR ->
// object -> shared library, stopping after whichever phase `emit` names.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_COMPILER_COMPILER_H
#define MASE_COMPILER_COMPILER_H

#include "mase/Import/ONNX/Importer.h"
#include "mase/Target/CPU/ExternalWeights.h"

#include "mlir/Support/LLVM.h"
#include "mlir/Support/Timing.h"

#include <string>

namespace mlir {
class MLIRContext;
class PassManager;

namespace mase {

/// What `mase-compile --emit=` writes, in pipeline order. `Ptx` (the
/// kernels' PTX, --target=cuda only) comes from the LLVM-dialect phase.
enum class EmitKind { Graph, Linalg, LLVMDialect, Ptx, LLVMIR, Object, Library };

/// What the model runs on.
enum class TargetKind { CPU, CUDA };

struct CompileOptions {
  /// An `.onnx` model, or MLIR (text or bytecode) in any phase up to the
  /// LLVM dialect; the phase is recognised from the dialects it holds.
  std::string input;
  std::string output = "-";
  EmitKind emit = EmitKind::Library;
  TargetKind target = TargetKind::CPU;
  /// --target=cuda: the GPU architecture and the CUDA toolkit (ptxas,
  /// fatbinary, libdevice) the kernels are built with.
  std::string chip = "sm_90";
  std::string cudaPath = "/usr/local/cuda";
  /// --target=cuda: the fewest 128x128 output tiles a 16-bit matmul needs
  /// to launch the prebuilt GEMM kernel (0: never).
  int64_t cudaGemmMinBlocks = 64;
  unsigned optLevel = 3;
  std::string mcpu = "host";
  std::string mattr;
  /// Threads that optimise and compile a library's code (0: every core).
  unsigned jobs = 0;
  bool emitBytecode = false;
  /// Weights in the library or in `<output>.weights` (LLVM IR, object and
  /// library outputs).
  WeightsPlacement weights = WeightsPlacement::Auto;
  /// MASE prune and quantize configs applied to the graph phase (pruning
  /// first), and where their per-layer reports go ("-": stdout; empty:
  /// nowhere).
  std::string pruneConfig;
  std::string pruneReport;
  /// With a prune config: the fraction of zeros from which a linear weight
  /// is stored in compressed rows (above 1: never).
  double sparseThreshold = 0.5;
  std::string quantConfig;
  std::string quantReport;
  /// The float type the graph computes in: f32, f16 or bf16.
  std::string precision = "f32";
  /// Fuse attention (mase-fuse-sdpa) and where its report goes.
  bool fuseSdpa = true;
  std::string fusionReport;
  /// `mase-quantize`'s mode: "emulate" or "native".
  std::string quantMode = "emulate";
  /// Print the equivalent `mase-opt --pass-pipeline=` text to stderr.
  bool printPipeline = false;
  ::mase::onnx_import::ImportOptions import;
  /// Called on the pass manager before it runs (IR printing, ...).
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// Runs the compilation; errors are reported through the context's
/// diagnostic handler (naming the file, op or option) and give failure.
/// Import, every pass, LLVM translation, code generation and the link are
/// timed under `timing` (`--mlir-timing` in mase-compile).
LogicalResult compile(const CompileOptions &options, MLIRContext &context,
                      TimingScope &timing);

} // namespace mase
} // namespace mlir

#endif // MASE_COMPILER_COMPILER_H
