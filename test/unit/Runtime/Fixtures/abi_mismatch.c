/* Test fixture: a model written for a future model ABI version. */

#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT const uint32_t mase_model_abi_version = 999;
EXPORT const char mase_model_signature[] = "mase-model\t999\n"
                                           "input\tx\tf32\t2\n"
                                           "output\ty\tf32\t2\n";

EXPORT void mase_model_entry(void **buffers) { (void)buffers; }
