/*===- mase-c/ModelABI.h - symbols of a compiled mase model -------*- C -*-===*\
|*                                                                            *|
|* The contract between `mase-compile` (which emits these symbols into every  *|
|* model shared library) and the runtime (lib/Runtime, include/mase-c/        *|
|* Runtime.h), which dlopen()s the library and finds them. Users call the     *|
|* runtime API, never these symbols directly.                                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* A compiled model `.so` exports exactly three symbols:
 *
 *   const uint32_t mase_model_abi_version;
 *       MASE_MODEL_ABI_VERSION of the compiler that wrote it.
 *
 *   const char mase_model_signature[];
 *       NUL-terminated text, one line (ended by '\n') per item:
 *         line 1:       "mase-model" TAB <abi version>
 *         then, in order, one line per input and then per output:
 *                       ("input" | "output") TAB <name> TAB <type> TAB <shape>
 *       <name>  the ONNX value name, with '%', TAB, '\n' and '\r' written as
 *               %25, %09, %0A and %0D;
 *       <type>  f32 f64 f16 bf16 i8 i16 i32 i64 u8 u16 u32 u64 bool;
 *       <shape> the dimensions joined by 'x' ("2x128"); empty for a scalar.
 *
 *   void mase_model_entry(void **buffers);
 *       Runs the model once. `buffers` holds one pointer per input, then one
 *       per output, in signature order; each points to a dense row-major
 *       array of the signature's type and shape (bool: one byte, 0 or 1).
 *       Inputs are read only; outputs are fully written. Calls on different
 *       threads may run at once. Parallel loops use OpenMP: the library links
 *       libomp, and `omp_set_num_threads` on the calling thread sets the
 *       thread count of its next runs.
 *
 * Weights are constants inside the library. Nothing else is exported.
 */

#ifndef MASE_C_MODELABI_H
#define MASE_C_MODELABI_H

#define MASE_MODEL_ABI_VERSION 1

#define MASE_MODEL_ABI_VERSION_SYMBOL "mase_model_abi_version"
#define MASE_MODEL_SIGNATURE_SYMBOL "mase_model_signature"
#define MASE_MODEL_ENTRY_SYMBOL "mase_model_entry"

#endif /* MASE_C_MODELABI_H */
