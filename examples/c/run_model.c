/* run_model.c - load a compiled mase model, describe it and run it once.
 *
 *   run_model MODEL.so [THREADS]
 *
 * Prints the model's inputs and outputs, runs it on inputs filled with ones,
 * prints the first values of every output, then shows how errors are
 * reported by calling the model with a wrong input type. Uses only
 * include/mase-c/Runtime.h and libmase_runtime.so; see README.md. */

#include "mase-c/Runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* f16 / bf16 bit patterns to float, for printing. */
static float halfToFloat(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f,
           man = h & 0x3ff, bits;
  if (exp == 0x1f)
    bits = sign | 0x7f800000u | (man << 13);
  else if (exp != 0)
    bits = sign | ((exp + 112) << 23) | (man << 13);
  else if (man == 0)
    bits = sign;
  else { /* subnormal: normalise */
    exp = 113;
    while (!(man & 0x400)) {
      man <<= 1;
      --exp;
    }
    bits = sign | (exp << 23) | ((man & 0x3ff) << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static float bf16ToFloat(uint16_t h) {
  uint32_t bits = (uint32_t)h << 16;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/* Writes one element of value 1 of `type` at `p`. */
static void storeOne(MaseElementType type, void *p) {
  switch (type) {
  case MASE_F32: *(float *)p = 1.0f; break;
  case MASE_F64: *(double *)p = 1.0; break;
  case MASE_F16: *(uint16_t *)p = 0x3C00; break;
  case MASE_BF16: *(uint16_t *)p = 0x3F80; break;
  case MASE_I8: case MASE_U8: case MASE_BOOL: *(uint8_t *)p = 1; break;
  case MASE_I16: case MASE_U16: *(uint16_t *)p = 1; break;
  case MASE_I32: case MASE_U32: *(uint32_t *)p = 1; break;
  case MASE_I64: case MASE_U64: *(uint64_t *)p = 1; break;
  }
}

static void printElement(MaseElementType type, const void *p) {
  switch (type) {
  case MASE_F32: printf("%g", *(const float *)p); break;
  case MASE_F64: printf("%g", *(const double *)p); break;
  case MASE_F16: printf("%g", halfToFloat(*(const uint16_t *)p)); break;
  case MASE_BF16: printf("%g", bf16ToFloat(*(const uint16_t *)p)); break;
  case MASE_I8: printf("%d", *(const int8_t *)p); break;
  case MASE_I16: printf("%d", *(const int16_t *)p); break;
  case MASE_I32: printf("%d", *(const int32_t *)p); break;
  case MASE_I64: printf("%lld", (long long)*(const int64_t *)p); break;
  case MASE_U8: case MASE_BOOL: printf("%u", *(const uint8_t *)p); break;
  case MASE_U16: printf("%u", *(const uint16_t *)p); break;
  case MASE_U32: printf("%u", *(const uint32_t *)p); break;
  case MASE_U64: printf("%llu", (unsigned long long)*(const uint64_t *)p); break;
  }
}

/* "name: f32[2x3]" */
static void printInfo(const char *kind, size_t index, const MaseTensorInfo *t) {
  printf("  %s %zu: '%s' %s[", kind, index, t->name,
         mase_element_type_name(t->type));
  for (size_t d = 0; d < t->rank; ++d)
    printf(d ? "x%lld" : "%lld", (long long)t->shape[d]);
  printf("]\n");
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s MODEL.so [THREADS]\n", argv[0]);
    return 2;
  }

  MaseModel *model = NULL;
  if (mase_model_load(argv[1], &model) != MASE_OK) {
    fprintf(stderr, "error: %s\n", mase_last_error());
    return 1;
  }
  if (argc == 3 &&
      mase_model_set_num_threads(model, atoi(argv[2])) != MASE_OK) {
    fprintf(stderr, "error: %s\n", mase_last_error());
    mase_model_free(model);
    return 1;
  }

  size_t numInputs = mase_model_num_inputs(model);
  size_t numOutputs = mase_model_num_outputs(model);
  printf("model %s: %zu inputs, %zu outputs, %d threads\n",
         mase_model_path(model), numInputs, numOutputs,
         mase_model_get_num_threads(model));

  /* Describe every tensor and allocate its buffer. */
  MaseTensor *inputs = calloc(numInputs + 1, sizeof(MaseTensor));
  MaseTensor *outputs = calloc(numOutputs + 1, sizeof(MaseTensor));
  MaseTensorInfo info;
  for (size_t i = 0; i < numInputs; ++i) {
    mase_model_input_info(model, i, &info);
    printInfo("input", i, &info);
    size_t width = mase_element_type_size(info.type);
    char *data = malloc(info.size_bytes ? info.size_bytes : 1);
    for (size_t e = 0; e < info.num_elements; ++e)
      storeOne(info.type, data + e * width);
    inputs[i] = (MaseTensor){info.type, info.rank, info.shape, data};
  }
  for (size_t o = 0; o < numOutputs; ++o) {
    mase_model_output_info(model, o, &info);
    printInfo("output", o, &info);
    outputs[o] = (MaseTensor){info.type, info.rank, info.shape,
                              calloc(info.size_bytes ? info.size_bytes : 1, 1)};
  }

  int status = 0;
  if (mase_model_run(model, inputs, numInputs, outputs, numOutputs) !=
      MASE_OK) {
    fprintf(stderr, "error: %s\n", mase_last_error());
    status = 1;
  } else {
    printf("outputs for inputs of ones:\n");
    for (size_t o = 0; o < numOutputs; ++o) {
      mase_model_output_info(model, o, &info);
      size_t width = mase_element_type_size(info.type);
      size_t shown = info.num_elements < 8 ? info.num_elements : 8;
      printf("  %s:", info.name);
      for (size_t e = 0; e < shown; ++e) {
        printf(" ");
        printElement(info.type, (const char *)outputs[o].data + e * width);
      }
      printf(info.num_elements > shown ? " ...\n" : "\n");
    }
  }

  /* Errors: every call returns MASE_ERROR and mase_last_error() says why.
   * Here the first input is given with the wrong element type. */
  if (numInputs > 0) {
    MaseTensor wrong = inputs[0];
    wrong.type = wrong.type == MASE_F32 ? MASE_F64 : MASE_F32;
    MaseTensor saved = inputs[0];
    inputs[0] = wrong;
    if (mase_model_run(model, inputs, numInputs, outputs, numOutputs) ==
        MASE_ERROR)
      printf("a run with a wrong input type fails: %s\n", mase_last_error());
    inputs[0] = saved;
  }

  for (size_t i = 0; i < numInputs; ++i)
    free(inputs[i].data);
  for (size_t o = 0; o < numOutputs; ++o)
    free(outputs[o].data);
  free(inputs);
  free(outputs);
  mase_model_free(model);
  return status;
}
