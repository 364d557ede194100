#!/usr/bin/env python3
"""Pruned BERT on the CPU: sparse weight storage and kernel against the
dense build, at several sparsities, in one run on the same machine, inputs
and threads.

    .venv/bin/python bench/bert_prune_cpu.py [--config base|tiny] [--threads N]
        [--sparsities 0.3,0.5,0.75,0.9] [--no-nm] [--markdown docs/benchmarks.md]

Every linear layer's weight is pruned by l1-norm (local) at each sparsity,
and by 2:4 (n:m, keep the 2 largest of every 4 along the reduction
dimension), then compiled twice: with compressed sparse rows and the sparse
kernel (``--sparse-threshold 0``) and with the same pruned weights dense
(``--sparse-threshold 2``). The unpruned dense model is the baseline.
Per build: median and minimum latency (bench/bert_cpu.py's fresh worker
process), the linear layers' stored bytes (the prune report's ``storage:``
line), the artefact's bytes (library + weights file) and the logits' cosine
similarity against the unpruned model. The crossover sparsity where the
sparse kernel overtakes the dense one is what ``--sparse-threshold``'s
default comes from.
"""

import argparse
import pathlib
import re
import shlex
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bert_cpu as common  # noqa: E402

ROOT = common.ROOT
MARKS = ("<!-- BEGIN bench/bert_prune_cpu.py results: generated, edits inside are overwritten -->",
         "<!-- END bench/bert_prune_cpu.py results -->")


def prune_config(sparsity=None, nm=None):
    weight = ({"granularity": "n:m", "n": nm[0], "m": nm[1], "method": "l1-norm"}
              if nm else {"sparsity": sparsity, "method": "l1-norm", "scope": "local"})
    return {"weight": weight, "activation": {"sparsity": 0.0, "method": "random"}}


def variants(args):
    """(name, prune config or None, sparse threshold) in run order."""
    out = [("dense", None, 2.0)]
    pruned = [(f"l1 {s:g}", prune_config(sparsity=s)) for s in args.sparsities]
    if args.nm:
        pruned.append(("2:4", prune_config(nm=(2, 4))))
    for label, config in pruned:
        out.append((f"{label} csr", config, 0.0))
        out.append((f"{label} dense", config, 2.0))
    return out


def compile_variant(name, config, threshold, model, args, work, compiler):
    import json
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    library = args.cache_dir / "compiled" / f"bert-{args.config}-prune-{slug}.so"
    library.parent.mkdir(parents=True, exist_ok=True)
    weights = pathlib.Path(str(library) + ".weights")
    for stale in (library, weights):
        stale.unlink(missing_ok=True)
    command = [compiler, str(model), "-o", str(library), "-O3", "--weights=external"]
    for k in common.INPUT_NAMES:
        command += ["--shape", f"{k}=1x{common.SEQ}"]
    report = work / f"{slug}.report"
    if config:
        path = work / f"{slug}.json"
        path.write_text(json.dumps(config))
        command += ["--prune-config", str(path), "--prune-report", str(report),
                    "--sparse-threshold", f"{threshold:g}"]
    common.log(f"[{name}] {shlex.join(command)}")
    child = common.run_child(command, timeout=args.compile_timeout)
    row = {"compile_s": child.wall}
    if child.rc != 0:
        row["error"] = f"mase-compile failed ({child.rc}): {child.text.strip()[-300:]}"
        return None, row
    row["artefact_bytes"] = library.stat().st_size + (
        weights.stat().st_size if weights.is_file() else 0)
    if report.is_file():
        text = report.read_text()
        if m := re.search(r"^total: .* sparsity=([0-9.]+)", text, re.M):
            row["sparsity"] = float(m.group(1))
        if m := re.search(r"^storage: (\d+) of (\d+) .*weight_bytes=(\d+)->(\d+)", text, re.M):
            row["sparse_layers"] = f"{m.group(1)} of {m.group(2)}"
            row["linear_bytes"] = int(m.group(4))
            row["linear_bytes_fp32"] = int(m.group(3))
    return library, row


