//===- Numerics.cpp - C API of the mase numerics library ------------------===//
//
// Checks every argument a C caller controls, then calls the numerics library
// (mase/Numerics/FormatSpec.h, IntegerPacking.h, Mxint8.h). Every failure,
// exceptions included, becomes a message and MASE_NUMERICS_ERROR.
//
//===----------------------------------------------------------------------===//

#include "mase-c/Numerics.h"
#include "mase/Numerics/FormatSpec.h"
#include "mase/Numerics/IntegerPacking.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <limits>
#include <new>
#include <string>
#include <vector>

using namespace mase::numerics;

namespace {

/// Largest element count accepted: its float32 and packed sizes fit a size_t.
constexpr std::int64_t kMaxElements =
    std::numeric_limits<std::int64_t>::max() / 64;

/// Runs `body`, which returns "" or a message; copies a message (truncated,
/// NUL-terminated) to `error` and turns exceptions into messages.
template <typename Body> int guarded(char *error, size_t errorSize, Body body) {
  std::string message;
  try {
    message = body();
  } catch (const std::bad_alloc &) {
    message = "out of memory";
  } catch (const std::exception &e) {
    message = std::string("internal error: ") + e.what();
  } catch (...) {
    message = "internal error";
  }
  if (message.empty())
    return MASE_NUMERICS_OK;
  if (error && errorSize > 0) {
    const size_t n = std::min(message.size(), errorSize - 1);
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
  }
  return MASE_NUMERICS_ERROR;
}

std::string parse(const char *name, const char *params, Format &format) {
  if (!name)
    return "the format name is NULL";
  return parseFormat(name, params ? params : "", format);
}

std::string describe(const Shape &shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

/// Copies the caller's shape into `out` and counts its elements into `n`.
std::string readShape(const int64_t *shape, int rank, Shape &out,
                      std::int64_t &n) {
  if (rank < 0)
    return "rank must be >= 0, got " + std::to_string(rank);
  if (rank > 0 && !shape)
    return "shape is NULL for rank " + std::to_string(rank);
  out.assign(shape, shape + rank);
  n = 1;
  for (std::int64_t d : out) {
    if (d < 0)
      return "shape " + describe(out) + " has a negative dimension";
    if (d != 0 && n > kMaxElements / d)
      return "shape " + describe(out) + " has too many elements";
    n *= d;
  }
  return {};
}

/// Bytes of the packed layout of `n` elements of `format` (named `name`).
std::string packedSize(const char *name, const Format &format, std::int64_t n,
                       size_t &size) {
  if (const auto *f = std::get_if<IntegerFormat>(&format)) {
    size = packedBytes(*f, static_cast<size_t>(n));
    return {};
  }
  if (const auto *f = std::get_if<Mxint8Format>(&format)) {
    if (n % f->groupSize != 0)
      return "mxint8: " + std::to_string(n) +
             " elements are not divisible by group_size " +
             std::to_string(f->groupSize);
    size = static_cast<size_t>(n + n / f->groupSize);
    return {};
  }
  return std::string(name) +
         ": no packed layout (only integer, integer_floor and mxint8 pack)";
}

/// A parsed packing request: its format, shape, element count and size.
struct Packing {
  Format format;
  Shape dims;
  std::int64_t n = 0;
  size_t size = 0;
};

/// Everything the packing functions check before touching data; a non-null
/// `givenSize` must equal the packed size.
std::string preparePacking(const char *name, const char *params,
                           const int64_t *shape, int rank,
                           const size_t *givenSize, Packing &packing) {
  if (std::string e = parse(name, params, packing.format); !e.empty())
    return e;
  if (std::string e = readShape(shape, rank, packing.dims, packing.n);
      !e.empty())
    return e;
  if (std::string e = packedSize(name, packing.format, packing.n, packing.size);
      !e.empty())
    return e;
  if (!givenSize || *givenSize == packing.size)
    return {};
  return "the packed buffer has " + std::to_string(*givenSize) +
         " bytes; shape " + describe(packing.dims) + " packs into " +
         std::to_string(packing.size);
}

/// `in`, or a copy of it when it overlaps `out` (the library wants them
/// apart).
template <typename T>
const T *apart(const T *in, size_t count, const void *out, size_t outBytes,
               std::vector<T> &copy) {
  const auto a = reinterpret_cast<std::uintptr_t>(in);
  const auto b = reinterpret_cast<std::uintptr_t>(out);
  if (count == 0 || outBytes == 0 || a >= b + outBytes ||
      b >= a + count * sizeof(T))
    return in;
  copy.assign(in, in + count);
  return copy.data();
}

} // namespace

int mase_numerics_api_version(void) { return MASE_NUMERICS_API_VERSION; }

const char *mase_format_names(void) {
  static const std::string names = [] {
    std::string out;
    for (const std::string &name : formatNames())
      out += (out.empty() ? "" : ",") + name;
    return out;
  }();
  return names.c_str();
}

int mase_check_format(const char *format, const char *params, char *error,
                      size_t error_size) {
  return guarded(error, error_size, [&] {
    Format f;
    return parse(format, params, f);
  });
}

int mase_quantize(const char *format, const char *params, const float *in,
                  float *out, const int64_t *shape, int rank, char *error,
                  size_t error_size) {
  return guarded(error, error_size, [&]() -> std::string {
    Format f;
    Shape dims;
    std::int64_t n;
    if (std::string e = parse(format, params, f); !e.empty())
      return e;
    if (std::string e = readShape(shape, rank, dims, n); !e.empty())
      return e;
    if (n > 0 && (!in || !out))
      return "the input or output buffer is NULL";
    std::vector<float> copy;
    const size_t count = static_cast<size_t>(n);
    return quantize(f, apart(in, count, out, count * sizeof(float), copy), out,
                    dims);
  });
}

int mase_pack_size(const char *format, const char *params, const int64_t *shape,
                   int rank, size_t *packed_size, char *error,
                   size_t error_size) {
  return guarded(error, error_size, [&]() -> std::string {
    if (!packed_size)
      return "packed_size is NULL";
    Packing packing;
    if (std::string e =
            preparePacking(format, params, shape, rank, nullptr, packing);
        !e.empty())
      return e;
    *packed_size = packing.size;
    return {};
  });
}

int mase_pack(const char *format, const char *params, const float *in,
              uint8_t *packed, size_t packed_size, const int64_t *shape,
              int rank, char *error, size_t error_size) {
  return guarded(error, error_size, [&]() -> std::string {
    Packing packing;
    if (std::string e =
            preparePacking(format, params, shape, rank, &packed_size, packing);
        !e.empty())
      return e;
    auto &[f, dims, n, size] = packing;
    if ((n > 0 && !in) || (size > 0 && !packed))
      return "the input or packed buffer is NULL";
    std::vector<float> copy;
    const float *x = apart(in, static_cast<size_t>(n), packed, size, copy);
    if (const auto *integer = std::get_if<IntegerFormat>(&f))
      return encode(*integer, x, dims, packed);
    return encode(std::get<Mxint8Format>(f), x, dims,
                  reinterpret_cast<std::int8_t *>(packed), packed + n);
  });
}

int mase_unpack(const char *format, const char *params, const uint8_t *packed,
                size_t packed_size, float *out, const int64_t *shape, int rank,
                char *error, size_t error_size) {
  return guarded(error, error_size, [&]() -> std::string {
    Packing packing;
    if (std::string e =
            preparePacking(format, params, shape, rank, &packed_size, packing);
        !e.empty())
      return e;
    auto &[f, dims, n, size] = packing;
    if ((n > 0 && !out) || (size > 0 && !packed))
      return "the packed or output buffer is NULL";
    std::vector<uint8_t> copy;
    const uint8_t *p =
        apart(packed, size, out, static_cast<size_t>(n) * sizeof(float), copy);
    if (const auto *integer = std::get_if<IntegerFormat>(&f))
      return decode(*integer, p, out, dims);
    return decode(std::get<Mxint8Format>(f),
                  reinterpret_cast<const std::int8_t *>(p), p + n, out, dims);
  });
}
