/*===- Attention.c - fused scaled dot-product attention -------------------===*\
|*                                                                            *|
|* mase_sdpa (semantics in mase-c/ModelSupport.h): the kernel of mase.sdpa, *|
|* flash-attention style. Per (batch, head) and tile of query rows, keys   *|
|* are visited in tiles: the tile's scores (query rows x key tile) are     *|
|* computed, masked and folded into a running row maximum, a running sum   *|
|* of exponentials and a running output (online softmax), so memory holds  *|
|* one score tile, never the whole score matrix. Parallel (OpenMP) over     *|
|* (batch, head, query tile). AVX2 with a polynomial exp where the CPU has  *|
|* it, scalar C with expf otherwise.                                       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "mase-c/ModelSupport.h"

#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROWS = 8, KEYS = 64 };

typedef struct {
  int64_t heads, sq, sk, d, dv;
  const float *q, *kT, *v, *mask;
  int64_t maskStride[4];
  float scale;
  int zeroNanRows;
  float *out;
} Problem;

static void *allocate(size_t bytes) {
  void *memory = malloc(bytes ? bytes : 1);
  if (!memory) {
    fprintf(stderr, "mase_sdpa: out of memory (%zu bytes)\n", bytes);
    abort();
  }
  return memory;
}

/* e^x for eight floats: x = n ln2 + r, |r| <= ln2 / 2, e^r by a degree-6
 * polynomial (relative error below 2e-7), 2^n through the exponent bits.
 * Large negative x gives 0, large positive inf, NaN stays NaN. */
__attribute__((target("avx2,fma"))) static inline __m256 exp8(__m256 x) {
  const __m256 hi = _mm256_set1_ps(88.7228f), lo = _mm256_set1_ps(-87.3365f);
  __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
  __m256 over = _mm256_cmp_ps(x, hi, _CMP_GT_OQ);
  __m256 under = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
  x = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693145752f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(1.42860677e-6f), r);
  __m256 p = _mm256_set1_ps(1.0f / 720);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  /* 2^n for n in [-126, 127]: the exponent field. */
  __m256i e = _mm256_slli_epi32(
      _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  __m256 y = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
  y = _mm256_blendv_ps(y, _mm256_setzero_ps(), under);
  y = _mm256_blendv_ps(y, _mm256_set1_ps(INFINITY), over);
  return _mm256_blendv_ps(y, _mm256_add_ps(x, x), nan);
}

/* The additive mask of (batch b, head h, query i, key j), 0 without one. */
static inline float maskAt(const Problem *p, int64_t b, int64_t h, int64_t i,
                           int64_t j) {
  if (!p->mask)
    return 0.0f;
  return p->mask[b * p->maskStride[0] + h * p->maskStride[1] +
                 i * p->maskStride[2] + j * p->maskStride[3]];
}

/* Scores of `rows` query rows against keys [j0, j0 + keys): scale * q.k +
 * mask, into s[row][KEYS]. Inlined into each kernel, whose target features
 * the loops are vectorised for. */
static inline __attribute__((always_inline)) void
scoreTile(const Problem *p, int64_t b, int64_t h, int64_t i0, int rows,
          int64_t j0, int keys, float *s) {
  const float *q = p->q + ((b * p->heads + h) * p->sq + i0) * p->d;
  const float *kT = p->kT + (b * p->heads + h) * p->d * p->sk + j0;
  for (int r = 0; r < rows; ++r) {
    float *row = s + r * KEYS;
    if (keys == KEYS) {
      /* A full tile: constant bounds keep the row in registers. */
      float t[KEYS] = {0};
      for (int64_t c = 0; c < p->d; ++c) {
        float x = q[r * p->d + c];
        const float *k = kT + c * p->sk;
        for (int j = 0; j < KEYS; ++j)
          t[j] += x * k[j];
      }
      for (int j = 0; j < KEYS; ++j)
        row[j] = t[j];
    } else {
      for (int j = 0; j < keys; ++j)
        row[j] = 0.0f;
      for (int64_t c = 0; c < p->d; ++c) {
        float x = q[r * p->d + c];
        const float *k = kT + c * p->sk;
        for (int j = 0; j < keys; ++j)
          row[j] += x * k[j];
      }
    }
    for (int j = 0; j < keys; ++j)
      row[j] = row[j] * p->scale + maskAt(p, b, h, i0 + r, j0 + j);
  }
}

/* o[0, dv) = o * correction + sum_j w[j] v[j]: chunks of 64 outputs stay
 * in registers while the keys stream by. */
static inline __attribute__((always_inline)) void
accumulateValues(const float *w, int keys, const float *v, int64_t dv,
                 float correction, float *o) {
  enum { WIDTH = 64 };
  int64_t c0 = 0;
  for (; c0 + WIDTH <= dv; c0 += WIDTH) {
    float t[WIDTH];
    for (int c = 0; c < WIDTH; ++c)
      t[c] = o[c0 + c] * correction;
    for (int j = 0; j < keys; ++j) {
      const float *vj = v + j * dv + c0;
      float x = w[j];
      for (int c = 0; c < WIDTH; ++c)
        t[c] += x * vj[c];
    }
    for (int c = 0; c < WIDTH; ++c)
      o[c0 + c] = t[c];
  }
  for (int64_t c = c0; c < dv; ++c) {
    float t = o[c] * correction;
    for (int j = 0; j < keys; ++j)
      t += w[j] * v[j * dv + c];
    o[c] = t;
  }
}

