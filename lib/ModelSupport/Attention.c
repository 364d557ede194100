/*===- Attention.c - fused scaled dot-product attention -------------------===*\
|*                                                                            *|
|* mase_sdpa (semantics in mase-c/ModelSupport.h): the kernel of mase.sdpa, *|
|* flash-attention style. Per (batch, head) and tile of query rows, keys   *|
|* are visited in tiles: the tile's scores (query rows x key tile) are     *|
|* computed, masked and folded into a running row maximum, a running sum   *|
|* of exponentials and a running output (online softmax), so memory holds  *|
|* one score tile, never the whole score matrix. Parallel (OpenMP) over     *|
|* (batch, head, query tile); each thread copies the keys of the head it   *|
|* works on into contiguous tiles once. AVX-512 where the CPU has it (the  *|
|* whole 64-key width of a tile for 6 rows in registers: scores, softmax   *|
|* and values without a pass over memory between them), else AVX2         *|
|* (register blocks of 6 rows x 16 keys or outputs), else scalar C; both   *|
|* vector paths use one polynomial exp.                                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "KernelSupport.h"

#include "mase-c/ModelSupport.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

/* Query rows per tile, keys per tile, and the rows of the register blocks
 * (AVX2: 6 x 16 floats, 12 of 16 registers; AVX-512: 6 x 64, 24 of 32). */
enum { ROWS = 12, KEYS = 64, SCORE_ROWS = 6, VALUE_ROWS = 6 };

typedef struct {
  int64_t heads, sq, sk, d, dv;
  const float *q, *kT, *v, *mask;
  /* Element strides of (batch, head, row) of q, v and out (depth is
   * contiguous) and of (batch, head, query, key) of the mask. */
  int64_t qStride[3], vStride[3], outStride[3];
  int64_t maskStride[4];
  float scale;
  int zeroNanRows;
  float *out;
} Problem;

/* The exponential's range and reduction: x = n ln2 + r with ln2 split in
 * two for precision, and e^r's degree-6 Taylor coefficients from the
 * highest, 1/720, down to 1. */
static const float kExpHi = 88.7228f, kExpLo = -87.3365f;
static const float kLog2e = 1.44269504f, kLn2Hi = 0.693145752f,
                   kLn2Lo = 1.42860677e-6f;
static const float kExpPoly[] = {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6,
                                 0.5f,       1.0f,       1.0f};

/* e^x for eight floats: x = n ln2 + r, |r| <= ln2 / 2, e^r by the
 * polynomial (relative error below 2e-7), 2^n through the exponent bits.
 * Large negative x gives 0, large positive inf, NaN stays NaN. */
__attribute__((target("avx2,fma"))) static inline __m256 exp8(__m256 x) {
  const __m256 hi = _mm256_set1_ps(kExpHi), lo = _mm256_set1_ps(kExpLo);
  __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
  __m256 over = _mm256_cmp_ps(x, hi, _CMP_GT_OQ);
  __m256 under = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
  x = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(kLog2e)),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Hi), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Lo), r);
  __m256 p = _mm256_set1_ps(kExpPoly[0]);
  for (int i = 1; i < 7; ++i)
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kExpPoly[i]));
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

/* kT of one (batch, head) as key tiles: tile t holds kT[c][t * KEYS + j] at
 * packed[(t * d + c) * KEYS + j], keys past the end zero. A tile's rows are
 * then contiguous, where kT's rows are sk apart: a power-of-two stride that
 * maps a tile's rows onto a few L1 sets and evicts them while in use. */
static void packKeys(const Problem *p, int64_t b, int64_t h, float *packed) {
  const float *kT = p->kT + (b * p->heads + h) * p->d * p->sk;
  for (int64_t j0 = 0; j0 < p->sk; j0 += KEYS) {
    int keys = p->sk - j0 < KEYS ? (int)(p->sk - j0) : KEYS;
    float *tile = packed + j0 * p->d;
    for (int64_t c = 0; c < p->d; ++c) {
      const float *src = kT + c * p->sk + j0;
      float *dst = tile + c * KEYS;
      int j = 0;
      for (; j < keys; ++j)
        dst[j] = src[j];
      for (; j < KEYS; ++j)
        dst[j] = 0.0f;
    }
  }
}

