/*===- IntWeightGemm.c - float rows times packed integer weights ----------===*\
|*                                                                            *|
|* mase_int_weight_gemm (semantics in mase-c/ModelSupport.h): the CPU kernel *|
|* of mase.int_linear on a float input. Per pair of 16-feature tiles, the    *|
|* thread widens the packed codes to bytes (PackedWeights.h) and converts    *|
|* them to floats laid out [depth][16], then runs every tile of rows over    *|
|* them with one fused multiply-add a (row, feature, depth), in depth order, *|
|* from the start values: the same chain as the float GEMM of emulation.     *|
|* AVX-512 (8 rows x 32 features), AVX2 (4 rows x 16) or scalar, chosen at   *|
|* run time; all three give identical bits.                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "KernelSupport.h"
#include "PackedWeights.h"

#include "mase-c/ModelSupport.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NR = MASE_QGEMM_COLUMNS, KR = MASE_QGEMM_DEPTH, TILE = NR * KR };
enum { AVX512_ROWS = 8, AVX2_ROWS = 4 };

typedef struct {
  int64_t m, n, k;
  const float *a;     /* [m][k] */
  const float *start; /* [n], or NULL for zeros */
  float scale;
  float *c; /* [m][n] */
} Problem;

/* A tile's codes (groups of [16 features][4 depths] bytes) as floats
 * [k][16]. */
static void tileFloats(const int8_t *codes, int64_t k, float *out) {
  for (int64_t q = 0; q < k; ++q)
    for (int f = 0; f < NR; ++f)
      out[q * NR + f] = (float)codes[(q / KR) * TILE + f * KR + q % KR];
}

/* The same: lane f of a group read as int32s holds feature f's 4 depths,
 * so depth d is that lane shifted left by 24 - 8d and right (arithmetic)
 * by 24. */
__attribute__((target("avx512f"))) static void
tileFloatsAvx512(const int8_t *codes, int64_t k, float *out) {
  for (int64_t g = 0; g * KR < k; ++g) {
    __m512i group = _mm512_loadu_si512(codes + g * TILE);
    for (int d = 0; d < KR && g * KR + d < k; ++d)
      _mm512_storeu_ps(out + (g * KR + d) * NR,
                       _mm512_cvtepi32_ps(_mm512_srai_epi32(
                           _mm512_sll_epi32(group,
                                            _mm_cvtsi32_si128(24 - 8 * d)),
                           24)));
  }
}

__attribute__((target("avx2"))) static void
tileFloatsAvx2(const int8_t *codes, int64_t k, float *out) {
  for (int64_t g = 0; g * KR < k; ++g)
    for (int half = 0; half < 2; ++half) {
      __m256i group =
          _mm256_loadu_si256((const __m256i *)(codes + g * TILE + half * 32));
      for (int d = 0; d < KR && g * KR + d < k; ++d)
        _mm256_storeu_ps(out + (g * KR + d) * NR + half * 8,
                         _mm256_cvtepi32_ps(_mm256_srai_epi32(
                             _mm256_sll_epi32(group,
                                              _mm_cvtsi32_si128(24 - 8 * d)),
                             24)));
    }
}

/* The start values of a tile's features (zeros past n or without start). */
static void tileStart(const Problem *p, int64_t tile, float *first) {
  for (int f = 0; f < NR; ++f) {
    int64_t j = tile * NR + f;
    first[f] = p->start && j < p->n ? p->start[j] : 0.0f;
  }
}

/* Stores a tile row's sums times the scale, its valid features only. */
static void storeRow(const Problem *p, int64_t tile, int64_t i,
                     const float *sums) {
  int64_t j0 = tile * NR;
  int64_t features = p->n - j0 < NR ? p->n - j0 : NR;
  for (int64_t f = 0; f < features; ++f)
    p->c[i * p->n + j0 + f] = sums[f] * p->scale;
}

static void rowsScalar(const Problem *p, const float *w, int64_t tile,
                       int64_t i0, int rows) {
  float first[NR], sums[NR];
  tileStart(p, tile, first);
  for (int r = 0; r < rows; ++r) {
    const float *x = p->a + (i0 + r) * p->k;
    for (int f = 0; f < NR; ++f) {
      float c = first[f];
      for (int64_t q = 0; q < p->k; ++q)
        c = fmaf(x[q], w[q * NR + f], c);
      sums[f] = c;
    }
    storeRow(p, tile, i0 + r, sums);
  }
}

