//===- BlockMantissas.cpp - block formats as int8 mantissas ---------------===//

#include "BlockMantissas.h"

#include "mase-c/ModelSupport.h"
#include "mase/Numerics/Blocking.h"
#include "mase/Numerics/Mxint8.h"

#include <cmath>

namespace mlir::mase {

namespace numerics = ::mase::numerics;

int64_t rowBlockSize(const numerics::Format &format, ArrayRef<int64_t> shape,
                     std::string &why) {
  int64_t row = shape.back();
  if (const auto *f = std::get_if<numerics::Mxint8Format>(&format)) {
    if (row % f->groupSize != 0) {
      why = "rows of " + std::to_string(row) + " are not whole groups of " +
            std::to_string(f->groupSize);
      return 0;
    }
    return f->groupSize;
  }
  const auto *f = std::get_if<numerics::BlockFpFormat>(&format);
  if (!f) {
    why = "only MXINT8 and block FP have a native block kernel";
    return 0;
  }
  if (f->width > 8) {
    why = "block FP mantissas of " + std::to_string(f->width) +
          " bits do not fit int8";
    return 0;
  }
  numerics::BlockPartition partition;
  numerics::Shape s(shape.begin(), shape.end());
  if (!numerics::partitionIntoBlocks(s, f->blockSize, f->skipFirstDim,
                                     partition)
           .empty() ||
      partition.paddedShape != s) {
    why = "the blocks need padding";
    return 0;
  }
  for (size_t d = 0; d + 1 < s.size(); ++d)
    if (partition.blockShape[d] != 1) {
      why = "the blocks span rows";
      return 0;
    }
  return partition.blockShape.back();
}

std::string encodeBlockWeight(const numerics::Format &format,
                              ArrayRef<float> w, int64_t out, int64_t in,
                              int64_t block, std::vector<int8_t> &mantissas,
                              std::vector<int8_t> &exponents) {
  numerics::Shape shape = {out, in};
  mantissas.assign(out * in, 0);
  exponents.assign(out * in / block, 0);
  if (const auto *f = std::get_if<numerics::Mxint8Format>(&format))
    return numerics::encode(*f, w.data(), shape, mantissas.data(),
                            reinterpret_cast<uint8_t *>(exponents.data()));

  std::vector<float> quantized(w.size());
  if (std::string error =
          numerics::quantize(format, w.data(), quantized.data(), shape);
      !error.empty())
    return error;
  for (int64_t b = 0; b < out * in / block; ++b) {
    const float *values = quantized.data() + b * block;
    int8_t *m = mantissas.data() + b * block;
    int32_t s = 0;
    if (mase_qgemm_block_mantissas(values, block, m, &s) != 0)
      return "a weight block holds inf or NaN";
    if (s + 133 < 0 || s + 133 > 254)
      return "a weight block's scale 2^" + std::to_string(s) +
             " is outside the exponent byte's range";
    exponents[b] = static_cast<int8_t>(static_cast<uint8_t>(s + 133));
    // MASE's block FP passes |x| <= 1e-8 through unquantised: such a
    // value becomes its block's nearest mantissa (docs/design.md).
    for (int64_t q = 0; q < block; ++q)
      if (std::ldexp(static_cast<float>(m[q]), s) != values[q] &&
          std::fabs(values[q]) > 1e-8f)
        return "a quantised weight is not an int8 mantissa of its block";
  }
  return "";
}

} // namespace mlir::mase
