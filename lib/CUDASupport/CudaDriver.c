/*===- CudaDriver.c - the GPU runtime linked into CUDA models ------------===*\
|*                                                                            *|
|* `gpu-to-llvm` lowers kernel launches, device allocations and copies to     *|
|* calls of the `mgpu*` functions below; `mase-cuda-device-constants` adds    *|
|* calls of `mase_cuda_constant`. They run on the CUDA driver API, which this *|
|* file loads from libcuda.so.1 at run time: a model links and loads without  *|
|* a GPU, and a missing driver or any CUDA error becomes a message that       *|
|* `mase_model_take_error` hands to the runtime (include/mase-c/ModelABI.h),  *|
|* never a crash. After the first error every call does nothing until the     *|
|* message is taken.                                                          *|
|*                                                                            *|
|* MASE_CUDA_PROFILE=1 times every launch with CUDA events and, at exit,     *|
|* prints the launches that took longest (by their place in a run) to stderr;*|
|* MASE_CUDA_PROFILE=all prints every launch, in the order of a run.         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "mase-c/ModelABI.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The few driver API types and entry points used, as cuda.h declares them. */
typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef uint64_t CUdeviceptr;
typedef void *CUevent;
typedef void *CUmemoryPool;
#define CU_MEMPOOL_ATTR_RELEASE_THRESHOLD 4
#define CUDA_SUCCESS 0
#define CU_STREAM_NON_BLOCKING 1
#define CU_MEM_ATTACH_GLOBAL 1

static struct {
  CUresult (*init)(unsigned);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*deviceGetDefaultMemPool)(CUmemoryPool *, CUdevice);
  CUresult (*memPoolSetAttribute)(CUmemoryPool, int, void *);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*moduleLoadData)(CUmodule *, const void *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*funcSetAttribute)(CUfunction, int, int);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*streamCreate)(CUstream *, unsigned);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*streamDestroy)(CUstream);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memAllocAsync)(CUdeviceptr *, size_t, CUstream);
  CUresult (*memAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*memFreeAsync)(CUdeviceptr, CUstream);
  CUresult (*memcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*memcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*getErrorName)(CUresult, const char **);
  CUresult (*getErrorString)(CUresult, const char **);
  /* MASE_CUDA_PROFILE only. */
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*eventDestroy)(CUevent);
} driver;

static pthread_once_t driverOnce = PTHREAD_ONCE_INIT;
static CUcontext context;
/* Why the driver could not be used; empty when it can. */
static char unavailable[512];

/* Device memory the model holds: its weights' copies, and the stream-ordered
 * allocations of runs (by address, to know what a free releases). */
static pthread_mutex_t memoryLock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t weightBytes, liveBytes, peakBytes;
typedef struct {
  void *pointer;
  uint64_t bytes;
} Allocation;
static Allocation *allocations;
static size_t numAllocations, allocationCapacity;

/* Counts `bytes` more in use; a run's allocation is remembered by address. */
static void countAllocation(void *pointer, uint64_t bytes, bool weight) {
  pthread_mutex_lock(&memoryLock);
  if (!weight && numAllocations == allocationCapacity) {
    size_t capacity = allocationCapacity ? 2 * allocationCapacity : 256;
    Allocation *grown = realloc(allocations, capacity * sizeof *grown);
    if (grown) {
      allocations = grown;
      allocationCapacity = capacity;
    }
  }
  if (weight || numAllocations < allocationCapacity) {
    if (weight)
      weightBytes += bytes;
    else
      allocations[numAllocations++] = (Allocation){pointer, bytes};
    liveBytes += bytes;
    if (liveBytes > peakBytes)
      peakBytes = liveBytes;
  }
  pthread_mutex_unlock(&memoryLock);
}

static void countFree(void *pointer) {
  pthread_mutex_lock(&memoryLock);
  for (size_t i = 0; i < numAllocations; ++i)
    if (allocations[i].pointer == pointer) {
      liveBytes -= allocations[i].bytes;
      allocations[i] = allocations[--numAllocations];
      break;
    }
  pthread_mutex_unlock(&memoryLock);
}

