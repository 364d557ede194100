#!/usr/bin/env python3
"""mase's quantised GEMM (mase_qgemm) against PyTorch on the CPU: BERT-base's
linear layers at batch 1, seq 128, in one run on the same machine and threads.

    python bench/qgemm_cpu.py [--lib build/lib/libmase_qgemm.so] [--threads N]
        [--repeat R] [--markdown docs/benchmarks.md]

Per shape (rows M = 128; features x depth of the attention projections, the
intermediate and the output layer) it times, median of R calls each:

* ``torch-fp32``: ``torch.nn.functional.linear`` in float32;
* ``torch-int8-dynamic``: ``torch.ao.quantization.quantize_dynamic`` of an
  ``nn.Linear`` (qint8 weights, activations quantised per call: the peer of
  onnxruntime's ``quantize_dynamic``);
* ``mase-int8``: ``mase_qgemm`` on int8 codes (what ``mase.int_linear``
  calls; the activation codes are computed before, as in a compiled model);
* ``mase-int4w``: the same on 4-bit weight codes stored two a byte (what
  ``mase.int_linear`` calls for weights of at most 4 bits), widened a tile
  at a time inside the call;
* ``mase-mxint8``: ``mase_qgemm`` on float activations re-expressed as
  MXINT8 blocks of 32 inside the call, weights as int8 mantissas + E8M0
  scales (what ``mase.block_linear`` calls).

Each engine runs in its own process (OMP_NUM_THREADS = --threads). mase
runs its default kernel (AVX-512 VNNI where the CPU has it, else AVX2)
and, for comparison, AVX2 forced (``MASE_KERNEL_ISA=avx2``). Every mase
result is checked bit for bit against the scalar kernel. PyTorch is the
peer: the script needs it (and numpy).
"""
import argparse
import ctypes
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHAPES = [(128, 768, 768), (128, 3072, 768), (128, 768, 3072)]  # (M, N, K)
MARKS = ("<!-- BEGIN bench/qgemm_cpu.py results: generated, edits inside are overwritten -->",
         "<!-- END bench/qgemm_cpu.py results -->")


def load(path):
    lib = ctypes.CDLL(str(path))
    lib.mase_qgemm_packed_size.restype = ctypes.c_int64
    lib.mase_qgemm_packed_size.argtypes = [ctypes.c_int64] * 2 + [ctypes.c_int32]
    lib.mase_qgemm_pack_weights.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64,
                                            ctypes.c_int32, ctypes.c_void_p]
    lib.mase_qgemm.argtypes = [ctypes.c_int64] * 4 + [
        ctypes.c_size_t, ctypes.c_int32, ctypes.c_size_t, ctypes.c_int32, ctypes.c_size_t,
        ctypes.c_float, ctypes.c_size_t, ctypes.c_size_t]
    return lib


def timed(call, repeat):
    call()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e3


def inputs(m, n, k):
    rng = np.random.default_rng(m + n + k)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = (rng.standard_normal((n, k)) * 0.05).astype(np.float32)
    return x, w


def bench_torch(m, n, k, repeat):
    import torch
    x, w = inputs(m, n, k)
    xt, wt = torch.from_numpy(x), torch.from_numpy(w)
    rows = {"torch-fp32": timed(lambda: torch.nn.functional.linear(xt, wt), repeat)}
    linear = torch.nn.Linear(k, n, bias=False)
    linear.weight.data = wt.clone()
    qlinear = torch.ao.quantization.quantize_dynamic(
        torch.nn.Sequential(linear), {torch.nn.Linear}, dtype=torch.qint8)
    with torch.no_grad():
        rows["torch-int8-dynamic"] = timed(lambda: qlinear(xt), repeat)
    return rows, []


