#!/usr/bin/env python3
"""The README's main job: compile the bundled BERT for the CPU, run it on its
sample inputs, check it against the reference and time it next to
onnxruntime.

The model is compiled by `mase-compile` (through `mase.compile`) into a
shared library and run through the runtime C API (`mase.Session`), with the
same thread count as onnxruntime.
"""

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))
import mase  # noqa: E402

MODEL = ROOT / "models" / "bert-tiny" / "bert_tiny_eager_ts.onnx"
DATA = ROOT / "models" / "bert-tiny" / "test_data_set_0"


def time_it(fn, warmup, iterations):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e3, min(samples) * 1e3


def load_pb(path):
    tensor = onnx.TensorProto()
    tensor.ParseFromString(path.read_bytes())
    return tensor.name, numpy_helper.to_array(tensor)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--threads", type=int, default=0,
                        help="threads for both engines (default: all cores)")
    args = parser.parse_args()

    inputs = [load_pb(p) for p in sorted(DATA.glob("input_*.pb"))]
    _, reference = load_pb(DATA / "output_0.pb")
    model_inputs = [i.name for i in onnx.load(MODEL, load_external_data=False).graph.input]
    feed = dict(zip(model_inputs, (array for _, array in inputs)))
    shapes = [f"{name}={'x'.join(map(str, a.shape))}" for name, a in feed.items()]

    threads = args.threads or os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="mase-demo-") as tmp:
        start = time.perf_counter()
        compiled = mase.compile(str(MODEL), shapes={n: a.shape for n, a in feed.items()},
                                opt_level=3, output=str(pathlib.Path(tmp) / "bert.so"))
        print(f"compiled {MODEL.relative_to(ROOT)} (inputs {', '.join(shapes)}) "
              f"with mase-compile -O3 in {time.perf_counter() - start:.2f} s")
        compiled.set_num_threads(threads)

        def call():
            return compiled.run(None, feed)[0]

        logits = call()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(MODEL), options, providers=["CPUExecutionProvider"])
        ort_logits = session.run(None, feed)[0]
        mase_ms = time_it(call, args.warmup, args.iterations)
        ort_ms = time_it(lambda: session.run(None, feed), args.warmup, args.iterations)
        compiled.close()

    def rel(a, b):
        return float(np.linalg.norm(a - b) / np.linalg.norm(b))

    np.set_printoptions(precision=7, suppress=False)
    print(f"logits (mase):        {logits.tolist()}")
    print(f"logits (reference):   {reference.tolist()}")
    print(f"logits (onnxruntime): {ort_logits.tolist()}")
    err = rel(logits, reference)
    print(f"relative error vs reference {err:.2e}, vs onnxruntime {rel(logits, ort_logits):.2e}")
    print(f"latency over {args.iterations} runs on {threads} threads: mase median {mase_ms[0]:.2f} ms (min {mase_ms[1]:.2f}), "
          f"onnxruntime median {ort_ms[0]:.2f} ms (min {ort_ms[1]:.2f}); "
          f"ratio mase/onnxruntime {mase_ms[0] / ort_ms[0]:.2f}")
    ok = err <= args.rtol
    print("result:", "MATCH" if ok else f"MISMATCH (relative error above {args.rtol})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
