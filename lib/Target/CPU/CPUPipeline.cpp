//===- CPUPipeline.cpp - the registered mase-cpu-pipeline -----------------===//
//
// The pipeline is spelled as upstream pass-pipeline text, phase by phase, so
// that the documentation, `mase-opt` and `mase-compile` share one source.
//
//===----------------------------------------------------------------------===//

#include "mase/Target/CPU/CPUPipeline.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// A pass option value, quoted so that any path survives the text.
std::string quoted(StringRef value) { return "\"" + value.str() + "\""; }

} // namespace

/// Graph -> linalg on tensors: pruning then quantisation when configs are
/// given (MASE's labs' order; weights fold right away), the storage of
/// pruned weights, the float type, attention fusion, then the lowering. The signature is
/// recorded while @main still carries the importer's names.
std::string mase::graphToLinalgPipeline(const GraphPhaseOptions &options) {
  std::string text = "mase-verify-contract{phase=graph "
                     "allowed-dialects=func,mase,arith,tensor},";
  auto addGraphPass = [&](StringRef pass, StringRef config, StringRef report,
                          StringRef extra) {
    if (config.empty())
      return;
    text += (pass + "{config=" + quoted(config) + extra).str();
    if (!report.empty())
      text += " report=" + quoted(report);
    text += "},canonicalize,";
  };
  addGraphPass("mase-prune", options.pruneConfig, options.pruneReport, "");
  addGraphPass("mase-quantize", options.quantConfig, options.quantReport,
               " mode=" + options.quantMode + " integer-activations=" +
                   (options.quantIntegerActivations ? "1" : "0"));
  // Pruned weights, folded (and quantised), choose their storage; the
  // report continues the pruning report.
  if (!options.pruneConfig.empty()) {
    text += "mase-sparse-weights{threshold=" +
            std::to_string(options.sparseThreshold);
    if (!options.pruneReport.empty())
      text += " report=" + quoted(options.pruneReport) + " append-report=1";
    text += "},";
  }
  if (options.precision != "f32")
    text += "mase-convert-float{to=" + options.precision + "},";
  std::string linalgDialects = "func,linalg,tensor,arith,math,memref,"
                               "bufferization";
  if (options.fuseSdpa) {
    text += "mase-fuse-sdpa{element-types=" + options.sdpaElementTypes;
    if (!options.fusionReport.empty())
      text += " report=" + quoted(options.fusionReport);
    text += "},";
    if (!options.sdpaLowering.empty())
      text += options.sdpaLowering + ",";
  }
  if (!options.kernelLowering.empty())
    text += options.kernelLowering + ",";
  if (!options.kernelDialect.empty())
    linalgDialects += "," + options.kernelDialect;
  return text +
         "mase-record-model-signature,"
         "func.func(mase-lower-to-linalg,canonicalize,"
         "mase-fuse-elementwise,canonicalize,cse),"
         "mase-verify-contract{phase=linalg allowed-dialects=" +
         linalgDialects + "}";
}

namespace {

/// Linalg on tensors -> the LLVM dialect with the compiled-model entry point.
std::string linalgToLLVM(const mase::CPUPipelineOptions &options) {
  bool optimize = options.optLevel >= 2;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (optimize)
    os << "func.func(mase-cpu-tile-and-vectorize{vector-width="
       << options.vectorWidth.getValue()
       << "},canonicalize,cse,loop-invariant-subset-hoisting,canonicalize),";
  os << "mase-bufferize,canonicalize,cse,canonicalize,"
        "func.func(mase-lower-memref-copy),buffer-deallocation-pipeline,"
        "canonicalize,func.func(mase-early-dealloc),";
  // Transfers are unrolled to 1-D ones without stack temporaries, so the
  // `memref.alloca_scope` that OpenMP lowering puts in each parallel body
  // stays empty and canonicalization removes it.
  if (optimize)
    os << "func.func(mase-cpu-lower-vectors,canonicalize),"
          "convert-vector-to-scf{full-unroll=1},"
          "func.func(scf-forall-to-parallel),convert-scf-to-openmp,"
          "canonicalize,";
  os << "func.func(convert-linalg-to-loops),"
        "lower-affine,convert-scf-to-cf,expand-strided-metadata,lower-affine,"
        "convert-math-to-llvm,convert-math-to-libm,"
        "convert-vector-to-llvm{vector-contract-lowering=outerproduct "
        "vector-transpose-lowering=shuffle1d},"
        "finalize-memref-to-llvm{use-generic-functions=1},"
        "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
        "convert-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts,"
        "mase-emit-model-entry,canonicalize,"
        "mase-verify-contract{phase=llvm-dialect allowed-dialects=llvm,omp}";
  return text;
}

} // namespace

const char *mase::phaseName(Phase phase) {
  switch (phase) {
  case Phase::Graph:
    return "graph";
  case Phase::Linalg:
    return "linalg";
  case Phase::LLVMDialect:
    return "llvm-dialect";
  }
  llvm_unreachable("unknown phase");
}

void mase::buildPhases(OpPassManager &pm, StringRef pipelineName, Phase from,
                       Phase to, const GraphPhaseOptions &graph,
                       StringRef lowering) {
  std::string text;
  if (from == Phase::Graph)
    text = graphToLinalgPipeline(graph);
  if (from <= Phase::Linalg && to == Phase::LLVMDialect)
    text += (text.empty() ? "" : ",") + lowering.str();
  if (text.empty())
    return;
  // The text is fixed by the target's pipeline file; failing to parse it is
  // a bug there.
  if (failed(parsePassPipeline(text, pm)))
    llvm::report_fatal_error(pipelineName + ": invalid pipeline text");
}

void mase::buildCPUPipeline(OpPassManager &pm,
                            const CPUPipelineOptions &options) {
  buildPhases(pm, "mase-cpu-pipeline", options.from, options.to,
              GraphPhaseOptions::of(options), linalgToLLVM(options));
}

void mase::registerCPUPipeline() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "mase-cpu-pipeline",
      "Lower a module from mase graph ops (or linalg) to the LLVM dialect for "
      "the host CPU, as mase-compile does",
      buildCPUPipeline);
}
