/*===- BufferCache.c - the temporary buffers of a compiled model ----------===*\
|*                                                                            *|
|* Linked into every model library: the allocation functions that MLIR's      *|
|* memref lowering calls (`finalize-memref-to-llvm{use-generic-functions}`).  *|
|* A model allocates the same sizes in the same order on every run, so freed  *|
|* blocks are kept in a cache by exact size and alignment and handed out      *|
|* again: after the first run, temporaries cost no malloc, mmap or page       *|
|* fault. The cache holds what the runs needed at their peak.                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#define HIDDEN __attribute__((visibility("hidden")))

/* Every block starts with this header; the data follows at `offset`, and
 * the word before the data points back to the header. */
typedef struct Block {
  struct Block *next; /* in the cache list of its kind */
  size_t size, alignment, offset;
} Block;

/* The cached blocks of one (size, alignment). */
typedef struct Kind {
  size_t size, alignment;
  Block *blocks;
  struct Kind *next;
} Kind;

static pthread_mutex_t cacheMutex = PTHREAD_MUTEX_INITIALIZER;
static Kind *kinds;

static char *dataOf(Block *block) { return (char *)block + block->offset; }

static Block *headerOf(void *data) { return ((Block **)data)[-1]; }

/* The kind of (size, alignment), created when `create`; NULL if none. */
static Kind *findKind(size_t size, size_t alignment, int create) {
  for (Kind *kind = kinds; kind; kind = kind->next)
    if (kind->size == size && kind->alignment == alignment)
      return kind;
  if (!create)
    return NULL;
  Kind *kind = (Kind *)malloc(sizeof(Kind));
  if (kind) {
    kind->size = size;
    kind->alignment = alignment;
    kind->blocks = NULL;
    kind->next = kinds;
    kinds = kind;
  }
  return kind;
}

static void *allocate(size_t size, size_t alignment) {
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  pthread_mutex_lock(&cacheMutex);
  Kind *kind = findKind(size, alignment, /*create=*/0);
  Block *block = kind ? kind->blocks : NULL;
  if (block)
    kind->blocks = block->next;
  pthread_mutex_unlock(&cacheMutex);
  if (block)
    return dataOf(block);

  size_t offset = sizeof(Block) + sizeof(Block *);
  offset = (offset + alignment - 1) / alignment * alignment;
  /* malloc aligns to 16; over-allocate for larger alignments. */
  block = (Block *)malloc(offset + size + alignment);
  if (!block)
    return NULL;
  size_t misalignment = (size_t)((char *)block + offset) % alignment;
  block->size = size;
  block->alignment = alignment;
  block->offset = offset + (misalignment ? alignment - misalignment : 0);
  char *data = dataOf(block);
  ((Block **)data)[-1] = block;
  return data;
}

HIDDEN void *_mlir_memref_to_llvm_alloc(size_t size) {
  return allocate(size, sizeof(void *));
}

HIDDEN void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                size_t size) {
  return allocate(size, alignment);
}

HIDDEN void _mlir_memref_to_llvm_free(void *data) {
  if (!data)
    return;
  Block *block = headerOf(data);
  pthread_mutex_lock(&cacheMutex);
  Kind *kind = findKind(block->size, block->alignment, /*create=*/1);
  if (kind) {
    block->next = kind->blocks;
    kind->blocks = block;
  }
  pthread_mutex_unlock(&cacheMutex);
  if (!kind) /* no memory to cache it: give it back */
    free(block);
}
