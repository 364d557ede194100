/*===- QuantizedGemm.c - int8 GEMM over packed weights --------------------===*\
|*                                                                            *|
|* mase_qgemm (semantics and weight layout in mase-c/ModelSupport.h): the    *|
|* kernel of native quantisation. Rows of A are first re-expressed as int8   *|
|* mantissas (per block, with a shared power-of-two scale), then every tile  *|
|* of 16 output features runs over all rows with one of three kernels,       *|
|* chosen at run time from the CPU (weights narrower than 8 bits are first  *|
|* widened from bit planes to one byte a code, a tile at a time):            *|
|*   - AVX-512 VNNI: vpdpbusd on (w + 128) as u8 times the s8 activations,  *|
|*     the 128 * sum(a) offset (once per row and block) subtracted per       *|
|*     block: 8 rows x 32 features;                                          *|
|*   - AVX2: both operands widened to int16, vpmaddwd: 2 rows x 16 features; *|
|*   - scalar C otherwise.                                                   *|
|* Every kernel computes each block's dot product exactly in int32, so all   *|
|* three give bit-identical results. MASE_KERNEL_ISA=scalar|avx2 forces a   *|
|* lower kernel (KernelSupport.h), for tests and benchmarks.                *|
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
enum { VNNI_ROWS = 8, AVX2_ROWS = 2, MAX_ROWS = 8 };

typedef struct {
  int64_t m, n, kp;     /* kp: depth rounded up to KR */
  int64_t blocks;       /* blocks per row */
  int64_t groups;       /* KR-deep groups per block */
  const uint8_t *wExp;  /* [n][blocks] exponents, or NULL */
  const void *a;        /* packed A: int16 (scalar, AVX2) or int8 (VNNI) */
  const float *aScale;  /* [m][blocks] */
  const int32_t *aOffset; /* VNNI: [m][blocks], 128 * the block's sum */
  const uint8_t *nonFinite; /* [m]: the row held inf or NaN */
  float scale;
  const float *bias; /* [n], or NULL */
  float *c;
} Problem;

static int64_t roundUp(int64_t v, int64_t multiple) {
  return (v + multiple - 1) / multiple * multiple;
}

/* 2^e as a float, exactly (ldexpf outside the normal range). */
static float exp2i(int e) {
  if (e < -126 || e > 127)
    return ldexpf(1.0f, e);
  union {
    uint32_t bits;
    float value;
  } u = {(uint32_t)(e + 127) << 23};
  return u.value;
}

/* Round half to even of |v| < 2^22 in the default rounding mode, without a
 * libm call: adding 1.5 * 2^23 leaves no fraction bits. */
static float roundHalfEven(float v) {
  const float shift = 12582912.0f;
  return (v + shift) - shift;
}

int mase_qgemm_block_mantissas(const float *x, int64_t count,
                               int8_t *mantissas, int32_t *exponent) {
  float maxAbs = 0.0f;
  int finite = 1;
  for (int64_t q = 0; q < count; ++q) {
    float v = fabsf(x[q]);
    finite &= v <= 3.402823466e38f;
    maxAbs = v > maxAbs ? v : maxAbs;
  }
  memset(mantissas, 0, (size_t)count);
  *exponent = 0;
  if (!finite)
    return 1;
  if (maxAbs == 0.0f)
    return 0;
  int s = ilogbf(maxAbs) - 6;
  /* A largest magnitude that is a power of two held only by negative
   * elements is the mantissa -128 one step down (8-bit block FP makes it). */
  int negativePower = maxAbs == exp2i(s + 6);
  for (int64_t q = 0; q < count && negativePower; ++q)
    negativePower = x[q] != maxAbs;
  s -= negativePower;
  *exponent = s;
  /* x * 2^-s is exact (or below 2^-126, which rounds to 0 either way), and
   * at most 128 in magnitude. */
  float inverse = exp2i(-s);
  for (int64_t q = 0; q < count; ++q) {
    float r = roundHalfEven(-s > 127 ? ldexpf(x[q], -s) : x[q] * inverse);
    mantissas[q] = (int8_t)(r > 127.0f ? 127.0f : r < -128.0f ? -128.0f : r);
  }
  return 0;
}

