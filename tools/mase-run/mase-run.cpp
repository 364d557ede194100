//===- mase-run.cpp - run a compiled model on ONNX test data --------------===//
//
//   mase-run MODEL.so|MODEL.onnx --data DIR [--rtol R] [--atol A]
//            [--warmup N] [--iterations N] [--threads N] [--json]
//
// Reads DIR/input_<i>.pb (ONNX TensorProto) as the model's inputs in order,
// runs the model through the runtime (libmase_runtime.so), compares every
// output that has a DIR/output_<i>.pb with numpy's allclose semantics and
// reports the latency. An .onnx model is first compiled by the mase-compile
// next to this executable into a cache directory. Exit status: 0 when every
// checked output matches, 1 on a mismatch, 2 on a usage, load or data error.
//
// No MLIR or LLVM: this tool runs on machines that only have the runtime.
//
//===----------------------------------------------------------------------===//

#include "mase-c/ModelABI.h"
#include "mase-c/Runtime.h"
#include "mase/Import/ONNX/HostTensor.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using mase::onnx_import::ElementType;
using mase::onnx_import::HostTensor;

constexpr int kExitMatch = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitError = 2;

const char *const kUsage =
    "usage: mase-run MODEL.so|MODEL.onnx --data DIR [options]\n"
    "\n"
    "Runs a compiled mase model on ONNX test data (DIR/input_<i>.pb), checks\n"
    "its outputs against DIR/output_<i>.pb where present and times it.\n"
    "An .onnx model is compiled first with the mase-compile next to mase-run\n"
    "(cached in $MASE_CACHE_DIR, else $XDG_CACHE_HOME/mase, else\n"
    "~/.cache/mase).\n"
    "\n"
    "options:\n"
    "  --data DIR         directory holding input_<i>.pb and output_<i>.pb\n"
    "  --rtol R           relative tolerance (default 1e-3)\n"
    "  --atol A           absolute tolerance (default 1e-7); an element\n"
    "                     matches when |got - expected| <= atol + rtol *\n"
    "                     |expected| (NaN matches NaN)\n"
    "  --warmup N         untimed runs first (default 1)\n"
    "  --iterations N     timed runs (default 10)\n"
    "  --threads N        threads per run, 0 = every core (default 0)\n"
    "  --json             print one JSON object instead of text\n"
    "\n"
    "exit status: 0 all checked outputs match, 1 mismatch, 2 usage, load or\n"
    "data error\n";

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

struct Options {
  std::string model;
  std::string data;
  double rtol = 1e-3;
  double atol = 1e-7;
  long warmup = 1;
  long iterations = 10;
  std::optional<long> threads;
  bool json = false;
};

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

/// A number for text output ("%.9g").
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

/// A number for JSON: non-finite values are null.
std::string jsonNum(double v) { return std::isfinite(v) ? num(v) : "null"; }

std::string shapeText(const int64_t *shape, size_t rank) {
  std::string out;
  for (size_t i = 0; i < rank; ++i)
    out += (i ? "x" : "") + std::to_string(shape[i]);
  return out;
}