/* Scores of `rows` query rows against a packed key tile of `keys` keys
 * from j0: scale * q.k + mask, into s[row][KEYS]; portable C. */
static void scoresScalar(const Problem *p, int64_t b, int64_t h, int64_t i0,
                         int rows, const float *tile, int64_t j0, int keys,
                         float *s) {
  for (int r = 0; r < rows; ++r) {
    const float *q = p->q + b * p->qStride[0] + h * p->qStride[1] +
                     (i0 + r) * p->qStride[2];
    /* Constant bounds keep the row in registers; padding keys are zero. */
    float t[KEYS] = {0};
    for (int64_t c = 0; c < p->d; ++c) {
      float x = q[c];
      const float *k = tile + c * KEYS;
      for (int j = 0; j < KEYS; ++j)
        t[j] += x * k[j];
    }
    for (int j = 0; j < keys; ++j)
      s[r * KEYS + j] = t[j] * p->scale + maskAt(p, b, h, i0 + r, j0 + j);
  }
}

/* o[0, dv) = o * correction + sum_j w[j] v[j], rows of v `stride` apart;
 * portable C. */
static void
accumulateValues(const float *w, int keys, const float *v, int64_t stride,
                 int64_t dv, float correction, float *o) {
  enum { WIDTH = 64 };
  int64_t c0 = 0;
  for (; c0 + WIDTH <= dv; c0 += WIDTH) {
    float t[WIDTH];
    for (int c = 0; c < WIDTH; ++c)
      t[c] = o[c0 + c] * correction;
    for (int j = 0; j < keys; ++j) {
      const float *vj = v + j * stride + c0;
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
      t += w[j] * v[j * stride + c];
    o[c] = t;
  }
}


/* One 6-row x 16-key block of AVX2 scores, q.k over the depth, into
 * s[row][KEYS], from a packed key tile (rows KEYS apart). */
__attribute__((target("avx2,fma"))) static inline void
scoreBlockAvx2(const float *const *q, const float *tile, int64_t d,
               float *s) {
  __m256 a[SCORE_ROWS][2];
  for (int r = 0; r < SCORE_ROWS; ++r)
    a[r][0] = a[r][1] = _mm256_setzero_ps();
  for (int64_t c = 0; c < d; ++c) {
    __m256 k0 = _mm256_loadu_ps(tile + c * KEYS);
    __m256 k1 = _mm256_loadu_ps(tile + c * KEYS + 8);
    for (int r = 0; r < SCORE_ROWS; ++r) {
      __m256 x = _mm256_broadcast_ss(q[r] + c);
      a[r][0] = _mm256_fmadd_ps(x, k0, a[r][0]);
      a[r][1] = _mm256_fmadd_ps(x, k1, a[r][1]);
    }
  }
  for (int r = 0; r < SCORE_ROWS; ++r) {
    _mm256_storeu_ps(s + r * KEYS, a[r][0]);
    _mm256_storeu_ps(s + r * KEYS + 8, a[r][1]);
  }
}

/* Scale and mask, vectorised when the mask runs along keys (or is absent). */
__attribute__((target("avx2,fma"))) static void
scaleAndMaskAvx2(const Problem *p, int64_t b, int64_t h, int64_t i0,
                 int rows, int64_t j0, int keys, float *s) {
  __m256 scale = _mm256_set1_ps(p->scale);
  for (int r = 0; r < rows; ++r) {
    float *row = s + r * KEYS;
    const float *mask =
        p->mask ? p->mask + b * p->maskStride[0] + h * p->maskStride[1] +
                      (i0 + r) * p->maskStride[2] + j0 * p->maskStride[3]
                : NULL;
    int j = 0;
    if (!mask || p->maskStride[3] == 1)
      for (; j + 8 <= keys; j += 8) {
        __m256 x = _mm256_mul_ps(_mm256_loadu_ps(row + j), scale);
        if (mask)
          x = _mm256_add_ps(x, _mm256_loadu_ps(mask + j));
        _mm256_storeu_ps(row + j, x);
      }
    for (; j < keys; ++j)
      row[j] = row[j] * p->scale + maskAt(p, b, h, i0 + r, j0 + j);
  }
}

/* The AVX2 score tile: blocks of 6 query rows x 16 keys in 12 registers,
 * each depth step two key loads and six broadcasts for twelve FMAs (keys
 * past the end are the packed tile's zeros; rows past `rows` repeat row 0:
 * both computed, never used). Then scale and mask. */
__attribute__((target("avx2,fma"))) static void
scoresAvx2(const Problem *p, int64_t b, int64_t h, int64_t i0, int rows,
           const float *tile, int64_t j0, int keys, float *s) {
  const float *q[ROWS];
  for (int r = 0; r < ROWS; ++r)
    q[r] = p->q + b * p->qStride[0] + h * p->qStride[1] +
           (i0 + (r < rows ? r : 0)) * p->qStride[2];
  for (int kb = 0; kb < keys; kb += 16)
    for (int r0 = 0; r0 < rows; r0 += SCORE_ROWS)
      scoreBlockAvx2(q + r0, tile + kb, p->d, s + r0 * KEYS + kb);
  scaleAndMaskAvx2(p, b, h, i0, rows, j0, keys, s);
}

/* The largest of `keys` scores, NaN when any is NaN (as softmax's max). */
__attribute__((target("avx2,fma"))) static float rowMaxAvx2(const float *row,
                                                             int keys) {
  __m256 best = _mm256_set1_ps(-INFINITY), nan = _mm256_setzero_ps();
  int j = 0;
  for (; j + 8 <= keys; j += 8) {
    __m256 x = _mm256_loadu_ps(row + j);
    best = _mm256_max_ps(best, x);
    nan = _mm256_or_ps(nan, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
  }
  float lanes[8], flags[8];
  _mm256_storeu_ps(lanes, best);
  _mm256_storeu_ps(flags, nan);
  float m = -INFINITY;
  int anyNan = 0;
  for (int l = 0; l < 8; ++l) {
    m = lanes[l] > m ? lanes[l] : m;
    anyNan |= flags[l] != 0.0f;
  }
  for (; j < keys; ++j) {
    m = row[j] > m ? row[j] : m;
    anyNan |= row[j] != row[j];
  }
  return anyNan ? NAN : m;
}

/* One 6-row x 16-output block of the AVX2 value step. `full` (16 outputs
 * in range) is a constant at each call, so that the common case compiles to
 * plain loads and stores: masked ones are slow on some CPUs (microcoded
 * stores on AMD Zen). */
__attribute__((target("avx2,fma"), always_inline)) static inline void
valueBlockAvx2(const float *w, int n, int keys, const float *v,
               int64_t stride, int64_t dv, const float *corr, float *acc,
               __m256i m0, __m256i m1, int full) {
  __m256 a[VALUE_ROWS][2];
  for (int r = 0; r < VALUE_ROWS; ++r) {
    int row = r < n ? r : 0;
    __m256 f = _mm256_set1_ps(corr[row]);
    const float *o = acc + row * dv;
    a[r][0] = _mm256_mul_ps(full ? _mm256_loadu_ps(o)
                                 : _mm256_maskload_ps(o, m0), f);
    a[r][1] = _mm256_mul_ps(full ? _mm256_loadu_ps(o + 8)
                                 : _mm256_maskload_ps(o + 8, m1), f);
  }
  for (int j = 0; j < keys; ++j) {
    const float *vj = v + j * stride;
    __m256 v0 = full ? _mm256_loadu_ps(vj) : _mm256_maskload_ps(vj, m0);
    __m256 v1 = full ? _mm256_loadu_ps(vj + 8) : _mm256_maskload_ps(vj + 8, m1);
    for (int r = 0; r < VALUE_ROWS; ++r) {
      __m256 x = _mm256_broadcast_ss(w + (r < n ? r : 0) * KEYS + j);
      a[r][0] = _mm256_fmadd_ps(x, v0, a[r][0]);
      a[r][1] = _mm256_fmadd_ps(x, v1, a[r][1]);
    }
  }
  for (int r = 0; r < n; ++r) {
    float *o = acc + r * dv;
    if (full) {
      _mm256_storeu_ps(o, a[r][0]);
      _mm256_storeu_ps(o + 8, a[r][1]);
    } else {
      _mm256_maskstore_ps(o, m0, a[r][0]);
      _mm256_maskstore_ps(o + 8, m1, a[r][1]);
    }
  }
}

/* The AVX2 value step for all rows of the tile: acc[r] = acc[r] * corr[r]
 * + sum_j w[r][j] v[j], in blocks of 6 rows x 16 outputs (12 registers),
 * each key two value loads and six broadcasts for twelve FMAs. */
__attribute__((target("avx2,fma"))) static void
valuesAvx2(const float *w, int rows, int keys, const float *v,
           int64_t stride, int64_t dv, const float *corr, float *acc) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int64_t c0 = 0; c0 < dv; c0 += 16) {
    __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(dv - c0)), lane);
    __m256i m1 =
        _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(dv - c0 - 8)), lane);
    for (int r0 = 0; r0 < rows; r0 += VALUE_ROWS) {
      int n = rows - r0 < VALUE_ROWS ? rows - r0 : VALUE_ROWS;
      const float *wr = w + r0 * KEYS;
      if (c0 + 16 <= dv)
        valueBlockAvx2(wr, n, keys, v + c0, stride, dv, corr + r0,
                       acc + r0 * dv + c0, m0, m1, 1);
      else
        valueBlockAvx2(wr, n, keys, v + c0, stride, dv, corr + r0,
                       acc + r0 * dv + c0, m0, m1, 0);
    }
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

