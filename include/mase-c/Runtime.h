/*===- mase-c/Runtime.h - C API to load and run compiled models ---*- C -*-===*\
|*                                                                            *|
|* Loads a model shared library written by `mase-compile`, describes its      *|
|* inputs and outputs, and runs it, behind a small stable C ABI               *|
|* (libmase_runtime.so: libc and libdl only, no MLIR or LLVM). `mase-run`,    *|
|* the Python package (`mase.load`) and C programs all use exactly this       *|
|* header; the symbols inside a model library are described in ModelABI.h.    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* USE.
 *
 *   MaseModel *model;
 *   if (mase_model_load("bert.so", &model) != MASE_OK) {
 *     fprintf(stderr, "%s\n", mase_last_error());
 *     return 1;
 *   }
 *   MaseTensorInfo info;
 *   mase_model_input_info(model, 0, &info);     // name, type, rank, shape
 *   ...
 *   MaseTensor in[2] = {{MASE_I64, 2, ids_shape, ids},
 *                       {MASE_I64, 2, mask_shape, mask}};
 *   MaseTensor out[1] = {{MASE_F32, 2, logits_shape, logits}};
 *   if (mase_model_run(model, in, 2, out, 1) != MASE_OK) ...
 *   mase_model_free(model);
 *
 * examples/c/run_model.c is a complete program.
 *
 * TENSORS. Dense row-major (C order) arrays. A model's inputs and outputs
 * have static shapes and element types; mase_model_run checks every given
 * tensor against them. Rank 0 is a scalar (one element; `shape` may then be
 * NULL). MASE_BOOL elements are one byte holding 0 or 1; MASE_F16 and
 * MASE_BF16 elements are the 16-bit patterns (uint16_t).
 *
 * ERRORS. Functions returning MaseStatus return MASE_OK on success and
 * MASE_ERROR otherwise; mase_last_error() then gives a message naming the
 * problem (the file, the input or output by name, what was expected and
 * what was given). Nothing aborts on bad input: a missing or corrupt file, a
 * library that is not a mase model, one compiled for another ABI version, a
 * wrong tensor count, type, rank, shape or a NULL pointer are all errors.
 * Outputs are unspecified after an error.
 *
 * THREADS. A loaded model may be run from several threads at once, and
 * several models (also the same file loaded twice) may be loaded in one
 * process. mase_model_free must not race with other calls on that model.
 */

#ifndef MASE_C_RUNTIME_H
#define MASE_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define MASE_RUNTIME_EXPORT __attribute__((visibility("default")))
#else
#define MASE_RUNTIME_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface; it changes when a signature or a struct
 * does. */
#define MASE_RUNTIME_API_VERSION 1

typedef enum MaseStatus { MASE_OK = 0, MASE_ERROR = 1 } MaseStatus;

/* Element types; the names (mase_element_type_name) are those of a model's
 * signature (ModelABI.h). */
typedef enum MaseElementType {
  MASE_F32 = 0,
  MASE_F64 = 1,
  MASE_F16 = 2,
  MASE_BF16 = 3,
  MASE_I8 = 4,
  MASE_I16 = 5,
  MASE_I32 = 6,
  MASE_I64 = 7,
  MASE_U8 = 8,
  MASE_U16 = 9,
  MASE_U32 = 10,
  MASE_U64 = 11,
  MASE_BOOL = 12
} MaseElementType;

/* A loaded model. */
typedef struct MaseModel MaseModel;

/* One input or output of a model. Every pointer is owned by the model and
 * stays valid until mase_model_free. */
typedef struct MaseTensorInfo {
  const char *name;      /* the ONNX value name */
  MaseElementType type;
  size_t rank;
  const int64_t *shape;  /* `rank` dimensions (non-NULL even for rank 0) */
  size_t num_elements;   /* product of the dimensions (1 for a scalar) */
  size_t size_bytes;     /* num_elements * mase_element_type_size(type) */
} MaseTensorInfo;

/* A tensor given to mase_model_run: `data` points to the dense row-major
 * array of `rank` dimensions `shape[0..rank)` of `type`. */
typedef struct MaseTensor {
  MaseElementType type;
  size_t rank;
  const int64_t *shape;
  void *data;
} MaseTensor;

