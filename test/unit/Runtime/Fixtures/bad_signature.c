/* Test fixture: exports the model symbols, but its signature names an
 * element type that does not exist. */

#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT const uint32_t mase_model_abi_version = 2;
EXPORT const char mase_model_signature[] = "mase-model\t2\n"
                                           "input\tx\tf128\t2\n"
                                           "output\ty\tf32\t2\n";

EXPORT void mase_model_entry(void **buffers) { (void)buffers; }