#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* exp8's polynomial for sixteen floats, 2^n by scalef. */
AVX512 static inline __m512 exp16(__m512 x) {
  const __m512 hi = _mm512_set1_ps(kExpHi), lo = _mm512_set1_ps(kExpLo);
  __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
  __mmask16 over = _mm512_cmp_ps_mask(x, hi, _CMP_GT_OQ);
  __mmask16 under = _mm512_cmp_ps_mask(x, lo, _CMP_LT_OQ);
  __m512 c = _mm512_min_ps(_mm512_max_ps(x, lo), hi);
  __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(c, _mm512_set1_ps(kLog2e)),
                                  _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Hi), c);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Lo), r);
  __m512 p = _mm512_set1_ps(kExpPoly[0]);
  for (int i = 1; i < 7; ++i)
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kExpPoly[i]));
  __m512 y = _mm512_scalef_ps(p, n);
  y = _mm512_mask_mov_ps(y, under, _mm512_setzero_ps());
  y = _mm512_mask_mov_ps(y, over, _mm512_set1_ps(INFINITY));
  return _mm512_mask_add_ps(y, nan, x, x);
}

/* Lanes [16 t, 16 t + 16) of `count` that are in range, as a mask. */
static inline uint16_t lanesInRange(int64_t count, int t) {
  int64_t n = count - 16 * t;
  return n >= 16 ? 0xffff : n <= 0 ? 0 : (uint16_t)((1u << n) - 1);
}

