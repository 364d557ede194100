/*===- LayerNormKernel.h - the GPU layer-norm kernel's launch contract ---===*\
|*                                                                            *|
|* Shared by the kernel (lib/Target/CUDA/Kernels/LayerNorm.cu, built with     *|
|* nvcc) and `mase-cuda-layer-norm`, which launches it for `mase.layer_norm`. *|
|*                                                                            *|
|* `mase_layer_norm_<f16|bf16>` normalises each of `rows` contiguous rows of  *|
|* `columns` 16-bit elements: x = input (+ residual, rounded to the element  *|
|* type, when MASE_CUDA_LAYER_NORM_RESIDUAL), mean = sum(x) / columns,       *|
|* d = x - mean, rstd = 1 / sqrt(sum(d * d) / columns + epsilon),            *|
|* out = round(d * rstd [* weight] [+ bias]), in float32 throughout. One warp *|
|* a row, MASE_CUDA_LAYER_NORM_ROWS rows a block of                           *|
|* 32 * MASE_CUDA_LAYER_NORM_ROWS threads: grid ceil(rows / ROWS). Rows start *|
|* 16-byte aligned: columns is a multiple of 8, at most                       *|
|* MASE_CUDA_LAYER_NORM_MAX_COLUMNS (a row stays in the warp's registers).    *|
|* Its parameters, in order:                                                  *|
|*                                                                            *|
|*   out, input, residual, weight, bias     element pointers (any pointer    *|
|*                                          for an operand the flags omit)   *|
|*   i32 rows, columns                                                        *|
|*   f32 epsilon                                                              *|
|*   i32 flags                              MASE_CUDA_LAYER_NORM_* below      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_TARGET_CUDA_LAYERNORMKERNEL_H
#define MASE_TARGET_CUDA_LAYERNORMKERNEL_H

#define MASE_CUDA_LAYER_NORM_ROWS 8
#define MASE_CUDA_LAYER_NORM_MAX_COLUMNS 1024
/* Columns must be a multiple of this many elements (16 bytes). */
#define MASE_CUDA_LAYER_NORM_ALIGN 8

#define MASE_CUDA_LAYER_NORM_RESIDUAL 1
#define MASE_CUDA_LAYER_NORM_WEIGHT 2
#define MASE_CUDA_LAYER_NORM_BIAS 4

#endif /* MASE_TARGET_CUDA_LAYERNORMKERNEL_H */
