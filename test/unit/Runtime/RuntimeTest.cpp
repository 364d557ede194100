//===- RuntimeTest.cpp - the runtime C API over fixture models ------------===//
//
// Loads the hand-written fixture libraries in Fixtures/ (built into
// MASE_RUNTIME_FIXTURE_DIR) through libmase_runtime.so and checks loading,
// the descriptions, runs, and every validation error.
//
//===----------------------------------------------------------------------===//

#include "mase-c/Runtime.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

namespace {

std::string fixture(const std::string &name) {
  return std::string(MASE_RUNTIME_FIXTURE_DIR) + "/" + name + ".so";
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

#define EXPECT_ERROR_CONTAINS(call, ...)                                       \
  do {                                                                         \
    EXPECT_EQ((call), MASE_ERROR);                                             \
    std::string message = mase_last_error();                                   \
    for (const char *part : {__VA_ARGS__})                                     \
      EXPECT_TRUE(contains(message, part))                                     \
          << "message: " << message << "\nmissing: " << part;                  \
  } while (0)

/// A model loaded for one test.
struct Loaded {
  MaseModel *model = nullptr;
  explicit Loaded(const std::string &path) {
    EXPECT_EQ(mase_model_load(path.c_str(), &model), MASE_OK)
        << mase_last_error();
  }
  ~Loaded() { mase_model_free(model); }
  Loaded(const Loaded &) = delete;
  Loaded &operator=(const Loaded &) = delete;
};

/// A temporary directory removed (with its files) at the end of a test.
struct TempDir {
  std::string path;
  std::vector<std::string> files;
  TempDir() {
    char tmpl[] = "/tmp/mase-runtime-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  std::string write(const std::string &name, const std::string &content) {
    std::string file = path + "/" + name;
    FILE *f = std::fopen(file.c_str(), "w");
    std::fputs(content.c_str(), f);
    std::fclose(f);
    files.push_back(file);
    return file;
  }
  ~TempDir() {
    for (const std::string &f : files)
      unlink(f.c_str());
    rmdir(path.c_str());
  }
};

const int64_t kShape23[] = {2, 3};
const int64_t kShape32[] = {3, 2};
const int64_t kShape6[] = {6};

TEST(Runtime, ApiVersionAndElementTypes) {
  EXPECT_EQ(mase_runtime_api_version(), MASE_RUNTIME_API_VERSION);
  EXPECT_STREQ(mase_element_type_name(MASE_F32), "f32");
  EXPECT_STREQ(mase_element_type_name(MASE_BF16), "bf16");
  EXPECT_STREQ(mase_element_type_name(MASE_U64), "u64");
  EXPECT_STREQ(mase_element_type_name(MASE_BOOL), "bool");
  EXPECT_STREQ(mase_element_type_name(static_cast<MaseElementType>(42)),
               "invalid");
  EXPECT_EQ(mase_element_type_size(MASE_F64), 8u);
  EXPECT_EQ(mase_element_type_size(MASE_F16), 2u);
  EXPECT_EQ(mase_element_type_size(MASE_I8), 1u);
  EXPECT_EQ(mase_element_type_size(MASE_BOOL), 1u);
  EXPECT_EQ(mase_element_type_size(static_cast<MaseElementType>(42)), 0u);
}

TEST(Runtime, LoadMissingFile) {
  MaseModel *model = reinterpret_cast<MaseModel *>(0x1);
  std::string path = fixture("does_not_exist");
  EXPECT_ERROR_CONTAINS(mase_model_load(path.c_str(), &model), path.c_str(),
                        "cannot load model", "No such file");
  EXPECT_EQ(model, nullptr);
}

TEST(Runtime, LoadDirectory) {
  MaseModel *model = nullptr;
  EXPECT_ERROR_CONTAINS(mase_model_load(MASE_RUNTIME_FIXTURE_DIR, &model),
                        "it is a directory");
}

TEST(Runtime, LoadNullArguments) {
  MaseModel *model = nullptr;
  EXPECT_ERROR_CONTAINS(mase_model_load(nullptr, &model), "path is NULL");
  EXPECT_ERROR_CONTAINS(mase_model_load(fixture("add_f32").c_str(), nullptr),
                        "out is NULL");
}

TEST(Runtime, LoadCorruptLibrary) {
  TempDir dir;
  std::string path = dir.write("x.so", "this is not a shared library\n");
  MaseModel *model = nullptr;
  EXPECT_ERROR_CONTAINS(mase_model_load(path.c_str(), &model), path.c_str(),
                        "not a loadable shared library");
  EXPECT_EQ(model, nullptr);
}

TEST(Runtime, LoadRelativePathIsNotSearched) {
  // "add_f32.so" without '/' is ./add_f32.so, never a library-path search.
  TempDir dir;
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  ASSERT_EQ(chdir(MASE_RUNTIME_FIXTURE_DIR), 0);
  MaseModel *model = nullptr;
  EXPECT_EQ(mase_model_load("add_f32.so", &model), MASE_OK)
      << mase_last_error();
  EXPECT_STREQ(mase_model_path(model), "add_f32.so");
  mase_model_free(model);
  ASSERT_EQ(chdir(dir.path.c_str()), 0);
  EXPECT_ERROR_CONTAINS(mase_model_load("add_f32.so", &model), "add_f32.so",
                        "No such file");
  ASSERT_EQ(chdir(cwd), 0);
}

TEST(Runtime, LoadMissingSymbols) {
  MaseModel *model = nullptr;
  std::string path = fixture("missing_symbols");
  EXPECT_ERROR_CONTAINS(mase_model_load(path.c_str(), &model), path.c_str(),
                        "not a mase model",
                        "does not export mase_model_abi_version, "
                        "mase_model_entry");
  EXPECT_FALSE(contains(mase_last_error(), "mase_model_signature"));
  EXPECT_EQ(model, nullptr);
}

TEST(Runtime, LoadAbiMismatch) {
  MaseModel *model = nullptr;
  std::string path = fixture("abi_mismatch");
  EXPECT_ERROR_CONTAINS(mase_model_load(path.c_str(), &model), path.c_str(),
                        "model ABI version 999",
                        "this runtime reads version 2");
  EXPECT_EQ(model, nullptr);
}

TEST(Runtime, LoadMalformedSignature) {
  MaseModel *model = nullptr;
  std::string path = fixture("bad_signature");
  EXPECT_ERROR_CONTAINS(mase_model_load(path.c_str(), &model), path.c_str(),
                        "malformed model signature",
                        "line 2: unknown element type 'f128'");
  EXPECT_EQ(model, nullptr);
}

TEST(Runtime, DescribeAddModel) {
  Loaded add(fixture("add_f32"));
  ASSERT_NE(add.model, nullptr);
  EXPECT_EQ(mase_model_path(add.model), fixture("add_f32"));
  ASSERT_EQ(mase_model_num_inputs(add.model), 2u);
  ASSERT_EQ(mase_model_num_outputs(add.model), 1u);
  const char *inputNames[] = {"a", "b"};
  for (size_t i = 0; i < 2; ++i) {
    MaseTensorInfo info;
    ASSERT_EQ(mase_model_input_info(add.model, i, &info), MASE_OK);
    EXPECT_STREQ(info.name, inputNames[i]);
    EXPECT_EQ(info.type, MASE_F32);
    ASSERT_EQ(info.rank, 2u);
    EXPECT_EQ(info.shape[0], 2);
    EXPECT_EQ(info.shape[1], 3);
    EXPECT_EQ(info.num_elements, 6u);
    EXPECT_EQ(info.size_bytes, 24u);
  }
  MaseTensorInfo info;
  ASSERT_EQ(mase_model_output_info(add.model, 0, &info), MASE_OK);
  EXPECT_STREQ(info.name, "sum");
  EXPECT_ERROR_CONTAINS(mase_model_input_info(add.model, 2, &info),
                        "input index 2 is out of range (the model has 2 "
                        "inputs)");
  EXPECT_ERROR_CONTAINS(mase_model_output_info(add.model, 1, &info),
                        "output index 1 is out of range (the model has 1 "
                        "output)");
  EXPECT_ERROR_CONTAINS(mase_model_output_info(add.model, 0, nullptr),
                        "info is NULL");
  EXPECT_ERROR_CONTAINS(mase_model_input_info(nullptr, 0, &info),
                        "model is NULL");
  EXPECT_EQ(mase_model_num_inputs(nullptr), 0u);
}

TEST(Runtime, DescribeMixedModel) {
  Loaded mixed(fixture("mixed"));
  ASSERT_NE(mixed.model, nullptr);
  ASSERT_EQ(mase_model_num_inputs(mixed.model), 3u);
  ASSERT_EQ(mase_model_num_outputs(mixed.model), 3u);
  MaseTensorInfo scale, mask, count, h;
  ASSERT_EQ(mase_model_input_info(mixed.model, 1, &scale), MASE_OK);
  EXPECT_STREQ(scale.name, "scale");
  EXPECT_EQ(scale.type, MASE_F64);
  EXPECT_EQ(scale.rank, 0u);
  EXPECT_NE(scale.shape, nullptr);
  EXPECT_EQ(scale.num_elements, 1u);
  EXPECT_EQ(scale.size_bytes, 8u);
  ASSERT_EQ(mase_model_input_info(mixed.model, 2, &mask), MASE_OK);
  EXPECT_STREQ(mask.name, "m%ask");
  EXPECT_EQ(mask.type, MASE_BOOL);
  ASSERT_EQ(mase_model_output_info(mixed.model, 1, &count), MASE_OK);
  EXPECT_EQ(count.type, MASE_I32);
  EXPECT_EQ(count.rank, 0u);
  ASSERT_EQ(mase_model_output_info(mixed.model, 2, &h), MASE_OK);
  EXPECT_EQ(h.type, MASE_F16);
  EXPECT_EQ(h.size_bytes, 4u);
}

/// Buffers for one run of add_f32.
struct AddRun {
  float a[6], b[6], sum[6];
  MaseTensor in[2], out[1];
  explicit AddRun(float base = 0) { reset(base); }
  AddRun(const AddRun &) = delete;
  AddRun &operator=(const AddRun &) = delete;
  void reset(float base = 0) {
    for (int i = 0; i < 6; ++i) {
      a[i] = base + i;
      b[i] = 10.0f * i;
      sum[i] = -1;
    }
    in[0] = {MASE_F32, 2, kShape23, a};
    in[1] = {MASE_F32, 2, kShape23, b};
    out[0] = {MASE_F32, 2, kShape23, sum};
  }
  MaseStatus run(const MaseModel *model) {
    return mase_model_run(model, in, 2, out, 1);
  }
  bool correct() const {
    for (int i = 0; i < 6; ++i)
      if (sum[i] != a[i] + b[i])
        return false;
    return true;
  }
};

TEST(Runtime, RunAdd) {
  Loaded add(fixture("add_f32"));
  AddRun r(0.5f);
  ASSERT_EQ(r.run(add.model), MASE_OK) << mase_last_error();
  EXPECT_TRUE(r.correct());
  EXPECT_EQ(r.sum[5], 5.5f + 50.0f);
}

TEST(Runtime, RunValidationErrors) {
  Loaded add(fixture("add_f32"));
  const MaseModel *m = add.model;
  std::string path = fixture("add_f32");

  AddRun r;
  EXPECT_ERROR_CONTAINS(mase_model_run(m, r.in, 1, r.out, 1), path.c_str(),
                        "expected 2 inputs ('a', 'b'), got 1");
  EXPECT_ERROR_CONTAINS(mase_model_run(m, r.in, 2, r.out, 0),
                        "expected 1 output ('sum'), got 0");
  EXPECT_ERROR_CONTAINS(mase_model_run(m, nullptr, 2, r.out, 1),
                        "inputs is NULL");
  EXPECT_ERROR_CONTAINS(mase_model_run(nullptr, r.in, 2, r.out, 1),
                        "model is NULL");

  r.reset();
  r.in[1].type = MASE_F64;
  EXPECT_ERROR_CONTAINS(r.run(m), "input 'b': expected element type f32, got "
                                  "f64 (expected f32[2x3])");

  r.reset();
  r.in[0].type = static_cast<MaseElementType>(77);
  EXPECT_ERROR_CONTAINS(r.run(m), "input 'a': invalid element type value 77");

  r.reset();
  r.in[0].rank = 1;
  r.in[0].shape = kShape6;
  EXPECT_ERROR_CONTAINS(r.run(m), "input 'a': expected rank 2, got rank 1 "
                                  "(expected f32[2x3], got f32[6])");

  r.reset();
  r.in[1].shape = kShape32;
  EXPECT_ERROR_CONTAINS(r.run(m), "input 'b': expected shape f32[2x3], got "
                                  "f32[3x2] (dimension 0 differs)");

  r.reset();
  r.in[1].shape = nullptr;
  EXPECT_ERROR_CONTAINS(r.run(m), "input 'b': shape is NULL with rank 2");

  r.reset();
  r.in[0].data = nullptr;
  EXPECT_ERROR_CONTAINS(r.run(m), "input 'a': data is NULL");

  r.reset();
  r.out[0].shape = kShape32;
  EXPECT_ERROR_CONTAINS(r.run(m), "output 'sum': expected shape f32[2x3], "
                                  "got f32[3x2]");

  r.reset();
  r.out[0].data = nullptr;
  EXPECT_ERROR_CONTAINS(r.run(m), "output 'sum': data is NULL");

  r.reset();
  r.out[0].data = r.b + 1;
  EXPECT_ERROR_CONTAINS(r.run(m), "output 'sum' overlaps input 'b'");

  // A failed run does not call the model.
  r.reset();
  r.in[1].type = MASE_I32;
  EXPECT_EQ(r.run(m), MASE_ERROR);
  EXPECT_EQ(r.sum[0], -1.0f);
}

TEST(Runtime, RunMixed) {
  Loaded mixed(fixture("mixed"));
  int64_t ids[4] = {1, 2, 3, -4};
  double scale = 0.5;
  uint8_t mask[4] = {1, 0, 1, 1};
  double y[4];
  int32_t count = -1;
  uint16_t h[2];
  const int64_t shape4[] = {4}, shape2[] = {2};
  MaseTensor in[3] = {{MASE_I64, 1, shape4, ids},
                      {MASE_F64, 0, nullptr, &scale},
                      {MASE_BOOL, 1, shape4, mask}};
  MaseTensor out[3] = {{MASE_F64, 1, shape4, y},
                       {MASE_I32, 0, nullptr, &count},
                       {MASE_F16, 1, shape2, h}};
  ASSERT_EQ(mase_model_run(mixed.model, in, 3, out, 3), MASE_OK)
      << mase_last_error();
  EXPECT_EQ(y[0], 0.5);
  EXPECT_EQ(y[1], 0.0);
  EXPECT_EQ(y[2], 1.5);
  EXPECT_EQ(y[3], -2.0);
  EXPECT_EQ(count, 3);
  EXPECT_EQ(h[0], 0x3C00);
  EXPECT_EQ(h[1], 0xC000);

  in[1].rank = 1;
  in[1].shape = shape4;
  EXPECT_ERROR_CONTAINS(mase_model_run(mixed.model, in, 3, out, 3),
                        "input 'scale': expected rank 0, got rank 1 "
                        "(expected f64[], got f64[4])");
  in[1] = {MASE_F64, 0, nullptr, &scale};
  in[2].type = MASE_U8;
  EXPECT_ERROR_CONTAINS(mase_model_run(mixed.model, in, 3, out, 3),
                        "input 'm%ask': expected element type bool, got u8");
}

/// The fixture's record of omp_set_num_threads on this thread.
int lastNumThreads() {
  void *handle = dlopen(fixture("add_f32").c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(handle, nullptr);
  auto fn = reinterpret_cast<int (*)()>(dlsym(handle, "fixture_last_num_threads"));
  int n = fn ? fn() : -2;
  dlclose(handle);
  return n;
}

TEST(Runtime, NumThreads) {
  Loaded add(fixture("add_f32"));
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int all = mase_model_get_num_threads(add.model);
  EXPECT_GE(all, 1);
  EXPECT_LE(all, cores);

  AddRun r;
  ASSERT_EQ(r.run(add.model), MASE_OK);
  EXPECT_EQ(lastNumThreads(), all); // default: every core

  ASSERT_EQ(mase_model_set_num_threads(add.model, 3), MASE_OK);
  EXPECT_EQ(mase_model_get_num_threads(add.model), 3);
  EXPECT_EQ(lastNumThreads(), all); // applied at the next run, not before
  ASSERT_EQ(r.run(add.model), MASE_OK);
  EXPECT_EQ(lastNumThreads(), 3);

  ASSERT_EQ(mase_model_set_num_threads(add.model, 0), MASE_OK);
  ASSERT_EQ(r.run(add.model), MASE_OK);
  EXPECT_EQ(lastNumThreads(), all);

  EXPECT_ERROR_CONTAINS(mase_model_set_num_threads(add.model, -1),
                        "the thread count must be >= 1, or 0 for every core; "
                        "got -1");
  EXPECT_EQ(mase_model_get_num_threads(add.model), all);

  // A model without OpenMP runs with any thread count.
  Loaded mixed(fixture("mixed"));
  EXPECT_EQ(mase_model_set_num_threads(mixed.model, 2), MASE_OK);
  EXPECT_EQ(mase_model_get_num_threads(mixed.model), 2);
}

TEST(Runtime, SeveralModelsAtOnce) {
  Loaded first(fixture("add_f32"));
  Loaded mixed(fixture("mixed"));
  MaseModel *second = nullptr;
  ASSERT_EQ(mase_model_load(fixture("add_f32").c_str(), &second), MASE_OK);
  ASSERT_NE(second, first.model);

  // Independent settings over one mapping of the library.
  ASSERT_EQ(mase_model_set_num_threads(first.model, 1), MASE_OK);
  ASSERT_EQ(mase_model_set_num_threads(second, 2), MASE_OK);
  AddRun r1(1), r2(2);
  ASSERT_EQ(r1.run(first.model), MASE_OK);
  EXPECT_EQ(lastNumThreads(), 1);
  ASSERT_EQ(r2.run(second), MASE_OK);
  EXPECT_EQ(lastNumThreads(), 2);
  EXPECT_TRUE(r1.correct());
  EXPECT_TRUE(r2.correct());
  EXPECT_EQ(mase_model_num_inputs(mixed.model), 3u);

  // Freeing one leaves the other usable.
  mase_model_free(second);
  AddRun r3(3);
  ASSERT_EQ(r3.run(first.model), MASE_OK) << mase_last_error();
  EXPECT_TRUE(r3.correct());
  MaseTensorInfo info;
  ASSERT_EQ(mase_model_output_info(first.model, 0, &info), MASE_OK);
  EXPECT_STREQ(info.name, "sum");
}

TEST(Runtime, LibraryReplacedOnDisk) {
  // A recompile writes a new file at the same path while models of the old
  // one are still loaded: the new load must run the new file.
  TempDir dir;
  std::string path = dir.path + "/model.so";
  auto copy = [&](const std::string &from, const std::string &to) {
    std::string command = "cp '" + from + "' '" + to + "'";
    ASSERT_EQ(std::system(command.c_str()), 0);
  };
  copy(fixture("add_f32"), path);
  dir.files.push_back(path);
  Loaded oldModel(path);
  ASSERT_EQ(mase_model_num_inputs(oldModel.model), 2u);

  std::string next = dir.path + "/next.so";
  copy(fixture("mixed"), next);
  ASSERT_EQ(rename(next.c_str(), path.c_str()), 0);
  Loaded newModel(path);
  ASSERT_NE(newModel.model, nullptr);
  EXPECT_EQ(mase_model_num_inputs(newModel.model), 3u);
  EXPECT_EQ(mase_model_num_outputs(newModel.model), 3u);

  // Both still run their own code; the private copy is gone.
  AddRun r;
  ASSERT_EQ(r.run(oldModel.model), MASE_OK) << mase_last_error();
  EXPECT_TRUE(r.correct());
  Loaded again(path);
  EXPECT_EQ(mase_model_num_inputs(again.model), 3u);
  EXPECT_EQ(std::system(("test -z \"$(ls -A '" + dir.path +
                         "' | grep -v '^model.so$')\"")
                            .c_str()),
            0);
}

TEST(Runtime, ConcurrentRuns) {
  Loaded add(fixture("add_f32"));
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        AddRun r(static_cast<float>(t * 1000 + i));
        if (r.run(add.model) == MASE_OK && r.correct())
          ++ok[t];
      }
    });
  for (std::thread &t : threads)
    t.join();
  for (int t = 0; t < 4; ++t)
    EXPECT_EQ(ok[t], 200) << "thread " << t;
}

TEST(Runtime, LastErrorIsPerThread) {
  MaseModel *model = nullptr;
  EXPECT_EQ(mase_model_load(fixture("missing_symbols").c_str(), &model),
            MASE_ERROR);
  std::string mainError = mase_last_error();
  EXPECT_TRUE(contains(mainError, "not a mase model"));

  std::string otherBefore, otherAfter;
  std::thread([&] {
    otherBefore = mase_last_error();
    MaseModel *m = nullptr;
    mase_model_load(fixture("abi_mismatch").c_str(), &m);
    otherAfter = mase_last_error();
  }).join();
  EXPECT_EQ(otherBefore, "");
  EXPECT_TRUE(contains(otherAfter, "ABI version 999"));
  EXPECT_EQ(std::string(mase_last_error()), mainError);

  // Success leaves the last error in place.
  Loaded add(fixture("add_f32"));
  EXPECT_EQ(std::string(mase_last_error()), mainError);
}

} // namespace
