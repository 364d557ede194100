//===- Weights.cpp - side-file weights of a loaded model ------------------===//

#include "Weights.h"

#include "mase-c/ModelABI.h"

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mase::runtime {
namespace {

struct Mapping {
  void *base = nullptr;
  size_t length = 0;
  int references = 0;
};

std::mutex mappingsMutex;
std::map<void *, Mapping> mappings; // by library handle

uint64_t readLE(const unsigned char *bytes, int count) {
  uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i)
    value = value << 8 | bytes[i];
  return value;
}

std::string hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof(text), "0x%016" PRIx64, value);
  return text;
}

/// Maps `path` and checks its header against the library's size and digest.
bool mapWeights(const std::string &path, uint64_t size, uint64_t digest,
                Mapping &mapping, std::string &error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open its weights file " + path + ": " +
            std::strerror(errno) +
            " (the model keeps its weights in this file next to the library)";
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    error = "cannot stat its weights file " + path + ": " +
            std::strerror(errno);
    close(fd);
    return false;
  }
  uint64_t expected = MASE_WEIGHTS_HEADER_SIZE + size;
  if (static_cast<uint64_t>(st.st_size) != expected) {
    error = "its weights file " + path + " has " +
            std::to_string(static_cast<long long>(st.st_size)) +
            " bytes, the library expects " + std::to_string(expected) +
            " (truncated, or from another compilation)";
    close(fd);
    return false;
  }
  void *base = mmap(nullptr, expected, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (base == MAP_FAILED) {
    error = "cannot map its weights file " + path + ": " +
            std::strerror(errno);
    return false;
  }
  const auto *header = static_cast<const unsigned char *>(base);
  std::string problem;
  if (std::memcmp(header, MASE_WEIGHTS_MAGIC, 8) != 0)
    problem = "is not a mase weights file";
  else if (readLE(header + 8, 4) != MASE_WEIGHTS_FORMAT_VERSION)
    problem = "has format version " + std::to_string(readLE(header + 8, 4)) +
              ", this runtime reads " +
              std::to_string(MASE_WEIGHTS_FORMAT_VERSION);
  else if (readLE(header + 16, 8) != digest || readLE(header + 24, 8) != size)
    problem = "belongs to another compilation (digest " +
              hex(readLE(header + 16, 8)) + ", the library expects " +
              hex(digest) + "); keep a library and its weights file together";
  if (!problem.empty()) {
    munmap(base, expected);
    error = "its weights file " + path + " " + problem;
    return false;
  }
  // Weights are read on every run: start paging them in now.
  madvise(base, expected, MADV_WILLNEED);
  mapping.base = base;
  mapping.length = expected;
  return true;
}

} // namespace

bool acquireWeights(void *handle, const std::string &libraryPath, bool &bound,
                    std::string &error) {
  bound = false;
  auto bind = reinterpret_cast<void (*)(const void *)>(
      dlsym(handle, MASE_MODEL_BIND_WEIGHTS_SYMBOL));
  if (!bind)
    return true;
  const void *sizeSym = dlsym(handle, MASE_MODEL_WEIGHTS_SIZE_SYMBOL);
  const void *digestSym = dlsym(handle, MASE_MODEL_WEIGHTS_DIGEST_SYMBOL);
  if (!sizeSym || !digestSym) {
    error = std::string("it exports ") + MASE_MODEL_BIND_WEIGHTS_SYMBOL +
            " but not " + MASE_MODEL_WEIGHTS_SIZE_SYMBOL + " and " +
            MASE_MODEL_WEIGHTS_DIGEST_SYMBOL;
    return false;
  }
  std::lock_guard<std::mutex> lock(mappingsMutex);
  Mapping &mapping = mappings[handle];
  if (mapping.references == 0) {
    if (!mapWeights(libraryPath + MASE_WEIGHTS_FILE_SUFFIX,
                    *static_cast<const uint64_t *>(sizeSym),
                    *static_cast<const uint64_t *>(digestSym), mapping,
                    error)) {
      mappings.erase(handle);
      return false;
    }
    bind(static_cast<const char *>(mapping.base) + MASE_WEIGHTS_HEADER_SIZE);
  }
  ++mapping.references;
  bound = true;
  return true;
}

void releaseWeights(void *handle) {
  std::lock_guard<std::mutex> lock(mappingsMutex);
  auto it = mappings.find(handle);
  if (it == mappings.end() || --it->second.references > 0)
    return;
  munmap(it->second.base, it->second.length);
  mappings.erase(it);
}

} // namespace mase::runtime
