//===- Shape.h - tensor shapes for the numerics library ---------*- C++ -*-===//

#ifndef MASE_NUMERICS_SHAPE_H
#define MASE_NUMERICS_SHAPE_H

#include <cstdint>
#include <vector>

namespace mase::numerics {

/// Row-major tensor shape.
using Shape = std::vector<std::int64_t>;

inline std::int64_t numElements(const Shape &shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape)
    n *= d;
  return n;
}

} // namespace mase::numerics

#endif // MASE_NUMERICS_SHAPE_H
