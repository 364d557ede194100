//===- FormatStorage.cpp - storage size of a format -------------------------===//

#include "FormatStorage.h"

#include "mase/Numerics/Blocking.h"

namespace mlir::mase {

namespace numerics = ::mase::numerics;

int64_t storageBits(const numerics::Format &format, ArrayRef<int64_t> shape) {
  numerics::Shape s(shape.begin(), shape.end());
  const int64_t n = numerics::numElements(s);
  if (auto *f = std::get_if<numerics::IntegerFormat>(&format))
    return n * f->width;
  if (auto *f = std::get_if<numerics::MinifloatDenormFormat>(&format))
    return n * f->width;
  if (auto *f = std::get_if<numerics::MinifloatIeeeFormat>(&format))
    return n * f->width;
  if (auto *f = std::get_if<numerics::BlockFpFormat>(&format)) {
    numerics::BlockPartition partition;
    if (!numerics::partitionIntoBlocks(s, f->blockSize, f->skipFirstDim,
                                       partition)
             .empty())
      return n * 32;
    return n * f->width + partition.numBlocks * f->exponentWidth;
  }
  if (auto *f = std::get_if<numerics::Mxint8Format>(&format))
    return n * 8 + n / f->groupSize * 8;
  return n * 32;
}

} // namespace mlir::mase
