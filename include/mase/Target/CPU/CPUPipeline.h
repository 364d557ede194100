//===- CPUPipeline.h - the registered mase-cpu-pipeline ---------*- C++ -*-===//
//
// `mase-cpu-pipeline` lowers a module from graph level (mase ops on tensors)
// to the LLVM dialect for the host CPU. `mase-compile` runs exactly this
// pipeline, phase by phase, so every `--emit=` dump can be taken up again by
// `mase-opt --pass-pipeline='builtin.module(mase-cpu-pipeline{from=...})'`.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CPU_CPUPIPELINE_H
#define MASE_TARGET_CPU_CPUPIPELINE_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class OpPassManager;

namespace mase {

/// The phases of a compilation that the IR can be in, in order.
enum class Phase {
  Graph,      ///< mase graph ops on tensors (the importer's output)
  Linalg,     ///< linalg and tensor ops, model signature recorded
  LLVMDialect ///< the LLVM dialect, with the compiled-model entry point
};

/// The options every target's pipeline has: the phases to run, and the
/// graph-phase passes (pruning, quantisation, attention fusion).
template <typename Derived>
struct TargetPipelineOptions : public PassPipelineOptions<Derived> {
  template <typename T>
  using Option = ::mlir::detail::PassOptions::Option<T>;

  Option<Phase> from{
      *this, "from", llvm::cl::desc("Phase the input IR is in"),
      llvm::cl::init(Phase::Graph),
      llvm::cl::values(clEnumValN(Phase::Graph, "graph", "mase graph ops"),
                       clEnumValN(Phase::Linalg, "linalg", "linalg on tensors"))};
  Option<Phase> to{
      *this, "to", llvm::cl::desc("Phase to stop after"),
      llvm::cl::init(Phase::LLVMDialect),
      llvm::cl::values(
          clEnumValN(Phase::Linalg, "linalg", "linalg on tensors"),
          clEnumValN(Phase::LLVMDialect, "llvm-dialect", "the LLVM dialect"))};
  Option<std::string> pruneConfig{
      *this, "prune-config",
      llvm::cl::desc("A MASE prune config (TOML or JSON) that `mase-prune` "
                     "applies to the graph, before any quantisation")};
  Option<std::string> pruneReport{
      *this, "prune-report",
      llvm::cl::desc("Where `mase-prune` writes its per-layer report "
                     "(`-`: stdout)")};
  Option<double> sparseThreshold{
      *this, "sparse-threshold",
      llvm::cl::desc("With a prune config: the fraction of zeros from which "
                     "`mase-sparse-weights` stores a linear weight in "
                     "compressed rows (above 1: never)"),
      llvm::cl::init(0.5)};
  Option<std::string> precision{
      *this, "precision",
      llvm::cl::desc("The float type the model computes in: f32, or f16 / "
                     "bf16 (`mase-convert-float`; the model's inputs and "
                     "outputs stay f32)"),
      llvm::cl::init("f32")};
  Option<bool> fuseSdpa{
      *this, "fuse-sdpa",
      llvm::cl::desc("Fuse scaled dot-product attention into mase.sdpa "
                     "(`mase-fuse-sdpa`)"),
      llvm::cl::init(true)};
  Option<std::string> fusionReport{
      *this, "fusion-report",
      llvm::cl::desc("Where `mase-fuse-sdpa` writes its per-site report "
                     "(`-`: stdout)")};
  Option<std::string> quantConfig{
      *this, "quant-config",
      llvm::cl::desc("A MASE quantize config (TOML or JSON) that "
                     "`mase-quantize` applies to the graph; none: fp32")};
  Option<std::string> quantMode{
      *this, "quant-mode",
      llvm::cl::desc("`mase-quantize`'s mode: emulate (float with MASE's "
                     "simulated quantisation) or native (integer codes and "
                     "kernels where they exist)"),
      llvm::cl::init("emulate")};
  Option<std::string> quantReport{
      *this, "quant-report",
      llvm::cl::desc("Where `mase-quantize` writes its per-layer report "
                     "(`-`: stdout)")};
};

struct CPUPipelineOptions : public TargetPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0 or 1: scalar loops on one thread; 2 or 3: tiled, "
                     "vectorized and parallel code"),
      llvm::cl::init(3)};
  PassOptions::Option<unsigned> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes of a vector register (8 for AVX2, 16 for "
                     "AVX-512); mase-compile sets it from the target"),
      llvm::cl::init(8)};
};

/// The graph phase's settings, as plain values.
struct GraphPhaseOptions {
  std::string pruneConfig, pruneReport, quantConfig, quantMode, quantReport,
      fusionReport, precision;
  double sparseThreshold;
  bool fuseSdpa;
  /// Set by the target: the element types its attention kernel takes
  /// (`mase-fuse-sdpa`'s element-types), the pass that lowers `mase.sdpa`
  /// to that kernel before `mase-lower-to-linalg` (none: the CPU kernel's
  /// call, by `mase-lower-to-linalg`), the passes that replace other graph
  /// ops by the target's prebuilt kernels there, and the dialect of what
  /// they make.
  std::string sdpaElementTypes = "f32", sdpaLowering, kernelLowering,
              kernelDialect;
  /// Whether native quantisation may compute on integer activation codes
  /// (`mase-quantize`'s integer-activations): the target has int8 kernels.
  bool quantIntegerActivations = true;

  template <typename Derived>
  static GraphPhaseOptions of(const TargetPipelineOptions<Derived> &options) {
    return {options.pruneConfig,
            options.pruneReport,
            options.quantConfig,
            options.quantMode,
            options.quantReport,
            options.fusionReport,
            options.precision,
            options.sparseThreshold,
            options.fuseSdpa,
            "f32",
            "",
            "",
            "",
            true};
  }
};

/// The pipeline text of the graph -> linalg phase, for any target.
std::string graphToLinalgPipeline(const GraphPhaseOptions &options);

/// Adds the passes that take a module from phase `from` to `to`: the graph
/// phase's, then `lowering` (the target's linalg -> LLVM-dialect pipeline
/// text); `pipelineName` names the pipeline if its text does not parse.
void buildPhases(OpPassManager &pm, llvm::StringRef pipelineName, Phase from,
                 Phase to, const GraphPhaseOptions &graph,
                 llvm::StringRef lowering);

/// Adds the passes that take a module from `options.from` to `options.to`;
/// each phase ends with `mase-verify-contract`.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `mase-cpu-pipeline`.
void registerCPUPipeline();

/// The spelling of a phase used by `from`/`to` and `mase-compile --emit`.
const char *phaseName(Phase phase);

} // namespace mase
} // namespace mlir

#endif // MASE_TARGET_CPU_CPUPIPELINE_H
