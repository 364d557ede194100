"""BERT on an NVIDIA GPU: mase's `--target=cuda` models against PyTorch.

Runs on the GPU machine, from a pack made by `scripts/cuda-pack.sh` (which
copies this script and `mase/models/bert_data.py` into it):

    python PACK/bench/bert_cuda.py --pack PACK [--iterations 50] [--json OUT.json]

For every generated model in the pack's manifest, it checks mase's library
against its reference (`mase-run`, which also times it) and times the same
BERT in PyTorch, eager and `torch.compile`, with the same weights
(`bert_data.repeated_weights`) and inputs, in the same precision. Back on the
build machine, `--record OUT.json --markdown docs/benchmarks.md` writes the
table into the docs.

mase's time is one `mase_model_run`: host inputs copied in, the model, the
logits copied out. PyTorch's is one forward pass on inputs already on the GPU.
mase's device memory (weights, and the peak of a run with weights) is the
model's own count of its allocations (`mase_model_device_memory`). Models
quantised natively (MXINT8 linear layers: int8 mantissas and a scale byte per
32 in device memory, dequantised in the GEMM) are checked against MASE's
numerics, timed against PyTorch's f32 model and compared in device memory
with the f32 build of the same BERT.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

MARKS = ("<!-- bert_cuda:begin -->", "<!-- bert_cuda:end -->")


def torch_bert(torch, cfg, weights, dtype, device):
    """The HF BertForSequenceClassification forward pass, from its weights by
    name (as `mase.models.bert.reference_logits` computes it)."""
    import torch.nn.functional as F

    w = {name: torch.from_numpy(value).to(device=device, dtype=dtype)
         for name, value in weights.items()}
    eps = cfg.layer_norm_eps
    heads, head_dim = cfg.heads, cfg.head_dim

    def linear(module, x):
        return F.linear(x, w[f"{module}.weight"], w[f"{module}.bias"])

    def layer_norm(module, x):
        return F.layer_norm(x, (cfg.hidden,), w[f"{module}.weight"], w[f"{module}.bias"], eps)

    def forward(input_ids, attention_mask, token_type_ids):
        batch, seq = input_ids.shape
        x = (w["bert.embeddings.word_embeddings.weight"][input_ids]
             + w["bert.embeddings.token_type_embeddings.weight"][token_type_ids]
             + w["bert.embeddings.position_embeddings.weight"][:seq])
        x = layer_norm("bert.embeddings.LayerNorm", x)
        mask = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
        for i in range(cfg.layers):
            layer = f"bert.encoder.layer.{i}"

            def split(name):
                y = linear(f"{layer}.attention.self.{name}", x)
                return y.view(batch, seq, heads, head_dim).transpose(1, 2)

            q, k, v = split("query"), split("key"), split("value")
            scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim) + mask
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, seq, cfg.hidden)
            attention = linear(f"{layer}.attention.output.dense", context)
            x = layer_norm(f"{layer}.attention.output.LayerNorm", attention + x)
            hidden = F.gelu(linear(f"{layer}.intermediate.dense", x))
            x = layer_norm(f"{layer}.output.LayerNorm", linear(f"{layer}.output.dense", hidden) + x)
        pooled = torch.tanh(linear("bert.pooler.dense", x[:, 0]))
        return linear("classifier", pooled)

    return forward


def time_torch(torch, fn, inputs, warmup, iterations):
    """Median milliseconds of `fn(*inputs)` on the GPU."""
    with torch.no_grad():
        for _ in range(warmup):
            fn(*inputs)
        torch.cuda.synchronize()
        times = []
        for _ in range(iterations):
            start = time.perf_counter()
            fn(*inputs)
            torch.cuda.synchronize()
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def run_mase(pack, entry, warmup, iterations):
    """mase-run's verdict and median latency for one packed model."""
    if "quant" in entry:  # as PACK/run.sh (scripts/cuda-pack.sh) says why
        tolerance = ["--rtol", "1e-2", "--atol", "2e-2"]
    elif entry["precision"] == "f32":
        tolerance = ["--rtol", "1e-5", "--atol", "1e-6"]
    else:
        tolerance = ["--rtol", "1e-2", "--atol", "1e-3"]
    command = [os.path.join(pack, "bin", "mase-run"), os.path.join(pack, entry["library"]),
               "--data", os.path.join(pack, entry["data"]), "--json",
               "--warmup", str(warmup), "--iterations", str(iterations), *tolerance]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"status": "error", "error": (result.stderr or result.stdout).strip()}
    output = report["outputs"][0]
    memory = report.get("device_memory_bytes", {})
    return {"status": report["status"], "max_abs_error": output.get("max_abs_error"),
            "median_ms": report["latency_ms"]["median"],
            "weights_bytes": memory.get("weights"), "peak_bytes": memory.get("peak")}