__attribute__((visibility("default"))) void
mase_model_device_memory(uint64_t *weights, uint64_t *peak) {
  pthread_mutex_lock(&memoryLock);
  *weights = weightBytes;
  *peak = peakBytes;
  pthread_mutex_unlock(&memoryLock);
}

static pthread_mutex_t errorLock = PTHREAD_MUTEX_INITIALIZER;
static char errorMessage[1024];
static bool failed;

static void recordError(const char *format, ...) {
  pthread_mutex_lock(&errorLock);
  if (!failed) {
    va_list args;
    va_start(args, format);
    vsnprintf(errorMessage, sizeof errorMessage, format, args);
    va_end(args);
    failed = true;
  }
  pthread_mutex_unlock(&errorLock);
}

static bool hasFailed(void) {
  pthread_mutex_lock(&errorLock);
  bool result = failed;
  pthread_mutex_unlock(&errorLock);
  return result;
}

/* Records a failed driver call; true when `result` is success. */
static bool check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return true;
  const char *name = "unknown error", *text = "";
  if (driver.getErrorName)
    driver.getErrorName(result, &name);
  if (driver.getErrorString)
    driver.getErrorString(result, &text);
  recordError("CUDA error in %s: %s (%d): %s", what, name, result, text);
  return false;
}

static void loadDriver(void) {
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    snprintf(unavailable, sizeof unavailable,
             "cannot load the CUDA driver (libcuda.so.1): %s", dlerror());
    return;
  }
  struct {
    void **slot;
    const char *name;
  } symbols[] = {
      {(void **)&driver.init, "cuInit"},
      {(void **)&driver.deviceGet, "cuDeviceGet"},
      {(void **)&driver.primaryCtxRetain, "cuDevicePrimaryCtxRetain"},
      {(void **)&driver.deviceGetDefaultMemPool, "cuDeviceGetDefaultMemPool"},
      {(void **)&driver.memPoolSetAttribute, "cuMemPoolSetAttribute"},
      {(void **)&driver.ctxSetCurrent, "cuCtxSetCurrent"},
      {(void **)&driver.moduleLoadData, "cuModuleLoadData"},
      {(void **)&driver.moduleUnload, "cuModuleUnload"},
      {(void **)&driver.moduleGetFunction, "cuModuleGetFunction"},
      {(void **)&driver.funcSetAttribute, "cuFuncSetAttribute"},
      {(void **)&driver.launchKernel, "cuLaunchKernel"},
      {(void **)&driver.streamCreate, "cuStreamCreate"},
      {(void **)&driver.streamSynchronize, "cuStreamSynchronize"},
      {(void **)&driver.streamDestroy, "cuStreamDestroy_v2"},
      {(void **)&driver.memAlloc, "cuMemAlloc_v2"},
      {(void **)&driver.memAllocAsync, "cuMemAllocAsync"},
      {(void **)&driver.memAllocManaged, "cuMemAllocManaged"},
      {(void **)&driver.memFreeAsync, "cuMemFreeAsync"},
      {(void **)&driver.memcpyAsync, "cuMemcpyAsync"},
      {(void **)&driver.memcpyHtoD, "cuMemcpyHtoD_v2"},
      {(void **)&driver.getErrorName, "cuGetErrorName"},
      {(void **)&driver.getErrorString, "cuGetErrorString"},
  };
  for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; ++i) {
    *symbols[i].slot = dlsym(library, symbols[i].name);
    if (!*symbols[i].slot) {
      snprintf(unavailable, sizeof unavailable,
               "the CUDA driver (libcuda.so.1) lacks %s; it is older than "
               "CUDA 11.2",
               symbols[i].name);
      return;
    }
  }
  const char *profile = getenv("MASE_CUDA_PROFILE");
  if (profile && *profile && strcmp(profile, "0") != 0) {
    driver.eventCreate = dlsym(library, "cuEventCreate");
    driver.eventRecord = dlsym(library, "cuEventRecord");
    driver.eventElapsedTime = dlsym(library, "cuEventElapsedTime");
    driver.eventDestroy = dlsym(library, "cuEventDestroy_v2");
  }
  int ordinal = 0;
  const char *chosen = getenv("MASE_CUDA_DEVICE");
  if (chosen && *chosen)
    ordinal = atoi(chosen);
  CUdevice device;
  CUresult result = driver.init(0);
  const char *step = "cuInit";
  if (result == CUDA_SUCCESS) {
    result = driver.deviceGet(&device, ordinal);
    step = "cuDeviceGet (MASE_CUDA_DEVICE selects the GPU)";
  }
  if (result == CUDA_SUCCESS) {
    result = driver.primaryCtxRetain(&context, device);
    step = "cuDevicePrimaryCtxRetain";
  }
  /* A run's buffers come from the device's stream-ordered pool. Its default
   * release threshold (0) hands freed memory back to the system at every
   * synchronisation, so that each run would map all its buffers again; keep
   * it instead (the peak of one run, reused by the next). */
  CUmemoryPool pool;
  if (result == CUDA_SUCCESS) {
    result = driver.deviceGetDefaultMemPool(&pool, device);
    step = "cuDeviceGetDefaultMemPool";
  }
  if (result == CUDA_SUCCESS) {
    uint64_t keepAll = UINT64_MAX;
    result = driver.memPoolSetAttribute(
        pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &keepAll);
    step = "cuMemPoolSetAttribute (release threshold)";
  }
  if (result != CUDA_SUCCESS) {
    const char *name = "unknown error";
    driver.getErrorName(result, &name);
    snprintf(unavailable, sizeof unavailable, "CUDA error in %s: %s (%d)",
             step, name, result);
  }
}

