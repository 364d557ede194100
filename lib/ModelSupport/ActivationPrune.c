/*===- ActivationPrune.c - MASE's activation pruning at run time ----------===*\
|*                                                                            *|
|* The threshold of MASE's local l1-norm activation pruning, computed on      *|
|* every run over the whole tensor: torch.quantile(|x|, sparsity) with linear *|
|* interpolation in float32. lib/Numerics/Prune.cpp computes the same for     *|
|* weights at compile time; a unit test keeps the two equal bit for bit.      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "mase-c/ModelSupport.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define HIDDEN __attribute__((visibility("hidden")))

void *_mlir_memref_to_llvm_alloc(size_t size);
void _mlir_memref_to_llvm_free(void *data);

/* Moves the k-th smallest of v[0, n) to v[k], smaller ones before it and
 * larger or equal ones after it (quickselect, median-of-three pivots). */
static void selectKth(float *v, int64_t n, int64_t k) {
  int64_t lo = 0, hi = n - 1;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    float a = v[lo], b = v[mid], c = v[hi];
    float pivot = a < b ? (b < c ? b : (a < c ? c : a))
                        : (a < c ? a : (b < c ? c : b));
    int64_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot)
        ++i;
      while (v[j] > pivot)
        --j;
      if (i <= j) {
        float t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return;
  }
}

/* torch.lerp for float32. */
static float lerp(float a, float b, float w) {
  return fabsf(w) < 0.5f ? a + w * (b - a) : b - (b - a) * (1.0f - w);
}

HIDDEN float mase_activation_l1_threshold(uintptr_t data, int64_t n,
                                          float sparsity) {
  const float *x = (const float *)data;
  if (n <= 0)
    return NAN;
  float *v = (float *)_mlir_memref_to_llvm_alloc((size_t)n * sizeof(float));
  if (!v)
    abort();
  for (int64_t i = 0; i < n; ++i) {
    if (isnan(x[i])) {
      _mlir_memref_to_llvm_free(v);
      return NAN;
    }
    v[i] = fabsf(x[i]);
  }
  /* torch computes the rank in the input's dtype. */
  float rank = sparsity * (float)(n - 1);
  int64_t lo = (int64_t)floorf(rank), hi = (int64_t)ceilf(rank);
  if (hi > n - 1)
    hi = n - 1;
  if (lo > hi)
    lo = hi;
  selectKth(v, n, lo);
  float low = v[lo], high = low;
  if (hi != lo) {
    high = v[lo + 1];
    for (int64_t i = lo + 2; i < n; ++i)
      if (v[i] < high)
        high = v[i];
  }
  _mlir_memref_to_llvm_free(v);
  return lerp(low, high, rank - (float)lo);
}
