/*===- mase-c/ModelSupport.h - functions linked into every model --*- C -*-===*\
|*                                                                            *|
|* lib/ModelSupport is a static archive that mase-compile links into every   *|
|* model library (symbols hidden). Besides MLIR's generic memref allocation   *|
|* functions (a buffer cache), it provides what compiled code calls:          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_C_MODELSUPPORT_H
#define MASE_C_MODELSUPPORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MASE's local l1-norm activation threshold: torch.quantile(|x|, sparsity)
 * with linear interpolation in float32, over the `count` floats at address
 * `data`; NaN when any is NaN. mase.prune_activation lowers to a call. */
float mase_activation_l1_threshold(uintptr_t data, int64_t count,
                                   float sparsity);

#ifdef __cplusplus
}
#endif

#define MASE_ACTIVATION_L1_THRESHOLD_SYMBOL "mase_activation_l1_threshold"

#endif /* MASE_C_MODELSUPPORT_H */
