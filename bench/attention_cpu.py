#!/usr/bin/env python3
"""Attention on the CPU: mase's fused mase.sdpa kernel against the same
graph unfused (--no-fuse-sdpa) and against onnxruntime, in one run on the
same machine, inputs and threads.

    .venv/bin/python bench/attention_cpu.py [--seqs 128,512,1024,4096]
        [--models tiny-b1,tiny-b8,base-b1] [--threads N] [--markdown docs/benchmarks.md]

Part 1, attention alone: an ONNX graph of softmax(Q K^T * 1/8 + mask) V
(MatMul, Mul, Add, Softmax, MatMul; the mask [B, 1, 1, S] pads the last
quarter of the keys of half the batch) at batch 32, 8 heads, head dim 64
and each sequence length. Part 2, whole models: BERT-tiny (bundled) and
BERT-base (bench/bert_cpu.py's generated one) with and without fusion, and
onnxruntime with its own graph optimisations (ORT_ENABLE_ALL, which fuses
attention where its patterns match). Latency: bench/bert_cpu.py's fresh
worker process, median and minimum. Builds whose score matrix alone would
exceed --max-scores-gib are not run (the fused kernel never stores it).
"""

import argparse
import os
import pathlib
import shlex
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bert_cpu as common  # noqa: E402

ROOT = common.ROOT
MARKS = ("<!-- BEGIN bench/attention_cpu.py results: generated, edits inside are overwritten -->",
         "<!-- END bench/attention_cpu.py results -->")
BATCH, HEADS, DEPTH = 32, 8, 64


def attention_model(path, seq):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    shape = [BATCH, HEADS, seq, DEPTH]
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["q", "kt"], ["s"]),
         helper.make_node("Mul", ["s", "scale"], ["t"]),
         helper.make_node("Add", ["t", "mask"], ["m"]),
         helper.make_node("Softmax", ["m"], ["p"], axis=-1),
         helper.make_node("MatMul", ["p", "v"], ["o"])],
        "attention",
        [helper.make_tensor_value_info("q", TensorProto.FLOAT, shape),
         helper.make_tensor_value_info("kt", TensorProto.FLOAT, [BATCH, HEADS, DEPTH, seq]),
         helper.make_tensor_value_info("v", TensorProto.FLOAT, shape),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, [BATCH, 1, 1, seq])],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT, shape)],
        [helper.make_tensor("scale", TensorProto.FLOAT, [], [1.0 / np.sqrt(DEPTH)])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)