std::string jsonShape(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string describe(MaseElementType type, const std::vector<int64_t> &shape) {
  return std::string(mase_element_type_name(type)) + "[" +
         shapeText(shape.data(), shape.size()) + "]";
}

bool parseDouble(const std::string &text, double &out) {
  if (text.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return errno == 0 && *end == '\0' && std::isfinite(out);
}

bool parseLong(const std::string &text, long &out) {
  if (text.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  out = std::strtol(text.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dirName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool readFile(const std::string &path, std::string &out, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

/// A heap buffer aligned to 64 bytes.
struct Buffer {
  std::unique_ptr<uint8_t, decltype(&std::free)> data{nullptr, &std::free};
  size_t size = 0;
  explicit Buffer(size_t n) : size(n) {
    data.reset(static_cast<uint8_t *>(
        std::aligned_alloc(64, std::max<size_t>(64, (n + 63) / 64 * 64))));
  }
};

//===----------------------------------------------------------------------===//
// Element types and values
//===----------------------------------------------------------------------===//

MaseElementType toMase(ElementType t) {
  switch (t) {
  case ElementType::F32:
    return MASE_F32;
  case ElementType::F64:
    return MASE_F64;
  case ElementType::F16:
    return MASE_F16;
  case ElementType::BF16:
    return MASE_BF16;
  case ElementType::I64:
    return MASE_I64;
  case ElementType::I32:
    return MASE_I32;
  case ElementType::I16:
    return MASE_I16;
  case ElementType::I8:
    return MASE_I8;
  case ElementType::U8:
    return MASE_U8;
  case ElementType::U16:
    return MASE_U16;
  case ElementType::U32:
    return MASE_U32;
  case ElementType::U64:
    return MASE_U64;
  case ElementType::Bool:
    return MASE_BOOL;
  }
  return MASE_F32;
}

/// Writes `t` as the dense little-endian array of its own element type.
void toBytes(const HostTensor &t, uint8_t *out) {
  int64_t n = t.numElements();
  ElementType et = t.type.elementType;
  for (int64_t i = 0; i < n; ++i) {
    switch (et) {
    case ElementType::F32:
      std::memcpy(out + 4 * i, &t.f32[i], 4);
      break;
    case ElementType::F64:
      std::memcpy(out + 8 * i, &t.f64[i], 8);
      break;
    case ElementType::F16: {
      uint16_t bits = mase::onnx_import::floatToHalfBits(t.f32[i]);
      std::memcpy(out + 2 * i, &bits, 2);
      break;
    }
    case ElementType::BF16: {
      uint16_t bits = mase::onnx_import::floatToBFloat16Bits(t.f32[i]);
      std::memcpy(out + 2 * i, &bits, 2);
      break;
    }
    case ElementType::Bool:
      out[i] = t.ints[i] != 0;
      break;
    case ElementType::I8:
    case ElementType::U8:
    case ElementType::I16:
    case ElementType::U16:
    case ElementType::I32:
    case ElementType::U32:
    case ElementType::I64:
    case ElementType::U64: {
      int width = mase::onnx_import::byteWidth(et);
      uint64_t bits = static_cast<uint64_t>(t.ints[i]);
      for (int b = 0; b < width; ++b)
        out[width * i + b] = static_cast<uint8_t>(bits >> (8 * b));
      break;
    }
    }
  }
}

/// Element i of a dense array of T, as a double.
template <typename T> double load(const uint8_t *data, size_t i) {
  T v;
  std::memcpy(&v, data + sizeof(T) * i, sizeof(T));
  return static_cast<double>(v);
}

/// Element i of a dense array of `type` as a double.
double elementAsDouble(MaseElementType type, const uint8_t *data, size_t i) {
  switch (type) {
  case MASE_F32:
    return load<float>(data, i);
  case MASE_F64:
    return load<double>(data, i);
  case MASE_F16:
  case MASE_BF16: {
    uint16_t bits;
    std::memcpy(&bits, data + 2 * i, 2);
    return type == MASE_F16 ? mase::onnx_import::halfBitsToFloat(bits)
                            : mase::onnx_import::bfloat16BitsToFloat(bits);
  }
  case MASE_I8:
    return load<int8_t>(data, i);
  case MASE_U8:
  case MASE_BOOL:
    return load<uint8_t>(data, i);
  case MASE_I16:
    return load<int16_t>(data, i);
  case MASE_U16:
    return load<uint16_t>(data, i);
  case MASE_I32:
    return load<int32_t>(data, i);
  case MASE_U32:
    return load<uint32_t>(data, i);
  case MASE_I64:
    return load<int64_t>(data, i);
  case MASE_U64:
    return load<uint64_t>(data, i);
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Test data
//===----------------------------------------------------------------------===//

/// DIR/<prefix>_<i>.pb for i = 0, 1, ...: the files in numeric order, which
/// must be contiguous from 0.
bool listTensorFiles(const std::string &dir, const std::string &prefix,
                     std::vector<std::string> &files, std::string &error) {
  DIR *d = opendir(dir.c_str());
  if (!d) {
    error = dir + ": cannot open the data directory: " + std::strerror(errno);
    return false;
  }
  std::vector<std::pair<long, std::string>> found;
  while (dirent *entry = readdir(d)) {
    std::string name = entry->d_name;
    std::string head = prefix + "_";
    if (name.size() <= head.size() + 3 || name.compare(0, head.size(), head) ||
        !endsWith(name, ".pb"))
      continue;
    std::string digits =
        name.substr(head.size(), name.size() - head.size() - 3);
    long index;
    if (digits.find_first_not_of("0123456789") != std::string::npos ||
        !parseLong(digits, index))
      continue;
    found.emplace_back(index, name);
  }
  closedir(d);
  std::sort(found.begin(), found.end());
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i].first != static_cast<long>(i)) {
      error = dir + ": " + prefix + "_" + std::to_string(i) +
              ".pb is missing (found " + found[i].second + ")";
      return false;
    }
    files.push_back(dir + "/" + found[i].second);
  }
  return true;
}

/// Reads the external data of `proto` (relative to the .pb's directory).
bool readExternal(const onnx::TensorProto &proto, const std::string &pbPath,
                  std::string &bytes, std::string &error) {
  std::string location;
  long offset = 0, length = -1;
  for (const auto &entry : proto.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset" && !parseLong(entry.value(), offset))
      offset = -1;
    else if (entry.key() == "length" && !parseLong(entry.value(), length))
      length = -2;
  }
  if (location.empty() || offset < 0 || length < -1) {
    error = pbPath + ": bad external_data entry";
    return false;
  }
  std::string path = dirName(pbPath) + "/" + location, all;
  if (!readFile(path, all, error))
    return false;
  if (static_cast<size_t>(offset) > all.size() ||
      (length >= 0 && static_cast<size_t>(offset + length) > all.size())) {
    error = path + ": external data range is past the end of the file";
    return false;
  }
  bytes = all.substr(offset, length < 0 ? std::string::npos
                                        : static_cast<size_t>(length));
  return true;
}

struct DataTensor {
  std::string file;
  std::string name; // TensorProto name, may be empty
  HostTensor value;
};

bool readTensor(const std::string &path, DataTensor &out, std::string &error) {
  std::string bytes;
  if (!readFile(path, bytes, error))
    return false;
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    error = path + ": not a valid ONNX TensorProto";
    return false;
  }
  std::string external;
  bool isExternal =
      proto.data_location() == onnx::TensorProto_DataLocation_EXTERNAL;
  if (isExternal && !readExternal(proto, path, external, error))
    return false;
  if (std::string err = mase::onnx_import::fromTensorProto(
          proto, isExternal ? &external : nullptr, out.value);
      !err.empty()) {
    error = path + ": " + err;
    return false;
  }
  out.file = path;
  out.name = proto.name();
  return true;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

struct Comparison {
  bool checked = false;
  bool match = true;
  std::string problem; // type or shape difference, when not comparable
  size_t mismatches = 0;
  double maxAbs = 0, maxRel = 0;
  bool hasFirst = false;
  size_t firstIndex = 0;
  double firstGot = 0, firstExpected = 0;
};

/// numpy.allclose(got, expected, rtol, atol, equal_nan=True), element-wise.
void compare(MaseElementType type, const uint8_t *got, const HostTensor &exp,
             double rtol, double atol, Comparison &c) {
  c.checked = true;
  size_t n = static_cast<size_t>(exp.numElements());
  for (size_t i = 0; i < n; ++i) {
    double g = elementAsDouble(type, got, i);
    double e = exp.getDouble(static_cast<int64_t>(i));
    bool close;
    if (std::isnan(g) || std::isnan(e))
      close = std::isnan(g) && std::isnan(e);
    else if (std::isinf(g) || std::isinf(e))
      close = g == e;
    else {
      double diff = std::fabs(g - e);
      close = diff <= atol + rtol * std::fabs(e);
      c.maxAbs = std::max(c.maxAbs, diff);
      if (e != 0)
        c.maxRel = std::max(c.maxRel, diff / std::fabs(e));
    }
    if (!close) {
      if (!c.hasFirst) {
        c.hasFirst = true;
        c.firstIndex = i;
        c.firstGot = g;
        c.firstExpected = e;
      }
      ++c.mismatches;
      c.match = false;
    }
  }
}

/// "[1, 2]": the multi-index of flat index i in `shape`.
std::string multiIndex(size_t i, const std::vector<int64_t> &shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? static_cast<int64_t>(i % shape[d]) : 0;
    i = shape[d] ? i / shape[d] : 0;
  }
  return jsonShape(idx);
}

//===----------------------------------------------------------------------===//
// Compiling an .onnx model
//===----------------------------------------------------------------------===//

std::string cacheDir() {
  if (const char *d = std::getenv("MASE_CACHE_DIR"); d && *d)
    return d;
  if (const char *d = std::getenv("XDG_CACHE_HOME"); d && *d)
    return std::string(d) + "/mase";
  const char *home = std::getenv("HOME");
  if (!home || !*home) {
    passwd *pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : "/tmp";
  }
  return std::string(home) + "/.cache/mase";
}

bool makeDirs(const std::string &path, std::string &error) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/')
      continue;
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      error = prefix + ": cannot create the cache directory: " +
              std::strerror(errno);
      return false;
    }
  }
  return true;
}

struct Hash {
  uint64_t h = 1469598103934665603ull; // FNV-1a 64
  void add(const void *data, size_t n) {
    auto *p = static_cast<const uint8_t *>(data);
    for (size_t i = 0; i < n; ++i)
      h = (h ^ p[i]) * 1099511628211ull;
  }
  void add(const std::string &s) {
    uint64_t n = s.size();
    add(&n, sizeof(n));
    add(s.data(), s.size());
  }
};

std::string selfDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0)
    return ".";
  buf[n] = '\0';
  return dirName(buf);
}

