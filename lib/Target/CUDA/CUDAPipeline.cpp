//===- CUDAPipeline.cpp - the registered mase-cuda-pipeline ---------------===//
//
// Spelled as pass-pipeline text, like the CPU pipeline. The GPU part follows
// upstream's `gpu-lower-to-nvvm-pipeline`, with the host keeping the
// bare-pointer calling convention that the model entry point needs.
//
//===----------------------------------------------------------------------===//

#include "mase/Target/CUDA/CUDAPipeline.h"

#include "PrebuiltKernels.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// Linalg on tensors -> host code in the LLVM dialect plus a gpu.binary.
std::string linalgToLLVM(const mase::CUDAPipelineOptions &options) {
  std::string text;
  llvm::raw_string_ostream os(text);
  // Matmuls in register tiles, one a thread (or, in f16, in tensor-core
  // fragments, one block a warp); buffers; row reductions one warp a row;
  // then loops: every parallel loop nest becomes a kernel.
  bool tensorCores = options.tensorCores;
  // Large 16-bit matmuls launch the prebuilt tensor-core GEMM.
  if (options.gemmMinBlocks > 0)
    os << "mase-cuda-gemm{chip=" << options.chip.getValue()
       << " min-blocks=" << options.gemmMinBlocks.getValue() << "},";
  os << "func.func(mase-cuda-tile-matmul{tile=" << options.matmulTile.getValue()
     << " tensor-cores=" << tensorCores
     << "},canonicalize,cse,loop-invariant-subset-hoisting,canonicalize),"
        "mase-bufferize,canonicalize,cse,canonicalize,"
        "func.func(mase-lower-memref-copy),buffer-deallocation-pipeline,"
        "canonicalize,func.func(mase-early-dealloc),"
        "func.func(scf-forall-to-parallel,"
        "mase-cpu-lower-vectors{approximate-math=0},canonicalize),"
        "convert-vector-to-scf{full-unroll=1},"
        "func.func(";
  if (tensorCores)
    os << "mase-cuda-tensor-core-matmul{fragments="
       << options.mmaFragments.getValue() << "},";
  os << "mase-cuda-warp-reductions,convert-linalg-to-parallel-loops,"
        "canonicalize,"
        "mase-cuda-map-loops{block-size="
     << options.blockSize.getValue()
     << "},gpu-map-parallel-loops,convert-parallel-loops-to-gpu,"
        "canonicalize),"
        "gpu-launch-sink-index-computations,gpu-kernel-outlining,"
        "mase-cuda-align-workgroup-memory,"
        "mase-cuda-device-memory,"
        "func.func(gpu-async-region),";
  // Device code to NVVM, host code to the LLVM dialect.
  os << "convert-scf-to-cf,"
        "nvvm-attach-target{chip="
     << options.chip.getValue() << " features=" << options.features.getValue()
     << " O=3},"
        "expand-strided-metadata,lower-affine,"
        "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
        "convert-arith-to-llvm,convert-index-to-llvm,canonicalize,cse,"
        "gpu.module("
        "convert-gpu-to-nvvm{use-bare-ptr-memref-call-conv=1},"
        "convert-vector-to-llvm),canonicalize,cse,"
        "reconcile-unrealized-casts,"
        "gpu-to-llvm{use-bare-pointers-for-host=1},"
        "convert-math-to-llvm,convert-to-llvm,reconcile-unrealized-casts,"
        "gpu-module-to-binary{format="
     << options.format.getValue() << " toolkit=\""
     << options.toolkit.getValue()
     << "\"},"
        "mase-cuda-device-constants,mase-emit-model-entry,canonicalize,"
        "mase-verify-contract{phase=llvm-dialect allowed-dialects=llvm,gpu}";
  return text;
}

} // namespace

void mase::buildCUDAPipeline(OpPassManager &pm,
                             const CUDAPipelineOptions &options) {
  // Attention fuses and becomes a launch of the GPU kernel, as
  // 16-bit layer norms do; GELU's erf chain becomes one op (which the GEMM
  // applies as it stores); native quantisation keeps weights in codes and
  // activations in float.
  GraphPhaseOptions graph = GraphPhaseOptions::of(options);
  graph.quantIntegerActivations = false;
  // The kernels are built for sm_80 and later; older chips keep f32
  // attention generated (16-bit attention on them is an error).
  graph.sdpaElementTypes =
      smVersion(options.chip).value_or(0) >= 80 ? "f32,f16,bf16" : "f16,bf16";
  graph.sdpaLowering = "mase-cuda-attention{chip=" + options.chip + "}";
  graph.kernelLowering =
      "mase-fuse-gelu{element-types=f16,bf16},mase-cuda-layer-norm{chip=" +
      options.chip + "}";
  graph.kernelDialect = "gpu";
  buildPhases(pm, "mase-cuda-pipeline", options.from, options.to, graph,
              linalgToLLVM(options));
}

void mase::registerCUDAPipeline() {
  PassPipelineRegistration<CUDAPipelineOptions>(
      "mase-cuda-pipeline",
      "Lower a module from mase graph ops (or linalg) to the LLVM dialect "
      "with NVIDIA GPU kernels, as mase-compile --target=cuda does",
      buildCUDAPipeline);
}