/* Softmax step of `n` (<= 6) query rows from i0 against a packed key tile
 * of `keys` keys from j0, all in registers (6 rows x 64 keys): scores,
 * scale and mask, the rows' new running maxima m and sums l, their
 * correction factors corr and the exponentials w (rows KEYS apart; keys
 * past `keys` hold junk and are never read). Rows past n repeat row 0 and
 * are dropped. */
AVX512 static void softmaxBlockAvx512(const Problem *p, int64_t b, int64_t h,
                                      int64_t i0, int n, const float *tile,
                                      int64_t j0, int keys, float *m, float *l,
                                      float *corr, float *w) {
  enum { LANES = KEYS / 16 };
  const float *q[SCORE_ROWS];
  for (int r = 0; r < SCORE_ROWS; ++r)
    q[r] = p->q + b * p->qStride[0] + h * p->qStride[1] +
           (i0 + (r < n ? r : 0)) * p->qStride[2];
  __m512 a[SCORE_ROWS][LANES];
  for (int r = 0; r < SCORE_ROWS; ++r)
    for (int t = 0; t < LANES; ++t)
      a[r][t] = _mm512_setzero_ps();
  for (int64_t c = 0; c < p->d; ++c) {
    __m512 k[LANES];
    for (int t = 0; t < LANES; ++t)
      k[t] = _mm512_loadu_ps(tile + c * KEYS + 16 * t);
    for (int r = 0; r < SCORE_ROWS; ++r) {
      __m512 x = _mm512_set1_ps(q[r][c]);
      for (int t = 0; t < LANES; ++t)
        a[r][t] = _mm512_fmadd_ps(x, k[t], a[r][t]);
    }
  }
  __mmask16 valid[LANES];
  for (int t = 0; t < LANES; ++t)
    valid[t] = lanesInRange(keys, t);
  const __m512 scale = _mm512_set1_ps(p->scale);
  for (int r = 0; r < n; ++r) {
    int64_t i = i0 + r;
    float gathered[KEYS];
    const float *mask = NULL;
    if (p->mask && p->maskStride[3] == 1)
      mask = p->mask + b * p->maskStride[0] + h * p->maskStride[1] +
             i * p->maskStride[2] + j0;
    else if (p->mask) {
      for (int j = 0; j < keys; ++j)
        gathered[j] = maskAt(p, b, h, i, j0 + j);
      mask = gathered;
    }
    __m512 best = _mm512_set1_ps(-INFINITY);
    __mmask16 nan = 0;
    for (int t = 0; t < LANES; ++t) {
      __m512 x = _mm512_mul_ps(a[r][t], scale);
      if (mask)
        x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(valid[t], mask + 16 * t));
      a[r][t] = x;
      best = _mm512_mask_max_ps(best, valid[t], best, x);
      nan |= _mm512_mask_cmp_ps_mask(valid[t], x, x, _CMP_UNORD_Q);
    }
    float tileMax = nan ? NAN : _mm512_reduce_max_ps(best);
    float mNew = tileMax > m[r] || tileMax != tileMax ? tileMax : m[r];
    /* As softmax over the whole row: an all -inf row gives NaN. */
    corr[r] = expf(m[r] - mNew);
    __m512 sum = _mm512_setzero_ps(), mv = _mm512_set1_ps(mNew);
    for (int t = 0; t < LANES; ++t) {
      __m512 e = exp16(_mm512_sub_ps(a[r][t], mv));
      _mm512_storeu_ps(w + r * KEYS + 16 * t, e);
      sum = _mm512_mask_add_ps(sum, valid[t], sum, e);
    }
    l[r] = l[r] * corr[r] + _mm512_reduce_add_ps(sum);
    m[r] = mNew;
  }
}

