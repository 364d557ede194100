"""Compile ONNX models and run compiled models from Python.

    import numpy as np
    import mase

    session = mase.compile("bert.onnx", shapes={"input_ids": [2, 128], ...})
    # or, for a library mase-compile already wrote:
    session = mase.load("bert.so")
    for i in session.get_inputs():
        print(i.name, i.shape, i.type)       # input_ids [2, 128] tensor(int64)
    logits, = session.run(None, {"input_ids": ids, ...})

The API follows onnxruntime's InferenceSession: ``get_inputs()``,
``get_outputs()`` and ``run(output_names, input_feed)``. Inputs must have
exactly the model's dtype and shape (nothing is converted); every failure
raises ``mase.MaseError`` with the runtime's or the compiler's message.
"""

import os
import pathlib
import shlex
import shutil
import subprocess
import tempfile
import weakref

import numpy as np

from . import _library
from .errors import MaseError

__all__ = ["compile", "load", "Session", "NodeArg", "MaseError",
           "find_compiler"]

COMPILER_NAME = "mase-compile"


class NodeArg:
    """An input or output: ``name``, ``shape`` (list of ints) and ``type``
    ("tensor(float)", "tensor(int64)", ...), as in onnxruntime."""

    __slots__ = ("name", "shape", "type")

    def __init__(self, name, shape, type):
        self.name, self.shape, self.type = name, shape, type

    def __repr__(self):
        return (f"NodeArg(name={self.name!r}, type={self.type!r}, "
                f"shape={self.shape!r})")


class Session:
    """A compiled model library loaded for running (see ``mase.load``)."""

    def __init__(self, path):
        from . import runtime  # loads libmase_runtime.so on first use
        self._model = runtime.Model(path)
        self._inputs = {s.name: s for s in self._model.inputs}
        self._outputs = {s.name: s for s in self._model.outputs}

    @property
    def path(self):
        """The model library's path."""
        return self._model.path

    def get_inputs(self):
        return [NodeArg(s.name, list(s.shape), s.onnx_type)
                for s in self._model.inputs]

    def get_outputs(self):
        return [NodeArg(s.name, list(s.shape), s.onnx_type)
                for s in self._model.outputs]

    def set_num_threads(self, n):
        """Threads for later runs: n >= 1, or 0 for every core (default)."""
        self._model.set_num_threads(n)

    def get_num_threads(self):
        """The thread count runs use now."""
        return self._model.get_num_threads()

    def device_memory(self):
        """A GPU model's device memory in bytes: (its weights, the most it
        has held at once, weights included). MaseError for a CPU model."""
        return self._model.device_memory()

    def close(self):
        """Releases the model now rather than when the session is freed."""
        self._model.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def run(self, output_names, input_feed):
        """Runs the model once.

        ``input_feed`` maps every input name to a numpy array of exactly the
        input's dtype and shape. Returns a list of numpy arrays, one per
        name in ``output_names`` (None or empty: every output, in order).
        """
        if isinstance(output_names, str):
            raise MaseError("output_names must be a list of output names or "
                            f"None, got the string {output_names!r}")
        names = list(output_names) if output_names else list(self._outputs)
        for name in names:
            if name not in self._outputs:
                raise MaseError(f"unknown output {name!r}; the model's "
                                f"outputs are {_names(self._outputs)}")
        if not hasattr(input_feed, "keys"):
            raise MaseError("input_feed must be a dict from input names to "
                            f"numpy arrays, got {type(input_feed).__name__}")
        for name in input_feed:
            if name not in self._inputs:
                raise MaseError(f"unknown input {name!r}; the model's inputs "
                                f"are {_names(self._inputs)}")
        inputs = []
        for spec in self._model.inputs:
            if spec.name not in input_feed:
                raise MaseError(
                    f"missing input {spec.name!r} ({spec.describe()}); the "
                    f"model's inputs are {_names(self._inputs)}")
            inputs.append(_check_input(spec, input_feed[spec.name]))
        outputs = [np.empty(s.shape, s.dtype) for s in self._model.outputs]
        self._model.run(inputs, outputs)
        by_name = dict(zip(self._outputs, outputs))
        return [by_name[name] for name in names]

    def __repr__(self):
        return f"mase.Session({self.path!r})"


def _names(specs):
    return ", ".join(repr(n) for n in specs) or "none"


def _check_input(spec, value):
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        raise MaseError(
            f"input {spec.name!r}: expected a numpy array of dtype "
            f"{spec.dtype} and shape {spec.shape}, got "
            f"{type(value).__name__}")
    if value.dtype != spec.dtype:
        raise MaseError(
            f"input {spec.name!r}: expected dtype {spec.dtype} "
            f"({spec.onnx_type}), got {value.dtype}")
    if value.shape != spec.shape:
        raise MaseError(
            f"input {spec.name!r}: expected shape {spec.shape}, got "
            f"{value.shape}")
    # (np.ascontiguousarray would make a 0-d array 1-d.)
    return value if value.flags.c_contiguous else value.copy(order="C")


def load(path):
    """Loads a model library written by mase-compile; returns a Session."""
    return Session(path)


