//===- CudaEmulation.h - the prebuilt GPU kernels on host threads -*- C++
//-*-===//
//
// With MASE_CUDA_EMULATION, lib/Target/CUDA/Kernels/*.cu compile as host
// C++ against this header: `launch` runs a grid one block at a time, each
// thread of the block a host thread; `__syncthreads` is a barrier of the
// block, and the warp-wide instructions (shuffles, ldmatrix, mma.sync
// m16n8k16) exchange their operands through a barrier of the warp and
// compute what PTX documents for them. cp.async copies take their source
// when issued but land in shared memory only when `cp.async.wait_group`
// lets them (each thread's own groups, as on the GPU), as late as the
// instruction allows, so that a kernel that reads a tile before waiting
// for it, or waits for too few groups, reads stale data here.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TEST_UNIT_CUDAKERNELS_CUDAEMULATION_H
#define MASE_TEST_UNIT_CUDAKERNELS_CUDAEMULATION_H

#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __shared__ static
#define __launch_bounds__(...)
#define __align__(N) __attribute__((aligned(N)))
#define MASE_DYNAMIC_SHARED(TYPE, NAME)                                        \
  TYPE *NAME = reinterpret_cast<TYPE *>(mase::emulation::dynamicShared.data())

using std::max;
using std::min;

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
struct alignas(16) uint4 {
  unsigned x, y, z, w;
};
struct alignas(8) float2 {
  float x, y;
};
inline float2 make_float2(float x, float y) { return {x, y}; }
// Tags of the element types; Element<T> below knows their bits.
struct __half {};
struct __nv_bfloat16 {};

namespace mase::emulation {

inline thread_local dim3 threadIdx, blockIdx;

/// What the threads of the running block share.
struct Block {
  explicit Block(unsigned threads) : barrier(threads) {
    for (unsigned w = 0; w < (threads + 31) / 32; ++w)
      warps.emplace_back(
          std::make_unique<Warp>(std::min(32u, threads - 32 * w)));
  }
  struct Warp {
    explicit Warp(unsigned lanes) : barrier(lanes) {}
    std::barrier<> barrier;
    uint32_t words[32][6];
    const void *pointers[32];
  };
  std::barrier<> barrier;
  std::vector<std::unique_ptr<Warp>> warps;
};
inline Block *block;
inline thread_local unsigned lane;
inline std::vector<unsigned char> dynamicShared;

/// One background copy: its bytes, taken when issued.
struct Copy {
  void *to;
  unsigned char bytes[16];
};
/// The thread's committed groups of copies (oldest first) and the group it
/// is filling.
inline thread_local std::deque<std::vector<Copy>> committed;
inline thread_local std::vector<Copy> filling;

inline Block::Warp &warp() { return *block->warps[threadIdx.x / 32]; }

/// Every lane's COUNT `words`, exchanged through the warp: all[l][i] is
/// lane l's words[i].
template <int COUNT>
void exchange(const uint32_t (&words)[COUNT], uint32_t (&all)[32][COUNT]) {
  static_assert(COUNT <= 6, "the warp's exchange holds six words a lane");
  Block::Warp &w = warp();
  std::copy(words, words + COUNT, w.words[lane]);
  w.barrier.arrive_and_wait();
  for (int l = 0; l < 32; ++l)
    std::copy(w.words[l], w.words[l] + COUNT, all[l]);
  w.barrier.arrive_and_wait();
}

/// Runs `kernel` on a grid of `grid` blocks of `threads` threads (one
/// dimension), with `sharedBytes` of dynamic shared memory.
inline void launch(dim3 grid, unsigned threads, size_t sharedBytes,
                   const std::function<void()> &kernel) {
  dynamicShared.assign(sharedBytes, 0xAB);
  for (unsigned z = 0; z < grid.z; ++z)
    for (unsigned y = 0; y < grid.y; ++y)
      for (unsigned x = 0; x < grid.x; ++x) {
        Block running(threads);
        block = &running;
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t)
          pool.emplace_back([&, t] {
            threadIdx = {t, 0, 0};
            blockIdx = {x, y, z};
            lane = t % 32;
            committed.clear();
            filling.clear();
            kernel();
            // A finished thread no longer holds up the others' barriers.
            warp().barrier.arrive_and_drop();
            block->barrier.arrive_and_drop();
          });
        for (std::thread &thread : pool)
          thread.join();
        block = nullptr;
      }
}

} // namespace mase::emulation

using mase::emulation::blockIdx;
using mase::emulation::threadIdx;

inline void __syncthreads() {
  mase::emulation::block->barrier.arrive_and_wait();
}

