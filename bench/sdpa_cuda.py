"""Attention alone on an NVIDIA GPU: mase's fused kernel against PyTorch SDPA.

Build machine (`scripts/cuda-pack.sh` runs this):

    python bench/sdpa_cuda.py --export DIR --mase-compile build/bin/mase-compile

writes, for every shape (batch, heads, seq, head dim), the attention graph
as an exporter writes it (`MatMul(Q, K^T)`, `Mul` by 1/sqrt(D), `Softmax`,
`MatMul` by V, in f16) to DIR/sdpa-BxHxSxD.onnx and compiles it with
`mase-compile --target=cuda` into DIR/sdpa-BxHxSxD.so, where
`mase-fuse-sdpa` makes it one `mase.sdpa` and `mase-cuda-attention` one
launch of the attention kernel.

GPU machine:

    python PACK/bench/sdpa_cuda.py --pack PACK [--iterations 50] [--json OUT]

For every library: checks it against attention computed in f32 by PyTorch
from the same f16 inputs (relative error under 1e-2 of the output's largest
magnitude), then times the kernel (MASE_CUDA_PROFILE's CUDA events around
its launch) and the whole `mase_model_run` (inputs already on the GPU:
copied into the model's buffers, the kernel, the output copied out) against
`torch.nn.functional.scaled_dot_product_attention` on the same f16 values,
with K in the `[B, H, S, D]` layout its fused kernels take.
Back on the build machine, `--record OUT --markdown docs/benchmarks.md`
writes the table into the docs.
"""

import ctypes
import json
import math
import os
import re
import statistics
import subprocess
import sys

MARKS = ("<!-- sdpa_cuda:begin -->", "<!-- sdpa_cuda:end -->")
# (batch, heads, seq, head dim): the two benchmark shapes, then
# shapes that only check the kernel's tails (rows and keys past a tile, a
# depth that is no multiple of 8, the largest depth).
TIMED = [(32, 8, 128, 64), (4, 16, 4096, 64)]
CHECKED = [(2, 3, 100, 40), (1, 2, 77, 128)]
MASE_F16 = 2  # MaseElementType (include/mase-c/Runtime.h)


def name(shape):
    return "sdpa-" + "x".join(map(str, shape))


