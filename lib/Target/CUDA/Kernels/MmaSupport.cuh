//===- MmaSupport.cuh - tensor-core building blocks of the GPU kernels ----===//
//
// What the prebuilt kernels (Attention.cu, Gemm.cu, LayerNorm.cu) share:
// the hardware primitives (16-bit element traits with their mma.sync,
// ldmatrix fragment loads, cp.async copies), which MASE_CUDA_EMULATION
// replaces by a host emulation for testing, and tile loads into padded
// shared memory built on them.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_TARGET_CUDA_KERNELS_MMASUPPORT_CUH
#define MASE_TARGET_CUDA_KERNELS_MMASUPPORT_CUH

#include <stdint.h>

#ifdef MASE_CUDA_EMULATION
// The host emulation of the primitives below, for testing the kernels on a
// machine without a GPU (test/unit/CUDAKernels).
#include "CudaEmulation.h"
#else
#include <cuda_bf16.h>
#include <cuda_fp16.h>

// The kernel's dynamic shared memory, as an array of TYPE.
#define MASE_DYNAMIC_SHARED(TYPE, NAME) extern __shared__ TYPE NAME[]

namespace {

// Elements travel as raw 16-bit values; only these traits know the type.
template <typename T> struct Element;
template <> struct Element<__half> {
  static __device__ float toFloat(uint16_t bits) {
    return __half2float(__ushort_as_half(bits));
  }
  static __device__ uint32_t pack(float low, float high) {
    __half2 pair = __floats2half2_rn(low, high);
    return *reinterpret_cast<uint32_t *>(&pair);
  }
  static __device__ void mma(float c[4], const uint32_t a[4], uint32_t b0,
                             uint32_t b1) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0),
                   "r"(b1));
  }
};
template <> struct Element<__nv_bfloat16> {
  static __device__ float toFloat(uint16_t bits) {
    return __bfloat162float(__ushort_as_bfloat16(bits));
  }
  static __device__ uint32_t pack(float low, float high) {
    __nv_bfloat162 pair = __floats2bfloat162_rn(low, high);
    return *reinterpret_cast<uint32_t *>(&pair);
  }
  static __device__ void mma(float c[4], const uint32_t a[4], uint32_t b0,
                             uint32_t b1) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0),
                   "r"(b1));
  }
};

__device__ uint32_t sharedAddress(const void *pointer) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(pointer));
}

// Four 8x8 matrices from shared memory; lanes 8i..8i+7 address matrix i's
// rows. Transposed: each lane holds two elements of one column.
__device__ void loadMatrices(uint32_t r[4], const uint16_t *row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(sharedAddress(row)));
}
__device__ void loadMatricesTransposed(uint32_t r[4], const uint16_t *row) {
  asm volatile(
      "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
      : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
      : "r"(sharedAddress(row)));
}

// Two transposed 8x8 matrices: lanes 8i..8i+7 address matrix i's rows
// (lanes 16-31 give addresses that are not read).
__device__ void loadTwoMatricesTransposed(uint32_t r[2], const uint16_t *row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];"
               : "=r"(r[0]), "=r"(r[1])
               : "r"(sharedAddress(row)));
}

// 16 bytes from global `from` to shared `to` in the background: the first
// `bytes` of them, zeros for the rest.
__device__ void copyAsync(void *to, const void *from, int bytes) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"(
                   sharedAddress(to)),
               "l"(from), "r"(bytes));
}

// Closes the thread's group of background copies.
__device__ void commitCopies() { asm volatile("cp.async.commit_group;"); }

// Waits for the thread's groups of copies but the newest PENDING.
template <int PENDING> __device__ void waitCopies() {
  asm volatile("cp.async.wait_group %0;" ::"n"(PENDING) : "memory");
}

// 2^x, approximately (ex2.approx: 2 ulp, subnormals flushed).
__device__ float exp2Approx(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

} // namespace
#endif

namespace {

// Shared-memory rows are padded by 16 bytes so that the eight rows one
// ldmatrix reads fall in different banks.
constexpr int kPad = 8;

// The row address this lane gives ldmatrix for a 16x16 block at (row, col)
// of a tile with `stride` elements a row: matrices in the order
// (rows 0-7, cols 0-7), (8-15, 0-7), (0-7, 8-15), (8-15, 8-15).
__device__ inline const uint16_t *blockRow(const uint16_t *tile, int stride,
                                           int row, int col) {
  int lane = threadIdx.x % 32;
  return tile + (row + lane % 8 + (lane / 8) % 2 * 8) * stride + col +
         lane / 16 * 8;
}

// Loads the ROWS x COLS tile at `source` (rows `rowStride` apart), zero
// outside the first `validRows` rows and `validCols` columns, into `tile`
// (rows COLS + kPad apart) with the block's THREADS threads: asynchronous
// 16-byte copies when aligned, committed as one group.
template <int THREADS, int ROWS, int COLS>
__device__ void loadTile(uint16_t *tile, const uint16_t *source,
                         int64_t rowStride, int validRows, int validCols,
                         bool aligned) {
  constexpr int kChunks = COLS / 8;
  for (int i = threadIdx.x; i < ROWS * kChunks; i += THREADS) {
    int row = i / kChunks, col = i % kChunks * 8;
    uint16_t *to = tile + row * (COLS + kPad) + col;
    const uint16_t *from = source + row * rowStride + col;
    int valid = row < validRows ? min(max(validCols - col, 0), 8) : 0;
    if (aligned) {
      // Copies `valid` elements and zero-fills the rest of the 16 bytes.
      copyAsync(to, valid ? from : source, valid * 2);
    } else {
      for (int e = 0; e < 8; ++e)
        to[e] = e < valid ? from[e] : 0;
    }
  }
  commitCopies();
}

// Waits for every committed group but the last `PENDING`, then for the
// block.
template <int PENDING = 0> __device__ void waitTiles() {
  waitCopies<PENDING>();
  __syncthreads();
}

} // namespace

#endif // MASE_TARGET_CUDA_KERNELS_MMASUPPORT_CUH
