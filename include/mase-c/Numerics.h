/*===- mase-c/Numerics.h - C API of the mase numerics library -----*- C -*-===*\
|*                                                                            *|
|* MASE's number formats on float32 tensors, bit for bit as MASE computes     *|
|* them, behind a small stable C ABI (libmase_numerics_c.so). The Python      *|
|* package `mase.numerics` is a ctypes wrapper over exactly this header.      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* FORMATS. A format is named by MASE's quantizer name and configured by
 * MASE's keyword arguments, written as text:
 *
 *   format  "block_fp"
 *   params  "width=8,exponent_width=8,exponent_bias=None,block_size=[1,16]"
 *
 * Names: integer, integer_floor, minifloat_denorm, minifloat_ieee, block_fp,
 * block_minifloat, log, block_log, binary, ternary, scale_integer, mxint,
 * mxint_hardware, mxint8 (see mase_format_names()). `params` is a list of
 * key=value separated by commas (NULL or "" for none); a value is an integer,
 * a number, true/false (True/False), None (none/null) or a list of integers
 * such as [1, 16] (an integer n stands for [n]). Keys left out take MASE's
 * defaults. docs/user-guide.md ("Python") lists every format's keys and
 * defaults; docs/number-formats.md describes the arithmetic.
 *
 * TENSORS. Row-major (C order) float32 of `rank` dimensions `shape[0..rank)`;
 * rank 0 is a scalar (one element) and `shape` may then be NULL. Every
 * dimension must be >= 0.
 *
 * ERRORS. Every function returns MASE_NUMERICS_OK (0) on success and
 * MASE_NUMERICS_ERROR (non-zero) otherwise, and then writes a message naming
 * the problem (an unknown format or key, with the valid ones listed; a
 * missing key; a wrongly typed value; an invalid parameter; a shape the
 * format cannot handle; a buffer of the wrong size) into `error`, truncated
 * to `error_size` bytes including the terminating NUL. `error` may be NULL or
 * `error_size` 0 to drop the message. Outputs are unspecified after an error.
 * No function aborts or throws on bad input.
 *
 * THREADS. The functions keep no state: any number of calls may run at once.
 */

#ifndef MASE_C_NUMERICS_H
#define MASE_C_NUMERICS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define MASE_NUMERICS_EXPORT __attribute__((visibility("default")))
#else
#define MASE_NUMERICS_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface; it changes when a signature does. */
#define MASE_NUMERICS_API_VERSION 1

#define MASE_NUMERICS_OK 0
#define MASE_NUMERICS_ERROR 1

/* MASE_NUMERICS_API_VERSION of the loaded library. */
MASE_NUMERICS_EXPORT int mase_numerics_api_version(void);

/* The accepted format names, comma separated ("integer,integer_floor,...").
 * A static string: never freed. */
MASE_NUMERICS_EXPORT const char *mase_format_names(void);

/* Checks that `format` and `params` name a valid format, without data. */
MASE_NUMERICS_EXPORT int mase_check_format(const char *format,
                                           const char *params, char *error,
                                           size_t error_size);

/* Quantises `in` into `out` (both prod(shape) floats; they may be the same
 * buffer). `out` holds the values MASE's quantizer returns, as float32. */
MASE_NUMERICS_EXPORT int mase_quantize(const char *format, const char *params,
                                       const float *in, float *out,
                                       const int64_t *shape, int rank,
                                       char *error, size_t error_size);

/* PACKING: the quantised tensor as its codes, for the formats with a storage
 * layout: "integer" / "integer_floor" and "mxint8" (other formats fail).
 *
 *   integer, integer_floor (width w, n = prod(shape) codes, row-major):
 *     w <= 8: a dense little-endian bit stream, element i in bits
 *             [i*w, i*w + w) (two int4 per byte, low nibble first);
 *             ceil(n*w / 8) bytes, unused high bits zero.
 *     9 <= w <= 16: one little-endian int16 (uint16 unsigned) per element.
 *     17 <= w <= 32: one little-endian int32 (uint32 unsigned) per element.
 *     Codes are two's complement when is_signed, else plain binary; the
 *     value is code * 2^-frac_width. NaN cannot be packed (error).
 *   mxint8 (group size g, n a multiple of g):
 *     n int8 mantissas (row-major), then n / g uint8 E8M0 scales, scale k
 *     for elements [k*g, (k+1)*g); for 1 <= scale <= 254 and |m| <= 127
 *     the value is exactly m * 2^(scale - 133) (Mxint8.h: the other bytes).
 *
 * mase_unpack(mase_pack(x)) equals mase_quantize(x) bit for bit, except that
 * integer codes have no -0.0 (it unpacks as +0.0). See
 * mase/Numerics/IntegerPacking.h and mase/Numerics/Mxint8.h. */

/* Bytes that mase_pack writes for a tensor of `shape`, into *packed_size. */
MASE_NUMERICS_EXPORT int mase_pack_size(const char *format, const char *params,
                                        const int64_t *shape, int rank,
                                        size_t *packed_size, char *error,
                                        size_t error_size);

/* Quantises `in` (prod(shape) floats) and writes its codes to `packed`;
 * `packed_size` must equal mase_pack_size for this format and shape. */
MASE_NUMERICS_EXPORT int mase_pack(const char *format, const char *params,
                                   const float *in, uint8_t *packed,
                                   size_t packed_size, const int64_t *shape,
                                   int rank, char *error, size_t error_size);

/* Decodes `packed` (`packed_size` bytes, as mase_pack_size) to prod(shape)
 * floats in `out`. Any bytes decode; see the layouts above. */
MASE_NUMERICS_EXPORT int mase_unpack(const char *format, const char *params,
                                     const uint8_t *packed, size_t packed_size,
                                     float *out, const int64_t *shape, int rank,
                                     char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif /* MASE_C_NUMERICS_H */