/* Row i of A as int8 mantissas (kp of them, zero padded) and per-block
 * scales; returns whether the row holds inf or NaN. */
static int mantissasOfRow(const Problem *p, int32_t aKind, const void *a,
                          int64_t k, int64_t block, int64_t i, int8_t *out,
                          float *scales) {
  memset(out, 0, (size_t)p->kp);
  if (aKind == MASE_QGEMM_INT8_CODES) {
    memcpy(out, (const int8_t *)a + i * k, (size_t)k);
    scales[0] = 1.0f;
    return 0;
  }
  const float *row = (const float *)a + i * k;
  int nonFinite = 0;
  for (int64_t b = 0; b < p->blocks; ++b) {
    int32_t s;
    nonFinite |= mase_qgemm_block_mantissas(row + b * block, block,
                                            out + b * block, &s);
    scales[b] = exp2i(s);
  }
  return nonFinite;
}

/* Per tile of output features: the weight scale of every (block, feature). */
static void prepareTile(const Problem *p, int64_t tile, const float *exp2Table,
                        float *wScale) {
  for (int64_t b = 0; b < p->blocks; ++b)
    for (int f = 0; f < NR; ++f) {
      int64_t j = tile * NR + f;
      wScale[b * NR + f] =
          j >= p->n ? 0.0f
          : p->wExp ? exp2Table[p->wExp[j * p->blocks + b]]
                    : 1.0f;
    }
}

static void tileScalar(const Problem *p, const int8_t *w, int64_t i0, int rows,
                       const float *wScale, float *acc) {
  const int16_t *a = (const int16_t *)p->a;
  for (int r = 0; r < rows; ++r)
    for (int f = 0; f < NR; ++f) {
      const int16_t *row = a + (i0 + r) * p->kp;
      float c = 0.0f;
      for (int64_t b = 0; b < p->blocks; ++b) {
        int32_t sum = 0;
        for (int64_t g = b * p->groups; g < (b + 1) * p->groups; ++g)
          for (int q = 0; q < KR; ++q)
            sum += row[g * KR + q] * w[g * TILE + f * KR + q];
        c = fmaf((float)sum,
                 wScale[b * NR + f] * p->aScale[(i0 + r) * p->blocks + b], c);
      }
      acc[r * NR + f] = c;
    }
}

/* Eight int32 lanes of (feature, half-sum) pairs, features 4q..4q+3, from
 * two such vectors to the eight features' sums in order. */
__attribute__((target("avx2,fma"))) static inline __m256i
pairSums(__m256i lo, __m256i hi) {
  return _mm256_permute4x64_epi64(_mm256_hadd_epi32(lo, hi), 0xD8);
}