/// Runs argv; the child's stdout goes to our stderr. The exit status, or -1
/// when it could not run.
int runCommand(const std::vector<std::string> &argv) {
  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    dup2(STDERR_FILENO, STDOUT_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

struct CompileInfo {
  bool used = false;
  bool cached = false;
  std::string library;
  std::vector<std::string> command;
  double seconds = 0;
};

/// The graph inputs (not initializers) of an ONNX model, in order.
bool onnxInputNames(const std::string &path, std::vector<std::string> &names,
                    std::string &error) {
  std::string bytes;
  if (!readFile(path, bytes, error))
    return false;
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    error = path + ": not a valid ONNX model";
    return false;
  }
  std::vector<std::string> initializers;
  for (const auto &init : model.graph().initializer())
    initializers.push_back(init.name());
  for (const auto &input : model.graph().input())
    if (std::find(initializers.begin(), initializers.end(), input.name()) ==
        initializers.end())
      names.push_back(input.name());
  return true;
}

/// Compiles `onnxPath` for the shapes of `inputs` with the sibling
/// mase-compile, or finds it in the cache.
bool compileOnnx(const std::string &onnxPath,
                 const std::vector<DataTensor> &inputs, CompileInfo &info,
                 std::string &error) {
  info.used = true;
  std::string compiler = selfDir() + "/mase-compile";
  struct stat compilerStat;
  if (stat(compiler.c_str(), &compilerStat) != 0 ||
      access(compiler.c_str(), X_OK) != 0) {
    error = compiler + ": mase-compile not found next to mase-run; it is "
                       "needed to compile " +
            onnxPath + " (or pass a compiled .so)";
    return false;
  }

  // Names: the TensorProto names, else the model's graph inputs.
  std::vector<std::string> names;
  bool allNamed = std::all_of(inputs.begin(), inputs.end(),
                              [](const DataTensor &t) { return !t.name.empty(); });
  if (allNamed) {
    for (const DataTensor &t : inputs)
      names.push_back(t.name);
  } else {
    if (!onnxInputNames(onnxPath, names, error))
      return false;
    if (names.size() != inputs.size()) {
      error = onnxPath + ": the model has " + std::to_string(names.size()) +
              " inputs but the data directory has " +
              std::to_string(inputs.size()) + " input files";
      return false;
    }
  }

  std::vector<std::string> shapeFlags;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto &shape = inputs[i].value.type.shape;
    if (shape.empty())
      continue;
    shapeFlags.push_back("--shape");
    shapeFlags.push_back(names[i] + "=" +
                         shapeText(shape.data(), shape.size()));
  }

  // Key: the model's bytes, the shapes, and which mase-compile.
  std::string modelBytes;
  if (!readFile(onnxPath, modelBytes, error))
    return false;
  Hash hash;
  hash.add(modelBytes);
  for (const std::string &f : shapeFlags)
    hash.add(f);
  int64_t stamp[3] = {static_cast<int64_t>(compilerStat.st_size),
                      static_cast<int64_t>(compilerStat.st_mtim.tv_sec),
                      static_cast<int64_t>(compilerStat.st_mtim.tv_nsec)};
  hash.add(stamp, sizeof(stamp));
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016" PRIx64, hash.h);

  std::string stem = baseName(onnxPath);
  stem = stem.substr(0, stem.size() - 5);
  for (char &c : stem)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
        c != '.')
      c = '_';
  std::string dir = cacheDir();
  if (!makeDirs(dir, error))
    return false;
  info.library = dir + "/" + stem + "-" + hex + ".so";
  if (access(info.library.c_str(), R_OK) == 0) {
    info.cached = true;
    return true;
  }

  std::string tmp = dir + "/" + stem + "-" + hex + ".tmp" +
                    std::to_string(getpid()) + ".so";
  info.command = {compiler, onnxPath, "-o", tmp};
  info.command.insert(info.command.end(), shapeFlags.begin(), shapeFlags.end());
  auto start = std::chrono::steady_clock::now();
  int status = runCommand(info.command);
  info.seconds = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  std::string commandText;
  for (const std::string &a : info.command)
    commandText += (commandText.empty() ? "" : " ") + a;
  if (status != 0) {
    unlink(tmp.c_str());
    error = "mase-compile failed (exit status " + std::to_string(status) +
            ") compiling " + onnxPath + ": " + commandText;
    return false;
  }
  // A large model's weights come in a side file, which moves first: the
  // library appearing in the cache means its weights are there.
  std::string tmpWeights = tmp + MASE_WEIGHTS_FILE_SUFFIX;
  if (access(tmpWeights.c_str(), F_OK) == 0 &&
      rename(tmpWeights.c_str(),
             (info.library + MASE_WEIGHTS_FILE_SUFFIX).c_str()) != 0) {
    error = tmpWeights + ": cannot move the weights file into the cache (" +
            std::strerror(errno) + ")";
    unlink(tmp.c_str());
    unlink(tmpWeights.c_str());
    return false;
  }
  if (rename(tmp.c_str(), info.library.c_str()) != 0) {
    error = tmp + ": mase-compile succeeded but left no library (" +
            std::strerror(errno) + "): " + commandText;
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The run
//===----------------------------------------------------------------------===//

struct TensorReport {
  MaseTensorInfo info;
  std::vector<int64_t> shape;
  std::string file; // "" when none
  Comparison comparison;
};

struct Report {
  Options options;
  CompileInfo compile;
  std::string library;
  int threads = 0;
  std::vector<TensorReport> inputs, outputs;
  double medianMs = 0, minMs = 0;
  // A GPU model's device memory after the runs (weights, peak).
  bool gpu = false;
  uint64_t deviceWeightBytes = 0, devicePeakBytes = 0;
  std::string error;
  int exitCode = kExitError;
};

std::string statusName(const Report &r) {
  if (r.exitCode == kExitError)
    return "error";
  if (r.exitCode == kExitMismatch)
    return "mismatch";
  for (const TensorReport &o : r.outputs)
    if (o.comparison.checked)
      return "pass";
  return "unchecked";
}

void printJson(const Report &r) {
  const Options &o = r.options;
  std::string out = "{";
  out += "\"status\": " + jsonString(statusName(r));
  out += ", \"exit_code\": " + std::to_string(r.exitCode);
  if (!r.error.empty())
    out += ", \"error\": " + jsonString(r.error);
  out += ", \"model\": " + jsonString(o.model);
  out += ", \"library\": " +
         (r.library.empty() ? std::string("null") : jsonString(r.library));
  if (r.compile.used) {
    out += ", \"compile\": {\"cached\": " +
           std::string(r.compile.cached ? "true" : "false") +
           ", \"seconds\": " + jsonNum(r.compile.seconds) + ", \"command\": [";
    for (size_t i = 0; i < r.compile.command.size(); ++i)
      out += (i ? ", " : "") + jsonString(r.compile.command[i]);
    out += "]}";
  }
  out += ", \"data\": " + jsonString(o.data);
  out += ", \"rtol\": " + jsonNum(o.rtol) + ", \"atol\": " + jsonNum(o.atol);
  out += ", \"warmup\": " + std::to_string(o.warmup) +
         ", \"iterations\": " + std::to_string(o.iterations);
  out += ", \"threads\": " + std::to_string(r.threads);
  auto tensor = [&](const TensorReport &t) {
    std::string s = "{\"name\": " + jsonString(t.info.name) +
                    ", \"type\": " +
                    jsonString(mase_element_type_name(t.info.type)) +
                    ", \"shape\": " + jsonShape(t.shape) + ", \"file\": " +
                    (t.file.empty() ? std::string("null") : jsonString(t.file));
    return s;
  };
  out += ", \"inputs\": [";
  for (size_t i = 0; i < r.inputs.size(); ++i)
    out += (i ? ", " : "") + tensor(r.inputs[i]) + "}";
  out += "], \"outputs\": [";
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    const TensorReport &t = r.outputs[i];
    const Comparison &c = t.comparison;
    out += (i ? ", " : "") + tensor(t);
    out += ", \"checked\": " + std::string(c.checked ? "true" : "false");
    if (c.checked) {
      out += ", \"match\": " + std::string(c.match ? "true" : "false");
      if (!c.problem.empty()) {
        out += ", \"problem\": " + jsonString(c.problem);
      } else {
        out += ", \"max_abs_error\": " + jsonNum(c.maxAbs) +
               ", \"max_rel_error\": " + jsonNum(c.maxRel) +
               ", \"mismatches\": " + std::to_string(c.mismatches);
        if (c.hasFirst)
          out += ", \"first_mismatch\": {\"index\": " +
                 multiIndex(c.firstIndex, t.shape) +
                 ", \"got\": " + jsonNum(c.firstGot) +
                 ", \"expected\": " + jsonNum(c.firstExpected) + "}";
      }
    }
    out += "}";
  }
  out += "]";
  if (r.exitCode != kExitError)
    out += ", \"latency_ms\": {\"median\": " + jsonNum(r.medianMs) +
           ", \"min\": " + jsonNum(r.minMs) + "}";
  if (r.gpu)
    out += ", \"device_memory_bytes\": {\"weights\": " +
           std::to_string(r.deviceWeightBytes) +
           ", \"peak\": " + std::to_string(r.devicePeakBytes) + "}";
  out += "}\n";
  std::fputs(out.c_str(), stdout);
}

