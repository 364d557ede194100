"""Compile and call ONNX models through mase's interim CPU path.

Until `mase-compile` and the runtime C API exist, this is how the demo and the
conformance harness run a model: import with mase-import-onnx, lower with
mase-opt (mase-lower-to-linalg, then examples/interim-cpu-pipeline.txt),
translate to LLVM IR, link a shared library with clang (against MLIR's C
runner utilities for runtime helpers such as memrefCopy), and call
`_mlir_ciface_main` through ctypes with MLIR memref descriptors.
"""

import ctypes
import pathlib
import re
import subprocess

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
LLVM_BIN = pathlib.Path("/usr/lib/llvm-22/bin")
LLVM_LIB = pathlib.Path("/usr/lib/llvm-22/lib")
PIPELINE_FILE = ROOT / "examples" / "interim-cpu-pipeline.txt"
STEP_TIMEOUT = 600

# Element storage: memrefs are passed as raw bytes of the element width, and
# viewed as the numpy dtype on the Python side; i1 is one byte in memrefs, so
# numpy bool goes as uint8. float16 and bfloat16 (which older ONNX test data
# stores as uint16 bit patterns) ride on the 16-bit storage type.
STORAGE = {1: ctypes.c_uint8, 2: ctypes.c_uint16, 4: ctypes.c_uint32,
           8: ctypes.c_uint64}
ELEMENT_KINDS = "fiub"


class StepError(Exception):
    """A tool or the call failed; the message is the first diagnostic line."""


def first_diagnostic(text):
    """The first line of a tool's diagnostic that says something."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    at = next((i for i, l in enumerate(lines) if "error" in l.lower()), 0)
    line = lines[at] if lines else "(no diagnostic)"
    if line.endswith(":") and at + 1 < len(lines):  # the detail is on the next line
        line += " " + lines[at + 1]
    # Drop the "path/model.onnx:0:0: error: " location prefix.
    return re.sub(r"^\S+:\d+:\d+: error: ", "", line)


def tool(stage, cmd):
    """Run one compile step; raise StepError with its first diagnostic."""
    try:
        proc = subprocess.run([str(c) for c in cmd], capture_output=True,
                              text=True, timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise StepError(f"{stage}: timed out")
    if proc.returncode != 0:
        raise StepError(f"{stage}: {first_diagnostic(proc.stderr + proc.stdout)}")


def shape_flags(feed):
    """--shape NAME=DIMS per input; scalars have no DIMS and keep the model's."""
    return [f"--shape={name}={'x'.join(map(str, array.shape))}"
            for name, array in feed if array.ndim]


def compile_model(build_dir, model, feed, workdir, opt_level="-O1"):
    """ONNX -> mase -> linalg -> LLVM dialect -> LLVM IR -> shared library."""
    graph, llvm_mlir = workdir / "g.mlirbc", workdir / "g.llvm.mlir"
    llvm_ir, lib = workdir / "g.ll", workdir / "g.so"
    pipeline = PIPELINE_FILE.read_text().strip()
    rest = pipeline[len("builtin.module("):]
    tool("import", [build_dir / "bin" / "mase-import-onnx", model,
                    *shape_flags(feed),
                    "--emit-bytecode", "-o", graph])
    tool("lower", [build_dir / "bin" / "mase-opt", graph,
                   f"--pass-pipeline=builtin.module(func.func(mase-lower-to-linalg),{rest}",
                   "-o", llvm_mlir])
    tool("translate", [LLVM_BIN / "mlir-translate", "--mlir-to-llvmir",
                       llvm_mlir, "-o", llvm_ir])
    tool("clang", [LLVM_BIN / "clang", opt_level, "-march=native", "-shared",
                   "-fPIC", "-Wno-override-module", llvm_ir, "-o", lib,
                   f"-L{LLVM_LIB}", f"-Wl,-rpath,{LLVM_LIB}",
                   "-lmlir_c_runner_utils"])
    return lib


def descriptor_type(ctype, rank):
    """ctypes mirror of MLIR's ranked memref descriptor."""
    fields = [("allocated", ctypes.POINTER(ctype)),
              ("aligned", ctypes.POINTER(ctype)),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    return type(f"MemRef{rank}", (ctypes.Structure,), {"_fields_": fields})


def element_ctype(dtype):
    """ctypes storage type for a numpy dtype, or StepError."""
    dtype = np.dtype(dtype)
    if dtype.kind not in ELEMENT_KINDS or dtype.itemsize not in STORAGE:
        raise StepError(f"harness: unsupported element type {dtype}")
    return STORAGE[dtype.itemsize]


def to_descriptor(array):
    """A memref descriptor over a contiguous copy of array (kept alive)."""
    if array.dtype == np.bool_:
        array = array.astype(np.uint8)
    ctype = element_ctype(array.dtype)
    array = np.array(array, order="C").view(np.dtype(f"u{array.itemsize}"))
    desc = descriptor_type(ctype, array.ndim)()
    desc.allocated = desc.aligned = array.ctypes.data_as(ctypes.POINTER(ctype))
    desc.offset = 0
    if array.ndim:
        desc.sizes[:] = array.shape
        desc.strides[:] = [s // array.itemsize for s in array.strides]
    return desc, array


def from_descriptor(desc, dtype, rank):
    """Copy a (possibly strided) result memref into a numpy array."""
    ctype = element_ctype(dtype)
    sizes = tuple(desc.sizes) if rank else ()
    strides = tuple(desc.strides) if rank else ()
    itemsize = ctypes.sizeof(ctype)
    if any(s == 0 for s in sizes):
        out = np.zeros(sizes, dtype=np.uint8 if dtype == np.bool_ else dtype)
    else:
        base = ctypes.cast(desc.aligned, ctypes.c_void_p).value
        if not base:
            raise StepError("run: result memref has a null pointer")
        span = 1 + sum((n - 1) * s for n, s in zip(sizes, strides))
        raw = np.ctypeslib.as_array(
            (ctype * (span + desc.offset)).from_address(base))
        view = np.lib.stride_tricks.as_strided(
            raw[desc.offset:], shape=sizes,
            strides=[s * itemsize for s in strides])
        out = np.array(view).view(np.uint8 if dtype == np.bool_ else dtype)
    return out.astype(np.bool_) if dtype == np.bool_ else out


def call_main(lib_path, inputs, expected):
    """Call _mlir_ciface_main; results come back through the first pointer."""
    try:
        lib = ctypes.CDLL(str(lib_path))
    except OSError as err:  # e.g. an undefined runtime symbol
        raise StepError(f"load: {str(err).split(': ', 1)[-1]}")
    args = [to_descriptor(a) for a in inputs]
    types = [descriptor_type(element_ctype(np.dtype(e.dtype)), e.ndim)
             for e in expected]
    if len(types) == 1:
        result = types[0]()
        descs = lambda: [result]
    else:
        pack = type("Results", (ctypes.Structure,),
                    {"_fields_": [(f"r{i}", t) for i, t in enumerate(types)]})
        result = pack()
        descs = lambda: [getattr(result, f"r{i}") for i in range(len(types))]
    entry = lib._mlir_ciface_main
    entry.restype = None
    entry(ctypes.byref(result), *[ctypes.byref(d) for d, _ in args])
    # Results are left unfreed: they may alias inputs, and the process ends.
    return [from_descriptor(d, np.dtype(e.dtype), e.ndim)
            for d, e in zip(descs(), expected)]