def bench_mase(lib, m, n, k, repeat):
    x, w = inputs(m, n, k)
    rows = {}
    codes_x = np.clip(np.rint(x * 2 ** 4), -128, 127).astype(np.int8)

    def packed(bits, frac):
        top = 2 ** (bits - 1)
        codes = np.clip(np.rint(w * 2 ** frac), -top, top - 1).astype(np.int8)
        out = np.empty(lib.mase_qgemm_packed_size(n, k, bits), np.int8)
        lib.mase_qgemm_pack_weights(codes.ctypes.data, n, k, bits, out.ctypes.data)
        return out

    weights8, weights4 = packed(8, 7), packed(4, 3)
    # MXINT8-like weights: int8 mantissas with one scale byte per 32.
    exponents = np.full((n, k // 32), 133 - 6, np.uint8)
    out = np.empty((m, n), np.float32)

    def qgemm(a, kind, weights, bits, block, exps, scale):
        lib.mase_qgemm(m, n, k, block, a.ctypes.data, kind, weights.ctypes.data, bits,
                       exps.ctypes.data if exps is not None else 0, scale, 0,
                       out.ctypes.data)
        return out.copy()

    cases = {"mase-int8": (codes_x, 0, weights8, 8, k, None, 2.0 ** -11),
             "mase-int4w": (codes_x, 0, weights4, 4, k, None, 2.0 ** -7),
             "mase-mxint8": (x, 1, weights8, 8, 32, exponents, 1.0)}
    mismatches = []
    for name, case in cases.items():
        os.environ["MASE_KERNEL_ISA"] = "scalar"
        reference = qgemm(*case)
        for isa, suffix in (("default", ""), ("avx2", " (AVX2)")):
            if isa == "default":
                os.environ.pop("MASE_KERNEL_ISA", None)
            else:
                os.environ["MASE_KERNEL_ISA"] = isa
            result = qgemm(*case)
            if not np.array_equal(result.view(np.uint32), reference.view(np.uint32)):
                mismatches.append(f"{name}{suffix} {m}x{n}x{k}")
            rows[name + suffix] = timed(lambda: qgemm(*case), repeat)
        os.environ.pop("MASE_KERNEL_ISA", None)
    return rows, mismatches


def engine_worker(args):
    """One engine over every shape, in this (fresh) process: a JSON line."""
    torch = None
    if args.engine == "torch":
        import torch
        torch.set_num_threads(args.threads)
    results = []
    for m, n, k in SHAPES:
        if torch is not None:
            results.append(bench_torch(m, n, k, args.repeat))
        else:
            results.append(bench_mase(load(args.lib), m, n, k, args.repeat))
    print(json.dumps(results))
    return 0


def run_engine(engine, args):
    """Each engine in its own process, so that neither OpenMP runtime's
    spinning threads steal the other's cores."""
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    done = subprocess.run([sys.executable, __file__, "--engine", engine, "--lib", str(args.lib),
                           "--threads", str(args.threads), "--repeat", str(args.repeat)],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench/qgemm_cpu.py: the {engine} worker failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cpu_model():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/qgemm_cpu.py")
    parser.add_argument("--lib", type=pathlib.Path, default=ROOT / "build" / "lib" / "libmase_qgemm.so")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--markdown", metavar="FILE")
    parser.add_argument("--engine", choices=("torch", "mase"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine:
        return engine_worker(args)
    try:
        import torch
    except ImportError:
        sys.exit("bench/qgemm_cpu.py: needs PyTorch, the peer it compares against")
    flags = pathlib.Path("/proc/cpuinfo").read_text()
    vnni = "avx512_vnni" in flags
    header = ["| M × N × K | " + " | ".join(
        ["torch fp32", "torch int8 dynamic", "mase int8", "mase int8 (AVX2)",
         "mase int4 weights", "mase MXINT8", "mase MXINT8 (AVX2)"])
        + " | mase int8 vs torch int8 |",
        "|---|" + "---:|" * 8]
    lines, problems = list(header), []
    peer, ours = run_engine("torch", args), run_engine("mase", args)
    for (m, n, k), (torch_rows, _), (mase_rows, mismatches) in zip(SHAPES, peer, ours):
        rows = dict(torch_rows, **mase_rows)
        problems += mismatches
        cells = [rows[c] for c in ("torch-fp32", "torch-int8-dynamic", "mase-int8",
                                   "mase-int8 (AVX2)", "mase-int4w", "mase-mxint8",
                                   "mase-mxint8 (AVX2)")]
        lines.append(f"| {m} × {n} × {k} | " + " | ".join(f"{c:.3f}" for c in cells)
                     + f" | {rows['torch-int8-dynamic'] / rows['mase-int8']:.2f}× |")
    machine = (f"{cpu_model()}, {args.threads} threads; AVX-512 VNNI "
               f"{'yes (mase default kernel: VNNI)' if vnni else 'no (mase default kernel: AVX2)'}; "
               f"torch {torch.__version__}")
    print(machine)
    print("\n".join(lines))
    for p in problems:
        print(f"MISMATCH against the scalar kernel: {p}")
    if args.markdown:
        block = "\n".join([MARKS[0], "", "### Quantised GEMM kernel against PyTorch",
                           "", f"- **Machine:** {machine}.",
                           f"- **Command:** `python bench/qgemm_cpu.py {' '.join(sys.argv[1:])}`",
                           "- Median milliseconds per call over "
                           f"{args.repeat} calls; every mase result equals the scalar "
                           "kernel's bit for bit" + (" (**except: " + ", ".join(problems) + "**)"
                                                     if problems else "") + ".", ""]
                          + lines + ["", MARKS[1]]) + "\n"
        sys.path.insert(0, str(ROOT / "bench"))
        import bert_cpu
        bert_cpu.write_markdown(args.markdown, block, MARKS)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
