"""ctypes over libmase_runtime.so, the C runtime API (include/mase-c/Runtime.h).

Low level: ``mase.load`` / ``mase.Session`` (mase/session.py) are the API to
use. The library is found like the numerics library (mase/_library.py:
``$MASE_LIBRARY_DIR``, else the repository's ``build/lib``) and loaded when
this module is first imported; a missing library is an ImportError naming
the path.
"""

import ctypes
import os

import numpy as np

from . import _library
from .errors import MaseError

LIBRARY_NAME = "libmase_runtime.so"
API_VERSION = 1  # MASE_RUNTIME_API_VERSION in include/mase-c/Runtime.h


class TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_int),
                ("rank", ctypes.c_size_t),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("num_elements", ctypes.c_size_t),
                ("size_bytes", ctypes.c_size_t)]


class Tensor(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("rank", ctypes.c_size_t),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("data", ctypes.c_void_p)]


def _bfloat16_dtype():
    """ml_dtypes.bfloat16 when installed, else uint16 (the raw bits)."""
    try:
        import ml_dtypes
        return np.dtype(ml_dtypes.bfloat16)
    except ImportError:
        return np.dtype(np.uint16)


# MaseElementType value -> (signature name, onnxruntime type string, dtype).
ELEMENT_TYPES = [
    ("f32", "tensor(float)", np.dtype(np.float32)),
    ("f64", "tensor(double)", np.dtype(np.float64)),
    ("f16", "tensor(float16)", np.dtype(np.float16)),
    ("bf16", "tensor(bfloat16)", _bfloat16_dtype()),
    ("i8", "tensor(int8)", np.dtype(np.int8)),
    ("i16", "tensor(int16)", np.dtype(np.int16)),
    ("i32", "tensor(int32)", np.dtype(np.int32)),
    ("i64", "tensor(int64)", np.dtype(np.int64)),
    ("u8", "tensor(uint8)", np.dtype(np.uint8)),
    ("u16", "tensor(uint16)", np.dtype(np.uint16)),
    ("u32", "tensor(uint32)", np.dtype(np.uint32)),
    ("u64", "tensor(uint64)", np.dtype(np.uint64)),
    ("bool", "tensor(bool)", np.dtype(np.bool_)),
]


def _declare(lib):
    status, size, model = ctypes.c_int, ctypes.c_size_t, ctypes.c_void_p
    signatures = {
        "mase_runtime_api_version": ([], ctypes.c_int),
        "mase_last_error": ([], ctypes.c_char_p),
        "mase_model_load": ([ctypes.c_char_p, ctypes.POINTER(model)], status),
        "mase_model_free": ([model], None),
        "mase_model_path": ([model], ctypes.c_char_p),
        "mase_model_num_inputs": ([model], size),
        "mase_model_num_outputs": ([model], size),
        "mase_model_input_info": ([model, size, ctypes.POINTER(TensorInfo)],
                                  status),
        "mase_model_output_info": ([model, size, ctypes.POINTER(TensorInfo)],
                                   status),
        "mase_model_set_num_threads": ([model, ctypes.c_int], status),
        "mase_model_get_num_threads": ([model], ctypes.c_int),
        "mase_model_device_memory": ([model, ctypes.POINTER(ctypes.c_uint64),
                                      ctypes.POINTER(ctypes.c_uint64)], status),
        "mase_model_run": ([model, ctypes.POINTER(Tensor), size,
                            ctypes.POINTER(Tensor), size], status),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype


lib = _library.load_library(LIBRARY_NAME, "mase_runtime",
                            "mase_runtime_api_version", API_VERSION)
_declare(lib)


def _check(status):
    if status != 0:
        raise MaseError(lib.mase_last_error().decode("utf-8", "replace"))


class Spec:
    """One input or output of a loaded model."""

    __slots__ = ("name", "type", "shape", "dtype", "onnx_type")

    def __init__(self, info):
        self.name = info.name.decode("utf-8", "replace")
        self.type, self.onnx_type, self.dtype = ELEMENT_TYPES[info.type]
        self.shape = tuple(info.shape[d] for d in range(info.rank))

    def describe(self):
        """"f32[2x3]"."""
        return f"{self.type}[{'x'.join(map(str, self.shape))}]"


class Model:
    """A model library loaded through the runtime (mase_model_load)."""

    def __init__(self, path):
        handle = ctypes.c_void_p()
        _check(lib.mase_model_load(os.fsencode(os.fspath(path)),
                                   ctypes.byref(handle)))
        self._handle = handle
        self.path = lib.mase_model_path(handle).decode("utf-8", "replace")
        self.inputs = self._specs(lib.mase_model_num_inputs,
                                  lib.mase_model_input_info)
        self.outputs = self._specs(lib.mase_model_num_outputs,
                                   lib.mase_model_output_info)

    def _specs(self, count, describe):
        specs = []
        for i in range(count(self._handle)):
            info = TensorInfo()
            _check(describe(self._handle, i, ctypes.byref(info)))
            specs.append(Spec(info))
        return specs

    def close(self):
        """Releases the model; later calls fail."""
        if getattr(self, "_handle", None):
            lib.mase_model_free(self._handle)
            self._handle = None

    def __del__(self):
        self.close()

    def _live(self):
        if not self._handle:
            raise MaseError(f"{self.path}: the model was closed")
        return self._handle

    def set_num_threads(self, n):
        _check(lib.mase_model_set_num_threads(self._live(), int(n)))

    def get_num_threads(self):
        return lib.mase_model_get_num_threads(self._live())

    def device_memory(self):
        weights, peak = ctypes.c_uint64(), ctypes.c_uint64()
        _check(lib.mase_model_device_memory(self._live(), ctypes.byref(weights),
                                            ctypes.byref(peak)))
        return weights.value, peak.value

    def run(self, inputs, outputs):
        """Runs on C-contiguous arrays: one per input and per output, in
        order. The runtime checks types and shapes."""
        handle = self._live()
        keep = []

        def tensors(arrays, specs):
            array_type = Tensor * max(len(arrays), 1)
            result = array_type()
            for i, a in enumerate(arrays):
                shape = (ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
                keep.append(shape)
                code = _type_code(a.dtype, specs[i] if i < len(specs) else None)
                result[i] = Tensor(code, a.ndim, shape, a.ctypes.data)
            return result

        ins = tensors(inputs, self.inputs)
        outs = tensors(outputs, self.outputs)
        _check(lib.mase_model_run(handle, ins, len(inputs), outs,
                                  len(outputs)))


def _type_code(dtype, spec):
    """The MaseElementType of a numpy dtype (bf16 when the spec says so)."""
    if spec is not None and dtype == spec.dtype:
        return [t[0] for t in ELEMENT_TYPES].index(spec.type)
    for code, (_, _, d) in enumerate(ELEMENT_TYPES):
        if d == dtype:
            return code
    return -1
