#!/usr/bin/env python3
"""BERT with quantised linear layers on the CPU: mase's native int8, MXINT8
and block FP against mase fp32, onnxruntime fp32 and onnxruntime's dynamic
int8 quantisation, on the same machine, inputs and thread count, in one run.

    .venv/bin/python bench/bert_quant_cpu.py [--config base|tiny] [--threads N]
        [--warmup W] [--iterations I] [--rounds R] [--markdown docs/benchmarks.md]

Variants (batch 1, seq 128, every linear layer quantised where quantised):

* ``mase-fp32``: ``mase-compile -O3``;
* ``mase-int8``: MASE's integer config (models/bert-tiny/mase_reference/
  int8_linear.toml: activations w8 f4, weights and biases w8 f7),
  ``--quant-mode native``: i8 x i8 GEMMs (mase_qgemm);
* ``mase-int4w``: bench/configs/int4w_linear.toml (8-bit activations,
  4-bit weights stored at 4 bits), native: i8 x i4 GEMMs (mase_qgemm);
* ``mase-int8w-a16``: bench/configs/int8w_a16_linear.toml (16-bit
  activations, 8-bit weights), native: float rows times the weight codes
  (mase_int_weight_gemm);
* ``mase-mxint8``: bench/configs/mxint8_linear.toml (activations and
  weights OCP MXINT8, blocks of 32), native: int8 mantissas with E8M0 scales;
* ``mase-bfp8``: MASE's block FP config (bfp8_linear.toml: 8-bit mantissas,
  8-bit exponent per [1, 16]), native;
* ``ort-fp32``: the ONNX file in onnxruntime (ORT_ENABLE_ALL);
* ``ort-int8``: ``onnxruntime.quantization.quantize_dynamic`` of the same
  file (QInt8 weights, activations quantised per call), in onnxruntime.

Every mase variant is compiled with ``--weights=external``; the linear
layers' storage is measured from the artefacts: (library + weights file of
the variant) - (those of mase-fp32 without the fp32 linear weights), per
linear-layer parameter. Latency: bench/bert_cpu.py's worker (fresh process,
warm-up, median and minimum). With ``--rounds R`` every variant's worker
runs R times, the variants taking turns (round 1 of each, then round 2,
...), so that a shared machine's changing load reaches all of them alike;
a variant's median is then the median of its rounds' medians and its
minimum the smallest. Fidelity: the logits against mase-fp32
(cosine similarity, max |difference|).
"""

import argparse
import pathlib
import re
import shlex
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bert_cpu as common  # noqa: E402

ROOT = common.ROOT
REFERENCE = ROOT / "models" / "bert-tiny" / "mase_reference"
VARIANTS = {
    "mase-fp32": None,
    "mase-int8": REFERENCE / "int8_linear.toml",
    "mase-int4w": ROOT / "bench" / "configs" / "int4w_linear.toml",
    "mase-int8w-a16": ROOT / "bench" / "configs" / "int8w_a16_linear.toml",
    "mase-mxint8": ROOT / "bench" / "configs" / "mxint8_linear.toml",
    "mase-bfp8": REFERENCE / "bfp8_linear.toml",
    "ort-fp32": None,
    "ort-int8": None,
}
MARKS = ("<!-- BEGIN bench/bert_quant_cpu.py results: generated, edits inside are overwritten -->",
         "<!-- END bench/bert_quant_cpu.py results -->")


