//===- BufferCacheTest.cpp - the buffer cache linked into models ----------===//

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

extern "C" {
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *data);
}

namespace {

bool alignedTo(void *p, size_t alignment) {
  return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}

TEST(BufferCache, FreedBlockIsReusedForTheSameSize) {
  void *a = _mlir_memref_to_llvm_aligned_alloc(64, 1000);
  ASSERT_NE(a, nullptr);
  std::memset(a, 1, 1000);
  _mlir_memref_to_llvm_free(a);
  void *b = _mlir_memref_to_llvm_aligned_alloc(64, 1000);
  EXPECT_EQ(a, b);
  // While b is in use, the same size needs a new block.
  void *c = _mlir_memref_to_llvm_aligned_alloc(64, 1000);
  EXPECT_NE(c, b);
  _mlir_memref_to_llvm_free(b);
  _mlir_memref_to_llvm_free(c);
}

TEST(BufferCache, OtherSizeOrAlignmentGetsAnotherBlock) {
  void *a = _mlir_memref_to_llvm_aligned_alloc(64, 4096);
  _mlir_memref_to_llvm_free(a);
  void *b = _mlir_memref_to_llvm_aligned_alloc(64, 4100);
  void *c = _mlir_memref_to_llvm_aligned_alloc(128, 4096);
  EXPECT_NE(b, a);
  EXPECT_NE(c, a);
  _mlir_memref_to_llvm_free(b);
  _mlir_memref_to_llvm_free(c);
}

TEST(BufferCache, Alignment) {
  for (size_t alignment : {1, 8, 16, 32, 64, 128, 4096}) {
    void *p = _mlir_memref_to_llvm_aligned_alloc(alignment, 24);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(alignedTo(p, alignment < 8 ? 8 : alignment)) << alignment;
    _mlir_memref_to_llvm_free(p);
  }
  void *p = _mlir_memref_to_llvm_alloc(3);
  EXPECT_TRUE(alignedTo(p, alignof(void *)));
  _mlir_memref_to_llvm_free(p);
  _mlir_memref_to_llvm_free(nullptr);
}

} // namespace
