#!/usr/bin/env python3
"""mase's fused attention kernel (mase_sdpa) against PyTorch on the CPU:
torch's own fused scaled_dot_product_attention and the unfused graph
(matmul, scale, mask, softmax, matmul), in one run on the same machine and
threads, each engine in its own process.

    python bench/attention_kernel_cpu.py [--lib build/lib/libmase_qgemm.so]
        [--seqs 128,512,1024,4096] [--threads N] [--repeat R]

Batch 32, 8 heads, head dim 64; an additive mask [B, 1, 1, S] pads the last
quarter of the keys of every other batch item. Prints a markdown table of
median milliseconds; mase's output is checked against torch's unfused one
(max relative difference). Needs PyTorch and numpy: it is meant for
machines where the compiler is not installed (the library is built here).
"""
import argparse
import ctypes
import json
import os
import pathlib
import subprocess
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from qgemm_cpu import timed  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
BATCH, HEADS, DEPTH = 32, 8, 64


def inputs(seq):
    rng = np.random.default_rng(seq)
    q = rng.standard_normal((BATCH, HEADS, seq, DEPTH), np.float32)
    k = rng.standard_normal((BATCH, HEADS, seq, DEPTH), np.float32)
    v = rng.standard_normal((BATCH, HEADS, seq, DEPTH), np.float32)
    mask = np.zeros((BATCH, 1, 1, seq), np.float32)
    mask[::2, :, :, seq - seq // 4:] = np.finfo(np.float32).min
    return q, k, v, mask


def worker(args):
    seq = args.seq
    q, k, v, mask = inputs(seq)
    scale = 1.0 / np.sqrt(DEPTH)
    result = {}
    if args.engine == "mase":
        lib = ctypes.CDLL(str(args.lib))
        lib.mase_sdpa.argtypes = ([ctypes.c_int64] * 6 + [ctypes.c_int32] +
                                  [ctypes.c_size_t] * 4 + [ctypes.c_int64] * 4 +
                                  [ctypes.c_float, ctypes.c_int32, ctypes.c_size_t])
        kt = np.ascontiguousarray(k.transpose(0, 1, 3, 2))
        out = np.empty_like(q)
        call = lambda: lib.mase_sdpa(BATCH, HEADS, seq, seq, DEPTH, DEPTH, 0,
                                     q.ctypes.data, kt.ctypes.data, v.ctypes.data,
                                     mask.ctypes.data, seq, 0, 0, 1, scale, 0,
                                     out.ctypes.data)
        result["mase"] = timed(call, args.repeat)
        np.save(args.out, out)
    else:
        import torch
        torch.set_num_threads(args.threads)
        tq, tk, tv, tm = map(torch.from_numpy, (q, k, v, mask))
        with torch.no_grad():
            result["torch-sdpa"] = timed(
                lambda: torch.nn.functional.scaled_dot_product_attention(
                    tq, tk, tv, attn_mask=tm), args.repeat)
            def unfused():
                s = torch.matmul(tq, tk.transpose(-1, -2)) * scale + tm
                return torch.matmul(torch.softmax(s, dim=-1), tv)
            result["torch-unfused"] = timed(unfused, args.repeat)
            np.save(args.out, unfused().numpy())
    print(json.dumps(result))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/attention_kernel_cpu.py")
    parser.add_argument("--lib", type=pathlib.Path,
                        default=ROOT / "build" / "lib" / "libmase_qgemm.so")
    parser.add_argument("--seqs", default="128,512,1024,4096")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out-dir", type=pathlib.Path, default=pathlib.Path("/tmp"))
    parser.add_argument("--engine", choices=("mase", "torch"), help=argparse.SUPPRESS)
    parser.add_argument("--seq", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine:
        return worker(args)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    lines = ["| B × H × S × D | mase fused ms | torch SDPA (fused) ms | torch unfused ms "
             "| mase vs torch unfused | mase vs torch SDPA | max rel. diff |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for seq in [int(s) for s in args.seqs.split(",") if s.strip()]:
        times, outputs = {}, {}
        for engine in ("torch", "mase"):
            out = args.out_dir / f"attention-{engine}-{seq}.npy"
            done = subprocess.run(
                [sys.executable, __file__, "--engine", engine, "--seq", str(seq),
                 "--lib", str(args.lib), "--threads", str(args.threads),
                 "--repeat", str(args.repeat), "--out", str(out)],
                env=env, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{engine} worker failed: {done.stderr[-1000:]}")
            times.update(json.loads(done.stdout.strip().splitlines()[-1]))
            outputs[engine] = np.load(out)
            out.unlink()
        diff = (np.abs(outputs["mase"] - outputs["torch"]).max() /
                np.abs(outputs["torch"]).max())
        lines.append(
            f"| {BATCH} × {HEADS} × {seq} × {DEPTH} | {times['mase']:.1f} "
            f"| {times['torch-sdpa']:.1f} | {times['torch-unfused']:.1f} "
            f"| {times['torch-unfused'] / times['mase']:.2f}× "
            f"| {times['torch-sdpa'] / times['mase']:.2f}× | {diff:.1e} |")
        print(lines[-1], flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
