/*===- mase-c/ModelSupport.h - functions linked into every model --*- C -*-===*\
|*                                                                            *|
|* lib/ModelSupport is a static archive that mase-compile links into every   *|
|* model library (symbols hidden). Besides MLIR's generic memref allocation   *|
|* functions (a buffer cache), it provides what compiled code calls:          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_C_MODELSUPPORT_H
#define MASE_C_MODELSUPPORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MASE's local l1-norm activation threshold: torch.quantile(|x|, sparsity)
 * with linear interpolation in float32, over the `count` floats at address
 * `data`; NaN when any is NaN. mase.prune_activation lowers to a call. */
float mase_activation_l1_threshold(uintptr_t data, int64_t count,
                                   float sparsity);

/* Quantised GEMM (QuantizedGemm.c): C = A * W^T over int8 mantissas, for
 * mase.int_linear on integer codes and mase.block_linear.
 *
 * Packed weights. W is [n][k] int8 (one output feature per row). Packed, it
 * is tiles of MASE_QGEMM_COLUMNS rows by MASE_QGEMM_DEPTH consecutive k:
 *   packed[((j / 16) * kp / 4 + q / 4) * 64 + (j % 16) * 4 + q % 4] = W[j][q]
 * with kp = k rounded up to a multiple of 4 and n rounded up to 16, the
 * padding 0. One layout serves every kernel (AVX-512 VNNI, AVX2, scalar).
 * With `w_bits` b below 8 (codes in [-2^(b-1), 2^(b-1) - 1]), each 64-byte
 * group of that layout is stored in 8 * b bytes, as b bit planes: bit t
 * (little-endian) of the 8-byte plane i holds bit i of the group's code t,
 * plane b - 1 being the sign. The kernel widens one tile of 16 features at
 * a time to bytes, in a buffer of its thread, so no full-width copy of W
 * exists.
 *
 * Exponents. With `w_exponents`, byte e of output feature j and k-block b
 * (`w_exponents[j * (k / block) + b]`) scales that block's mantissas by
 * 2^(e - 133): MXINT8's E8M0 scale with the mantissa read as m / 64, so
 * e = 255 is NaN. Without them every scale is 1.
 *
 * A. With MASE_QGEMM_INT8_CODES, `a` is [m][k] int8 and `block` must be k:
 * the dot products are exact in int32 and C = scale * float(sum). With
 * MASE_QGEMM_FLOAT_BLOCKS, `a` is [m][k] float and every `block` consecutive
 * elements of a row are re-expressed as int8 mantissas times 2^s, s shared:
 * s = floor(log2(max |a|)) - 6 (one less when that maximum is a power of
 * two that only negative elements reach: their mantissa is -128) and
 * mantissa = round-half-even(a / 2^s) clamped to [-128, 127]. That is exact
 * when the block already holds such values, as mase.quantize to MXINT8 or
 * to block FP of at most 8 bits with the same blocks makes it; a block
 * holding inf or NaN makes its row of C NaN. Each
 * block's dot product is exact in int32 and C accumulates
 * float(sum) * 2^(s + e - 133) over the blocks in float32 (fused
 * multiply-add, blocks in order), times `scale`.
 *
 * Bias. With `bias` ([n] float; 0 for none), C[i][j] is then
 * (scale * sum) + bias[j], rounded after the product and after the sum
 * (not fused), as adding the bias afterwards would give.
 *
 * Requirements: block is a multiple of 4 that divides k (or equals k), and
 * k <= MASE_QGEMM_MAX_DEPTH so that no int32 sum can overflow. Runs in
 * parallel (OpenMP) over tiles of output features. */
#define MASE_QGEMM_COLUMNS 16
#define MASE_QGEMM_DEPTH 4
#define MASE_QGEMM_MAX_DEPTH 131072
#define MASE_QGEMM_INT8_CODES 0
#define MASE_QGEMM_FLOAT_BLOCKS 1

/* Bytes of the packed form (PackedWeights.c) of an [n][k] weight of
 * `w_bits`-bit codes (1 to 8; 0 for any other). */
int64_t mase_qgemm_packed_size(int64_t n, int64_t k, int32_t w_bits);
/* Packs `w` ([n][k] codes one per byte, row-major, each within `w_bits`
 * signed bits) into `packed` (mase_qgemm_packed_size bytes). */
void mase_qgemm_pack_weights(const int8_t *w, int64_t n, int64_t k,
                             int32_t w_bits, int8_t *packed);
/* One block of A as mase_qgemm sees it: `count` floats as int8 mantissas
 * times 2^*exponent. Returns 1 (all mantissas 0) when the block holds inf or
 * NaN, else 0; an all-zero block has exponent 0. */
int mase_qgemm_block_mantissas(const float *x, int64_t count,
                               int8_t *mantissas, int32_t *exponent);