__attribute__((target("avx2,fma"))) static void
rowsAvx2(const Problem *p, const float *w, int64_t tile, int64_t i0,
         int rows) {
  float first[NR];
  tileStart(p, tile, first);
  __m256 acc[AVX2_ROWS][2];
  for (int r = 0; r < rows; ++r)
    for (int h = 0; h < 2; ++h)
      acc[r][h] = _mm256_loadu_ps(first + 8 * h);
  for (int64_t q = 0; q < p->k; ++q) {
    __m256 w0 = _mm256_loadu_ps(w + q * NR);
    __m256 w1 = _mm256_loadu_ps(w + q * NR + 8);
    for (int r = 0; r < rows; ++r) {
      __m256 x = _mm256_broadcast_ss(p->a + (i0 + r) * p->k + q);
      acc[r][0] = _mm256_fmadd_ps(x, w0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(x, w1, acc[r][1]);
    }
  }
  for (int r = 0; r < rows; ++r) {
    float sums[NR];
    _mm256_storeu_ps(sums, acc[r][0]);
    _mm256_storeu_ps(sums + 8, acc[r][1]);
    storeRow(p, tile, i0 + r, sums);
  }
}

/* `rows` rows by `vectors` (1 or 2) adjacent tiles, whose floats lie
 * vector after vector ([vector][k][16]): 16 accumulators at 8 x 2. */
__attribute__((target("avx512f"), always_inline)) static inline void
rowsAvx512Fixed(const Problem *p, const float *w, int64_t tile,
                const int vectors, int64_t i0, const int rows) {
  const int64_t k = p->k;
  __m512 acc[2][AVX512_ROWS];
  for (int v = 0; v < vectors; ++v) {
    float first[NR];
    tileStart(p, tile + v, first);
    for (int r = 0; r < rows; ++r)
      acc[v][r] = _mm512_loadu_ps(first);
  }
  for (int64_t q = 0; q < k; ++q) {
    __m512 wq[2];
    for (int v = 0; v < vectors; ++v)
      wq[v] = _mm512_loadu_ps(w + (v * k + q) * NR);
    for (int r = 0; r < rows; ++r) {
      __m512 x = _mm512_set1_ps(p->a[(i0 + r) * k + q]);
      for (int v = 0; v < vectors; ++v)
        acc[v][r] = _mm512_fmadd_ps(x, wq[v], acc[v][r]);
    }
  }
  for (int v = 0; v < vectors; ++v)
    for (int r = 0; r < rows; ++r) {
      float sums[NR];
      _mm512_storeu_ps(sums, acc[v][r]);
      storeRow(p, tile + v, i0 + r, sums);
    }
}

__attribute__((target("avx512f"))) static void
rowsAvx512(const Problem *p, const float *w, int64_t tile, int vectors,
           int64_t i0, int rows) {
  switch (rows * 2 + vectors - 1) {
#define ROWS(R)                                                                \
  case R * 2:                                                                  \
    rowsAvx512Fixed(p, w, tile, 1, i0, R);                                     \
    break;                                                                     \
  case R * 2 + 1:                                                              \
    rowsAvx512Fixed(p, w, tile, 2, i0, R);                                     \
    break;
    ROWS(1) ROWS(2) ROWS(3) ROWS(4) ROWS(5) ROWS(6) ROWS(7) ROWS(8)
#undef ROWS
  }
}

void mase_int_weight_gemm(int64_t m, int64_t n, int64_t k, uintptr_t a,
                          uintptr_t wPacked, int32_t wBits, uintptr_t start,
                          float scale, uintptr_t c) {
  KernelIsa isa = mase_kernel_isa();
  Problem p = {m, n, k, (const float *)a, (const float *)start, scale,
               (float *)c};
  int64_t kp = (k + KR - 1) / KR * KR;
  int64_t tiles = (n + NR - 1) / NR;
  /* The AVX-512 kernel runs where mase_qgemm's VNNI one does. */
  int wide = isa == KERNEL_AVX512_VNNI;
  int64_t step = wide ? 2 : 1;
  int rowStep = wide ? AVX512_ROWS : isa == KERNEL_AVX2 ? AVX2_ROWS : 1;
#pragma omp parallel
  {
    int8_t *widened =
        wBits == 8 ? NULL
                   : mase_kernel_allocate((size_t)(step * kp * NR),
                                          "mase_int_weight_gemm");
    float *floats = mase_kernel_allocate(
        (size_t)(step * k * NR) * sizeof(float), "mase_int_weight_gemm");
#pragma omp for schedule(static)
    for (int64_t first = 0; first < tiles; first += step) {
      int vectors = first + 1 < tiles ? (int)step : 1;
      const int8_t *codes = mase_weight_tiles((const int8_t *)wPacked, wBits,
                                              kp, first, vectors, isa, widened);
      for (int v = 0; v < vectors; ++v) {
        const int8_t *tile = codes + v * kp * NR;
        float *out = floats + v * k * NR;
        if (wide)
          tileFloatsAvx512(tile, k, out);
        else if (isa == KERNEL_AVX2)
          tileFloatsAvx2(tile, k, out);
        else
          tileFloats(tile, k, out);
      }
      for (int64_t i0 = 0; i0 < m; i0 += rowStep) {
        int rows = m - i0 < rowStep ? (int)(m - i0) : rowStep;
        if (wide)
          rowsAvx512(&p, floats, first, vectors, i0, rows);
        else if (isa == KERNEL_AVX2)
          rowsAvx2(&p, floats, first, i0, rows);
        else
          rowsScalar(&p, floats, first, i0, rows);
      }
    }
    free(widened);
    free(floats);
  }
}