def compile_mase(name, model, args, work, compiler):
    """mase-compile for one variant; returns (library, info dict)."""
    library = args.cache_dir / "compiled" / f"bert-{args.config}-{name}.so"
    library.parent.mkdir(parents=True, exist_ok=True)
    for stale in (library, pathlib.Path(str(library) + ".weights")):
        stale.unlink(missing_ok=True)
    command = [compiler, str(model), "-o", str(library), "-O3", "--weights=external"]
    for k in common.INPUT_NAMES:
        command += ["--shape", f"{k}=1x{common.SEQ}"]
    report = work / f"{name}.report"
    if VARIANTS[name]:
        command += ["--quant-config", str(VARIANTS[name]), "--quant-mode", "native",
                    "--quant-report", str(report)]
    common.log(f"[{name}] {shlex.join(command)}")
    child = common.run_child(command, timeout=args.compile_timeout)
    info = {"compile_s": child.wall, "command": shlex.join(command)}
    if child.rc != 0:
        info["error"] = f"mase-compile failed ({child.rc}): {child.text.strip()[-300:]}"
        return None, info
    weights = pathlib.Path(str(library) + ".weights")
    info["artefact_bytes"] = library.stat().st_size + (weights.stat().st_size
                                                       if weights.is_file() else 0)
    if report.is_file():
        text = report.read_text()
        linear = [l for l in text.splitlines() if " linear " in l]
        info["layers"] = len(linear)
        info["native_layers"] = sum(" native" in l for l in linear)
        info["linear_fp32_bytes"] = sum(
            int(m.group(1)) for l in linear
            for m in [re.search(r"weight_bytes=(\d+)->", l)] if m)
    return library, info


def quantize_with_ort(model, work):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    out = work / "model.int8.onnx"
    quantize_dynamic(str(model), str(out), weight_type=QuantType.QInt8)
    return out


def run(args, compiler):
    model = common.ensure_model(args.config, args.cache_dir)
    rows, engines = {}, {}
    with tempfile.TemporaryDirectory(prefix="mase-bench-quant-") as tmp:
        work = pathlib.Path(tmp)
        inputs_path = work / "inputs.npz"
        common.save_bert_inputs(args.config, 1, inputs_path, args.seed)
        for name in args.variants:
            row = rows[name] = {}
            if name.startswith("mase"):
                library, info = compile_mase(name, model, args, work, compiler)
                row.update(info)
                if library is None:
                    common.log(f"[{name}]   {info['error']}")
                    continue
                engines[name] = ("mase", library)
            else:
                path = model if name == "ort-fp32" else quantize_with_ort(model, work)
                # The ONNX file and its external data file, when it has one.
                data = pathlib.Path(str(path) + ".data")
                row["model_bytes"] = pathlib.Path(path).stat().st_size + (
                    data.stat().st_size if data.is_file() else 0)
                engines[name] = ("onnxruntime", path)
        results = {name: [] for name in engines}
        for r in range(args.rounds):
            for name, (engine, path) in engines.items():
                label = name if args.rounds == 1 else f"{name}.{r + 1}"
                results[name].append(
                    common.run_engine(label, engine, path, inputs_path, args, work))
        for name, runs in results.items():
            rows[name].update(combine_rounds(runs))
    return rows


