//===- EmulationTest.cpp - the emulation catches what the GPU would ------===//
//
// The kernel tests trust CudaEmulation.h to fail a kernel that gets the
// GPU's rules wrong; these check that it does, on small kernels of their
// own.
//
//===----------------------------------------------------------------------===//

#include "MmaSupport.cuh"

#include <gtest/gtest.h>

using namespace mase::emulation;

namespace {

// Each thread copies 16 bytes into shared memory in the background, then
// reads its neighbour's: after waiting for its copies (and the block), or
// not.
void neighbourCopy(const uint4 *from, uint4 *to, bool wait) {
  __shared__ uint4 tile[64];
  unsigned t = threadIdx.x;
  copyAsync(&tile[t], &from[t], 16);
  commitCopies();
  if (wait)
    waitCopies<0>();
  __syncthreads();
  to[t] = tile[(t + 1) % 64];
}

TEST(CudaEmulation, CopiesLandOnlyWhenWaitedFor) {
  std::vector<uint4> first(64), second(64), waited(64), unwaited(64);
  for (unsigned i = 0; i < 64; ++i) {
    first[i] = {i, i, i, i};
    second[i] = {100 + i, 100 + i, 100 + i, 100 + i};
  }
  launch({1, 1, 1}, 64, 0,
         [&] { neighbourCopy(first.data(), waited.data(), true); });
  for (unsigned i = 0; i < 64; ++i)
    EXPECT_EQ(waited[i].x, (i + 1) % 64);
  // Without the wait the second launch reads what the first left behind.
  launch({1, 1, 1}, 64, 0,
         [&] { neighbourCopy(second.data(), unwaited.data(), false); });
  for (unsigned i = 0; i < 64; ++i)
    EXPECT_EQ(unwaited[i].x, (i + 1) % 64);
}

// A group left pending is not waited for.
void pendingGroup(const uint4 *from, uint4 *to) {
  __shared__ uint4 slots[2];
  copyAsync(&slots[0], &from[0], 16);
  commitCopies();
  copyAsync(&slots[1], &from[1], 16);
  commitCopies();
  waitCopies<1>();
  to[0] = slots[0];
  to[1] = slots[1];
}

TEST(CudaEmulation, WaitLeavesTheNewestGroupsPending) {
  std::vector<uint4> from = {{1, 1, 1, 1}, {2, 2, 2, 2}}, to(2);
  launch({1, 1, 1}, 1, 0, [&] { pendingGroup(from.data(), to.data()); });
  EXPECT_EQ(to[0].x, 1u);
  EXPECT_NE(to[1].x, 2u) << "the second group landed before it was waited for";
}

// mma.sync m16n8k16 on one warp: fragments from ldmatrix, as the kernels
// load them, against the product computed directly.
void warpProduct(const uint16_t *a, const uint16_t *b, float *d) {
  __shared__ uint16_t tileA[16 * 16], tileB[16 * 8];
  unsigned lane = threadIdx.x;
  for (unsigned i = lane; i < 256; i += 32)
    tileA[i] = a[i];
  for (unsigned i = lane; i < 128; i += 32)
    tileB[i] = b[i];
  __syncthreads();
  uint32_t fa[4], fb[4];
  loadMatrices(fa, blockRow(tileA, 16, 0, 0));
  // B [16, 8] row-major: the transposed load of its two 8x8 halves (lanes
  // 16-31 repeat them; only fb[0], fb[1] are used).
  loadMatricesTransposed(fb, tileB + (lane % 16) * 8);
  float c[4] = {};
  Element<__half>::mma(c, fa, fb[0], fb[1]);
  unsigned g = lane / 4, t = lane % 4;
  d[g * 8 + 2 * t] = c[0];
  d[g * 8 + 2 * t + 1] = c[1];
  d[(g + 8) * 8 + 2 * t] = c[2];
  d[(g + 8) * 8 + 2 * t + 1] = c[3];
}

TEST(CudaEmulation, MmaOfLoadedFragmentsIsTheProduct) {
  std::vector<uint16_t> a(256), b(128);
  for (int i = 0; i < 256; ++i)
    a[i] = Element<__half>::round(static_cast<float>(i % 7 - 3));
  for (int i = 0; i < 128; ++i)
    b[i] = Element<__half>::round(static_cast<float>(i % 5 - 2));
  std::vector<float> d(128);
  launch({1, 1, 1}, 32, 0, [&] { warpProduct(a.data(), b.data(), d.data()); });
  for (int r = 0; r < 16; ++r)
    for (int c = 0; c < 8; ++c) {
      float expected = 0;
      for (int k = 0; k < 16; ++k)
        expected += Element<__half>::toFloat(a[r * 16 + k]) *
                    Element<__half>::toFloat(b[k * 8 + c]);
      EXPECT_EQ(d[r * 8 + c], expected) << "D[" << r << "][" << c << "]";
    }
}

} // namespace
