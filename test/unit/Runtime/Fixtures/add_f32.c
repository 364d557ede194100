/* Test fixture: a hand-written "compiled model" implementing
 * include/mase-c/ModelABI.h, sum = a + b over f32[2x3]. It also defines
 * omp_set_num_threads, as a model linking libomp would provide it, and
 * records the calls so tests can check that the runtime applies the thread
 * count before each run. */

#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT const uint32_t mase_model_abi_version = 2;
EXPORT const char mase_model_signature[] = "mase-model\t2\n"
                                           "input\ta\tf32\t2x3\n"
                                           "input\tb\tf32\t2x3\n"
                                           "output\tsum\tf32\t2x3\n";

static _Thread_local int lastNumThreads = -1;
static int runs;

EXPORT void omp_set_num_threads(int n) { lastNumThreads = n; }

/* The value the last omp_set_num_threads call on this thread passed. */
EXPORT int fixture_last_num_threads(void) { return lastNumThreads; }
EXPORT int fixture_runs(void) { return __atomic_load_n(&runs, __ATOMIC_SEQ_CST); }

EXPORT void mase_model_entry(void **buffers) {
  const float *a = (const float *)buffers[0];
  const float *b = (const float *)buffers[1];
  float *sum = (float *)buffers[2];
  for (int i = 0; i < 6; ++i)
    sum[i] = a[i] + b[i];
  __atomic_add_fetch(&runs, 1, __ATOMIC_SEQ_CST);
}
