//===- CPUTarget.h - host code generation and linking -----------*- C++ -*-===//
//
// The target half of the CPU backend: the LLVM dialect module becomes LLVM
// IR, is optimised and compiled to an object file by the in-process LLVM
// TargetMachine, and the object is linked into a shared library by lld.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CPU_CPUTARGET_H
#define MASE_TARGET_CPU_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <string>

namespace llvm {
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir::mase {

/// A resolved CPU target: triple, CPU name and feature string.
struct CPUTarget {
  std::string triple;
  std::string cpu;
  std::string features;
  /// f32 lanes of the widest vector register the features allow.
  unsigned vectorWidth = 4;
  unsigned optLevel = 3;
  std::unique_ptr<llvm::TargetMachine> machine;

  /// Another machine for the same target, for a code generation thread.
  std::unique_ptr<llvm::TargetMachine> createMachine() const;

  CPUTarget();
  CPUTarget(CPUTarget &&);
  ~CPUTarget();
};

/// Resolves `mcpu` ("host" = this machine's CPU and features) plus extra
/// `mattr` features ("+avx512f,-avx512bw"); fails with `error` for an
/// unknown CPU or feature.
llvm::FailureOr<CPUTarget> resolveCPUTarget(llvm::StringRef mcpu,
                                            llvm::StringRef mattr,
                                            unsigned optLevel,
                                            std::string &error);

/// Translates an LLVM-dialect module to LLVM IR for `target`.
std::unique_ptr<llvm::Module> translate(ModuleOp module,
                                        llvm::LLVMContext &context,
                                        const CPUTarget &target,
                                        std::string &error);

/// Runs the LLVM optimisation pipeline of `target.optLevel` with `machine`.
llvm::LogicalResult optimize(llvm::Module &module, const CPUTarget &target,
                             llvm::TargetMachine &machine, std::string &error);

/// Optimises and compiles `module` on up to `jobs` threads: it is split into
/// as many partitions (each keeping whole functions; internal symbols become
/// hidden), and each is optimised and compiled with its own LLVM context and
/// target machine to a temporary object file, whose paths are appended to
/// `objects`. `module` is consumed.
llvm::LogicalResult
optimizeAndEmitObjects(std::unique_ptr<llvm::Module> module,
                       const CPUTarget &target, unsigned jobs,
                       llvm::SmallVectorImpl<std::string> &objects,
                       std::string &error);

/// Emits `module` as an ELF object file with `machine`.
llvm::LogicalResult emitObject(llvm::Module &module,
                               llvm::TargetMachine &machine,
                               llvm::raw_pwrite_stream &os,
                               std::string &error);

/// Links `objects` into the shared library `output` with ld.lld, against
/// libomp (with a run path to it), libm, libc and the model support archive
/// (the buffer cache behind the memref allocation functions, the CPU
/// kernels), and with `gpuRuntime` the GPU runtime archive (lib/CUDASupport).
llvm::LogicalResult linkSharedLibrary(llvm::ArrayRef<std::string> objects,
                                      llvm::StringRef output, bool gpuRuntime,
                                      std::string &error);

} // namespace mlir::mase

#endif // MASE_TARGET_CPU_CPUTARGET_H