void printText(const Report &r) {
  const Options &o = r.options;
  std::string line = "model: " + r.library;
  if (r.compile.used)
    line += " (compiled from " + o.model +
            (r.compile.cached ? ", cached)" : ", " + num(r.compile.seconds) +
                                                  " s)");
  std::printf("%s\n", line.c_str());
  for (const TensorReport &t : r.inputs)
    std::printf("input '%s' %s <- %s\n", t.info.name,
                describe(t.info.type, t.shape).c_str(),
                baseName(t.file).c_str());
  for (const TensorReport &t : r.outputs) {
    const Comparison &c = t.comparison;
    std::string head = "output '" + std::string(t.info.name) + "' " +
                       describe(t.info.type, t.shape) + ": ";
    if (!c.checked) {
      std::printf("%sno reference (no %s)\n", head.c_str(),
                  t.file.empty() ? "output file" : t.file.c_str());
      continue;
    }
    if (!c.problem.empty()) {
      std::printf("%sMISMATCH: %s\n", head.c_str(), c.problem.c_str());
      continue;
    }
    std::string errors = "max abs error " + num(c.maxAbs) +
                         ", max rel error " + num(c.maxRel);
    if (c.match) {
      std::printf("%smatch (%s)\n", head.c_str(), errors.c_str());
    } else {
      std::printf("%sMISMATCH: %zu of %" PRId64
                  " elements outside atol %s + rtol %s * |expected| (%s); "
                  "first at %s: got %s, expected %s\n",
                  head.c_str(), c.mismatches,
                  static_cast<int64_t>(t.info.num_elements),
                  num(o.atol).c_str(), num(o.rtol).c_str(), errors.c_str(),
                  multiIndex(c.firstIndex, t.shape).c_str(),
                  num(c.firstGot).c_str(), num(c.firstExpected).c_str());
    }
  }
  std::printf("latency: median %.4f ms, min %.4f ms (%ld iterations after "
              "%ld warmup, %d threads)\n",
              r.medianMs, r.minMs, o.iterations, o.warmup, r.threads);
  if (r.gpu)
    std::printf("device memory: weights %.2f MiB, peak %.2f MiB\n",
                r.deviceWeightBytes / 1048576.0, r.devicePeakBytes / 1048576.0);
  std::string status = statusName(r);
  std::printf("%s\n", status == "pass"       ? "PASS"
                      : status == "mismatch" ? "FAIL"
                                             : "PASS (no reference outputs)");
}

