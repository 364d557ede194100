"""Finds and loads the project's C libraries and declares their signatures.

The libraries come from the CMake build (``scripts/build.sh`` writes them to
``build/lib``): ``libmase_numerics_c.so`` (target ``mase_numerics_c``, used
by ``mase.numerics``) and ``libmase_runtime.so`` (target ``mase_runtime``,
used by ``mase.runtime`` and sessions). They are looked up in
``$MASE_LIBRARY_DIR`` when that is set, else in the repository's
``build/lib`` next to this package. Each is loaded on first use, so
``import mase`` works before anything is built.
"""

import ctypes
import os
import pathlib

LIBRARY_NAME = "libmase_numerics_c.so"
API_VERSION = 1  # MASE_NUMERICS_API_VERSION in include/mase-c/Numerics.h


def library_dir():
    """The directory the libraries are loaded from."""
    env = os.environ.get("MASE_LIBRARY_DIR")
    if env:
        return pathlib.Path(env)
    return repository_root() / "build" / "lib"


def repository_root():
    """The source tree this package sits in (python/mase/ -> the root)."""
    return pathlib.Path(__file__).resolve().parents[2]


def load_library(name, target, version_function, version):
    """Loads ``name`` from library_dir() and checks its C API version.

    Raises ImportError naming the path tried and the CMake ``target`` that
    builds it when the library is missing, unloadable or of another version.
    """
    path = library_dir() / name
    where = ("the directory $MASE_LIBRARY_DIR names"
             if os.environ.get("MASE_LIBRARY_DIR")
             else "the repository's build/lib, as MASE_LIBRARY_DIR is unset")
    if not path.is_file():
        raise ImportError(
            f"mase: {name} not found at {path} ({where}). "
            f"Build it with scripts/build.sh (CMake target {target}), "
            "or set MASE_LIBRARY_DIR to the directory that holds it.")
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as e:
        raise ImportError(f"mase: cannot load {path}: {e}") from e
    found = getattr(lib, version_function)()
    if found != version:
        raise ImportError(
            f"mase: {path} has C API version {found}, this package needs "
            f"{version}; rebuild the library or update the package")
    return lib


def _load():
    lib = load_library(LIBRARY_NAME, "mase_numerics_c",
                       "mase_numerics_api_version", API_VERSION)
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


_numerics_lib = None


def __getattr__(name):
    # `lib` (the numerics library) is loaded on first access.
    global _numerics_lib
    if name == "lib":
        if _numerics_lib is None:
            _numerics_lib = _load()
        return _numerics_lib
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