def attention_inputs(path, seq, seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    mask = np.zeros((BATCH, 1, 1, seq), np.float32)
    mask[::2, :, :, seq - seq // 4:] = np.finfo(np.float32).min
    np.savez(path, q=rng.standard_normal((BATCH, HEADS, seq, DEPTH), np.float32),
             kt=rng.standard_normal((BATCH, HEADS, DEPTH, seq), np.float32),
             v=rng.standard_normal((BATCH, HEADS, seq, DEPTH), np.float32), mask=mask)


def compile_mase(name, model, shapes, fuse, args, work, compiler):
    library = work / f"{name.replace(' ', '-')}.so"
    command = [compiler, str(model), "-o", str(library), "-O3"]
    for k, v in shapes.items():
        command += ["--shape", f"{k}={'x'.join(map(str, v))}"]
    if not fuse:
        command.append("--no-fuse-sdpa")
    else:
        command += ["--fusion-report", str(work / f"{name.replace(' ', '-')}.fusion")]
    common.log(f"[{name}] {shlex.join(command)}")
    child = common.run_child(command, timeout=args.compile_timeout)
    if child.rc != 0:
        return None, f"mase-compile failed ({child.rc}): {child.text.strip()[-200:]}"
    return library, None


def run_case(label, model, inputs_path, shapes, args, work, compiler, scores_gib):
    """One case: mase fused, mase unfused, onnxruntime; a dict of results."""
    results = {}
    for engine, fuse in (("mase fused", True), ("mase unfused", False),
                         ("onnxruntime", None)):
        name = f"{label} {engine}"
        if fuse is not True and scores_gib > args.max_scores_gib:
            results[engine] = {"error": f"not run: the scores alone take "
                                        f"{scores_gib:.0f} GiB"}
            continue
        if engine == "onnxruntime":
            results[engine] = common.run_engine(name.replace(" ", "-"), "onnxruntime",
                                                model, inputs_path, args, work)
            continue
        library, error = compile_mase(name, model, shapes, fuse, args, work, compiler)
        results[engine] = ({"error": error} if error else
                           common.run_engine(name.replace(" ", "-"), "mase", library,
                                             inputs_path, args, work))
        if fuse and library is not None:
            report = work / f"{name.replace(' ', '-')}.fusion"
            results[engine]["fusion"] = report.read_text().splitlines()[-1]
    fused = results["mase fused"]
    for engine in ("mase unfused", "onnxruntime"):
        other = results[engine]
        if "output" in fused and "output" in other:
            a, b = fused["output"], other["output"]
            import numpy as np
            finite = np.isfinite(b)
            other["rel_error"] = float(np.max(np.abs(a - b)[finite]) /
                                       max(np.max(np.abs(b[finite])), 1e-30))
    return results


def sdpa_kernel(info):
    """The instruction set mase_sdpa picks here (as KernelSupport.c does,
    MASE_KERNEL_ISA included)."""
    forced = os.environ.get("MASE_KERNEL_ISA")
    if forced == "scalar" or not info["avx2"]:
        return "scalar"
    if forced == "avx2" or not (info["avx512f"] and "avx512_vnni" in info["flags"]):
        return "AVX2"
    return "AVX-512"


def cell(r):
    return (f"{r['median_ms']:.1f} ({r['min_ms']:.1f})" if "median_ms" in r
            else r.get("error", "failed"))


def ratio(a, b):
    return (f"{b['median_ms'] / a['median_ms']:.2f}×"
            if "median_ms" in a and "median_ms" in b else "n/a")


def table(rows):
    lines = ["| Case | mase fused ms | mase unfused ms | onnxruntime ms | fused vs unfused "
             "| fused vs ORT | max rel. diff fused/unfused | fusion report |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for label, r in rows.items():
        f, u, o = r["mase fused"], r["mase unfused"], r["onnxruntime"]
        diff = f"{u['rel_error']:.1e}" if "rel_error" in u else "n/a"
        lines.append(f"| {label} | {cell(f)} | {cell(u)} | {cell(o)} | {ratio(f, u)} "
                     f"| {ratio(f, o)} | {diff} | {f.get('fusion', '')} |")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/attention_cpu.py",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--seqs", default="128,512,1024,4096")
    parser.add_argument("--models", default="tiny-b1,tiny-b8,base-b1")
    common.add_run_arguments(parser, warmup=1, iterations=10, time_budget=20.0)
    parser.add_argument("--max-scores-gib", type=float, default=4.0,
                        help="skip unfused builds whose score matrix exceeds this (default 4)")
    args = parser.parse_args(argv)
    seqs = [int(s) for s in args.seqs.split(",") if s.strip()]
    models = [m for m in args.models.split(",") if m.strip()]
    unknown = [m for m in models if m not in common.CASES]
    if unknown:
        parser.error(f"--models: unknown {', '.join(unknown)}")
    args.cache_dir = args.cache_dir.resolve()

    compiler, info, vers, started = common.bench_context()
    rows = {}
    with tempfile.TemporaryDirectory(prefix="mase-bench-attention-") as tmp:
        work = pathlib.Path(tmp)
        for seq in seqs:
            label = f"attention B{BATCH} H{HEADS} S{seq} D{DEPTH}"
            model, inputs = work / f"attention-{seq}.onnx", work / f"attention-{seq}.npz"
            attention_model(model, seq)
            attention_inputs(inputs, seq, args.seed)
            shapes = {"q": [BATCH, HEADS, seq, DEPTH], "kt": [BATCH, HEADS, DEPTH, seq],
                      "v": [BATCH, HEADS, seq, DEPTH], "mask": [BATCH, 1, 1, seq]}
            scores_gib = BATCH * HEADS * seq * seq * 4 / 2**30
            rows[label] = run_case(label, model, inputs, shapes, args, work, compiler,
                                   scores_gib)
            (inputs).unlink()
        for case in models:
            config, batch = common.CASES[case]
            model = common.ensure_model(config, args.cache_dir)
            inputs = work / f"{case}.npz"
            common.save_bert_inputs(config, batch, inputs, args.seed)
            shapes = {k: [batch, common.SEQ] for k in common.INPUT_NAMES}
            rows[f"BERT-{config} batch {batch}"] = run_case(
                f"BERT-{config} b{batch}", model, inputs, shapes, args, work, compiler, 0.0)
    lines = table(rows)
    print("\n".join(lines))
    if args.markdown:
        command = shlex.join([".venv/bin/python", "bench/attention_cpu.py", *sys.argv[1:]])
        block = "\n".join(
            [MARKS[0], "", f"### Fused attention against unfused and onnxruntime ({started})", "",
             f"- **Machine:** {info.get('model', info['cpu'])}, {info['usable_cpus']} usable "
             f"CPUs; avx2 {'yes' if info['avx2'] else 'no'}, avx512f "
             f"{'yes' if info['avx512f'] else 'no'}; mase_sdpa's kernel: {sdpa_kernel(info)}.",
             f"- **Versions:** mase {vers['mase']}; onnxruntime {vers['onnxruntime']}.",
             f"- **Settings:** {args.threads} threads, {args.warmup} warm-up runs, up to "
             f"{args.iterations} timed runs ({args.time_budget:g} s budget).",
             "- **Command:**", "", "  ```sh", f"  {command}", "  ```", ""]
            + lines
            + ["", "Milliseconds: median (minimum). Ratios of medians (above 1: fused is "
               "faster). Max rel. diff: max |fused - unfused| / max |unfused| over the "
               "outputs.", "", MARKS[1]]) + "\n"
        common.write_markdown(args.markdown, block, MARKS)
        common.log(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
