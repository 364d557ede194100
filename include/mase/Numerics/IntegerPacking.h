//===- IntegerPacking.h - packed storage for fixed-point codes --*- C++ -*-===//
//
// Stores an IntegerFormat-quantised tensor (Integer.h) as its integer codes
// c = clamp(round(x * 2^f), lo, hi), computed exactly as quantize() does, so
// that decode gives c / 2^f. Signed codes are two's complement, unsigned
// codes plain binary.
//
// PACKED LAYOUT, by width w (elements in row-major order):
//   w <= 8:       a dense little-endian bit stream: element i occupies bits
//                 [i*w, i*w + w) where bit j is bit (j % 8) of byte j / 8.
//                 So two int4 per byte (element 2k in the low nibble, 2k+1
//                 in the high nibble), four int2 per byte; a 3-, 5-, 6- or
//                 7-bit code may span two bytes. Unused bits of the last
//                 byte are zero. ceil(n*w / 8) bytes.
//   9 <= w <= 16: one 16-bit little-endian word per element (int16 for
//                 signed codes, sign-extended; uint16 for unsigned). 2n bytes.
//   17 <= w <= 32: one 32-bit little-endian word per element (int32 /
//                 uint32). 4n bytes.
//
// decode(encode(x)) == quantize(x) bit for bit, except that quantize's -0.0
// decodes as +0.0 (a code has no negative zero). NaN has no code: encode
// rejects it. +-inf clamp to the range ends as in quantize. For w >= 25,
// quantize's float32 upper bound 2^(w-1)-1 rounds up (to 2^(w-1)); encode
// stores the true maximum code, which decodes to the same float32 value.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_NUMERICS_INTEGERPACKING_H
#define MASE_NUMERICS_INTEGERPACKING_H

#include "mase/Numerics/Integer.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace mase::numerics {

/// The fewest codes of `bits` bits (1 to 8) that fill whole bytes: two of
/// 4 bits, four of 6, eight of 3.
int codesPerByteGroup(int bits);

/// Whether a row of `rowLength` codes of `bits` bits packs into whole byte
/// groups below a byte a code (the GPU's form of native integer weights:
/// narrower than 8 bits, the row a multiple of codesPerByteGroup).
bool packsInByteGroups(int bits, std::int64_t rowLength);

/// Sets the low `bits` bits of `value` at bit `bitPos` of the stream
/// `packed` (bit j is bit j % 8 of byte j / 8), ORed into what is there.
void putBits(std::uint8_t *packed, std::int64_t bitPos, int bits,
             std::uint64_t value);

/// Bytes that `numElements` codes of `format` occupy (0 for an invalid
/// format).
std::size_t packedBytes(const IntegerFormat &format, std::size_t numElements);

/// Quantises `in` and writes its codes to `packed` (packedBytes(format,
/// numElements(shape)) bytes). Returns an empty string on success, or a
/// message for an invalid format or a NaN input.
std::string encode(const IntegerFormat &format, const float *in,
                   const Shape &shape, std::uint8_t *packed);

/// Decodes the codes in `packed` to float32 values code / 2^f into `out`.
std::string decode(const IntegerFormat &format, const std::uint8_t *packed,
                   float *out, const Shape &shape);

} // namespace mase::numerics

#endif // MASE_NUMERICS_INTEGERPACKING_H
