/*===- FakeCudaDriver.c - a libcuda.so.1 for testing without a GPU --------===*\
|*                                                                            *|
|* The driver API entry points the model's GPU runtime (lib/CUDASupport)      *|
|* loads, over host memory. MASE_FAKE_CUDA picks the behaviour:               *|
|*   no-device      cuInit fails with CUDA_ERROR_NO_DEVICE (100)              *|
|*   launch-fails   kernel launches fail with CUDA_ERROR_LAUNCH_FAILED (719)  *|
|*   oom            stream-ordered allocations fail with                      *|
|*                  CUDA_ERROR_OUT_OF_MEMORY (2)                              *|
|*   (else)         everything succeeds; kernels do nothing                   *|
|* Events (MASE_CUDA_PROFILE) read a clock that each record advances by one  *|
|* microsecond.                                                              *|
|* Tests put its directory first on LD_LIBRARY_PATH.                          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;

static int mode(const char *name) {
  const char *chosen = getenv("MASE_FAKE_CUDA");
  return chosen && strcmp(chosen, name) == 0;
}

CUresult cuInit(unsigned flags) { return mode("no-device") ? 100 : 0; }
CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? 0 : 101; /* CUDA_ERROR_INVALID_DEVICE */
}
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  static int primary;
  *context = &primary;
  return 0;
}
CUresult cuCtxSetCurrent(void *context) { return 0; }
CUresult cuDeviceGetDefaultMemPool(void **pool, int device) {
  *pool = (void *)0x1;
  return 0;
}
CUresult cuMemPoolSetAttribute(void *pool, int attribute, void *value) {
  return 0;
}
CUresult cuModuleLoadData(void **module, const void *image) {
  static int loaded;
  *module = &loaded;
  return 0;
}
CUresult cuModuleUnload(void *module) { return 0; }
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  *function = (void *)name;
  return 0;
}
CUresult cuFuncSetAttribute(void *function, int attribute, int value) {
  return 0;
}
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        void *stream, void **params, void **extra) {
  return mode("launch-fails") ? 719 : 0;
}
CUresult cuStreamCreate(void **stream, unsigned flags) {
  static int created;
  *stream = &created;
  return 0;
}
CUresult cuStreamSynchronize(void *stream) { return 0; }
CUresult cuStreamDestroy_v2(void *stream) { return 0; }
CUresult cuMemAlloc_v2(uint64_t *pointer, size_t bytes) {
  *pointer = (uint64_t)(uintptr_t)calloc(1, bytes);
  return 0;
}
CUresult cuMemAllocAsync(uint64_t *pointer, size_t bytes, void *stream) {
  if (mode("oom"))
    return 2;
  *pointer = (uint64_t)(uintptr_t)calloc(1, bytes);
  return 0;
}
CUresult cuMemAllocManaged(uint64_t *pointer, size_t bytes, unsigned flags) {
  return cuMemAlloc_v2(pointer, bytes);
}
CUresult cuMemFreeAsync(uint64_t pointer, void *stream) {
  free((void *)(uintptr_t)pointer);
  return 0;
}
CUresult cuMemcpyAsync(uint64_t dst, uint64_t src, size_t bytes, void *s) {
  memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, bytes);
  return 0;
}
CUresult cuMemcpyHtoD_v2(uint64_t dst, const void *src, size_t bytes) {
  memcpy((void *)(uintptr_t)dst, src, bytes);
  return 0;
}
CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case 2: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
  case 100: *name = "CUDA_ERROR_NO_DEVICE"; return 0;
  case 719: *name = "CUDA_ERROR_LAUNCH_FAILED"; return 0;
  default: *name = "CUDA_ERROR_UNKNOWN"; return 0;
  }
}
CUresult cuGetErrorString(CUresult error, const char **text) {
  *text = error == 719 ? "unspecified launch failure" : "fake driver error";
  return 0;
}

/* Events: the fake clock's reading when recorded. */
static uint64_t fakeClock;
CUresult cuEventCreate(void **event, unsigned flags) {
  *event = calloc(1, sizeof(uint64_t));
  return *event ? 0 : 2;
}
CUresult cuEventRecord(void *event, void *stream) {
  *(uint64_t *)event = ++fakeClock;
  return 0;
}
CUresult cuEventElapsedTime(float *ms, void *start, void *stop) {
  *ms = (float)(*(uint64_t *)stop - *(uint64_t *)start) * 1e-3f;
  return 0;
}
CUresult cuEventDestroy_v2(void *event) {
  free(event);
  return 0;
}
