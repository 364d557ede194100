//===- FormatStorage.h - storage size of a format ---------------*- C++ -*-===//
//
// Private to lib/Dialect/Mase/Transforms: the bits it takes to store a
// tensor in a numerics-library format, for the quantisation report.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_DIALECT_MASE_TRANSFORMS_FORMATSTORAGE_H
#define MASE_LIB_DIALECT_MASE_TRANSFORMS_FORMATSTORAGE_H

#include "mase/Numerics/FormatSpec.h"

#include "llvm/ADT/ArrayRef.h"

namespace mlir::mase {

using llvm::ArrayRef;

/// Storage bits of a tensor of `shape` in `format`: the element bits plus
/// the shared bits of every block (MASE's blocking, padding included).
int64_t storageBits(const ::mase::numerics::Format &format,
                    ArrayRef<int64_t> shape);

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_TRANSFORMS_FORMATSTORAGE_H