inline float __int_as_float(int bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

template <typename T> T __shfl_xor_sync(unsigned, T value, int offset) {
  static_assert(sizeof(T) == 4, "32-bit shuffles");
  uint32_t word[1], all[32][1];
  std::memcpy(word, &value, 4);
  mase::emulation::exchange(word, all);
  std::memcpy(&value, all[mase::emulation::lane ^ offset], 4);
  return value;
}

namespace {

template <typename T> struct Element;
template <> struct Element<__half> {
  static float toFloat(uint16_t bits) {
    _Float16 half;
    std::memcpy(&half, &bits, 2);
    return static_cast<float>(half);
  }
  static uint16_t round(float value) {
    _Float16 half = static_cast<_Float16>(value);
    uint16_t bits;
    std::memcpy(&bits, &half, 2);
    return bits;
  }
  static uint32_t pack(float low, float high) {
    return round(low) | static_cast<uint32_t>(round(high)) << 16;
  }
  static void mma(float c[4], const uint32_t a[4], uint32_t b0, uint32_t b1);
};
template <> struct Element<__nv_bfloat16> {
  static float toFloat(uint16_t bits) {
    uint32_t word = static_cast<uint32_t>(bits) << 16;
    float value;
    std::memcpy(&value, &word, 4);
    return value;
  }
  static uint16_t round(float value) {
    uint32_t word;
    std::memcpy(&word, &value, 4);
    return static_cast<uint16_t>((word + 0x7fff + (word >> 16 & 1)) >> 16);
  }
  static uint32_t pack(float low, float high) {
    return round(low) | static_cast<uint32_t>(round(high)) << 16;
  }
  static void mma(float c[4], const uint32_t a[4], uint32_t b0, uint32_t b1);
};

/// mma.sync.aligned.m16n8k16.row.col.f32: lane (g, t) = (lane / 4,
/// lane % 4) holds A[g][2t..], A[g+8][2t..], A[g][2t+8..], A[g+8][2t+8..]
/// in a[0..3], B[2t..][g] and B[2t+8..][g] in b0, b1, and D[g][2t],
/// D[g][2t+1], D[g+8][2t], D[g+8][2t+1] in c; the low half of a register
/// is the lower index.
template <typename T>
void emulateMma(float c[4], const uint32_t a[4], uint32_t b0, uint32_t b1) {
  const uint32_t mine[6] = {a[0], a[1], a[2], a[3], b0, b1};
  uint32_t all[32][6];
  mase::emulation::exchange(mine, all);
  float matrixA[16][16], matrixB[16][8];
  auto half = [](uint32_t word, int which) {
    return Element<T>::toFloat(static_cast<uint16_t>(word >> (16 * which)));
  };
  for (int l = 0; l < 32; ++l) {
    int g = l / 4, t = l % 4;
    for (int h = 0; h < 2; ++h) {
      matrixA[g][2 * t + h] = half(all[l][0], h);
      matrixA[g + 8][2 * t + h] = half(all[l][1], h);
      matrixA[g][2 * t + 8 + h] = half(all[l][2], h);
      matrixA[g + 8][2 * t + 8 + h] = half(all[l][3], h);
      matrixB[2 * t + h][g] = half(all[l][4], h);
      matrixB[2 * t + 8 + h][g] = half(all[l][5], h);
    }
  }
  int g = mase::emulation::lane / 4, t = mase::emulation::lane % 4;
  const int rows[4] = {g, g, g + 8, g + 8},
            cols[4] = {2 * t, 2 * t + 1, 2 * t, 2 * t + 1};
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 16; ++k)
      c[i] += matrixA[rows[i]][k] * matrixB[k][cols[i]];
}
inline void Element<__half>::mma(float c[4], const uint32_t a[4], uint32_t b0,
                                 uint32_t b1) {
  emulateMma<__half>(c, a, b0, b1);
}
inline void Element<__nv_bfloat16>::mma(float c[4], const uint32_t a[4],
                                        uint32_t b0, uint32_t b1) {
  emulateMma<__nv_bfloat16>(c, a, b0, b1);
}

/// ldmatrix.sync.aligned.m8n8.x4 or .x2 (`count`), .trans or not: lanes
/// 8i..8i+7 address the rows of matrix i; register i of lane l holds
/// M_i[l / 4][2 (l % 4) ..], or transposed M_i[2 (l % 4) ..][l / 4].
inline void emulateLoadMatrices(uint32_t *r, int count, const uint16_t *row,
                                bool transposed) {
  mase::emulation::Block::Warp &w = mase::emulation::warp();
  unsigned l = mase::emulation::lane;
  // The lanes whose addresses .x2 ignores may give any.
  w.pointers[l] = l < 8u * count ? row : nullptr;
  w.barrier.arrive_and_wait();
  for (int i = 0; i < count; ++i) {
    uint16_t pair[2];
    for (int h = 0; h < 2; ++h) {
      int first = 2 * (l % 4) + h, second = l / 4;
      int source = 8 * i + (transposed ? first : second);
      int column = transposed ? second : first;
      pair[h] = static_cast<const uint16_t *>(w.pointers[source])[column];
    }
    r[i] = pair[0] | static_cast<uint32_t>(pair[1]) << 16;
  }
  w.barrier.arrive_and_wait();
}
inline void loadMatrices(uint32_t r[4], const uint16_t *row) {
  emulateLoadMatrices(r, 4, row, false);
}
inline void loadMatricesTransposed(uint32_t r[4], const uint16_t *row) {
  emulateLoadMatrices(r, 4, row, true);
}
inline void loadTwoMatricesTransposed(uint32_t r[2], const uint16_t *row) {
  emulateLoadMatrices(r, 2, row, true);
}

inline void copyAsync(void *to, const void *from, int bytes) {
  mase::emulation::Copy copy{to, {}};
  std::memcpy(copy.bytes, from, bytes);
  mase::emulation::filling.push_back(copy);
}
inline void commitCopies() {
  mase::emulation::committed.push_back(std::move(mase::emulation::filling));
  mase::emulation::filling.clear();
}
template <int PENDING> void waitCopies() {
  auto &groups = mase::emulation::committed;
  while (groups.size() > static_cast<size_t>(PENDING)) {
    for (const mase::emulation::Copy &copy : groups.front())
      std::memcpy(copy.to, copy.bytes, 16);
    groups.pop_front();
  }
}

inline float exp2Approx(float x) { return std::exp2(x); }

} // namespace

#endif // MASE_TEST_UNIT_CUDAKERNELS_CUDAEMULATION_H
