//===- CUDAPipeline.h - the registered mase-cuda-pipeline -------*- C++ -*-===//
//
// `mase-cuda-pipeline` lowers a module from graph level to the LLVM dialect
// for an NVIDIA GPU: kernels in a `gpu.binary` (cubin and PTX, or PTX alone)
// and host code that launches them through the model's GPU runtime
// (lib/CUDASupport). `mase-compile --target=cuda` runs exactly this pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CUDA_CUDAPIPELINE_H
#define MASE_TARGET_CUDA_CUDAPIPELINE_H

#include "mase/Target/CPU/CPUPipeline.h"

namespace mlir {
class OpPassManager;

namespace mase {

struct CUDAPipelineOptions
    : public TargetPipelineOptions<CUDAPipelineOptions> {
  Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("The GPU architecture kernels are compiled for"),
      llvm::cl::init("sm_90")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX ISA version and other NVPTX features (8.1: kernels "
                     "may take more than 4 KiB of parameters, as BERT-base's "
                     "fused element-wise kernels do)"),
      llvm::cl::init("+ptx81")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What the gpu.binary holds: fatbin (cubin for `chip` "
                     "plus PTX for later chips; needs ptxas and fatbinary), "
                     "bin (cubin) or isa (PTX, needs no CUDA toolkit)"),
      llvm::cl::init("fatbin")};
  Option<std::string> toolkit{
      *this, "cuda-path",
      llvm::cl::desc("The CUDA toolkit whose ptxas, fatbinary and libdevice "
                     "the kernels are built with"),
      llvm::cl::init("/usr/local/cuda")};
  Option<int64_t> matmulTile{
      *this, "matmul-tile",
      llvm::cl::desc("Rows and columns of the matmul output tile each thread "
                     "keeps in registers (1: one output a thread)"),
      llvm::cl::init(4)};
  Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("Run f16 matmuls on tensor cores "
                     "(mase-cuda-tensor-core-matmul)"),
      llvm::cl::init(true)};
  Option<int64_t> gemmMinBlocks{
      *this, "gemm-min-blocks",
      llvm::cl::desc("The fewest 128x128 output tiles a 16-bit matmul needs "
                     "to launch the prebuilt GEMM kernel (mase-cuda-gemm; "
                     "0: never)"),
      llvm::cl::init(64)};
  Option<int64_t> mmaFragments{
      *this, "mma-fragments",
      llvm::cl::desc("Rows and columns of 16x16 tensor-core output "
                     "fragments each warp computes (at most)"),
      llvm::cl::init(4)};
  Option<int64_t> blockSize{
      *this, "block-size", llvm::cl::desc("Threads in a block"),
      llvm::cl::init(256)};
};

/// Adds the passes that take a module from `options.from` to `options.to`.
void buildCUDAPipeline(OpPassManager &pm, const CUDAPipelineOptions &options);

/// Registers `mase-cuda-pipeline`.
void registerCUDAPipeline();

} // namespace mase
} // namespace mlir

#endif // MASE_TARGET_CUDA_CUDAPIPELINE_H
