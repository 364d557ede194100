"""mase: MLIR-based compiler for quantised neural networks (Python side).

``mase.numerics`` holds MASE's number formats on numpy arrays, over the C
library libmase_numerics_c.so from the CMake build. It is imported on first
use, so ``import mase`` works before the library is built.
"""

import importlib

__all__ = ["numerics"]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
