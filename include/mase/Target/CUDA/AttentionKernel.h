/*===- AttentionKernel.h - the GPU attention kernel's launch contract ----===*\
|*                                                                            *|
|* Shared by the kernel (lib/Target/CUDA/Kernels/Attention.cu, built with     *|
|* nvcc) and `mase-cuda-attention`, which launches it for `mase.sdpa`.        *|
|*                                                                            *|
|* One block of MASE_CUDA_SDPA_THREADS threads computes                       *|
|* MASE_CUDA_SDPA_ROWS(DEPTH) query rows of one (batch, head), or             *|
|* MASE_CUDA_SDPA_F32_ROWS in f32: grid (ceil(Sq / ROWS), H, B). The kernel   *|
|* `mase_sdpa_<f16|bf16|f32>_d<DEPTH>` takes query and value depths up to     *|
|* DEPTH, one of 32, 64 and 128. Its parameters, in order:                    *|
|*                                                                            *|
|*   out, query, key_t, value, mask         element pointers (mask: any       *|
|*                                          pointer when there is none)       *|
|*   i32 Sq, Sk, D, Dv                                                        *|
|*   i64 query, value and out strides      (batch, head, sequence) each     *|
|*   i64 key_t strides                      (batch, head); a depth row is Sk  *|
|*   i64 mask strides                       (batch, head, query, key); 0      *|
|*                                          where the mask broadcasts        *|
|*   f32 scale                                                                *|
|*   i32 flags                              MASE_CUDA_SDPA_* below            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_TARGET_CUDA_ATTENTIONKERNEL_H
#define MASE_TARGET_CUDA_ATTENTIONKERNEL_H

/* Query rows a block: 128 up to depth 64, 64 at depth 128 (registers). */
#define MASE_CUDA_SDPA_ROWS(DEPTH) ((DEPTH) <= 64 ? 128 : 64)
#define MASE_CUDA_SDPA_THREADS 128
/* The f32 kernels' query rows a block: four threads a row. */
#define MASE_CUDA_SDPA_F32_ROWS 32
#define MASE_CUDA_SDPA_MAX_DEPTH 128

/* A fully masked query row gives zeros instead of NaN. */
#define MASE_CUDA_SDPA_ZERO_NAN_ROWS 1
/* Every row the kernel reads starts 16-byte aligned (depths and Sk multiples
 * of 8): tiles load with asynchronous 16-byte copies (16-bit kernels). */
#define MASE_CUDA_SDPA_ALIGNED 2
/* The mask pointer is read. */
#define MASE_CUDA_SDPA_HAS_MASK 4

#endif /* MASE_TARGET_CUDA_ATTENTIONKERNEL_H */