/* C ([m][n] float, row-major) from A, the W packed at `w_bits` and its
 * exponents (0 for none); addresses as integers, as compiled code passes
 * them. */
void mase_qgemm(int64_t m, int64_t n, int64_t k, int64_t block, uintptr_t a,
                int32_t a_kind, uintptr_t w_packed, int32_t w_bits,
                uintptr_t w_exponents, float scale, uintptr_t bias,
                uintptr_t c);

/* Integer-weight GEMM (IntWeightGemm.c): C = scale * (start + A * W^T) for
 * mase.int_linear on a float input, with W's integer codes packed at
 * `w_bits` as for mase_qgemm. A is [m][k] float, C [m][n] float, `start`
 * [n] float (0 for zeros). Each C[i][j] is the chain of fused
 * multiply-adds of A[i][q] and float(W[j][q]) for q = 0 .. k-1 in order
 * into start[j], then multiplied by `scale`: the float GEMM of emulation,
 * on codes. AVX-512, AVX2 or scalar (all give identical bits), parallel
 * (OpenMP) over tiles of output features. */
void mase_int_weight_gemm(int64_t m, int64_t n, int64_t k, uintptr_t a,
                          uintptr_t w_packed, int32_t w_bits, uintptr_t start,
                          float scale, uintptr_t c);

/* Sparse GEMM (SparseGemm.c): C = A * W^T for mase.sparse_linear, with W
 * ([n][k] float, one output feature per row) in compressed sparse rows:
 * the nonzeros of feature j are entries offsets[j] .. offsets[j + 1] - 1
 * (offsets: n + 1 int32, offsets[0] = 0), each a column (uint16, so
 * k <= MASE_SPARSE_MAX_DEPTH, increasing within a feature) and a float
 * value. C[i][j] is the fused multiply-add of the feature's entries with
 * A[i][column] into 0, in the stored order: a dense GEMM adds the same
 * nonzero products in another order and the zero ones (so inf or NaN in A
 * meeting a pruned weight gives NaN there and not here). A is [m][k]
 * float, C [m][n] float, row-major. The kernel is AVX2 where the CPU has it
 * (MASE_KERNEL_ISA=scalar forces the scalar one; both give identical bits),
 * parallel (OpenMP) over features. */
#define MASE_SPARSE_MAX_DEPTH 65536
void mase_sparse_gemm(int64_t m, int64_t n, int64_t k, uintptr_t a,
                      uintptr_t offsets, uintptr_t columns, uintptr_t values,
                      uintptr_t c);

/* Fused attention (Attention.c), for mase.sdpa: for every batch b, head h
 * and query i, out[b][h][i] = sum_j p_j v[b][h][j] with p the softmax over
 * keys j of scale * (q[b][h][i] . k_j) + mask[b][h][i][j], where the keys
 * come transposed: kT[b][h][c][j] (as Q K^T graphs hold them). q is
 * [batch][heads][sq][d], v [batch][heads][sk][dv] and out
 * [batch][heads][sq][dv], or with `sequence_major` [batch][sq][heads][d],
 * [batch][sk][heads][dv] and [batch][sq][heads][dv] (the layout before the
 * graph splits heads and after it merges them); kT is always
 * [batch][heads][d][sk]; all float and dense. `mask` is an additive
 * float mask read at b * stride_b + h * stride_h + i * stride_q +
 * j * stride_k (a stride of 0 broadcasts), or 0 for none. Online softmax
 * over tiles of keys: the score matrix is never stored. A row whose scores
 * are all -inf gives NaN, as softmax does, or zeros with `zero_nan_rows`
 * (PyTorch's SDPA exports replace NaN probabilities by 0). AVX-512 or AVX2
 * where the CPU has it (MASE_KERNEL_ISA=avx2|scalar forces a lower one),
 * parallel (OpenMP) over
 * batch, heads and tiles of queries. */
void mase_sdpa(int64_t batch, int64_t heads, int64_t sq, int64_t sk,
               int64_t d, int64_t dv, int32_t sequence_major, uintptr_t q,
               uintptr_t kT, uintptr_t v,
               uintptr_t mask, int64_t mask_stride_b, int64_t mask_stride_h,
               int64_t mask_stride_q, int64_t mask_stride_k, float scale,
               int32_t zero_nan_rows, uintptr_t out);

#ifdef __cplusplus
}
#endif

#define MASE_ACTIVATION_L1_THRESHOLD_SYMBOL "mase_activation_l1_threshold"
#define MASE_QGEMM_SYMBOL "mase_qgemm"
#define MASE_INT_WEIGHT_GEMM_SYMBOL "mase_int_weight_gemm"
#define MASE_SPARSE_GEMM_SYMBOL "mase_sparse_gemm"
#define MASE_SDPA_SYMBOL "mase_sdpa"

#endif /* MASE_C_MODELSUPPORT_H */