/* The AVX-512 value step of up to 6 rows and 64 outputs: acc = acc * corr
 * + sum_j w[j] v[j], 24 accumulators; each key four value loads and six
 * broadcasts for 24 FMAs. `full` as in valueBlockAvx2. */
AVX512 __attribute__((always_inline)) static inline void
valueBlockAvx512(const float *w, int n, int keys, const float *v,
                 int64_t stride, int64_t dv, const float *corr, float *acc,
                 const __mmask16 *lanes, int full) {
  enum { LANES = KEYS / 16 };
  __m512 a[VALUE_ROWS][LANES];
  for (int r = 0; r < VALUE_ROWS; ++r) {
    int row = r < n ? r : 0;
    __m512 f = _mm512_set1_ps(corr[row]);
    for (int t = 0; t < LANES; ++t) {
      const float *o = acc + row * dv + 16 * t;
      a[r][t] = _mm512_mul_ps(
          full ? _mm512_loadu_ps(o) : _mm512_maskz_loadu_ps(lanes[t], o), f);
    }
  }
  for (int j = 0; j < keys; ++j) {
    __m512 vj[LANES];
    for (int t = 0; t < LANES; ++t)
      vj[t] = full ? _mm512_loadu_ps(v + j * stride + 16 * t)
                   : _mm512_maskz_loadu_ps(lanes[t], v + j * stride + 16 * t);
    for (int r = 0; r < VALUE_ROWS; ++r) {
      __m512 x = _mm512_set1_ps(w[(r < n ? r : 0) * KEYS + j]);
      for (int t = 0; t < LANES; ++t)
        a[r][t] = _mm512_fmadd_ps(x, vj[t], a[r][t]);
    }
  }
  for (int r = 0; r < n; ++r)
    for (int t = 0; t < LANES; ++t) {
      float *o = acc + r * dv + 16 * t;
      if (full)
        _mm512_storeu_ps(o, a[r][t]);
      else
        _mm512_mask_storeu_ps(o, lanes[t], a[r][t]);
    }
}