def measure(args):
    import numpy as np
    import torch

    sys.path.insert(0, os.path.join(args.pack, "python"))
    from bert_data import CONFIGS, make_inputs, repeated_weights

    with open(os.path.join(args.pack, "manifest.json")) as f:
        manifest = json.load(f)
    device = torch.device("cuda")
    rows = []
    for entry in manifest["models"]:
        cfg = CONFIGS[entry["config"]]
        dtype = {"f32": torch.float32, "f16": torch.float16}[entry["precision"]]
        row = dict(entry, gpu=torch.cuda.get_device_name())
        row["mase"] = run_mase(args.pack, entry, args.warmup, args.iterations)
        weights = repeated_weights(cfg, entry["seed"], entry["repeat_weights"])
        inputs = make_inputs(cfg, entry["batch"], entry["seq"], entry["seed"])
        tensors = [torch.from_numpy(inputs[name]).to(device)
                   for name in ("input_ids", "attention_mask", "token_type_ids")]
        forward = torch_bert(torch, cfg, weights, dtype, device)
        row["torch_eager_ms"] = time_torch(torch, forward, tensors, args.warmup, args.iterations)
        compiled = torch.compile(forward)
        row["torch_compile_ms"] = time_torch(torch, compiled, tensors, args.warmup, args.iterations)
        rows.append(row)
        print(json.dumps(row), flush=True)
        del forward, compiled
        torch.cuda.empty_cache()
    result = {"torch": torch.__version__, "numpy": np.__version__, "rows": rows}
    return result


def markdown(result, command):
    """The results as the docs' section, between MARKS."""
    lines = [MARKS[0], "### BERT on the GPU: mase `--target=cuda` against PyTorch", "",
             f"GPU: {result['rows'][0]['gpu']}; PyTorch {result['torch']}. "
             f"Reproduce: `{command}`.", "",
             "| model | batch x seq | precision | mase check | mase ms | torch eager ms "
             "| torch.compile ms | mase / torch.compile | mase weights / peak MiB |",
             "|---|---|---|---|---:|---:|---:|---:|---:|"]
    for row in result["rows"]:
        ours = row["mase"]
        ms = ours.get("median_ms")
        if ours["status"] == "error":
            check = "error: " + ours["error"][:80]
        else:
            check = f"{ours['status']} (max abs error {ours['max_abs_error']:.1e})"
        mase_ms, ratio = (f"{ms:.3f}", f"{ms / row['torch_compile_ms']:.2f}x") if ms else ("-", "-")
        memory = (f"{ours['weights_bytes'] / 2**20:.1f} / {ours['peak_bytes'] / 2**20:.1f}"
                  if ours.get("peak_bytes") is not None else "-")
        precision = row["precision"]
        if "quant" in row:
            precision += (f", {row['quant'].upper()} {row.get('quant_mode', 'native')} "
                          "(torch: f32)")
        lines.append(f"| bert-{row['config']} | {row['batch']} x {row['seq']} "
                     f"| {precision} | {check} | {mase_ms} "
                     f"| {row['torch_eager_ms']:.3f} | {row['torch_compile_ms']:.3f} | {ratio} "
                     f"| {memory} |")
    lines += memory_savings(result["rows"])
    lines.append(MARKS[1])
    return "\n".join(lines) + "\n"


