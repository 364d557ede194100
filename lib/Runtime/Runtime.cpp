//===- Runtime.cpp - load and run compiled models (C API) -----------------===//
//
// Implements include/mase-c/Runtime.h over dlopen and the three symbols of
// include/mase-c/ModelABI.h. No MLIR or LLVM: libc, libdl and the C++
// standard library only.
//
//===----------------------------------------------------------------------===//

#include "mase-c/Runtime.h"

#include "Signature.h"
#include "Weights.h"
#include "mase-c/ModelABI.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

using mase::runtime::describe;
using mase::runtime::elementTypeName;
using mase::runtime::elementTypeSize;
using mase::runtime::Signature;
using mase::runtime::TensorSpec;

struct MaseModel {
  std::string path;
  void *handle = nullptr;
  dev_t device = 0; // the file the model was loaded from
  ino_t inode = 0;
  Signature signature;
  std::vector<MaseTensorInfo> inputInfos, outputInfos;
  void (*run)(void **) = nullptr;
  void (*setOmpThreads)(int) = nullptr; // null when the model has no OpenMP
  // A GPU model's pending CUDA error and its device memory (null for a CPU
  // model).
  const char *(*takeError)() = nullptr;
  void (*deviceMemory)(uint64_t *, uint64_t *) = nullptr;
  std::atomic<int> numThreads{0};       // 0: every core
  bool weightsBound = false; // holds a reference to side-file weights
};

namespace {

thread_local std::string lastError;

MaseStatus fail(std::string message) {
  lastError = std::move(message);
  return MASE_ERROR;
}

/// The cores this process may run on.
int coreCount() {
  static const int count = [] {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
      return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<int>(n) : 1;
  }();
  return count;
}

std::string quoted(const std::string &name) { return "'" + name + "'"; }

// The loaded models, to notice a library replaced on disk (a new file at the
// same path, as a recompile writes it) while models of the old file are
// still loaded: dlopen would return the old file's mapping for the path.
std::mutex liveMutex;
std::vector<const MaseModel *> liveModels;

/// Whether dlopen(openPath) would return the mapping of another file than
/// the one now at the path (`st`).
bool staleMapping(const std::string &openPath, const struct stat &st) {
  void *loaded = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (!loaded)
    return false;
  bool stale = false;
  {
    std::lock_guard<std::mutex> lock(liveMutex);
    for (const MaseModel *m : liveModels)
      if (m->handle == loaded &&
          (m->device != st.st_dev || m->inode != st.st_ino))
        stale = true;
  }
  dlclose(loaded);
  return stale;
}

/// Loads a private copy of `path` (next to it, else in $TMPDIR or /tmp),
/// which dlopen maps afresh; the copy is removed at once.
void *dlopenCopy(const std::string &path, std::string &error) {
  int in = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  size_t slash = path.find_last_of('/');
  const char *tmpdir = std::getenv("TMPDIR");
  std::string dirs[] = {slash == std::string::npos ? "." : path.substr(0, slash),
                        tmpdir && *tmpdir ? tmpdir : "/tmp"};
  void *handle = nullptr;
  error = "cannot make a private copy";
  for (const std::string &dir : dirs) {
    std::string name = dir + "/.mase-model-XXXXXX.so";
    int out = mkstemps(name.data(), 3);
    if (out < 0)
      continue;
    bool copied = lseek(in, 0, SEEK_SET) == 0;
    char buf[1 << 16];
    ssize_t n;
    while (copied && (n = read(in, buf, sizeof(buf))) > 0)
      copied = write(out, buf, static_cast<size_t>(n)) == n;
    close(out);
    if (copied) {
      dlerror();
      handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        const char *why = dlerror();
        error = why ? why : "dlopen failed";
      }
    }
    unlink(name.c_str());
    if (handle)
      break;
  }
  close(in);
  return handle;
}

std::string nameList(const std::vector<TensorSpec> &specs) {
  std::string out;
  for (const TensorSpec &s : specs) {
    if (!out.empty())
      out += ", ";
    out += quoted(s.name);
  }
  return out.empty() ? "none" : out;
}

const int64_t kNoDims[1] = {0};

