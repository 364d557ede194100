"""mase: MLIR-based compiler for quantised neural networks (Python side).

- ``mase.numerics``: MASE's number formats on numpy arrays, over the C
  library libmase_numerics_c.so from the CMake build.
- ``mase.compile(model, shapes=...)`` / ``mase.load(library)``: compile an
  ONNX model with mase-compile and run it through a ``mase.Session``
  (onnxruntime-like ``get_inputs``, ``get_outputs``, ``run``), over
  libmase_runtime.so. Failures raise ``mase.MaseError``.

Everything is imported on first use, so ``import mase`` works before the
libraries are built.
"""

import importlib

# Attribute -> (module, name in it; None for the module itself).
_LAZY = {
    "numerics": ("mase.numerics", None),
    "runtime": ("mase.runtime", None),
    "compile": ("mase.session", "compile"),
    "load": ("mase.session", "load"),
    "Session": ("mase.session", "Session"),
    "MaseError": ("mase.errors", "MaseError"),
}

__all__ = list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = importlib.import_module(module)
        return value if attribute is None else getattr(value, attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
