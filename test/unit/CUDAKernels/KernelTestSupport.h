//===- KernelTestSupport.h - data for the emulated GPU kernels -*- C++ -*-===//

#ifndef MASE_TEST_UNIT_CUDAKERNELS_KERNELTESTSUPPORT_H
#define MASE_TEST_UNIT_CUDAKERNELS_KERNELTESTSUPPORT_H

#include "CudaEmulation.h"

#include <random>
#include <vector>

namespace mase::emulation {

/// `count` normal values (times `scale`) rounded to the element type T, as
/// its bits.
template <typename T>
std::vector<uint16_t> randomElements(size_t count, unsigned seed,
                                     float scale = 1.0f) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<uint16_t> bits(count);
  for (uint16_t &b : bits)
    b = Element<T>::round(normal(generator));
  return bits;
}

/// The elements' values.
template <typename T>
std::vector<double> values(const std::vector<uint16_t> &bits) {
  std::vector<double> result(bits.size());
  for (size_t i = 0; i < bits.size(); ++i)
    result[i] = Element<T>::toFloat(bits[i]);
  return result;
}

} // namespace mase::emulation

#endif // MASE_TEST_UNIT_CUDAKERNELS_KERNELTESTSUPPORT_H
