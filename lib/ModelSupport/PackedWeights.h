/*===- PackedWeights.h - packed weights of the GEMM kernels -------*- C -*-===*\
|*                                                                            *|
|* Private to lib/ModelSupport: reading weights packed by                    *|
|* mase_qgemm_pack_weights (mase-c/ModelSupport.h).                          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_LIB_MODELSUPPORT_PACKEDWEIGHTS_H
#define MASE_LIB_MODELSUPPORT_PACKEDWEIGHTS_H

#include "KernelSupport.h"

#include <stdint.h>

/* The `tiles` consecutive tiles of 16 features from tile `first` of weights
 * packed at `bits` (depth rounded up to `kp`), one byte a code: the packed
 * weights themselves at 8 bits, else their bit planes widened into
 * `buffer` (tiles * kp * 16 bytes) with `isa`'s instructions. */
const int8_t *mase_weight_tiles(const int8_t *packed, int32_t bits,
                                int64_t kp, int64_t first, int tiles,
                                KernelIsa isa, int8_t *buffer);

#endif /* MASE_LIB_MODELSUPPORT_PACKEDWEIGHTS_H */
