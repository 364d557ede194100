/* Test fixture: a shared library with a signature but neither
 * mase_model_abi_version nor mase_model_entry. */

#define EXPORT __attribute__((visibility("default")))

EXPORT const char mase_model_signature[] = "mase-model\t2\n"
                                           "input\tx\tf32\t2\n"
                                           "output\ty\tf32\t2\n";

EXPORT int not_a_model(void) { return 0; }
