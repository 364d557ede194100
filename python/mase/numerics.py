"""MASE's number formats on numpy arrays, bit for bit as MASE computes them.

A format is named by MASE's quantizer name and configured with MASE's keyword
arguments::

    import numpy as np
    from mase import numerics

    x = np.random.default_rng(0).standard_normal((4, 64), dtype=np.float32)
    y = numerics.quantize(x, "block_fp", width=8, exponent_width=8,
                          exponent_bias=127, block_size=[1, 16],
                          skip_first_dim=False)
    packed = numerics.pack(x, "mxint8", group_size=32)      # uint8 bytes
    z = numerics.unpack(packed, x.shape, "mxint8", group_size=32)

``FORMATS`` lists the names; docs/user-guide.md ("Python") every format's keys
and defaults. Inputs are converted to C-contiguous float32. Bad arguments
(unknown format or key, missing key, wrong value type, invalid format, a
shape the format cannot handle) raise ValueError with the C library's message.
"""

import ctypes
import numbers
import re

import numpy as np

from ._library import lib

__all__ = ["FORMATS", "quantize", "pack", "unpack", "packed_size"]

FORMATS = tuple(lib.mase_format_names().decode().split(","))

_ERROR_SIZE = 4096
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.+-]+")


def quantize(array, format, **params):
    """Quantises ``array`` with ``format``; a float32 array of its shape."""
    x = _as_float32(array)
    out = np.empty_like(x)
    _call(lib.mase_quantize, format, params, x.ctypes.data, out.ctypes.data,
          *_shape(x.shape))
    return out


def packed_size(shape, format, **params):
    """Bytes that ``pack`` returns for an array of ``shape``."""
    size = ctypes.c_size_t()
    _call(lib.mase_pack_size, format, params, *_shape(shape),
          ctypes.byref(size))
    return size.value


def pack(array, format, **params):
    """Quantises ``array`` and returns its codes as a 1-D uint8 array.

    Only "integer", "integer_floor" and "mxint8" have a packed layout:

    - integer (width w, codes row-major): w <= 8 a dense little-endian bit
      stream (element i in bits [i*w, i*w + w), two int4 per byte, low nibble
      first); 9..16 bits one little-endian int16 per element (uint16 when
      is_signed=False); 17..32 bits one int32 (uint32). The value is
      code * 2**-frac_width.
    - mxint8 (group size g): the n int8 mantissas in row-major order, then
      the n // g uint8 E8M0 scales; element i is
      mantissa[i] * 2**(scale[i // g] - 133)::

          m = packed[:n].view(np.int8); s = packed[n:]

    ``unpack(pack(x))`` equals ``quantize(x)`` bit for bit, except that an
    integer code has no -0.0 (it unpacks as +0.0); integer formats reject NaN.
    """
    x = _as_float32(array)
    out = np.empty(packed_size(x.shape, format, **params), dtype=np.uint8)
    _call(lib.mase_pack, format, params, x.ctypes.data, out.ctypes.data,
          out.size, *_shape(x.shape))
    return out


def unpack(packed, shape, format, **params):
    """Decodes ``pack``'s bytes to a float32 array of ``shape``."""
    data = _as_bytes(packed)
    shape = _shape_tuple(shape)
    out = np.empty(shape, dtype=np.float32)
    _call(lib.mase_unpack, format, params, data.ctypes.data, data.size,
          out.ctypes.data, *_shape(shape))
    return out


def _call(function, format, params, *args):
    if not isinstance(format, str):
        raise ValueError(f"format must be a name such as 'integer', "
                         f"got {format!r}")
    error = ctypes.create_string_buffer(_ERROR_SIZE)
    status = function(format.encode(), _params_text(params).encode(), *args,
                      error, _ERROR_SIZE)
    if status != 0:
        raise ValueError(error.value.decode(errors="replace"))


def _as_float32(array):
    return np.asarray(array, dtype=np.float32, order="C")


def _as_bytes(packed):
    if isinstance(packed, (bytes, bytearray, memoryview)):
        return np.frombuffer(packed, dtype=np.uint8)
    data = np.asarray(packed)
    if data.dtype not in (np.uint8, np.int8):
        raise ValueError(f"packed data must be bytes or a uint8 array, "
                         f"got dtype {data.dtype}")
    return np.ascontiguousarray(data).view(np.uint8).reshape(-1)


def _shape_tuple(shape):
    if isinstance(shape, numbers.Integral):
        return (int(shape),)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"shape must be a sequence of integers, "
                         f"got {shape!r}") from None


def _shape(shape):
    """The (int64 pointer, rank) arguments for a shape."""
    dims = _shape_tuple(shape)
    return (ctypes.c_int64 * len(dims))(*dims), len(dims)


def _params_text(params):
    """Keyword arguments as the C API's "key=value,..." text."""
    items = []
    for key, value in params.items():
        if not key.isidentifier():
            raise ValueError(f"invalid parameter name {key!r}")
        items.append(f"{key}={_value_text(key, value)}")
    return ",".join(items)


def _value_text(key, value):
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ",".join(_value_text(key, v) for v in value) + "]"
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(value):
        return value  # e.g. MASE configs' "None"
    raise ValueError(f"parameter '{key}': unsupported value {value!r}")