def find_compiler():
    """The mase-compile executable: in $MASE_BIN_DIR when that is set, else
    in the repository's build/bin, else on PATH."""
    bin_dir = os.environ.get("MASE_BIN_DIR")
    if bin_dir:
        path = pathlib.Path(bin_dir) / COMPILER_NAME
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        raise MaseError(f"{COMPILER_NAME} not found at {path} (in the "
                        "directory $MASE_BIN_DIR names)")
    tried = []
    root = _library.repository_root()
    if (root / "CMakeLists.txt").is_file():  # a source checkout
        path = root / "build" / "bin" / COMPILER_NAME
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        tried.append(str(path))
    found = shutil.which(COMPILER_NAME)
    if found:
        return found
    tried.append("PATH")
    raise MaseError(f"{COMPILER_NAME} not found (looked in "
                    f"{' and '.join(tried)}); build it with scripts/build.sh "
                    "or set MASE_BIN_DIR to the directory that holds it")


def _shape_text(name, shape):
    if isinstance(shape, str):
        return shape
    try:
        dims = [int(d) for d in shape]
    except TypeError:
        raise MaseError(f"shape of {name!r}: expected a list of ints or a "
                        f"string like '1x128', got {shape!r}") from None
    return "x".join(map(str, dims))


def compile(model_path, target="cpu", shapes=None, opt_level=3, output=None,
            weights="auto", quant_config=None, quant_report=None,
            prune_config=None, prune_report=None, quant_mode="emulate",
            sparse_threshold=None, fuse_sdpa=True, fusion_report=None,
            precision="f32", chip=None):
    """Compiles an ONNX (or .mlir) model with mase-compile and loads it.

    ``shapes`` maps input names to static shapes (a list of ints or
    "1x128"); ``output`` is the .so to write (default: a temporary file
    removed with the session); ``weights`` is "auto", "embed" or "external"
    (mase-compile --weights: in the library, or in ``output + ".weights"``);
    ``quant_config`` is a MASE quantize config file (TOML or JSON) and
    ``quant_report`` where its per-layer report goes; ``prune_config`` and
    ``prune_report`` the same for a MASE prune config (applied first);
    ``quant_mode`` is "emulate" or "native" (mase-compile --quant-mode);
    ``sparse_threshold`` the fraction of zeros from which a pruned linear
    weight is stored sparse (mase-compile --sparse-threshold; default 0.5,
    above 1: never); ``fuse_sdpa`` turns attention fusion on (default) or
    off and ``fusion_report`` is where its per-site report goes;
    ``precision`` is the float type the model computes in ("f32", "f16" or
    "bf16"; inputs and outputs stay f32). ``target`` is "cpu" or "cuda" (an
    NVIDIA GPU, architecture ``chip``, default "sm_90"; loading the model
    needs the CUDA driver). Returns a Session.
    """
    if target not in ("cpu", "cuda"):
        raise MaseError(f"unsupported target {target!r}; supported: 'cpu', 'cuda'")
    if chip is not None and target != "cuda":
        raise MaseError("chip applies to target='cuda' only")
    if precision not in ("f32", "f16", "bf16"):
        raise MaseError(f"precision must be 'f32', 'f16' or 'bf16', got {precision!r}")
    if opt_level not in (0, 1, 2, 3):
        raise MaseError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")
    if weights not in ("auto", "embed", "external"):
        raise MaseError(
            f"weights must be 'auto', 'embed' or 'external', got {weights!r}")
    model_path = os.fspath(model_path)
    if not os.path.isfile(model_path):
        raise MaseError(f"{model_path}: no such file")
    compiler = find_compiler()

    temp_dir = None
    if output is None:
        temp_dir = tempfile.mkdtemp(prefix="mase-")
        stem = pathlib.Path(model_path).stem or "model"
        output = os.path.join(temp_dir, stem + ".so")
    output = os.fspath(output)
    command = [compiler, model_path, "-o", output, f"-O{opt_level}"]
    if target != "cpu":
        command.append(f"--target={target}")
    if chip is not None:
        command.append(f"--chip={chip}")
    if precision != "f32":
        command.append(f"--precision={precision}")
    if weights != "auto":
        command.append(f"--weights={weights}")
    if prune_config is not None:
        command += ["--prune-config", os.fspath(prune_config)]
    if prune_report is not None:
        command += ["--prune-report", os.fspath(prune_report)]
    if sparse_threshold is not None:
        command += [f"--sparse-threshold={float(sparse_threshold)!r}"]
    if not fuse_sdpa:
        command.append("--no-fuse-sdpa")
    if fusion_report is not None:
        command += ["--fusion-report", os.fspath(fusion_report)]
    if quant_config is not None:
        command += ["--quant-config", os.fspath(quant_config)]
    if quant_mode != "emulate":
        command += ["--quant-mode", quant_mode]
    if quant_report is not None:
        command += ["--quant-report", os.fspath(quant_report)]
    for name, shape in (shapes or {}).items():
        text = _shape_text(name, shape)
        if text:  # scalars need no flag
            command += ["--shape", f"{name}={text}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            message = (done.stderr.strip() or done.stdout.strip()
                       or "no message")
            raise MaseError(
                f"{COMPILER_NAME} failed (exit status {done.returncode}) "
                f"compiling {model_path}:\n{message}\ncommand: "
                f"{shlex.join(command)}")
        session = Session(output)
    except BaseException:
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    if temp_dir:
        weakref.finalize(session, shutil.rmtree, temp_dir, True)
    return session
