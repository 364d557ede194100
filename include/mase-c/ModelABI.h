/*===- mase-c/ModelABI.h - symbols of a compiled mase model -------*- C -*-===*\
|*                                                                            *|
|* The contract between `mase-compile` (which emits these symbols into every  *|
|* model shared library) and the runtime (lib/Runtime, include/mase-c/        *|
|* Runtime.h), which dlopen()s the library and finds them. Users call the     *|
|* runtime API, never these symbols directly.                                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* A compiled model `.so` exports three symbols, and three more when its
 * weights lie in a side file:
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
 * A model compiled for an NVIDIA GPU (`mase-compile --target=cuda`) also
 * exports:
 *
 *   const char *mase_model_take_error(void);
 *       The first CUDA error (or the reason there is no usable GPU) since
 *       the last call, or NULL; the runtime calls it after loading the
 *       library (which loads the kernels) and after each run. Its buffers
 *       may be host or device memory: the model copies them to and from
 *       its own device buffers.
 *   void mase_model_device_memory(uint64_t *weights, uint64_t *peak);
 *       Bytes of device memory the weights' copies take (made on the first
 *       run), and the most the model has held at once (weights included).
 *
 * Weights are constants inside the library, or, for a large model (see
 * `mase-compile --weights`), in the side file `<library path>.weights`,
 * which the runtime maps read-only and hands to the library before the first
 * run. Such a library also exports:
 *
 *   const uint64_t mase_model_weights_size;
 *       Bytes of weight data after the side file's header.
 *   const uint64_t mase_model_weights_digest;
 *       The digest in the side file's header: a library only runs with the
 *       weights written by the same compilation.
 *   void mase_model_bind_weights(const void *data);
 *       Points the library at the weight data (the side file's bytes after
 *       its header, 64-byte aligned), which must stay mapped while the
 *       library runs.
 *
 * The side file: a 64-byte header, then the weight data. The header holds
 * the 8 bytes MASE_WEIGHTS_MAGIC, then little-endian: uint32 format version
 * (MASE_WEIGHTS_FORMAT_VERSION), uint32 zero, uint64 digest, uint64 data
 * size; the rest is zero.
 *
 * Nothing else is exported.
 */

#ifndef MASE_C_MODELABI_H
#define MASE_C_MODELABI_H

#define MASE_MODEL_ABI_VERSION 2

#define MASE_MODEL_ABI_VERSION_SYMBOL "mase_model_abi_version"
#define MASE_MODEL_SIGNATURE_SYMBOL "mase_model_signature"
#define MASE_MODEL_ENTRY_SYMBOL "mase_model_entry"
#define MASE_MODEL_WEIGHTS_SIZE_SYMBOL "mase_model_weights_size"
#define MASE_MODEL_WEIGHTS_DIGEST_SYMBOL "mase_model_weights_digest"
#define MASE_MODEL_BIND_WEIGHTS_SYMBOL "mase_model_bind_weights"
#define MASE_MODEL_TAKE_ERROR_SYMBOL "mase_model_take_error"
#define MASE_MODEL_DEVICE_MEMORY_SYMBOL "mase_model_device_memory"

#define MASE_WEIGHTS_FILE_SUFFIX ".weights"
#define MASE_WEIGHTS_MAGIC "MASEWTS\0"
#define MASE_WEIGHTS_FORMAT_VERSION 1
#define MASE_WEIGHTS_HEADER_SIZE 64
#define MASE_WEIGHTS_ALIGNMENT 64

#endif /* MASE_C_MODELABI_H */
