//===- InitAll.h - register everything a mase tool needs --------*- C++ -*-===//
//
// Every mase tool (mase-opt, mase-compile, ...) registers dialects, interfaces
// and passes through these two functions, so all tools accept the same IR and
// the same pipeline strings.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_INITALL_H
#define MASE_INITALL_H

namespace mlir {
class DialectRegistry;

namespace mase {

/// Adds the mase dialect, the upstream dialects mase pipelines use, and the
/// external interface models (bufferization, tiling, conversion to LLVM)
/// those pipelines rely on.
void registerAllDialects(DialectRegistry &registry);

/// Registers the mase passes and pipelines plus the upstream passes used to
/// build mase pipelines.
void registerAllPasses();

} // namespace mase
} // namespace mlir

#endif // MASE_INITALL_H
