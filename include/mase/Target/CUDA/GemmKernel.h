/*===- GemmKernel.h - the GPU matmul kernel's launch contract ------------===*\
|*                                                                            *|
|* Shared by the kernel (lib/Target/CUDA/Kernels/Gemm.cu, built with nvcc)    *|
|* and `mase-cuda-gemm`, which launches it for large 16-bit linalg.matmuls.   *|
|*                                                                            *|
|* `mase_gemm_<f16|bf16>` computes out = init + A B in float32, A [M, K] and  *|
|* B [K, N] row-major 16-bit elements, init and out [M, N] row-major f32;     *|
|* `mase_gemm_<f16|bf16>_bias` computes out = round(bias + A B) with bias [N] *|
|* and out [M, N] of the element type (the sum in float32, rounded to nearest *|
|* even once); `mase_gemm_<f16|bf16>_bias_gelu` computes out =                *|
|* round(GELU(bias + A B)), the exact GELU x Phi(x) in float32. One block of  *|
|* MASE_CUDA_GEMM_THREADS threads computes a MASE_CUDA_GEMM_TILE_M x TILE_N   *|
|* tile of out, TILE_N = MASE_CUDA_GEMM_TILE_N, or                            *|
|* MASE_CUDA_GEMM_NARROW_TILE_N for each kernel's `_narrow` twin: grid        *|
|* (ceil(N / TILE_N), ceil(M / TILE_M)), MASE_CUDA_GEMM_SHARED_BYTES(TILE_N)  *|
|* of dynamic shared memory (above the 48 KiB a launch gets unasked: the      *|
|* runtime opts the kernel in). Rows of A and B start 16-byte aligned: K and  *|
|* N are multiples of 8. Its parameters, in order:                            *|
|*                                                                            *|
|*   out, init or bias                      pointers                          *|
|*   a, b                                   element pointers                  *|
|*   i32 M, N, K                                                              *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_TARGET_CUDA_GEMMKERNEL_H
#define MASE_TARGET_CUDA_GEMMKERNEL_H

#define MASE_CUDA_GEMM_TILE_M 128
#define MASE_CUDA_GEMM_TILE_N 128
/* The `_narrow` kernels' tiles are this wide: more blocks where 128-wide
   tiles leave much of the GPU's last wave empty. */
#define MASE_CUDA_GEMM_NARROW_TILE_N 96
#define MASE_CUDA_GEMM_TILE_K 32
#define MASE_CUDA_GEMM_THREADS 256
/* K advances TILE_K at a time through this many buffers of A and B tiles,
   their rows padded by 8 elements. */
#define MASE_CUDA_GEMM_STAGES 4
#define MASE_CUDA_GEMM_SHARED_BYTES(TILE_N)                                    \
  (MASE_CUDA_GEMM_STAGES * 2 *                                                 \
   (MASE_CUDA_GEMM_TILE_M * (MASE_CUDA_GEMM_TILE_K + 8) +                      \
    MASE_CUDA_GEMM_TILE_K * ((TILE_N) + 8)))
/* K and N must be multiples of this many elements (16 bytes). */
#define MASE_CUDA_GEMM_ALIGN 8

#endif /* MASE_TARGET_CUDA_GEMMKERNEL_H */
