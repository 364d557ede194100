//===- BlockMantissas.h - block formats as int8 mantissas -------*- C++ -*-===//
//
// Native quantisation runs a linear layer whose data_in and weight are both
// MXINT8 or block FP (of at most 8 bits) as mase.block_linear: int8
// mantissas with a power-of-two scale per block of consecutive elements of
// a row. These helpers decide whether a format blocks a tensor that way and
// encode a constant weight. Private to lib/Dialect/Mase/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_DIALECT_MASE_TRANSFORMS_BLOCKMANTISSAS_H
#define MASE_LIB_DIALECT_MASE_TRANSFORMS_BLOCKMANTISSAS_H

#include "mase/Numerics/FormatSpec.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::mase {

/// The number of consecutive elements of a row (last dimension) that share
/// a scale when `format` quantises a tensor of `shape`, or 0 with `why` set
/// when its blocks are not such runs, the row is not a whole number of
/// blocks, or the mantissas need more than 8 bits.
int64_t rowBlockSize(const ::mase::numerics::Format &format,
                     ArrayRef<int64_t> shape, std::string &why);

/// The weight `w` ([out, in], float32) in `format` as mase.block_linear's
/// operands: int8 mantissas ([out, in]) and exponent bytes ([out, in /
/// block], scale 2^(e - 133)). MXINT8 keeps its own E8M0 scales; block FP
/// values are re-expressed exactly as the kernel expresses its input, except
/// those of magnitude <= 1e-8, which MASE leaves unquantised: they round to
/// the block's grid.
/// Returns "" or why the weight cannot be encoded so.
std::string encodeBlockWeight(const ::mase::numerics::Format &format,
                              ArrayRef<float> w, int64_t out, int64_t in,
                              int64_t block, std::vector<int8_t> &mantissas,
                              std::vector<int8_t> &exponents);

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_TRANSFORMS_BLOCKMANTISSAS_H