def memory_savings(rows):
    """Lines comparing each quantised model's device memory with its f32
    build's (none without such pairs)."""
    def key(row):
        return row["config"], row["batch"]

    f32 = {key(r): r["mase"] for r in rows if r["precision"] == "f32" and "quant" not in r}
    pairs = [(r, f32[key(r)]) for r in rows if "quant" in r and key(r) in f32
             and r["mase"].get("peak_bytes") and f32[key(r)].get("peak_bytes")]
    if not pairs:
        return []
    lines = ["", "Device memory of the natively quantised models against the f32 build "
             "(saving = 1 - quantised / f32):", "",
             "| model | batch | format, mode | weights MiB (f32) | saving | peak MiB (f32) | saving |",
             "|---|---|---|---:|---:|---:|---:|"]
    for row, base in pairs:
        ours = row["mase"]
        cells = []
        for field in ("weights_bytes", "peak_bytes"):
            cells.append(f"{ours[field] / 2**20:.1f} ({base[field] / 2**20:.1f}) "
                         f"| {100 * (1 - ours[field] / base[field]):.1f}%")
        lines.append(f"| bert-{row['config']} | {row['batch']} "
                     f"| {row['quant'].upper()} {row.get('quant_mode', 'native')} "
                     f"| {' | '.join(cells)} |")
    return lines


def main():
    parser = bench_parser(__doc__.split("\n")[0], MARKS)
    args = parser.parse_args()
    measure_or_record(parser, args, measure, markdown, MARKS,
                      "scripts/cuda-pack.sh && PACK/run.sh && python PACK/bench/bert_cuda.py "
                      "--pack PACK --json bert_cuda.json")


def bench_parser(description, marks, shape_size=None):
    """The GPU benchmarks' command line: --pack, --warmup, --iterations,
    --json, --record, --markdown; with `shape_size`, the kernel benchmarks'
    --export, --mase-compile and their child processes' --shape."""
    parser = argparse.ArgumentParser(description=description)
    if shape_size:
        parser.add_argument("--export", metavar="DIR",
                            help="(build machine) write and compile the graphs")
        parser.add_argument("--mase-compile", default="build/bin/mase-compile")
        parser.add_argument("--shape", type=int, nargs=shape_size, help=argparse.SUPPRESS)
    parser.add_argument("--pack", help="the pack made by scripts/cuda-pack.sh (on the GPU machine)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--json", help="write the measurements here")
    parser.add_argument("--record", metavar="JSON",
                        help="(build machine) read measurements instead of taking them")
    parser.add_argument("--markdown", help="write the table into this file between "
                                           f"{marks[0]} and {marks[1]}")
    return parser


def profiled_child(script, args, shape, kernel_ms):
    """Runs `script --shape SHAPE` (which checks and runs one library and
    prints JSON with its relative_error) with MASE_CUDA_PROFILE set: its
    JSON, the launch's time from the profile (`kernel_ms(profile, shape)`)
    and a status, or the error it ended with."""
    child = subprocess.run(
        [sys.executable, script, "--pack", args.pack, "--shape", *map(str, shape),
         "--warmup", str(args.warmup), "--iterations", str(args.iterations)],
        capture_output=True, text=True, env={**os.environ, "MASE_CUDA_PROFILE": "1"})
    if child.returncode != 0:
        return {"error": (child.stderr.strip().splitlines() or ["no output"])[-1]}
    row = json.loads(child.stdout.strip().splitlines()[-1])
    row["kernel_ms"] = kernel_ms(child.stderr, shape)
    row["status"] = "match" if row["relative_error"] < 1e-2 else "MISMATCH"
    return row


def kernel_bench_main(description, marks, shape_size, export, run_mase, measure,
                      markdown, command):
    """The kernel benchmarks' main: --export compiles the graphs (build
    machine), --shape checks one library (a child process on the GPU
    machine), else measure or record."""
    parser = bench_parser(description, marks, shape_size)
    args = parser.parse_args()
    if args.export:
        return export(args.export, args.mase_compile)
    if args.shape:
        return run_mase(args)
    return measure_or_record(parser, args, measure, markdown, marks, command)


def measure_or_record(parser, args, measure, markdown, marks, command):
    """The GPU benchmarks' end: measure (--pack, writing the measurements
    to --json) or read a run (--record), print the table and write it into
    --markdown between `marks`."""
    if args.record:
        with open(args.record) as f:
            result = json.load(f)
    elif args.pack:
        result = measure(args)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=1)
    else:
        parser.error("give --pack (on the GPU machine) or --record (to write the docs)")
    table = markdown(result, command)
    print(table)
    if args.markdown:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from bert_cpu import write_markdown
        write_markdown(args.markdown, table, marks)


if __name__ == "__main__":
    main()