void makeInfos(const std::vector<TensorSpec> &specs,
               std::vector<MaseTensorInfo> &infos) {
  for (const TensorSpec &s : specs) {
    MaseTensorInfo info;
    info.name = s.name.c_str();
    info.type = s.type;
    info.rank = s.shape.size();
    info.shape = s.shape.empty() ? kNoDims : s.shape.data();
    info.num_elements = s.numElements;
    info.size_bytes = s.sizeBytes;
    infos.push_back(info);
  }
}

/// Checks one tensor given to mase_model_run against its signature entry.
MaseStatus checkTensor(const MaseModel &model, const char *kind,
                       const TensorSpec &spec, const MaseTensor &t) {
  std::string what = model.path + ": " + kind + " " + quoted(spec.name) + ": ";
  std::string expected = describe(spec.type, spec.shape.data(),
                                  spec.shape.size());
  if (elementTypeSize(t.type) == 0)
    return fail(what + "invalid element type value " +
                std::to_string(static_cast<long long>(t.type)) +
                " (expected " + elementTypeName(spec.type) + ")");
  if (t.type != spec.type)
    return fail(what + "expected element type " + elementTypeName(spec.type) +
                ", got " + elementTypeName(t.type) + " (expected " + expected +
                ")");
  if (t.rank != 0 && !t.shape)
    return fail(what + "shape is NULL with rank " + std::to_string(t.rank));
  if (t.rank != spec.shape.size())
    return fail(what + "expected rank " + std::to_string(spec.shape.size()) +
                ", got rank " + std::to_string(t.rank) + " (expected " +
                expected + ", got " + describe(t.type, t.shape, t.rank) + ")");
  for (size_t i = 0; i < t.rank; ++i)
    if (t.shape[i] != spec.shape[i])
      return fail(what + "expected shape " + expected + ", got " +
                  describe(t.type, t.shape, t.rank) + " (dimension " +
                  std::to_string(i) + " differs)");
  if (!t.data)
    return fail(what + "data is NULL");
  return MASE_OK;
}

bool overlaps(const void *a, size_t aSize, const void *b, size_t bSize) {
  auto x = reinterpret_cast<uintptr_t>(a), y = reinterpret_cast<uintptr_t>(b);
  return aSize && bSize && x < y + bSize && y < x + aSize;
}

MaseStatus tensorInfo(const MaseModel *model, size_t index,
                      MaseTensorInfo *info, bool input) {
  const char *kind = input ? "input" : "output";
  if (!model)
    return fail(std::string("mase_model_") + kind + "_info: model is NULL");
  if (!info)
    return fail(std::string("mase_model_") + kind + "_info: info is NULL");
  const std::vector<MaseTensorInfo> &infos =
      input ? model->inputInfos : model->outputInfos;
  if (index >= infos.size())
    return fail(model->path + ": " + kind + " index " + std::to_string(index) +
                " is out of range (the model has " +
                std::to_string(infos.size()) + " " + kind +
                (infos.size() == 1 ? "" : "s") + ")");
  *info = infos[index];
  return MASE_OK;
}

} // namespace

