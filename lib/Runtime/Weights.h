//===- Weights.h - side-file weights of a loaded model ----------*- C++ -*-===//
//
// A model compiled with external weights (include/mase-c/ModelABI.h) reads
// them from `<library>.weights`: the runtime maps the file read-only,
// checks it against the library and binds the library to it. A library
// loaded several times shares one mapping, dropped with its last model.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_RUNTIME_WEIGHTS_H
#define MASE_LIB_RUNTIME_WEIGHTS_H

#include <string>

namespace mase::runtime {

/// Binds the library `handle`, loaded from `libraryPath`, to its weights
/// file when it has one (else does nothing). Returns false with `error` when
/// the file is missing, truncated, not a weights file, or written by another
/// compilation. Each successful call that bound is paired with one
/// releaseWeights; `bound` tells whether there is one.
bool acquireWeights(void *handle, const std::string &libraryPath, bool &bound,
                    std::string &error);

/// Drops one reference to the weights of `handle`; the last one unmaps them.
void releaseWeights(void *handle);

} // namespace mase::runtime

#endif // MASE_LIB_RUNTIME_WEIGHTS_H