/// Loads, runs and checks; fills `r`. Returns false with r.error on an
/// error (exit 2).
bool run(Report &r) {
  const Options &o = r.options;
  std::string &error = r.error;

  std::vector<std::string> inputFiles, outputFiles;
  if (!listTensorFiles(o.data, "input", inputFiles, error) ||
      !listTensorFiles(o.data, "output", outputFiles, error))
    return false;
  std::vector<DataTensor> inputs(inputFiles.size());
  for (size_t i = 0; i < inputFiles.size(); ++i)
    if (!readTensor(inputFiles[i], inputs[i], error))
      return false;

  r.library = o.model;
  if (endsWith(o.model, ".onnx")) {
    if (!compileOnnx(o.model, inputs, r.compile, error))
      return false;
    r.library = r.compile.library;
  }

  MaseModel *rawModel = nullptr;
  if (mase_model_load(r.library.c_str(), &rawModel) != MASE_OK) {
    error = mase_last_error();
    return false;
  }
  std::unique_ptr<MaseModel, decltype(&mase_model_free)> model(
      rawModel, &mase_model_free);
  if (o.threads &&
      mase_model_set_num_threads(model.get(), static_cast<int>(*o.threads)) !=
          MASE_OK) {
    error = mase_last_error();
    return false;
  }
  r.threads = mase_model_get_num_threads(model.get());

  // Inputs: one file per model input, in order, of the same name (when the
  // file names its tensor), type and shape.
  size_t numInputs = mase_model_num_inputs(model.get());
  size_t numOutputs = mase_model_num_outputs(model.get());
  auto describeModel = [&](bool input) {
    std::string s;
    size_t n = input ? numInputs : numOutputs;
    for (size_t i = 0; i < n; ++i) {
      MaseTensorInfo info;
      if (input)
        mase_model_input_info(model.get(), i, &info);
      else
        mase_model_output_info(model.get(), i, &info);
      s += (i ? ", '" : "'") + std::string(info.name) + "'";
    }
    return std::to_string(n) + (input ? " input" : " output") +
           (n == 1 ? "" : "s") + (n ? " (" + s + ")" : "");
  };
  if (inputs.size() != numInputs) {
    error = o.data + ": " + std::to_string(inputs.size()) + " input file" +
            (inputs.size() == 1 ? "" : "s") + " (input_<i>.pb) but " +
            r.library + " has " + describeModel(true);
    return false;
  }
  if (outputFiles.size() > numOutputs) {
    error = outputFiles[numOutputs] + ": " + r.library + " has only " +
            describeModel(false);
    return false;
  }

  std::vector<Buffer> inputBuffers, outputBuffers;
  std::vector<MaseTensor> inputTensors, outputTensors;
  for (size_t i = 0; i < numInputs; ++i) {
    TensorReport t;
    mase_model_input_info(model.get(), i, &t.info);
    t.shape.assign(t.info.shape, t.info.shape + t.info.rank);
    t.file = inputs[i].file;
    const HostTensor &v = inputs[i].value;
    MaseElementType fileType = toMase(v.type.elementType);
    if (!inputs[i].name.empty() && inputs[i].name != t.info.name) {
      error = t.file + ": holds tensor '" + inputs[i].name + "' but input " +
              std::to_string(i) + " of " + r.library + " is '" + t.info.name +
              "'";
      return false;
    }
    if (fileType != t.info.type || v.type.shape != t.shape) {
      error = t.file + ": holds " + describe(fileType, v.type.shape) +
              " but input '" + t.info.name + "' of " + r.library + " is " +
              describe(t.info.type, t.shape);
      return false;
    }
    inputBuffers.emplace_back(t.info.size_bytes);
    toBytes(v, inputBuffers.back().data.get());
    r.inputs.push_back(t);
  }
  for (size_t i = 0; i < numOutputs; ++i) {
    TensorReport t;
    mase_model_output_info(model.get(), i, &t.info);
    t.shape.assign(t.info.shape, t.info.shape + t.info.rank);
    if (i < outputFiles.size())
      t.file = outputFiles[i];
    outputBuffers.emplace_back(t.info.size_bytes);
    // Unwritten outputs read as NaN / all ones.
    std::memset(outputBuffers.back().data.get(), 0xff, t.info.size_bytes);
    r.outputs.push_back(t);
  }
  for (size_t i = 0; i < numInputs; ++i)
    inputTensors.push_back({r.inputs[i].info.type, r.inputs[i].info.rank,
                            r.inputs[i].info.shape,
                            inputBuffers[i].data.get()});
  for (size_t i = 0; i < numOutputs; ++i)
    outputTensors.push_back({r.outputs[i].info.type, r.outputs[i].info.rank,
                             r.outputs[i].info.shape,
                             outputBuffers[i].data.get()});

  // Run: warmup, then timed iterations.
  std::vector<double> times;
  for (long it = 0; it < o.warmup + o.iterations; ++it) {
    auto start = std::chrono::steady_clock::now();
    if (mase_model_run(model.get(), inputTensors.data(), numInputs,
                       outputTensors.data(), numOutputs) != MASE_OK) {
      error = mase_last_error();
      return false;
    }
    auto end = std::chrono::steady_clock::now();
    if (it >= o.warmup)
      times.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  r.minMs = times.front();
  r.medianMs = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  r.gpu = mase_model_device_memory(model.get(), &r.deviceWeightBytes,
                                   &r.devicePeakBytes) == MASE_OK;

  // Compare.
  bool allMatch = true;
  for (size_t i = 0; i < outputFiles.size(); ++i) {
    TensorReport &t = r.outputs[i];
    DataTensor expected;
    if (!readTensor(outputFiles[i], expected, error))
      return false;
    Comparison &c = t.comparison;
    MaseElementType fileType = toMase(expected.value.type.elementType);
    if (fileType != t.info.type || expected.value.type.shape != t.shape) {
      c.checked = true;
      c.match = false;
      c.problem = "the model gives " + describe(t.info.type, t.shape) +
                  " but " + baseName(t.file) + " holds " +
                  describe(fileType, expected.value.type.shape);
    } else {
      compare(t.info.type, outputBuffers[i].data.get(), expected.value, o.rtol,
              o.atol, c);
    }
    allMatch &= c.match;
  }
  r.exitCode = allMatch ? kExitMatch : kExitMismatch;
  return true;
}

/// Parses the command line; returns false with `error` set on bad usage.
bool parseArgs(int argc, char **argv, Options &o, bool &help,
               std::string &error) {
  help = false;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      help = true;
      return true;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional.push_back(arg);
      continue;
    }
    std::string name = arg, value;
    bool hasValue = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      hasValue = true;
    }
    if (name == "--json") {
      if (hasValue) {
        error = "--json takes no value";
        return false;
      }
      o.json = true;
      continue;
    }
    static const char *const valued[] = {"--data",   "--rtol",       "--atol",
                                         "--warmup", "--iterations", "--threads"};
    if (std::find_if(std::begin(valued), std::end(valued), [&](const char *v) {
          return name == v;
        }) == std::end(valued)) {
      error = "unknown option '" + name + "'";
      return false;
    }
    if (!hasValue) {
      if (i + 1 >= argc) {
        error = name + " needs a value";
        return false;
      }
      value = argv[++i];
    }
    double d;
    long l;
    if (name == "--data") {
      o.data = value;
    } else if (name == "--rtol" || name == "--atol") {
      if (!parseDouble(value, d) || d < 0) {
        error = name + " must be a number >= 0, got '" + value + "'";
        return false;
      }
      (name == "--rtol" ? o.rtol : o.atol) = d;
    } else {
      long minimum = name == "--iterations" ? 1 : 0;
      if (!parseLong(value, l) || l < minimum || l > 1000000000) {
        error = name + " must be an integer >= " + std::to_string(minimum) +
                ", got '" + value + "'";
        return false;
      }
      if (name == "--warmup")
        o.warmup = l;
      else if (name == "--iterations")
        o.iterations = l;
      else
        o.threads = l;
    }
  }
  if (positional.size() != 1) {
    error = positional.empty() ? "no model given"
                               : "one model expected, got " +
                                     std::to_string(positional.size()) +
                                     " arguments";
    return false;
  }
  o.model = positional[0];
  if (o.data.empty()) {
    error = "--data DIR is required";
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  Report r;
  bool help = false;
  std::string error;
  if (!parseArgs(argc, argv, r.options, help, error)) {
    std::fprintf(stderr, "mase-run: error: %s\n\n%s", error.c_str(), kUsage);
    return kExitError;
  }
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!run(r)) {
    r.exitCode = kExitError;
    std::fprintf(stderr, "mase-run: error: %s\n", r.error.c_str());
    if (r.options.json)
      printJson(r);
    return kExitError;
  }
  if (r.options.json)
    printJson(r);
  else
    printText(r);
  return r.exitCode;
}