/* Makes the model's context current on this thread; false (with the error
 * recorded) when there is no usable GPU or an earlier call failed. */
static bool ready(void) {
  pthread_once(&driverOnce, loadDriver);
  if (unavailable[0]) {
    recordError("%s", unavailable);
    return false;
  }
  if (hasFailed())
    return false;
  return check(driver.ctxSetCurrent(context), "cuCtxSetCurrent");
}

__attribute__((visibility("default"))) const char *
mase_model_take_error(void) {
  static __thread char taken[sizeof errorMessage];
  pthread_mutex_lock(&errorLock);
  bool any = failed;
  if (any) {
    memcpy(taken, errorMessage, sizeof taken);
    failed = false;
  }
  pthread_mutex_unlock(&errorLock);
  return any ? taken : NULL;
}

void *mgpuModuleLoad(void *data, size_t size) {
  (void)size;
  CUmodule module = NULL;
  if (ready())
    check(driver.moduleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void mgpuModuleUnload(void *module) {
  /* At unload the process may be tearing CUDA down already; nothing to
   * report to. */
  if (module && !unavailable[0] && driver.ctxSetCurrent(context) == 0)
    driver.moduleUnload(module);
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction function = NULL;
  if (!ready())
    return NULL;
  if (!module) {
    recordError("the model's GPU kernels were not loaded");
    return NULL;
  }
  check(driver.moduleGetFunction(&function, module, name),
        "cuModuleGetFunction");
  return function;
}

/* MASE_CUDA_PROFILE: the launches of the run in flight (with their events)
 * and, per place in a run, the time summed over runs. */
typedef struct {
  size_t place; /* in a run, from 0 */
  unsigned grid[3], block[3];
  size_t arguments;
  CUevent start, stop;
  double totalMs;
  unsigned runs;
} LaunchProfile;
static pthread_mutex_t profileLock = PTHREAD_MUTEX_INITIALIZER;
static LaunchProfile *profiles;
static size_t numPending, numProfiles, profileCapacity;

static bool profiling(void) {
  return driver.eventCreate && driver.eventRecord &&
         driver.eventElapsedTime && driver.eventDestroy;
}

/* Records an event on `stream`; NULL when that fails (not profiled). */
static CUevent profileEvent(CUstream stream) {
  CUevent event = NULL;
  if (driver.eventCreate(&event, 0) != CUDA_SUCCESS)
    return NULL;
  if (driver.eventRecord(event, stream) != CUDA_SUCCESS) {
    driver.eventDestroy(event);
    return NULL;
  }
  return event;
}

/* Adds the elapsed times of the pending launches (their stream is done). */
static void collectProfile(void) {
  pthread_mutex_lock(&profileLock);
  for (size_t i = 0; i < numPending; ++i) {
    LaunchProfile *launch = &profiles[i];
    float ms = 0.0f;
    if (launch->start && launch->stop &&
        driver.eventElapsedTime(&ms, launch->start, launch->stop) ==
            CUDA_SUCCESS) {
      launch->totalMs += ms;
      launch->runs += 1;
    }
    if (launch->start)
      driver.eventDestroy(launch->start);
    if (launch->stop)
      driver.eventDestroy(launch->stop);
    launch->start = launch->stop = NULL;
  }
  numPending = 0;
  pthread_mutex_unlock(&profileLock);
}

static int byTotalTime(const void *a, const void *b) {
  double x = ((const LaunchProfile *)a)->totalMs,
         y = ((const LaunchProfile *)b)->totalMs;
  return (x < y) - (x > y);
}

__attribute__((destructor)) static void printProfile(void) {
  if (!numProfiles)
    return;
  double total = 0.0;
  unsigned runs = 0;
  for (size_t i = 0; i < numProfiles; ++i) {
    total += profiles[i].totalMs;
    runs = profiles[i].runs > runs ? profiles[i].runs : runs;
  }
  LaunchProfile *sorted = malloc(numProfiles * sizeof *sorted);
  if (!sorted || !runs) {
    free(sorted);
    return;
  }
  memcpy(sorted, profiles, numProfiles * sizeof *sorted);
  /* MASE_CUDA_PROFILE=all: every launch, in the order of a run. */
  const char *profile = getenv("MASE_CUDA_PROFILE");
  bool all = profile && strcmp(profile, "all") == 0;
  if (!all)
    qsort(sorted, numProfiles, sizeof *sorted, byTotalTime);
  fprintf(stderr,
          "MASE_CUDA_PROFILE: %zu launches a run, %.3f ms of kernels a run "
          "(mean of %u runs); %s:\n",
          numProfiles, total / runs, runs,
          all ? "every launch" : "the longest");
  for (size_t i = 0; i < numProfiles && (all || i < 25); ++i) {
    const LaunchProfile *p = &sorted[i];
    fprintf(stderr,
            "  launch %4zu: grid %ux%ux%u block %ux%ux%u, %zu arguments: "
            "%9.1f us (%4.1f%%)\n",
            p->place, p->grid[0], p->grid[1], p->grid[2],
            p->block[0], p->block[1], p->block[2], p->arguments,
            1e3 * p->totalMs / (p->runs ? p->runs : 1),
            100.0 * p->totalMs / (total > 0 ? total : 1));
  }
  free(sorted);
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemory, void *stream,
                      void **params, void **extra, size_t paramsCount) {
  if (!function || !ready())
    return;
  /* A kernel gets more than 48 KiB of dynamic shared memory only when it
   * asks for it (CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES). */
  if (sharedMemory > 48 * 1024 &&
      !check(driver.funcSetAttribute(function, 8, sharedMemory),
             "cuFuncSetAttribute (dynamic shared memory)"))
    return;
  CUevent start = profiling() ? profileEvent(stream) : NULL;
  CUresult result =
      driver.launchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                          blockZ, sharedMemory, stream, params, extra);
  if (start) {
    pthread_mutex_lock(&profileLock);
    if (numPending == profileCapacity) {
      size_t capacity = profileCapacity ? 2 * profileCapacity : 256;
      LaunchProfile *grown = realloc(profiles, capacity * sizeof *grown);
      if (grown) {
        memset(grown + profileCapacity, 0,
               (capacity - profileCapacity) * sizeof *grown);
        profiles = grown;
        profileCapacity = capacity;
      }
    }
    if (numPending < profileCapacity) {
      LaunchProfile *launch = &profiles[numPending];
      *launch = (LaunchProfile){
          numPending++,
          {(unsigned)gridX, (unsigned)gridY, (unsigned)gridZ},
          {(unsigned)blockX, (unsigned)blockY, (unsigned)blockZ},
          paramsCount, start, profileEvent(stream), launch->totalMs,
          launch->runs};
      if (numPending > numProfiles)
        numProfiles = numPending;
    } else {
      driver.eventDestroy(start);
    }
    pthread_mutex_unlock(&profileLock);
  }
  if (result == CUDA_SUCCESS)
    return;
  /* The launch's shape, to tell which kernel failed. */
  char what[160];
  snprintf(what, sizeof what,
           "cuLaunchKernel (grid %ldx%ldx%ld, block %ldx%ldx%ld, %zu "
           "arguments)",
           (long)gridX, (long)gridY, (long)gridZ, (long)blockX, (long)blockY,
           (long)blockZ, paramsCount);
  check(result, what);
}

void *mgpuStreamCreate(void) {
  CUstream stream = NULL;
  if (ready())
    check(driver.streamCreate(&stream, CU_STREAM_NON_BLOCKING),
          "cuStreamCreate");
  return stream;
}

void mgpuStreamSynchronize(void *stream) {
  if (stream && ready() &&
      check(driver.streamSynchronize(stream), "cuStreamSynchronize") &&
      profiling())
    collectProfile();
}

void mgpuStreamDestroy(void *stream) {
  /* A stream is destroyed even after an error, so none leaks. */
  if (stream && !unavailable[0])
    driver.streamDestroy(stream);
}

void *mgpuMemAlloc(uint64_t bytes, void *stream, bool hostShared) {
  CUdeviceptr pointer = 0;
  if (!ready())
    return NULL;
  if (hostShared)
    check(driver.memAllocManaged(&pointer, bytes, CU_MEM_ATTACH_GLOBAL),
          "cuMemAllocManaged");
  else
    check(driver.memAllocAsync(&pointer, bytes, stream), "cuMemAllocAsync");
  if (pointer)
    countAllocation((void *)(uintptr_t)pointer, bytes, false);
  return (void *)(uintptr_t)pointer;
}

void mgpuMemFree(void *pointer, void *stream) {
  if (!pointer)
    return;
  countFree(pointer);
  if (ready())
    check(driver.memFreeAsync((CUdeviceptr)(uintptr_t)pointer, stream),
          "cuMemFreeAsync");
}

void mgpuMemcpy(void *destination, void *source, size_t bytes, void *stream) {
  if (!ready() || !destination || !source)
    return;
  check(driver.memcpyAsync((CUdeviceptr)(uintptr_t)destination,
                           (CUdeviceptr)(uintptr_t)source, bytes, stream),
        "cuMemcpyAsync");
}

/* Device copies of the model's constants (weights), made on first use and
 * kept until the process ends: one entry per constant. */
typedef struct {
  const void *host;
  CUdeviceptr device;
} ConstantCopy;

static pthread_mutex_t constantsLock = PTHREAD_MUTEX_INITIALIZER;
static ConstantCopy *constants;
static size_t numConstants, constantCapacity;

void *mase_cuda_constant(const void *host, uint64_t bytes) {
  if (!ready())
    return NULL;
  pthread_mutex_lock(&constantsLock);
  CUdeviceptr device = 0;
  for (size_t i = 0; i < numConstants && !device; ++i)
    if (constants[i].host == host)
      device = constants[i].device;
  if (!device && numConstants == constantCapacity) {
    size_t capacity = constantCapacity ? 2 * constantCapacity : 64;
    ConstantCopy *grown = realloc(constants, capacity * sizeof *grown);
    if (!grown) {
      pthread_mutex_unlock(&constantsLock);
      recordError("out of host memory for the table of device constants");
      return NULL;
    }
    constants = grown;
    constantCapacity = capacity;
  }
  if (!device && check(driver.memAlloc(&device, bytes ? bytes : 1),
                       "cuMemAlloc (a weight)")) {
    if (check(driver.memcpyHtoD(device, host, bytes), "cuMemcpyHtoD")) {
      constants[numConstants++] = (ConstantCopy){host, device};
      countAllocation(NULL, bytes, true);
    } else {
      device = 0;
    }
  }
  pthread_mutex_unlock(&constantsLock);
  return (void *)(uintptr_t)device;
}