def table(rows):
    lines = ["| Build | Sparsity reached | Linear layers in CSR | Linear weights MiB "
             "| Artefact MiB | Median ms (min) | Speed-up vs dense | vs same pruning dense "
             "| Logits cosine vs dense |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    base = rows.get("dense", {})
    fp32_bytes = next((r["linear_bytes_fp32"] for r in rows.values()
                       if "linear_bytes_fp32" in r), None)
    for name, r in rows.items():
        if "median_ms" not in r:
            lines.append(f"| {name} | | | | | {r.get('error', 'not run')} | | | |")
            continue
        twin = rows.get(name.replace(" csr", " dense")) if name.endswith(" csr") else None
        vs_twin = (f"{twin['median_ms'] / r['median_ms']:.2f}×"
                   if twin and "median_ms" in twin else "")
        linear = r.get("linear_bytes", fp32_bytes)
        lines.append(
            f"| {name} | {r.get('sparsity', 0.0):.3f} | {r.get('sparse_layers', '0')} "
            f"| {linear / 2**20 if linear else float('nan'):.1f} "
            f"| {r['artefact_bytes'] / 2**20:.1f} "
            f"| {r['median_ms']:.1f} ({r['min_ms']:.1f}) "
            f"| {base['median_ms'] / r['median_ms']:.2f}× | {vs_twin} "
            f"| {r.get('cosine', float('nan')):.6f} |")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/bert_prune_cpu.py",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--config", choices=("tiny", "base"), default="base")
    parser.add_argument("--sparsities", default="0.3,0.5,0.75,0.9")
    parser.add_argument("--no-nm", dest="nm", action="store_false",
                        help="skip the 2:4 builds")
    common.add_run_arguments(parser, warmup=3, iterations=20, time_budget=30.0)
    args = parser.parse_args(argv)
    try:
        args.sparsities = [float(s) for s in args.sparsities.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sparsities: expected numbers in [0, 1], got {args.sparsities!r}")
    if not all(0.0 <= s <= 1.0 for s in args.sparsities):
        parser.error("--sparsities: every sparsity must be in [0, 1]")
    args.cache_dir = args.cache_dir.resolve()

    compiler, info, vers, started = common.bench_context()
    model = common.ensure_model(args.config, args.cache_dir)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="mase-bench-prune-") as tmp:
        work = pathlib.Path(tmp)
        inputs_path = work / "inputs.npz"
        common.save_bert_inputs(args.config, 1, inputs_path, args.seed)
        for name, config, threshold in variants(args):
            library, row = compile_variant(name, config, threshold, model, args,
                                           work, compiler)
            rows[name] = row
            if library is not None:
                row.update(common.run_engine(name, "mase", library, inputs_path,
                                             args, work))
    base = rows.get("dense", {})
    for r in rows.values():
        if "output" in r and "output" in base:
            r["cosine"], _ = common.fidelity(r["output"], base["output"])
    lines = table(rows)
    print("\n".join(lines))
    if args.markdown:
        command = shlex.join([".venv/bin/python", "bench/bert_prune_cpu.py", *sys.argv[1:]])
        block = "\n".join(
            [MARKS[0], "", f"### BERT-{args.config} pruned, sparse against dense ({started})", "",
             f"- **Machine:** {info.get('model', info['cpu'])}, {info['usable_cpus']} usable "
             f"CPUs; avx2 {'yes' if info['avx2'] else 'no'}, avx512f "
             f"{'yes' if info['avx512f'] else 'no'}.",
             f"- **Versions:** mase {vers['mase']}.",
             f"- **Settings:** batch 1, seq {common.SEQ}, {args.threads} threads, "
             f"{args.warmup} warm-up runs, up to {args.iterations} timed runs.",
             "- **Command:**", "", "  ```sh", f"  {command}", "  ```", ""]
            + lines
            + ["", "Speed-ups are ratios of medians against the unpruned dense build and "
               "against the same pruned weights kept dense. Linear weights: what the "
               "compiled model stores for the linear layers (float32 dense, or CSR: "
               "4-byte offsets per feature, 2-byte column and 4-byte value per "
               "nonzero).", "", MARKS[1]]) + "\n"
        common.write_markdown(args.markdown, block, MARKS)
        common.log(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