def combine_rounds(runs):
    """One result from a variant's rounds: the median of their medians, the
    smallest minimum, the runs summed (the first error, if any)."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    medians = sorted(r["median_ms"] for r in runs)
    result = dict(runs[0])
    result["median_ms"] = statistics.median(medians)
    result["min_ms"] = min(r["min_ms"] for r in runs)
    result["runs"] = sum(r["runs"] for r in runs)
    return result


def derive(rows):
    """Speed-ups, fidelity against mase-fp32 and linear-layer bits per parameter."""
    fp32 = rows.get("mase-fp32", {})
    ort_int8 = rows.get("ort-int8", {})
    linear_fp32 = next((r["linear_fp32_bytes"] for r in rows.values()
                        if r.get("linear_fp32_bytes")), None)
    for name, r in rows.items():
        if "median_ms" not in r:
            continue
        if "median_ms" in fp32:
            r["vs_mase_fp32"] = fp32["median_ms"] / r["median_ms"]
            r["cosine"], r["max_abs"] = common.fidelity(r["output"], fp32["output"])
        if "median_ms" in ort_int8:
            r["vs_ort_int8"] = ort_int8["median_ms"] / r["median_ms"]
        if (name.startswith("mase") and name != "mase-fp32" and linear_fp32
                and "artefact_bytes" in r and "artefact_bytes" in fp32):
            rest = fp32["artefact_bytes"] - linear_fp32
            r["linear_bits_per_param"] = 8 * (r["artefact_bytes"] - rest) / (linear_fp32 / 4)


def table(rows):
    lines = ["| Variant | Linear layers native | Median ms (min) | Speed-up vs mase fp32 "
             "| vs ORT int8 | Linear weights, bits/param | Artefact MiB | Logits cosine vs fp32 "
             "(max abs diff) |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for name, r in rows.items():
        if "median_ms" not in r:
            lines.append(f"| {name} | | {r.get('error', 'not run')} | | | | | |")
            continue
        native = (f"{r['native_layers']} of {r['layers']}" if "layers" in r
                  else "fp32" if name.endswith("fp32") else "ORT QInt8 (dynamic)")
        bits = (f"{r['linear_bits_per_param']:.2f}" if "linear_bits_per_param" in r
                else "32" if name == "mase-fp32" else "n/a")
        size = r.get("artefact_bytes", r.get("model_bytes", 0)) / 2**20
        fid = (f"{r['cosine']:.6f} ({r['max_abs']:.3g})" if "cosine" in r else "n/a")
        lines.append(
            f"| {name} | {native} | {r['median_ms']:.1f} ({r['min_ms']:.1f}) "
            f"| {r.get('vs_mase_fp32', float('nan')):.2f}× | {r.get('vs_ort_int8', float('nan')):.2f}× "
            f"| {bits} | {size:.1f} | {fid} |")
    return lines


def markdown(rows, args, info, vers, started):
    flags = ", ".join(f"{f} {'yes' if f in info['flags'] else 'no'}"
                      for f in ("avx2", "avx512f", "avx512_vnni"))
    command = shlex.join([".venv/bin/python", "bench/bert_quant_cpu.py", *sys.argv[1:]])
    lines = [MARKS[0], "",
             f"### BERT-{args.config} with quantised linear layers ({started})", "",
             f"- **Machine:** {info.get('model', info['cpu'])}, {info['usable_cpus']} usable "
             f"CPUs; {flags}.",
             f"- **Versions:** mase {vers['mase']}; onnxruntime {vers['onnxruntime']}.",
             f"- **Settings:** batch 1, seq {common.SEQ}, {args.threads} threads for both "
             f"engines, {args.warmup} warm-up runs, up to {args.iterations} timed runs"
             + (f" in each of {args.rounds} rounds, the variants taking turns "
                "(median of the rounds' medians)." if args.rounds > 1 else "."),
             "- **Command:**", "", "  ```sh", f"  {command}", "  ```", ""]
    lines += table(rows)
    lines += ["", "Speed-ups are ratios of medians (above 1: faster than the reference). "
              "Bits per parameter: the variant's library plus weights file, minus "
              "mase-fp32's without its fp32 linear weights, over the linear layers' "
              "parameters (packing padding and scales included).", "", MARKS[1]]
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/bert_quant_cpu.py", description=__doc__.split("\n")[0])
    parser.add_argument("--config", choices=("tiny", "base"), default="base")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help=f"comma-separated, of {', '.join(VARIANTS)} (default: all)")
    common.add_run_arguments(parser, warmup=3, iterations=30, time_budget=30.0)
    parser.add_argument("--rounds", type=int, default=1,
                        help="times each variant is timed, the variants taking turns "
                             "(default 1)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in args.variants if v not in VARIANTS]
    if unknown:
        parser.error(f"--variants: unknown {', '.join(unknown)}")
    args.cache_dir = args.cache_dir.resolve()
    return args


def main(argv=None):
    args = parse_args(argv)
    compiler, info, vers, started = common.bench_context()
    rows = run(args, compiler)
    derive(rows)
    print("\n".join(table(rows)))
    if args.markdown:
        common.write_markdown(args.markdown, markdown(rows, args, info, vers, started), MARKS)
        common.log(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
