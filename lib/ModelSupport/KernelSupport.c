/*===- KernelSupport.c - what the model support kernels share -------------===*/

#include "KernelSupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

KernelIsa mase_kernel_isa(void) {
  __builtin_cpu_init();
  int vnni = __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vnni");
  int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const char *forced = getenv("MASE_KERNEL_ISA");
  if (forced && strcmp(forced, "scalar") == 0)
    return KERNEL_SCALAR;
  if (forced && strcmp(forced, "avx2") == 0)
    return avx2 ? KERNEL_AVX2 : KERNEL_SCALAR;
  return vnni ? KERNEL_AVX512_VNNI : avx2 ? KERNEL_AVX2 : KERNEL_SCALAR;
}

void *mase_kernel_allocate(size_t bytes, const char *kernel) {
  void *memory = malloc(bytes ? bytes : 1);
  if (!memory) {
    fprintf(stderr, "%s: out of memory (%zu bytes)\n", kernel, bytes);
    abort();
  }
  return memory;
}
