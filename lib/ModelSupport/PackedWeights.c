/*===- PackedWeights.c - packed weights of the GEMM kernels ---------------===*\
|*                                                                            *|
|* Packing of integer weight codes for mase_qgemm and mase_int_weight_gemm   *|
|* (the layout is in mase-c/ModelSupport.h): tiles of 16 features by 4       *|
|* depths, one byte a code at 8 bits, bit planes below; and the widening of  *|
|* bit planes back to bytes, one tile at a time, that both kernels run.     *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "PackedWeights.h"

#include "mase-c/ModelSupport.h"

#include <immintrin.h>
#include <string.h>

enum { NR = MASE_QGEMM_COLUMNS, KR = MASE_QGEMM_DEPTH, TILE = NR * KR };

static int64_t roundUp(int64_t v, int64_t multiple) {
  return (v + multiple - 1) / multiple * multiple;
}

int64_t mase_qgemm_packed_size(int64_t n, int64_t k, int32_t wBits) {
  if (wBits < 1 || wBits > 8)
    return 0;
  /* A multiple of 64 codes: each bit plane of a group is 8 whole bytes. */
  return roundUp(n, NR) * roundUp(k, KR) / 8 * wBits;
}

void mase_qgemm_pack_weights(const int8_t *w, int64_t n, int64_t k,
                             int32_t wBits, int8_t *packed) {
  int64_t kp = roundUp(k, KR);
  memset(packed, 0, (size_t)mase_qgemm_packed_size(n, k, wBits));
  for (int64_t j = 0; j < n; ++j)
    for (int64_t q = 0; q < k; ++q) {
      int64_t at =
          ((j / NR) * (kp / KR) + q / KR) * TILE + (j % NR) * KR + q % KR;
      if (wBits == 8) {
        packed[at] = w[j * k + q];
        continue;
      }
      /* Bit t of plane b of a group is bit b of its code t. */
      uint8_t *group = (uint8_t *)packed + at / TILE * (TILE / 8) * wBits;
      int64_t t = at % TILE;
      for (int b = 0; b < wBits; ++b)
        group[b * (TILE / 8) + t / 8] |=
            (uint8_t)((((uint8_t)w[j * k + q] >> b) & 1) << (t % 8));
    }
}

/* What bit plane b of `bits` contributes to a code's byte where its bit is
 * set: 2^b, and for the sign plane every bit from b up (sign extension). */
static uint8_t planeValue(int b, int bits) {
  return (uint8_t)(b == bits - 1 ? 0xFF << b : 1 << b);
}

/* Widens `groups` groups of `bits` bit planes to 64 codes each. */
static void widenPlanes(const uint8_t *in, int bits, int64_t groups,
                        int8_t *out) {
  for (int64_t g = 0; g < groups; ++g)
    for (int t = 0; t < TILE; ++t) {
      uint8_t code = 0;
      for (int b = 0; b < bits; ++b)
        if ((in[(g * bits + b) * (TILE / 8) + t / 8] >> (t % 8)) & 1)
          code |= planeValue(b, bits);
      out[g * TILE + t] = (int8_t)code;
    }
}

/* The same, each plane's 64 bits a byte mask (vmovdqu8 with zero masking). */
__attribute__((target("avx512f,avx512bw"))) static void
widenPlanesAvx512(const uint8_t *in, int bits, int64_t groups, int8_t *out) {
  __m512i values[8];
  for (int b = 0; b < bits; ++b)
    values[b] = _mm512_set1_epi8((char)planeValue(b, bits));
  for (int64_t g = 0; g < groups; ++g) {
    __m512i code = _mm512_setzero_si512();
    for (int b = 0; b < bits; ++b) {
      uint64_t plane;
      memcpy(&plane, in + (g * bits + b) * (TILE / 8), sizeof(plane));
      code = _mm512_or_si512(code, _mm512_maskz_mov_epi8(plane, values[b]));
    }
    _mm512_storeu_si512(out + g * TILE, code);
  }
}

/* The same with AVX2: each 32-bit half of a plane spread to 32 bytes (byte
 * t takes byte t / 8 of the half, tested against bit t % 8). */
__attribute__((target("avx2"))) static void
widenPlanesAvx2(const uint8_t *in, int bits, int64_t groups, int8_t *out) {
  const __m256i spread = _mm256_setr_epi8(
      0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
      3, 3, 3, 3, 3, 3, 3, 3);
  const __m256i bit = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
  __m256i values[8];
  for (int b = 0; b < bits; ++b)
    values[b] = _mm256_set1_epi8((char)planeValue(b, bits));
  for (int64_t g = 0; g < groups; ++g)
    for (int half = 0; half < 2; ++half) {
      __m256i code = _mm256_setzero_si256();
      for (int b = 0; b < bits; ++b) {
        int32_t plane;
        memcpy(&plane, in + (g * bits + b) * (TILE / 8) + half * 4,
               sizeof(plane));
        __m256i bytes =
            _mm256_shuffle_epi8(_mm256_set1_epi32(plane), spread);
        __m256i set =
            _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bit), bit);
        code = _mm256_or_si256(code, _mm256_and_si256(set, values[b]));
      }
      _mm256_storeu_si256((__m256i *)(out + g * TILE + half * 32), code);
    }
}

const int8_t *mase_weight_tiles(const int8_t *packed, int32_t bits,
                                int64_t kp, int64_t first, int tiles,
                                KernelIsa isa, int8_t *buffer) {
  int64_t groups = kp / KR;
  if (bits == 8)
    return packed + first * groups * TILE;
  const uint8_t *in =
      (const uint8_t *)packed + first * groups * (TILE / 8) * bits;
  if (isa == KERNEL_AVX512_VNNI)
    widenPlanesAvx512(in, bits, tiles * groups, buffer);
  else if (isa == KERNEL_AVX2)
    widenPlanesAvx2(in, bits, tiles * groups, buffer);
  else
    widenPlanes(in, bits, tiles * groups, buffer);
  return buffer;
}