extern "C" {

int mase_runtime_api_version(void) { return MASE_RUNTIME_API_VERSION; }

const char *mase_last_error(void) { return lastError.c_str(); }

const char *mase_element_type_name(MaseElementType type) {
  return elementTypeName(type);
}

size_t mase_element_type_size(MaseElementType type) {
  return elementTypeSize(type);
}

MaseStatus mase_model_load(const char *path, MaseModel **out) {
  if (!out)
    return fail("mase_model_load: out is NULL");
  *out = nullptr;
  if (!path)
    return fail("mase_model_load: path is NULL");
  std::string p = path;
  struct stat st;
  if (stat(path, &st) != 0)
    return fail(p + ": cannot load model: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    return fail(p + ": cannot load model: it is a directory");

  // dlopen searches the library path for a name without '/'.
  std::string openPath = p.find('/') == std::string::npos ? "./" + p : p;
  void *handle = nullptr;
  std::string why;
  if (staleMapping(openPath, st)) {
    handle = dlopenCopy(openPath, why);
  } else {
    dlerror();
    handle = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *message = dlerror();
      why = message ? message : "dlopen failed";
    }
  }
  if (!handle)
    return fail(p + ": cannot load model: not a loadable shared library (" +
                why + ")");

  const void *versionSym = dlsym(handle, MASE_MODEL_ABI_VERSION_SYMBOL);
  const void *signatureSym = dlsym(handle, MASE_MODEL_SIGNATURE_SYMBOL);
  void *runSym = dlsym(handle, MASE_MODEL_ENTRY_SYMBOL);
  std::string missing;
  for (auto [sym, name] : {std::pair<const void *, const char *>{
                               versionSym, MASE_MODEL_ABI_VERSION_SYMBOL},
                           {signatureSym, MASE_MODEL_SIGNATURE_SYMBOL},
                           {runSym, MASE_MODEL_ENTRY_SYMBOL}})
    if (!sym)
      missing += std::string(missing.empty() ? "" : ", ") + name;
  if (!missing.empty()) {
    dlclose(handle);
    return fail(p + ": not a mase model: it does not export " + missing);
  }

  uint32_t version = *static_cast<const uint32_t *>(versionSym);
  if (version != MASE_MODEL_ABI_VERSION) {
    dlclose(handle);
    return fail(p + ": the model was compiled for model ABI version " +
                std::to_string(version) + ", but this runtime reads version " +
                std::to_string(MASE_MODEL_ABI_VERSION) +
                "; recompile it with a matching mase-compile");
  }

  auto *model = new MaseModel();
  model->path = p;
  model->handle = handle;
  model->device = st.st_dev;
  model->inode = st.st_ino;
  std::string error;
  if (!mase::runtime::parseSignature(static_cast<const char *>(signatureSym),
                                     model->signature, error)) {
    mase_model_free(model);
    return fail(p + ": malformed model signature: " + error);
  }
  if (model->signature.abiVersion != version) {
    mase_model_free(model);
    return fail(p + ": malformed model signature: it gives ABI version " +
                std::to_string(model->signature.abiVersion) + " but " +
                MASE_MODEL_ABI_VERSION_SYMBOL + " is " +
                std::to_string(version));
  }
  if (!mase::runtime::acquireWeights(handle, p, model->weightsBound, error)) {
    mase_model_free(model);
    return fail(p + ": cannot load model: " + error);
  }
  makeInfos(model->signature.inputs, model->inputInfos);
  makeInfos(model->signature.outputs, model->outputInfos);
  model->run = reinterpret_cast<void (*)(void **)>(runSym);
  model->setOmpThreads = reinterpret_cast<void (*)(int)>(
      dlsym(handle, "omp_set_num_threads"));
  model->takeError = reinterpret_cast<const char *(*)()>(
      dlsym(handle, MASE_MODEL_TAKE_ERROR_SYMBOL));
  model->deviceMemory = reinterpret_cast<void (*)(uint64_t *, uint64_t *)>(
      dlsym(handle, MASE_MODEL_DEVICE_MEMORY_SYMBOL));
  // A GPU model loads its kernels when the library is opened.
  if (const char *problem = model->takeError ? model->takeError() : nullptr) {
    std::string message = problem;
    mase_model_free(model);
    return fail(p + ": cannot load model: " + message);
  }
  {
    std::lock_guard<std::mutex> lock(liveMutex);
    liveModels.push_back(model);
  }
  *out = model;
  return MASE_OK;
}

void mase_model_free(MaseModel *model) {
  if (!model)
    return;
  {
    std::lock_guard<std::mutex> lock(liveMutex);
    liveModels.erase(std::remove(liveModels.begin(), liveModels.end(), model),
                     liveModels.end());
  }
  if (model->weightsBound)
    mase::runtime::releaseWeights(model->handle);
  if (model->handle)
    dlclose(model->handle);
  delete model;
}

const char *mase_model_path(const MaseModel *model) {
  return model ? model->path.c_str() : "";
}

size_t mase_model_num_inputs(const MaseModel *model) {
  return model ? model->inputInfos.size() : 0;
}

size_t mase_model_num_outputs(const MaseModel *model) {
  return model ? model->outputInfos.size() : 0;
}

MaseStatus mase_model_input_info(const MaseModel *model, size_t index,
                                 MaseTensorInfo *info) {
  return tensorInfo(model, index, info, /*input=*/true);
}

MaseStatus mase_model_output_info(const MaseModel *model, size_t index,
                                  MaseTensorInfo *info) {
  return tensorInfo(model, index, info, /*input=*/false);
}

MaseStatus mase_model_set_num_threads(MaseModel *model, int n) {
  if (!model)
    return fail("mase_model_set_num_threads: model is NULL");
  if (n < 0)
    return fail(model->path + ": the thread count must be >= 1, or 0 for "
                              "every core; got " +
                std::to_string(n));
  model->numThreads.store(n, std::memory_order_relaxed);
  return MASE_OK;
}

int mase_model_get_num_threads(const MaseModel *model) {
  if (!model)
    return 0;
  int n = model->numThreads.load(std::memory_order_relaxed);
  return n > 0 ? n : coreCount();
}

MaseStatus mase_model_device_memory(const MaseModel *model, uint64_t *weights,
                                    uint64_t *peak) {
  if (!model)
    return fail("mase_model_device_memory: model is NULL");
  if (!weights || !peak)
    return fail("mase_model_device_memory: weights or peak is NULL");
  if (!model->deviceMemory)
    return fail(model->path + ": not a GPU model (compiled without "
                              "--target=cuda): it has no device memory");
  model->deviceMemory(weights, peak);
  return MASE_OK;
}

MaseStatus mase_model_run(const MaseModel *model, const MaseTensor *inputs,
                          size_t num_inputs, MaseTensor *outputs,
                          size_t num_outputs) {
  if (!model)
    return fail("mase_model_run: model is NULL");
  const Signature &sig = model->signature;
  if (num_inputs != sig.inputs.size())
    return fail(model->path + ": expected " +
                std::to_string(sig.inputs.size()) + " input" +
                (sig.inputs.size() == 1 ? "" : "s") + " (" +
                nameList(sig.inputs) + "), got " + std::to_string(num_inputs));
  if (num_outputs != sig.outputs.size())
    return fail(model->path + ": expected " +
                std::to_string(sig.outputs.size()) + " output" +
                (sig.outputs.size() == 1 ? "" : "s") + " (" +
                nameList(sig.outputs) + "), got " +
                std::to_string(num_outputs));
  if (num_inputs && !inputs)
    return fail(model->path + ": inputs is NULL");
  if (num_outputs && !outputs)
    return fail(model->path + ": outputs is NULL");

  std::vector<void *> buffers;
  buffers.reserve(num_inputs + num_outputs);
  for (size_t i = 0; i < num_inputs; ++i) {
    if (checkTensor(*model, "input", sig.inputs[i], inputs[i]) != MASE_OK)
      return MASE_ERROR;
    buffers.push_back(inputs[i].data);
  }
  for (size_t o = 0; o < num_outputs; ++o) {
    const TensorSpec &spec = sig.outputs[o];
    if (checkTensor(*model, "output", spec, outputs[o]) != MASE_OK)
      return MASE_ERROR;
    for (size_t i = 0; i < num_inputs; ++i)
      if (overlaps(outputs[o].data, spec.sizeBytes, inputs[i].data,
                   sig.inputs[i].sizeBytes))
        return fail(model->path + ": output " + quoted(spec.name) +
                    " overlaps input " + quoted(sig.inputs[i].name));
    for (size_t k = 0; k < o; ++k)
      if (overlaps(outputs[o].data, spec.sizeBytes, outputs[k].data,
                   sig.outputs[k].sizeBytes))
        return fail(model->path + ": output " + quoted(spec.name) +
                    " overlaps output " + quoted(sig.outputs[k].name));
    buffers.push_back(outputs[o].data);
  }

  if (model->setOmpThreads)
    model->setOmpThreads(mase_model_get_num_threads(model));
  model->run(buffers.data());
  if (const char *problem = model->takeError ? model->takeError() : nullptr)
    return fail(model->path + ": the run failed: " + problem);
  return MASE_OK;
}

} // extern "C"