def export(directory, compiler):
    """The attention graphs and their libraries."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    os.makedirs(directory, exist_ok=True)
    for shape in TIMED + CHECKED:
        b, h, s, d = shape
        scale = numpy_helper.from_array(np.array(1 / math.sqrt(d), np.float16), "scale")
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["query", "key_t"], ["scores"]),
             helper.make_node("Mul", ["scores", "scale"], ["scaled"]),
             helper.make_node("Softmax", ["scaled"], ["probabilities"], axis=-1),
             helper.make_node("MatMul", ["probabilities", "value"], ["output"])],
            name(shape),
            [helper.make_tensor_value_info("query", TensorProto.FLOAT16, [b, h, s, d]),
             helper.make_tensor_value_info("key_t", TensorProto.FLOAT16, [b, h, d, s]),
             helper.make_tensor_value_info("value", TensorProto.FLOAT16, [b, h, s, d])],
            [helper.make_tensor_value_info("output", TensorProto.FLOAT16, [b, h, s, d])],
            [scale])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        path = os.path.join(directory, name(shape) + ".onnx")
        onnx.save(model, path)
        subprocess.run([compiler, path, "--target=cuda", "-o", path[:-5] + ".so"], check=True)
        os.remove(path)


class Runtime:
    """The few runtime calls the benchmark makes (include/mase-c/Runtime.h)."""

    class Tensor(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("rank", ctypes.c_size_t),
                    ("shape", ctypes.POINTER(ctypes.c_int64)), ("data", ctypes.c_void_p)]

    def __init__(self, pack):
        self.lib = ctypes.CDLL(os.path.join(pack, "lib", "libmase_runtime.so"))
        self.lib.mase_last_error.restype = ctypes.c_char_p
        self.keep = []

    def check(self, status):
        if status != 0:
            raise RuntimeError(self.lib.mase_last_error().decode())

    def load(self, path):
        model = ctypes.c_void_p()
        self.check(self.lib.mase_model_load(os.fsencode(path), ctypes.byref(model)))
        return model

    def tensors(self, tensors):
        """MaseTensors over torch tensors (device memory: the runtime copies
        by unified address)."""
        array = (self.Tensor * len(tensors))()
        for i, t in enumerate(tensors):
            shape = (ctypes.c_int64 * t.dim())(*t.shape)
            self.keep.append(shape)
            array[i] = self.Tensor(MASE_F16, t.dim(), shape, t.data_ptr())
        return array

    def run(self, model, inputs, outputs):
        self.check(self.lib.mase_model_run(model, inputs, len(inputs), outputs, len(outputs)))


def inputs(torch, shape, seed):
    b, h, s, d = shape
    generator = torch.Generator(device="cuda").manual_seed(seed)
    return [torch.randn(size, generator=generator, device="cuda", dtype=torch.float16)
            for size in ((b, h, s, d), (b, h, d, s), (b, h, s, d))]


def run_mase(args):
    """(Child process, MASE_CUDA_PROFILE set.) Checks and times one library;
    prints JSON. The profile goes to stderr at exit."""
    import torch

    shape = tuple(args.shape)
    runtime = Runtime(args.pack)
    model = runtime.load(os.path.join(args.pack, "sdpa", name(shape) + ".so"))
    q, kt, v = inputs(torch, shape, seed=0)
    out = torch.empty_like(v)
    ins, outs = runtime.tensors([q, kt, v]), runtime.tensors([out])
    runtime.run(model, ins, outs)
    torch.cuda.synchronize()
    reference = torch.nn.functional.scaled_dot_product_attention(
        q.float(), kt.float().transpose(-1, -2), v.float())
    error = (out.float() - reference).abs().max().item() / reference.abs().max().item()
    times = []
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    for i in range(args.warmup + args.iterations):
        start.record()
        runtime.run(model, ins, outs)
        stop.record()
        stop.synchronize()
        if i >= args.warmup:
            times.append(start.elapsed_time(stop))
    print(json.dumps({"relative_error": error, "run_ms": statistics.median(times)}))


def kernel_ms(profile, shape):
    """The attention launch's mean time from MASE_CUDA_PROFILE's report."""
    b, h, s, d = shape
    rows = 128 if d <= 64 else 64  # MASE_CUDA_SDPA_ROWS (AttentionKernel.h)
    grid = f"grid {math.ceil(s / rows)}x{h}x{b} block 128x1x1"
    for line in profile.splitlines():
        if grid in line:
            return float(re.search(r"([0-9.]+) us", line).group(1)) / 1e3
    return None


def time_torch(torch, shape, warmup, iterations):
    q, kt, v = inputs(torch, shape, seed=0)
    # PyTorch's fused kernels want each key's depth contiguous (with K^T's
    # layout it falls back to the unfused math).
    k = kt.transpose(-1, -2).contiguous()
    sdpa = torch.nn.functional.scaled_dot_product_attention
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for i in range(warmup + iterations):
        start.record()
        sdpa(q, k, v)
        stop.record()
        stop.synchronize()
        if i >= warmup:
            times.append(start.elapsed_time(stop))
    return statistics.median(times)


def measure(args):
    import torch
    from bert_cuda import profiled_child

    rows = []
    for shape in TIMED + CHECKED:
        row = {"shape": shape, "timed": shape in TIMED,
               **profiled_child(__file__, args, shape, kernel_ms)}
        if shape in TIMED:
            row["torch_ms"] = time_torch(torch, shape, args.warmup, args.iterations)
        rows.append(row)
        print(json.dumps(row), flush=True)
    result = {"gpu": torch.cuda.get_device_name(), "torch": torch.__version__, "rows": rows}
    return result


def markdown(result, command):
    lines = [MARKS[0], "### Attention alone on the GPU: mase's kernel against PyTorch SDPA", "",
             f"GPU: {result['gpu']}; PyTorch {result['torch']}; f16, no mask, "
             f"scale 1/sqrt(D). Reproduce: `{command}`. TFLOP/s count 4 B H S^2 D.", "",
             "| B x H x S x D | check (error / max) | mase kernel ms | mase run ms "
             "| torch SDPA ms | mase kernel TFLOP/s | torch TFLOP/s | mase / torch throughput |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in result["rows"]:
        b, h, s, d = row["shape"]
        shape = f"{b} x {h} x {s} x {d}"
        if "error" in row:
            lines.append(f"| {shape} | error: {row['error'][:80]} | - | - | - | - | - | - |")
            continue
        check = f"{row['status']} ({row['relative_error']:.1e})"
        flops = 4 * b * h * s * s * d
        kernel = row.get("kernel_ms")
        if not row["timed"] or not kernel:
            lines.append(f"| {shape} | {check} | - | - | - | - | - | - |")
            continue
        ours, theirs = flops / kernel / 1e9, flops / row["torch_ms"] / 1e9
        lines.append(f"| {shape} | {check} | {kernel:.3f} | {row['run_ms']:.3f} "
                     f"| {row['torch_ms']:.3f} | {ours:.0f} | {theirs:.0f} "
                     f"| {ours / theirs:.2f} |")
    lines.append(MARKS[1])
    return "\n".join(lines) + "\n"


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bert_cuda import kernel_bench_main
    kernel_bench_main(__doc__.split("\n")[0], MARKS, 4, export, run_mase, measure,
                      markdown, "scripts/cuda-pack.sh && python PACK/bench/sdpa_cuda.py "
                      "--pack PACK --json sdpa_cuda.json")


if __name__ == "__main__":
    main()