__attribute__((target("avx2,fma"))) static void
tileAvx2(const Problem *p, const int8_t *w, int64_t i0, int rows,
         const float *wScale, float *acc) {
  const int16_t *a0 = (const int16_t *)p->a + i0 * p->kp;
  const int16_t *a1 = rows > 1 ? a0 + p->kp : a0;
  const float *s0 = p->aScale + i0 * p->blocks;
  const float *s1 = rows > 1 ? s0 + p->blocks : s0;
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00;
  for (int64_t b = 0; b < p->blocks; ++b) {
    __m256i x0 = _mm256_setzero_si256(), x1 = x0, x2 = x0, x3 = x0;
    __m256i y0 = x0, y1 = x0, y2 = x0, y3 = x0;
    for (int64_t g = b * p->groups; g < (b + 1) * p->groups; ++g) {
      const int8_t *wg = w + g * TILE;
      __m256i w0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)wg));
      __m256i w1 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(wg + 16)));
      __m256i w2 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(wg + 32)));
      __m256i w3 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(wg + 48)));
      long long v0, v1;
      memcpy(&v0, a0 + g * KR, sizeof(v0));
      memcpy(&v1, a1 + g * KR, sizeof(v1));
      __m256i r0 = _mm256_set1_epi64x(v0), r1 = _mm256_set1_epi64x(v1);
      x0 = _mm256_add_epi32(x0, _mm256_madd_epi16(w0, r0));
      x1 = _mm256_add_epi32(x1, _mm256_madd_epi16(w1, r0));
      x2 = _mm256_add_epi32(x2, _mm256_madd_epi16(w2, r0));
      x3 = _mm256_add_epi32(x3, _mm256_madd_epi16(w3, r0));
      y0 = _mm256_add_epi32(y0, _mm256_madd_epi16(w0, r1));
      y1 = _mm256_add_epi32(y1, _mm256_madd_epi16(w1, r1));
      y2 = _mm256_add_epi32(y2, _mm256_madd_epi16(w2, r1));
      y3 = _mm256_add_epi32(y3, _mm256_madd_epi16(w3, r1));
    }
    __m256 ws0 = _mm256_loadu_ps(wScale + b * NR);
    __m256 ws1 = _mm256_loadu_ps(wScale + b * NR + 8);
    __m256 as0 = _mm256_set1_ps(s0[b]), as1 = _mm256_set1_ps(s1[b]);
    c00 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pairSums(x0, x1)),
                          _mm256_mul_ps(ws0, as0), c00);
    c01 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pairSums(x2, x3)),
                          _mm256_mul_ps(ws1, as0), c01);
    c10 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pairSums(y0, y1)),
                          _mm256_mul_ps(ws0, as1), c10);
    c11 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pairSums(y2, y3)),
                          _mm256_mul_ps(ws1, as1), c11);
  }
  _mm256_storeu_ps(acc, c00);
  _mm256_storeu_ps(acc + 8, c01);
  _mm256_storeu_ps(acc + NR, c10);
  _mm256_storeu_ps(acc + NR + 8, c11);
}

/* `rows` rows by `vectors` (1 or 2) adjacent tiles of 16 features (their
 * weights at `w`, one byte a code): 16
 * independent int32 accumulators when both are 8 and 2, enough to keep
 * vpdpbusd's pipelines busy. vpdpbusd takes its unsigned operand from the
 * weights, offset by 128 as they are loaded (a shared xor), so that the
 * correction is per row, computed once with the activations. The float
 * sums stay in `acc` ([vector][row][16]), updated once per block. */
__attribute__((target("avx512f,avx512vnni"), always_inline)) static inline void
tileVnniRows(const Problem *p, const int8_t *w, const int vectors, int64_t i0,
             const int rows, const float *const *wScale, float *acc) {
  const int64_t tileBytes = (p->kp / KR) * TILE;
  const int8_t *a = (const int8_t *)p->a + i0 * p->kp;
  const __m512i bias = _mm512_set1_epi8((char)0x80);
  __m512i s[2][MAX_ROWS];
  for (int v = 0; v < vectors; ++v)
    for (int r = 0; r < rows; ++r)
      _mm512_storeu_ps(acc + (v * MAX_ROWS + r) * NR, _mm512_setzero_ps());
  for (int64_t b = 0; b < p->blocks; ++b) {
    for (int v = 0; v < vectors; ++v)
      for (int r = 0; r < rows; ++r)
        s[v][r] = _mm512_setzero_si512();
    for (int64_t g = b * p->groups; g < (b + 1) * p->groups; ++g) {
      __m512i wg[2];
      for (int v = 0; v < vectors; ++v)
        wg[v] = _mm512_xor_si512(
            _mm512_loadu_si512(w + v * tileBytes + g * TILE), bias);
      for (int r = 0; r < rows; ++r) {
        int32_t quad;
        memcpy(&quad, a + r * p->kp + g * KR, sizeof(quad));
        __m512i x = _mm512_set1_epi32(quad);
        for (int v = 0; v < vectors; ++v)
          s[v][r] = _mm512_dpbusd_epi32(s[v][r], wg[v], x);
      }
    }
    for (int v = 0; v < vectors; ++v) {
      __m512 ws = _mm512_loadu_ps(wScale[v] + b * NR);
      for (int r = 0; r < rows; ++r) {
        float *c = acc + (v * MAX_ROWS + r) * NR;
        __m512 as = _mm512_set1_ps(p->aScale[(i0 + r) * p->blocks + b]);
        __m512i offset =
            _mm512_set1_epi32(p->aOffset[(i0 + r) * p->blocks + b]);
        _mm512_storeu_ps(
            c, _mm512_fmadd_ps(
                   _mm512_cvtepi32_ps(_mm512_sub_epi32(s[v][r], offset)),
                   _mm512_mul_ps(ws, as), _mm512_loadu_ps(c)));
      }
    }
  }
}

