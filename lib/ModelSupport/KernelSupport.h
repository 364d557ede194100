/*===- KernelSupport.h - what the model support kernels share ---*- C -*-===*\
|*                                                                            *|
|* Private to lib/ModelSupport: the instruction set a kernel runs with and   *|
|* allocation of its scratch memory.                                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MASE_LIB_MODELSUPPORT_KERNELSUPPORT_H
#define MASE_LIB_MODELSUPPORT_KERNELSUPPORT_H

#include <stddef.h>

typedef enum { KERNEL_SCALAR, KERNEL_AVX2, KERNEL_AVX512_VNNI } KernelIsa;

/* The best instruction set the CPU has (AVX-512 F, BW and VNNI; AVX2 with
 * FMA; scalar), or a lower one that MASE_KERNEL_ISA=scalar|avx2 asks for. */
KernelIsa mase_kernel_isa(void);

/* malloc that reports and aborts, naming `kernel`, when memory runs out. */
void *mase_kernel_allocate(size_t bytes, const char *kernel);

#endif /* MASE_LIB_MODELSUPPORT_KERNELSUPPORT_H */
