"""BERT-base's linear layers alone on an NVIDIA GPU: mase's GEMM against
PyTorch (cuBLAS).

Build machine (`scripts/cuda-pack.sh` runs this):

    python bench/gemm_cuda.py --export DIR --mase-compile build/bin/mase-compile

writes, for every shape (M, K, N) of BERT-base's linear layers at batch 32,
sequence 128 (the attention projections, the FFN's two matmuls), the layer
as an exporter writes it (`MatMul(X, W)` then `Add(B)`, in f16, W and B
initializers) to DIR/linear-MxKxN.onnx and compiles it with
`mase-compile --target=cuda` into DIR/linear-MxKxN.so.xz: one launch of the
prebuilt GEMM with its bias epilogue. W repeats one seeded block of values
(`parameters`), so that the libraries compress for the trip.

GPU machine:

    python PACK/bench/gemm_cuda.py --pack PACK [--iterations 50] [--json OUT]

For every library: checks it against X W + B computed in f32 by PyTorch from
the same f16 values (error under 1e-2 of the output's largest magnitude),
then times the GEMM's launch (MASE_CUDA_PROFILE's CUDA events) against
`torch.addmm` on the same f16 tensors. Back on the build machine,
`--record OUT --markdown docs/benchmarks.md` writes the table into the docs.
"""

import json
import os
import re
import statistics
import subprocess
import sys

MARKS = ("<!-- gemm_cuda:begin -->", "<!-- gemm_cuda:end -->")
# (M, K, N): tokens x features in x features out.
SHAPES = [(4096, 768, 768), (4096, 768, 3072), (4096, 3072, 768)]
TILE = 128  # MASE_CUDA_GEMM_TILE_M and _N (GemmKernel.h)


def name(shape):
    return "linear-" + "x".join(map(str, shape))


def export(directory, compiler):
    """The linear layers and their libraries."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    os.makedirs(directory, exist_ok=True)
    for shape in SHAPES:
        m, k, n = shape
        weight, bias = parameters(shape)
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["x", "weight"], ["product"]),
             helper.make_node("Add", ["product", "bias"], ["y"])],
            name(shape),
            [helper.make_tensor_value_info("x", TensorProto.FLOAT16, [m, k])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT16, [m, n])],
            [numpy_helper.from_array(weight, "weight"), numpy_helper.from_array(bias, "bias")])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        path = os.path.join(directory, name(shape) + ".onnx")
        onnx.save(model, path)
        subprocess.run([compiler, path, "--target=cuda", "-o", path[:-5] + ".so"],
                       check=True)
        subprocess.run(["xz", "-T2", "-6", path[:-5] + ".so"], check=True)
        os.remove(path)


def parameters(shape):
    """W [K, N] (one seeded block of 4099 normal values, repeated, scaled by
    1/sqrt(K) as trained weights roughly are) and B [N], in f16."""
    import numpy as np

    _, k, n = shape
    block = np.random.default_rng(0).standard_normal(4099) / np.sqrt(k)
    weight = np.resize(block, (k, n)).astype(np.float16)
    return weight, np.random.default_rng(1).standard_normal(n).astype(np.float16)


def operands(torch, shape):
    """X (seeded), W and B as f16 tensors on the GPU."""
    m, k, _ = shape
    generator = torch.Generator(device="cuda").manual_seed(0)
    x = torch.randn((m, k), generator=generator, device="cuda").half()
    weight, bias = parameters(shape)
    return x, torch.from_numpy(weight).cuda(), torch.from_numpy(bias).cuda()


def run_mase(args):
    """(Child process, MASE_CUDA_PROFILE set.) Checks and times one library;
    prints JSON. The profile goes to stderr at exit."""
    import torch
    from sdpa_cuda import Runtime

    shape = tuple(args.shape)
    runtime = Runtime(args.pack)
    model = runtime.load(os.path.join(args.pack, "gemm", name(shape) + ".so"))
    x, w, b = operands(torch, shape)
    out = torch.empty((shape[0], shape[2]), device="cuda", dtype=torch.float16)
    ins, outs = runtime.tensors([x]), runtime.tensors([out])
    reference = torch.addmm(b.float(), x.float(), w.float())
    for _ in range(args.warmup + args.iterations):
        runtime.run(model, ins, outs)
    torch.cuda.synchronize()
    error = (out.float() - reference).abs().max().item() / reference.abs().max().item()
    print(json.dumps({"relative_error": error}))


def kernel_ms(profile, shape):
    """The GEMM launch's mean time from MASE_CUDA_PROFILE's report."""
    m, _, n = shape
    grid = f"grid {-(-n // TILE)}x{-(-m // TILE)}x1 block 256x1x1"
    for line in profile.splitlines():
        if grid in line:
            return float(re.search(r"([0-9.]+) us", line).group(1)) / 1e3
    return None


def time_torch(torch, shape, warmup, iterations):
    x, w, b = operands(torch, shape)
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for i in range(warmup + iterations):
        start.record()
        torch.addmm(b, x, w)
        stop.record()
        stop.synchronize()
        if i >= warmup:
            times.append(start.elapsed_time(stop))
    return statistics.median(times)


def measure(args):
    import lzma
    import shutil
    import torch
    from bert_cuda import profiled_child

    rows = []
    for shape in SHAPES:
        packed = os.path.join(args.pack, "gemm", name(shape) + ".so.xz")
        if os.path.exists(packed):
            with lzma.open(packed) as src, open(packed[:-3], "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 24)
            os.remove(packed)
        row = {"shape": shape, **profiled_child(__file__, args, shape, kernel_ms)}
        row["torch_ms"] = time_torch(torch, shape, args.warmup, args.iterations)
        rows.append(row)
        print(json.dumps(row), flush=True)
    result = {"gpu": torch.cuda.get_device_name(), "torch": torch.__version__, "rows": rows}
    return result


def markdown(result, command):
    lines = [MARKS[0], "### BERT-base's linear layers on the GPU: mase's GEMM against PyTorch",
             "", f"GPU: {result['gpu']}; PyTorch {result['torch']}; f16 operands, f32 "
             f"accumulation, f16 bias and result (`torch.addmm`). Reproduce: `{command}`.", "",
             "| M x K x N | check (error / max) | mase GEMM ms | torch ms "
             "| mase TFLOP/s | torch TFLOP/s | mase / torch throughput |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for row in result["rows"]:
        m, k, n = row["shape"]
        shape = f"{m} x {k} x {n}"
        if "error" in row or not row.get("kernel_ms"):
            why = row.get("error", "no GEMM launch in the profile")[:80]
            lines.append(f"| {shape} | error: {why} | - | - | - | - | - |")
            continue
        flops = 2 * m * k * n
        ours, theirs = flops / row["kernel_ms"] / 1e9, flops / row["torch_ms"] / 1e9
        lines.append(f"| {shape} | {row['status']} ({row['relative_error']:.1e}) "
                     f"| {row['kernel_ms']:.3f} | {row['torch_ms']:.3f} | {ours:.0f} "
                     f"| {theirs:.0f} | {ours / theirs:.2f} |")
    lines.append(MARKS[1])
    return "\n".join(lines) + "\n"


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bert_cuda import kernel_bench_main
    kernel_bench_main(__doc__.split("\n")[0], MARKS, 3, export, run_mase, measure,
                      markdown, "scripts/cuda-pack.sh && python PACK/bench/gemm_cuda.py "
                      "--pack PACK --json gemm_cuda.json")


if __name__ == "__main__":
    main()
