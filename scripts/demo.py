#!/usr/bin/env python3
"""The README's main job.

Interim form: the CPU backend has not landed yet, so this (1) imports the
bundled BERT model into mase graph IR with mase-import-onnx and summarises
the graph, then (2) compiles examples/mlp.mlir (a feed-forward block of
BERT-tiny's size, 128 -> 512 -> 128) with mase-opt's interim CPU pipeline,
runs it on seeded random inputs, checks it against numpy and reports latency
next to numpy's.
"""

import argparse
import collections
import ctypes
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
LLVM_BIN = pathlib.Path("/usr/lib/llvm-22/bin")


def memref_descriptor(rank):
    """ctypes mirror of MLIR's ranked memref descriptor for f32."""

    class Descriptor(ctypes.Structure):
        _fields_ = [
            ("allocated", ctypes.POINTER(ctypes.c_float)),
            ("aligned", ctypes.POINTER(ctypes.c_float)),
            ("offset", ctypes.c_int64),
            ("sizes", ctypes.c_int64 * rank),
            ("strides", ctypes.c_int64 * rank),
        ]

    return Descriptor


def to_descriptor(array):
    array = np.ascontiguousarray(array, dtype=np.float32)
    desc = memref_descriptor(array.ndim)()
    ptr = array.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
    desc.allocated = desc.aligned = ptr
    desc.offset = 0
    desc.sizes[:] = array.shape
    desc.strides[:] = [s // 4 for s in array.strides]
    return desc, array  # keep the array alive with its descriptor


def run(cmd):
    subprocess.run([str(c) for c in cmd], check=True)


def compile_example(source, workdir):
    pipeline = (ROOT / "examples" / "interim-cpu-pipeline.txt").read_text().strip()
    llvm_mlir, llvm_ir, lib = workdir / "mlp.llvm.mlir", workdir / "mlp.ll", workdir / "mlp.so"
    start = time.perf_counter()
    run([ROOT / "build" / "bin" / "mase-opt", source, f"--pass-pipeline={pipeline}", "-o", llvm_mlir])
    run([LLVM_BIN / "mlir-translate", "--mlir-to-llvmir", llvm_mlir, "-o", llvm_ir])
    run([LLVM_BIN / "clang", "-O3", "-march=native", "-shared", "-fPIC",
         "-Wno-override-module", llvm_ir, "-o", lib])
    return lib, time.perf_counter() - start


def import_bert():
    """Imports the bundled BERT and prints what the graph holds."""
    model = ROOT / "models" / "bert-tiny" / "bert_tiny_eager_ts.onnx"
    start = time.perf_counter()
    ir = subprocess.run([str(ROOT / "build" / "bin" / "mase-import-onnx"), str(model),
                         "--mlir-elide-elementsattrs-if-larger=16"],
                        check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - start
    ops = collections.Counter(
        line.split("=", 1)[1].split()[0] for line in ir.splitlines()
        if "= mase." in line)
    print(f"imported {model.relative_to(ROOT)} in {seconds:.2f} s: "
          f"{sum(ops.values())} mase ops, no shape computations left")
    print("  " + ", ".join(f"{op} x{n}" for op, n in ops.most_common()) + "\n")


def time_it(fn, warmup, iterations):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e3, min(samples) * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()

    print("mase demo (INTERIM): the CPU backend has not landed yet, so the bundled BERT")
    print("is imported but not compiled; the compile-and-run step uses examples/mlp.mlir,")
    print("a BERT-tiny-sized feed-forward block (8x128 -> 512 -> 128, ReLU).\n")
    import_bert()

    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 128), dtype=np.float32)
    w1 = rng.standard_normal((128, 512), dtype=np.float32) * 0.05
    b1 = rng.standard_normal(512, dtype=np.float32) * 0.05
    w2 = rng.standard_normal((512, 128), dtype=np.float32) * 0.05
    b2 = rng.standard_normal(128, dtype=np.float32) * 0.05

    with tempfile.TemporaryDirectory(prefix="mase-demo-") as tmp:
        lib_path, compile_s = compile_example(ROOT / "examples" / "mlp.mlir", pathlib.Path(tmp))
        print(f"compiled with mase-opt (interim CPU pipeline) -> {lib_path.name} in {compile_s:.2f} s")
        lib = ctypes.CDLL(str(lib_path))
        libc = ctypes.CDLL(None)

        inputs = [to_descriptor(a) for a in (x, w1, b1, w2, b2)]
        result = memref_descriptor(2)()
        entry = lib._mlir_ciface_mlp
        entry.restype = None
        arg_ptrs = [ctypes.byref(d) for d, _ in inputs]

        def call():
            entry(ctypes.byref(result), *arg_ptrs)
            out = np.ctypeslib.as_array(result.aligned, shape=(result.sizes[0], result.sizes[1])).copy()
            libc.free(ctypes.cast(result.allocated, ctypes.c_void_p))
            return out

        y = call()

        def reference():
            return np.maximum(x @ w1 + b1, 0) @ w2 + b2

        ref = reference().astype(np.float32)
        rel = float(np.linalg.norm(y - ref) / np.linalg.norm(ref))
        max_abs = float(np.max(np.abs(y - ref)))
        mase_ms = time_it(call, args.warmup, args.iterations)
        numpy_ms = time_it(reference, args.warmup, args.iterations)

    np.set_printoptions(precision=5, suppress=True)
    print(f"output shape {y.shape}; row 0, first 8 values:\n  {y[0, :8]}")
    print(f"reference (numpy float32), same values:\n  {ref[0, :8]}")
    print(f"relative error ||y - ref|| / ||ref|| = {rel:.3e}   max |y - ref| = {max_abs:.3e}")
    print(f"latency over {args.iterations} runs: mase median {mase_ms[0]:.3f} ms (min {mase_ms[1]:.3f}), "
          f"numpy median {numpy_ms[0]:.3f} ms (min {numpy_ms[1]:.3f})")
    ok = rel <= args.rtol
    print("result:", "MATCH" if ok else f"MISMATCH (relative error above {args.rtol})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