/* One key tile for the tile's rows, AVX-512: per 6 rows the softmax step,
 * then the value step in blocks of 64 outputs. */
AVX512 static void keyTileAvx512(const Problem *p, int64_t b, int64_t h,
                                 int64_t i0, int rows, const float *tile,
                                 int64_t j0, int keys, const float *v,
                                 float *m, float *l, float *corr, float *s,
                                 float *acc) {
  for (int r0 = 0; r0 < rows; r0 += SCORE_ROWS) {
    int n = rows - r0 < SCORE_ROWS ? rows - r0 : SCORE_ROWS;
    softmaxBlockAvx512(p, b, h, i0 + r0, n, tile, j0, keys, m + r0, l + r0,
                       corr + r0, s + r0 * KEYS);
  }
  for (int64_t c0 = 0; c0 < p->dv; c0 += KEYS) {
    __mmask16 lanes[KEYS / 16];
    for (int t = 0; t < KEYS / 16; ++t)
      lanes[t] = lanesInRange(p->dv - c0, t);
    for (int r0 = 0; r0 < rows; r0 += VALUE_ROWS) {
      int n = rows - r0 < VALUE_ROWS ? rows - r0 : VALUE_ROWS;
      float *o = acc + r0 * p->dv + c0;
      if (c0 + KEYS <= p->dv)
        valueBlockAvx512(s + r0 * KEYS, n, keys, v + c0, p->vStride[2], p->dv,
                         corr + r0, o, lanes, 1);
      else
        valueBlockAvx512(s + r0 * KEYS, n, keys, v + c0, p->vStride[2], p->dv,
                         corr + r0, o, lanes, 0);
    }
  }
}

/* One key tile for the tile's rows, AVX2 or scalar: scores into s, the
 * softmax step row by row over s, then the value step. */
static void keyTile(const Problem *p, int64_t b, int64_t h, int64_t i0,
                    int rows, int avx2, const float *tile, int64_t j0,
                    int keys, const float *v, float *m, float *l, float *corr,
                    float *s, float *acc) {
  if (avx2)
    scoresAvx2(p, b, h, i0, rows, tile, j0, keys, s);
  else
    scoresScalar(p, b, h, i0, rows, tile, j0, keys, s);
  for (int r = 0; r < rows; ++r) {
    float *row = s + r * KEYS;
    float tileMax = -INFINITY;
    if (avx2)
      tileMax = rowMaxAvx2(row, keys);
    else
      for (int j = 0; j < keys; ++j)
        tileMax = row[j] > tileMax || row[j] != row[j] ? row[j] : tileMax;
    float mNew = tileMax > m[r] || tileMax != tileMax ? tileMax : m[r];
    /* As softmax over the whole row: an all -inf row gives NaN. */
    corr[r] = expf(m[r] - mNew);
    float sum =
        avx2 ? expRowAvx2(row, keys, mNew) : expRowScalar(row, keys, mNew);
    l[r] = l[r] * corr[r] + sum;
    m[r] = mNew;
  }
  if (avx2)
    valuesAvx2(s, rows, keys, v, p->vStride[2], p->dv, corr, acc);
  else
    for (int r = 0; r < rows; ++r)
      accumulateValues(s + r * KEYS, keys, v, p->vStride[2], p->dv, corr[r],
                       acc + r * p->dv);
}

/* One tile of query rows of one (batch, head), all keys (`packed`, as
 * packKeys lays them out). */