__attribute__((target("avx512f,avx512vnni"))) static void
tileVnni(const Problem *p, const int8_t *w, int vectors, int64_t i0, int rows,
         const float *const *wScale, float *acc) {
  switch (rows * 2 + vectors - 1) {
#define ROWS(R)                                                                \
  case R * 2:                                                                  \
    tileVnniRows(p, w, 1, i0, R, wScale, acc);                                 \
    break;                                                                     \
  case R * 2 + 1:                                                              \
    tileVnniRows(p, w, 2, i0, R, wScale, acc);                                 \
    break;
    ROWS(1) ROWS(2) ROWS(3) ROWS(4) ROWS(5) ROWS(6) ROWS(7) ROWS(8)
#undef ROWS
  }
}

static void storeTile(const Problem *p, int64_t tile, int64_t i0, int rows,
                      const float *acc) {
  int64_t j0 = tile * NR;
  int64_t features = p->n - j0 < NR ? p->n - j0 : NR;
  const float scale = p->scale;
  const float *restrict bias = p->bias ? p->bias + j0 : NULL;
  for (int r = 0; r < rows; ++r) {
    float *restrict out = p->c + (i0 + r) * p->n + j0;
    const float *restrict sums = acc + r * NR;
    if (p->nonFinite[i0 + r]) {
      for (int64_t f = 0; f < features; ++f)
        out[f] = NAN;
      continue;
    }
    if (bias) {
      /* Rounded after the product and after the sum, as a separate bias
       * addition rounds them. */
#pragma STDC FP_CONTRACT OFF
      for (int64_t f = 0; f < features; ++f) {
        float product = sums[f] * scale;
        out[f] = product + bias[f];
      }
    } else {
      for (int64_t f = 0; f < features; ++f)
        out[f] = sums[f] * scale;
    }
  }
}

/* A row of mantissas as the kernels read it: int8 and, per block, 128
 * times their sum (`offsets`) for VNNI; int16 for the others. */
static void packRow(const Problem *p, const int8_t *restrict mantissas,
                    KernelIsa isa, void *restrict out,
                    int32_t *restrict offsets) {
  int64_t count = p->kp;
  if (isa == KERNEL_AVX512_VNNI) {
    memcpy(out, mantissas, (size_t)count);
    int64_t depth = p->groups * KR;
    for (int64_t b = 0; b < p->blocks; ++b) {
      int32_t sum = 0;
      for (int64_t q = b * depth; q < (b + 1) * depth; ++q)
        sum += mantissas[q];
      offsets[b] = sum * 128;
    }
  } else {
    int16_t *restrict words = out;
    for (int64_t q = 0; q < count; ++q)
      words[q] = mantissas[q];
  }
}