/* e^(s - m) for a row of `keys` scores, in place; returns their sum. */
__attribute__((target("avx2,fma"))) static float expRowAvx2(float *s,
                                                             int keys,
                                                             float m) {
  __m256 sum = _mm256_setzero_ps();
  __m256 mv = _mm256_set1_ps(m);
  int j = 0;
  for (; j + 8 <= keys; j += 8) {
    __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(s + j), mv));
    _mm256_storeu_ps(s + j, e);
    sum = _mm256_add_ps(sum, e);
  }
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  float total = 0.0f;
  for (int l = 0; l < 8; ++l)
    total += lanes[l];
  for (; j < keys; ++j) {
    s[j] = expf(s[j] - m);
    total += s[j];
  }
  return total;
}

static float expRowScalar(float *s, int keys, float m) {
  float total = 0.0f;
  for (int j = 0; j < keys; ++j) {
    s[j] = expf(s[j] - m);
    total += s[j];
  }
  return total;
}

/* One tile of query rows of one (batch, head), all keys; inlined into the
 * AVX2 and the scalar kernel below. */
static inline __attribute__((always_inline)) void
attendTile(const Problem *p, int64_t b, int64_t h, int64_t i0, int rows,
           int avx2, float *s, float *acc) {
  float m[ROWS], l[ROWS];
  for (int r = 0; r < rows; ++r) {
    m[r] = -INFINITY;
    l[r] = 0.0f;
    for (int64_t c = 0; c < p->dv; ++c)
      acc[r * p->dv + c] = 0.0f;
  }
  const float *v = p->v + (b * p->heads + h) * p->sk * p->dv;
  for (int64_t j0 = 0; j0 < p->sk; j0 += KEYS) {
    int keys = p->sk - j0 < KEYS ? (int)(p->sk - j0) : KEYS;
    scoreTile(p, b, h, i0, rows, j0, keys, s);
    for (int r = 0; r < rows; ++r) {
      float *row = s + r * KEYS;
      float tileMax = -INFINITY;
      for (int j = 0; j < keys; ++j)
        tileMax = row[j] > tileMax || row[j] != row[j] ? row[j] : tileMax;
      float mNew = tileMax > m[r] || tileMax != tileMax ? tileMax : m[r];
      /* As softmax over the whole row: an all -inf row gives NaN. */
      float correction = expf(m[r] - mNew);
      float sum = avx2 ? expRowAvx2(row, keys, mNew)
                       : expRowScalar(row, keys, mNew);
      l[r] = l[r] * correction + sum;
      m[r] = mNew;
      accumulateValues(row, keys, v + j0 * p->dv, p->dv, correction,
                       acc + r * p->dv);
    }
  }
  float *out = p->out + ((b * p->heads + h) * p->sq + i0) * p->dv;
  for (int r = 0; r < rows; ++r) {
    /* The softmax of this row is NaN (all -inf or NaN scores). */
    int zero = p->zeroNanRows && l[r] != l[r];
    for (int64_t c = 0; c < p->dv; ++c)
      out[r * p->dv + c] = zero ? 0.0f : acc[r * p->dv + c] / l[r];
  }
}

__attribute__((target("avx2,fma"))) static void
attendTileAvx2(const Problem *p, int64_t b, int64_t h, int64_t i0, int rows,
               float *s, float *acc) {
  attendTile(p, b, h, i0, rows, 1, s, acc);
}

static void attendTileScalar(const Problem *p, int64_t b, int64_t h,
                             int64_t i0, int rows, float *s, float *acc) {
  attendTile(p, b, h, i0, rows, 0, s, acc);
}

void mase_sdpa(int64_t batch, int64_t heads, int64_t sq, int64_t sk,
               int64_t d, int64_t dv, uintptr_t q, uintptr_t kT, uintptr_t v,
               uintptr_t mask, int64_t maskStrideB, int64_t maskStrideH,
               int64_t maskStrideQ, int64_t maskStrideK, float scale,
               int32_t zeroNanRows, uintptr_t out) {
  __builtin_cpu_init();
  const char *forced = getenv("MASE_KERNEL_ISA");
  int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
             !(forced && strcmp(forced, "scalar") == 0);
  Problem p = {heads, sq, sk, d, dv,
               (const float *)q, (const float *)kT, (const float *)v,
               (const float *)mask,
               {maskStrideB, maskStrideH, maskStrideQ, maskStrideK},
               scale, zeroNanRows != 0, (float *)out};
  int64_t tiles = (sq + ROWS - 1) / ROWS;
#pragma omp parallel
  {
    float *s = allocate((size_t)ROWS * KEYS * sizeof(float));
    float *acc = allocate((size_t)ROWS * dv * sizeof(float));
#pragma omp for collapse(2) schedule(static)
    for (int64_t bh = 0; bh < batch * heads; ++bh)
      for (int64_t t = 0; t < tiles; ++t) {
        int64_t i0 = t * ROWS;
        int rows = sq - i0 < ROWS ? (int)(sq - i0) : ROWS;
        if (avx2)
          attendTileAvx2(&p, bh / heads, bh % heads, i0, rows, s, acc);
        else
          attendTileScalar(&p, bh / heads, bh % heads, i0, rows, s, acc);
      }
    free(s);
    free(acc);
  }
}
