/*===- SparseGemm.c - float GEMM over compressed sparse weights -----------===*\
|*                                                                            *|
|* mase_sparse_gemm (semantics and storage in mase-c/ModelSupport.h): the    *|
|* kernel of mase.sparse_linear. A is transposed once per call into a        *|
|* [k][rows] buffer, so that each nonzero weight w[j][q] multiplies a        *|
|* contiguous run of A's column q: per output feature, chunks of 64 rows     *|
|* stay in 8 AVX2 registers while the feature's nonzeros stream by. Only    *|
|* the nonzeros are read and multiplied. Parallel (OpenMP) over features.   *|
|* AVX2 and the scalar fallback both use fused multiply-adds in the stored  *|
|* order, so they give identical bits.                                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "KernelSupport.h"

#include "mase-c/ModelSupport.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

enum { CHUNK = 64 };

typedef struct {
  int64_t m, n, mp; /* mp: rows rounded up to CHUNK */
  const int32_t *offsets;
  const uint16_t *columns;
  const float *values;
  const float *at; /* A transposed: [k][mp], zero padded */
  float *c;
} Problem;

/* Rows [i0, i0 + CHUNK) of output feature j into acc. */
static void chunkScalar(const Problem *p, int64_t j, int64_t i0, float *acc) {
  for (int r = 0; r < CHUNK; ++r)
    acc[r] = 0.0f;
  for (int32_t e = p->offsets[j]; e < p->offsets[j + 1]; ++e) {
    const float *x = p->at + (int64_t)p->columns[e] * p->mp + i0;
    float v = p->values[e];
    for (int r = 0; r < CHUNK; ++r)
      acc[r] = fmaf(v, x[r], acc[r]);
  }
}

__attribute__((target("avx2,fma"))) static void
chunkAvx2(const Problem *p, int64_t j, int64_t i0, float *acc) {
  __m256 s[CHUNK / 8];
  for (int q = 0; q < CHUNK / 8; ++q)
    s[q] = _mm256_setzero_ps();
  for (int32_t e = p->offsets[j]; e < p->offsets[j + 1]; ++e) {
    const float *x = p->at + (int64_t)p->columns[e] * p->mp + i0;
    __m256 v = _mm256_set1_ps(p->values[e]);
    for (int q = 0; q < CHUNK / 8; ++q)
      s[q] = _mm256_fmadd_ps(v, _mm256_loadu_ps(x + 8 * q), s[q]);
  }
  for (int q = 0; q < CHUNK / 8; ++q)
    _mm256_storeu_ps(acc + 8 * q, s[q]);
}

void mase_sparse_gemm(int64_t m, int64_t n, int64_t k, uintptr_t a,
                      uintptr_t offsets, uintptr_t columns, uintptr_t values,
                      uintptr_t c) {
  int avx2 = mase_kernel_isa() != KERNEL_SCALAR;
  Problem p;
  p.m = m;
  p.n = n;
  p.mp = (m + CHUNK - 1) / CHUNK * CHUNK;
  p.offsets = (const int32_t *)offsets;
  p.columns = (const uint16_t *)columns;
  p.values = (const float *)values;
  p.c = (float *)c;
  float *at = mase_kernel_allocate((size_t)(k * p.mp) * sizeof(float),
                                   "mase_sparse_gemm");
  p.at = at;
  const float *x = (const float *)a;
#pragma omp parallel
  {
#pragma omp for schedule(static)
    for (int64_t q = 0; q < k; ++q) {
      float *column = at + q * p.mp;
      for (int64_t i = 0; i < m; ++i)
        column[i] = x[i * k + q];
      for (int64_t i = m; i < p.mp; ++i)
        column[i] = 0.0f;
    }
    float acc[CHUNK];
#pragma omp for schedule(dynamic, 16)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i0 = 0; i0 < m; i0 += CHUNK) {
        if (avx2)
          chunkAvx2(&p, j, i0, acc);
        else
          chunkScalar(&p, j, i0, acc);
        int64_t rows = m - i0 < CHUNK ? m - i0 : CHUNK;
        for (int64_t r = 0; r < rows; ++r)
          p.c[(i0 + r) * n + j] = acc[r];
      }
  }
  free(at);
}