void mase_qgemm(int64_t m, int64_t n, int64_t k, int64_t block, uintptr_t a,
                int32_t aKind, uintptr_t wPacked, int32_t wBits,
                uintptr_t wExponents, float scale, uintptr_t bias,
                uintptr_t c) {
  KernelIsa isa = mase_kernel_isa();
  Problem p;
  p.m = m;
  p.n = n;
  p.kp = roundUp(k, KR);
  p.blocks = aKind == MASE_QGEMM_INT8_CODES ? 1 : k / block;
  p.groups = aKind == MASE_QGEMM_INT8_CODES ? p.kp / KR : block / KR;
  p.wExp = (const uint8_t *)wExponents;
  p.scale = scale;
  p.bias = (const float *)bias;
  p.c = (float *)c;

  size_t elementBytes = isa == KERNEL_AVX512_VNNI ? 1 : 2;
  void *aPacked =
      mase_kernel_allocate((size_t)(m * p.kp) * elementBytes, "mase_qgemm");
  float *aScale = mase_kernel_allocate((size_t)(m * p.blocks) * sizeof(float),
                                       "mase_qgemm");
  uint8_t *nonFinite = mase_kernel_allocate((size_t)m, "mase_qgemm");
  int32_t *aOffset = mase_kernel_allocate(
      (size_t)(m * p.blocks) * sizeof(int32_t), "mase_qgemm");
  p.a = aPacked;
  p.aOffset = aOffset;
  p.aScale = aScale;
  p.nonFinite = nonFinite;
  float exp2Table[256];
  for (int e = 0; e < 255; ++e)
    exp2Table[e] = exp2i(e - 133);
  exp2Table[255] = NAN;

  int64_t tiles = (n + NR - 1) / NR;
  int rowStep = isa == KERNEL_AVX512_VNNI ? VNNI_ROWS
                : isa == KERNEL_AVX2      ? AVX2_ROWS
                                          : 1;
#pragma omp parallel
  {
    int8_t *mantissas = mase_kernel_allocate((size_t)p.kp, "mase_qgemm");
#pragma omp for schedule(static)
    for (int64_t i = 0; i < m; ++i) {
      nonFinite[i] = (uint8_t)mantissasOfRow(&p, aKind, (const void *)a, k,
                                             block, i, mantissas,
                                             aScale + i * p.blocks);
      packRow(&p, mantissas, isa,
              (char *)aPacked + i * p.kp * (int64_t)elementBytes,
              aOffset + i * p.blocks);
    }
    free(mantissas);

    /* Per thread: scales of two tiles, the float sums of a tile of rows.
     * VNNI takes two tiles of features at a time. */
    float *wScale[2];
    for (int v = 0; v < 2; ++v)
      wScale[v] = mase_kernel_allocate((size_t)(p.blocks * NR) * sizeof(float),
                                       "mase_qgemm");
    float acc[2 * MAX_ROWS * NR];
    int64_t step = isa == KERNEL_AVX512_VNNI ? 2 : 1;
    int8_t *widened =
        wBits == 8 ? NULL
                   : mase_kernel_allocate((size_t)(step * p.kp * NR),
                                          "mase_qgemm");
#pragma omp for schedule(static)
    for (int64_t first = 0; first < tiles; first += step) {
      int vectors = first + 1 < tiles ? (int)step : 1;
      const int8_t *w = mase_weight_tiles((const int8_t *)wPacked, wBits, p.kp,
                                          first, vectors, isa, widened);
      for (int v = 0; v < vectors; ++v)
        prepareTile(&p, first + v, exp2Table, wScale[v]);
      for (int64_t i0 = 0; i0 < m; i0 += rowStep) {
        int rows = m - i0 < rowStep ? (int)(m - i0) : rowStep;
        if (isa == KERNEL_AVX512_VNNI)
          tileVnni(&p, w, vectors, i0, rows, (const float *const *)wScale,
                   acc);
        else if (isa == KERNEL_AVX2)
          tileAvx2(&p, w, i0, rows, wScale[0], acc);
        else
          tileScalar(&p, w, i0, rows, wScale[0], acc);
        for (int v = 0; v < vectors; ++v)
          storeTile(&p, first + v, i0, rows, acc + v * MAX_ROWS * NR);
      }
    }
    for (int v = 0; v < 2; ++v)
      free(wScale[v]);
    free(widened);
  }
  free(aPacked);
  free(aScale);
  free(aOffset);
  free(nonFinite);
}
