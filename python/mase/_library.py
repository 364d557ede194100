"""Finds and loads libmase_numerics_c.so and declares its C signatures.

The library comes from the CMake build (target ``mase_numerics_c``, built by
``scripts/build.sh`` into ``build/lib``). It is looked up in
``$MASE_LIBRARY_DIR`` when that is set, else in the repository's
``build/lib`` next to this package.
"""

import ctypes
import os
import pathlib

LIBRARY_NAME = "libmase_numerics_c.so"
API_VERSION = 1  # MASE_NUMERICS_API_VERSION in include/mase-c/Numerics.h


def library_dir():
    """The directory the library is loaded from."""
    env = os.environ.get("MASE_LIBRARY_DIR")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[2] / "build" / "lib"


def _load():
    path = library_dir() / LIBRARY_NAME
    where = ("the directory $MASE_LIBRARY_DIR names"
             if os.environ.get("MASE_LIBRARY_DIR")
             else "the repository's build/lib, as MASE_LIBRARY_DIR is unset")
    if not path.is_file():
        raise ImportError(
            f"mase: {LIBRARY_NAME} not found at {path} ({where}). "
            "Build it with scripts/build.sh (CMake target mase_numerics_c), "
            "or set MASE_LIBRARY_DIR to the directory that holds it.")
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as e:
        raise ImportError(f"mase: cannot load {path}: {e}") from e
    version = lib.mase_numerics_api_version()
    if version != API_VERSION:
        raise ImportError(
            f"mase: {path} has C API version {version}, this package needs "
            f"{API_VERSION}; rebuild the library or update the package")
    _declare(lib)
    return lib


def _declare(lib):
    c_str, c_size, c_int = ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int
    data = ctypes.c_void_p
    shape = ctypes.POINTER(ctypes.c_int64)
    error = [ctypes.c_char_p, c_size]
    signatures = {
        "mase_format_names": ([], c_str),
        "mase_check_format": ([c_str, c_str] + error, c_int),
        "mase_quantize": ([c_str, c_str, data, data, shape, c_int] + error,
                          c_int),
        "mase_pack_size": ([c_str, c_str, shape, c_int,
                            ctypes.POINTER(c_size)] + error, c_int),
        "mase_pack": ([c_str, c_str, data, data, c_size, shape, c_int]
                      + error, c_int),
        "mase_unpack": ([c_str, c_str, data, c_size, data, shape, c_int]
                        + error, c_int),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype


lib = _load()