static void attendTile(const Problem *p, int64_t b, int64_t h, int64_t i0,
                       int rows, KernelIsa isa, const float *packed, float *s,
                       float *acc) {
  float m[ROWS], l[ROWS], corr[ROWS];
  for (int r = 0; r < rows; ++r) {
    m[r] = -INFINITY;
    l[r] = 0.0f;
    for (int64_t c = 0; c < p->dv; ++c)
      acc[r * p->dv + c] = 0.0f;
  }
  const float *v = p->v + b * p->vStride[0] + h * p->vStride[1];
  for (int64_t j0 = 0; j0 < p->sk; j0 += KEYS) {
    int keys = p->sk - j0 < KEYS ? (int)(p->sk - j0) : KEYS;
    const float *tile = packed + j0 * p->d;
    const float *vt = v + j0 * p->vStride[2];
    if (isa == KERNEL_AVX512_VNNI)
      keyTileAvx512(p, b, h, i0, rows, tile, j0, keys, vt, m, l, corr, s,
                    acc);
    else
      keyTile(p, b, h, i0, rows, isa == KERNEL_AVX2, tile, j0, keys, vt, m, l,
              corr, s, acc);
  }
  for (int r = 0; r < rows; ++r) {
    float *out = p->out + b * p->outStride[0] + h * p->outStride[1] +
                 (i0 + r) * p->outStride[2];
    /* The softmax of this row is NaN (all -inf or NaN scores). */
    int zero = p->zeroNanRows && l[r] != l[r];
    for (int64_t c = 0; c < p->dv; ++c)
      out[c] = zero ? 0.0f : acc[r * p->dv + c] / l[r];
  }
}

void mase_sdpa(int64_t batch, int64_t heads, int64_t sq, int64_t sk,
               int64_t d, int64_t dv, int32_t sequenceMajor, uintptr_t q,
               uintptr_t kT, uintptr_t v, uintptr_t mask, int64_t maskStrideB,
               int64_t maskStrideH, int64_t maskStrideQ, int64_t maskStrideK,
               float scale, int32_t zeroNanRows, uintptr_t out) {
  KernelIsa isa = mase_kernel_isa();
  /* [B, H, S, D], or [B, S, H, D] (sequence-major: heads not split). */
#define STRIDES(s, depth)                                                      \
  {sequenceMajor ? s * heads * depth : heads * s * depth,                      \
   sequenceMajor ? depth : s * depth, sequenceMajor ? heads * depth : depth}
  Problem p = {heads, sq, sk, d, dv,
               (const float *)q, (const float *)kT, (const float *)v,
               (const float *)mask,
               STRIDES(sq, d), STRIDES(sk, dv), STRIDES(sq, dv),
               {maskStrideB, maskStrideH, maskStrideQ, maskStrideK},
               scale, zeroNanRows != 0, (float *)out};
#undef STRIDES
  int64_t tiles = (sq + ROWS - 1) / ROWS;
#pragma omp parallel
  {
    float *s =
        mase_kernel_allocate((size_t)ROWS * KEYS * sizeof(float), "mase_sdpa");
    float *acc =
        mase_kernel_allocate((size_t)ROWS * dv * sizeof(float), "mase_sdpa");
    /* The keys of the (batch, head) last packed: a static schedule gives
     * each thread runs of tiles of one head, which share one packing. */
    float *packed = mase_kernel_allocate(
        (size_t)((sk + KEYS - 1) / KEYS) * KEYS * d * sizeof(float),
        "mase_sdpa");
    int64_t packedHead = -1;
#pragma omp for collapse(2) schedule(static)
    for (int64_t bh = 0; bh < batch * heads; ++bh)
      for (int64_t t = 0; t < tiles; ++t) {
        if (bh != packedHead) {
          packKeys(&p, bh / heads, bh % heads, packed);
          packedHead = bh;
        }
        int64_t i0 = t * ROWS;
        int rows = sq - i0 < ROWS ? (int)(sq - i0) : ROWS;
        attendTile(&p, bh / heads, bh % heads, i0, rows, isa, packed, s,
                   acc);
      }
    free(s);
    free(acc);
    free(packed);
  }
}