/* MASE_RUNTIME_API_VERSION of the loaded library. */
MASE_RUNTIME_EXPORT int mase_runtime_api_version(void);

/* The message of the last call that failed on the calling thread ("" when
 * none has). Successful calls leave it unchanged. The string stays valid
 * until the next failing call on this thread. */
MASE_RUNTIME_EXPORT const char *mase_last_error(void);

/* "f32", "f64", "f16", "bf16", "i8" ... "u64", "bool"; "invalid" for a value
 * outside the enum. A static string: never freed. */
MASE_RUNTIME_EXPORT const char *mase_element_type_name(MaseElementType type);
/* Bytes per element (MASE_BOOL: 1); 0 for a value outside the enum. */
MASE_RUNTIME_EXPORT size_t mase_element_type_size(MaseElementType type);

/* Loads the model library at `path` (dlopen, RTLD_NOW | RTLD_LOCAL; a path
 * without '/' is taken relative to the working directory, never searched
 * for) and reads its signature. On success stores a new model in *out;
 * on failure stores NULL. Fails on a missing file, a file that is not a
 * loadable shared library (the loader's message is included), a library
 * that lacks the model symbols, one of another MASE_MODEL_ABI_VERSION, or a
 * malformed signature. Loading the same file twice gives two independent
 * models over one mapping of the library. A library replaced on disk (a new
 * file at the same path, as a recompile writes it) while models of the old
 * file are loaded is mapped afresh from a private copy, so every model runs
 * the code of the file it was loaded from. */
MASE_RUNTIME_EXPORT MaseStatus mase_model_load(const char *path,
                                               MaseModel **out);

/* Releases a model (NULL is ignored); the library is unloaded when no model
 * uses it any more. */
MASE_RUNTIME_EXPORT void mase_model_free(MaseModel *model);

/* The path the model was loaded from, as given to mase_model_load. */
MASE_RUNTIME_EXPORT const char *mase_model_path(const MaseModel *model);

/* The number of inputs and outputs (0 for a NULL model). */
MASE_RUNTIME_EXPORT size_t mase_model_num_inputs(const MaseModel *model);
MASE_RUNTIME_EXPORT size_t mase_model_num_outputs(const MaseModel *model);

/* Describes input or output `index` (in signature order) into *info.
 * An index out of range is an error. */
MASE_RUNTIME_EXPORT MaseStatus mase_model_input_info(const MaseModel *model,
                                                     size_t index,
                                                     MaseTensorInfo *info);
MASE_RUNTIME_EXPORT MaseStatus mase_model_output_info(const MaseModel *model,
                                                      size_t index,
                                                      MaseTensorInfo *info);

/* The number of threads later runs of `model` use: n >= 1, or 0 for every
 * core the process may run on (the default). Negative n is an error. Applied
 * by calling the model's OpenMP `omp_set_num_threads` on the running thread
 * right before each run; a model built without OpenMP ignores it. */
MASE_RUNTIME_EXPORT MaseStatus mase_model_set_num_threads(MaseModel *model,
                                                          int n);
/* The thread count runs use now (0 resolved to the core count); 0 for a
 * NULL model. */
MASE_RUNTIME_EXPORT int mase_model_get_num_threads(const MaseModel *model);

/* A GPU model's device memory: the bytes its weights take there (copied on
 * the first run) and the most it has held at once over its runs so far,
 * weights included. An error for a CPU model. */
MASE_RUNTIME_EXPORT MaseStatus mase_model_device_memory(const MaseModel *model,
                                                        uint64_t *weights,
                                                        uint64_t *peak);

/* Runs the model once: `inputs` holds one tensor per model input and
 * `outputs` one per output, in signature order. Each must match its
 * signature entry exactly (element type, rank, every dimension) and have
 * non-NULL data; nothing is converted. Output arrays are fully written and
 * must not overlap the inputs or each other. */
MASE_RUNTIME_EXPORT MaseStatus mase_model_run(const MaseModel *model,
                                              const MaseTensor *inputs,
                                              size_t num_inputs,
                                              MaseTensor *outputs,
                                              size_t num_outputs);

#ifdef __cplusplus
}
#endif

#endif /* MASE_C_RUNTIME_H */
