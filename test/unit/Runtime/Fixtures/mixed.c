/* Test fixture: a hand-written "compiled model" (include/mase-c/ModelABI.h)
 * with several element types, a scalar, and an escaped name, and no OpenMP:
 *   inputs  ids i64[4], scale f64 (scalar), "m%ask" bool[4]
 *   outputs y f64[4] = mask ? ids * scale : 0
 *           count i32 (scalar) = number of true mask elements
 *           h f16[2] = {1.0, -2.0} */

#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT const uint32_t mase_model_abi_version = 2;
EXPORT const char mase_model_signature[] = "mase-model\t2\n"
                                           "input\tids\ti64\t4\n"
                                           "input\tscale\tf64\t\n"
                                           "input\tm%25ask\tbool\t4\n"
                                           "output\ty\tf64\t4\n"
                                           "output\tcount\ti32\t\n"
                                           "output\th\tf16\t2\n";

EXPORT void mase_model_entry(void **buffers) {
  const int64_t *ids = (const int64_t *)buffers[0];
  double scale = *(const double *)buffers[1];
  const uint8_t *mask = (const uint8_t *)buffers[2];
  double *y = (double *)buffers[3];
  int32_t *count = (int32_t *)buffers[4];
  uint16_t *h = (uint16_t *)buffers[5];
  *count = 0;
  for (int i = 0; i < 4; ++i) {
    y[i] = mask[i] ? (double)ids[i] * scale : 0.0;
    *count += mask[i] != 0;
  }
  h[0] = 0x3C00; /* 1.0 */
  h[1] = 0xC000; /* -2.0 */
}
