#!/usr/bin/env python3
"""BERT on the CPU: mase against onnxruntime, on the same machine, inputs and
thread count, in one run.

    .venv/bin/python bench/bert_cpu.py [--threads N] [--warmup W] [--iterations I]
        [--cases tiny-b1,tiny-b8,base-b1] [--markdown docs/benchmarks.md]

Cases (fp32, seq 128): ``tiny-b1`` and ``tiny-b8`` run the bundled BERT-tiny
(models/bert-tiny/bert_tiny_eager_ts.onnx) at batch 1 and 8; ``base-b1`` runs
BERT-base from the project's generator (``python -m mase.models.bert --config
base --style torchscript``, seeded random weights), written once into
``--cache-dir`` (default build/bench) and reused.

Per case:

* mase compile time: wall seconds of ``mase-compile -O3 --shape ...`` (the
  command ``mase.compile`` runs), in its own process, with its peak RSS.
* latency: each engine runs in its own fresh worker process (this script with
  ``--worker``) that loads the model (mase: the compiled library through
  ``mase.load``; onnxruntime: an InferenceSession with ORT_ENABLE_ALL,
  intra_op_num_threads=N, inter_op_num_threads=1), runs it ``--warmup`` times,
  then times ``--iterations`` calls of ``session.run(None, feed)`` (stopping
  early, after at least 3, once ``--time-budget`` seconds are spent), and
  reports the median and the minimum.
* peak memory: the worker's RSS high-water mark (``ru_maxrss`` from
  ``os.wait4``; the worker's own VmHWM agrees), so each engine's number is a
  process that imported numpy and its engine, loaded the model and ran it.
* error: mase's output against onnxruntime's on the same inputs, as the
  element-wise maximum of |mase - ort| / |ort| (mase-run's ``max_rel_error``)
  and as max |mase - ort| / max |ort| (the BERT generator's measure). The case
  FAILs when the element-wise one is not below ``--rtol`` (1e-5).

This is a benchmark, not a test: it exits 0 unless it could not run at all;
failed cases are reported in the table.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON_DIR = ROOT / "python"
TINY_MODEL = ROOT / "models" / "bert-tiny" / "bert_tiny_eager_ts.onnx"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
SEQ = 128
CONTENTION = 0.05  # share of the CPUs used by other processes worth a warning

# name -> (BERT config, batch)
CASES = {
    "tiny-b1": ("tiny", 1),
    "tiny-b8": ("tiny", 8),
    "base-b1": ("base", 1),
}
MARK_BEGIN = "<!-- BEGIN bench/bert_cpu.py results: generated, edits inside are overwritten -->"
MARK_END = "<!-- END bench/bert_cpu.py results -->"


# --- Worker: one engine, one model, in a fresh process -------------------------

def worker(args):
    """Loads one model in one engine, times it, writes result.json and output.npy."""
    import numpy as np

    out = pathlib.Path(args.out)
    feed = dict(np.load(args.inputs))
    start = time.perf_counter()
    if args.worker == "onnxruntime":
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        session = ort.InferenceSession(args.model, options,
                                       providers=["CPUExecutionProvider"])
    else:
        sys.path.insert(0, str(PYTHON_DIR))
        import mase
        session = mase.load(args.model)
        session.set_num_threads(args.threads)
    load_s = time.perf_counter() - start

    def call():
        return session.run(None, feed)[0]

    output = call()
    for _ in range(args.warmup):
        call()
    samples = []
    begin = time.perf_counter()
    for _ in range(args.iterations):
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= 3 and time.perf_counter() - begin > args.time_budget:
            break
    np.save(out / "output.npy", output)
    result = {
        "load_s": load_s,
        "median_ms": statistics.median(samples) * 1e3,
        "min_ms": min(samples) * 1e3,
        "runs": len(samples),
        "vmhwm_kib": _proc_status_kib("VmHWM"),
    }
    (out / "result.json").write_text(json.dumps(result))
    return 0


def _proc_status_kib(key):
    try:
        for line in pathlib.Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


# --- Driver ------------------------------------------------------------------------

class Child:
    """What run_child learnt about one process."""

    def __init__(self, rc, wall, rss_kib, text, other_cpu):
        self.rc = rc                # exit status, None when killed for the timeout
        self.wall = wall            # seconds
        self.rss_kib = rss_kib      # its RSS high-water mark (and its children's)
        self.text = text            # the tail of its stdout and stderr
        self.other_cpu = other_cpu  # share of the machine's CPU time others used


def _busy_seconds():
    """CPU seconds the whole machine has spent busy (/proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    guest = sum(fields[8:10]) if len(fields) > 9 else 0      # already in user/nice
    return (sum(fields) - idle - guest) / os.sysconf("SC_CLK_TCK")


def run_child(command, timeout=None, env=None):
    """Runs command in a fresh process (a new session, killed as a group on the
    timeout) and returns a Child: exit status, wall time, peak RSS from
    wait4, output tail, and how busy the rest of the machine was meanwhile."""
    with tempfile.TemporaryFile("w+") as log_file:
        busy_before = _busy_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        busy_after = _busy_seconds()
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        other = None
        if busy_before is not None and busy_after is not None and wall > 0:
            own = usage.ru_utime + usage.ru_stime
            cpus = len(os.sched_getaffinity(0))
            other = max(0.0, (busy_after - busy_before - own) / (wall * cpus))
        log_file.seek(0)
        return Child(None if timed_out.is_set() else proc.returncode, wall,
                     usage.ru_maxrss, log_file.read()[-2000:], other)


def _note_contention(row, what, child):
    """Records (and logs) when other processes took a noticeable share of the
    CPUs while `what` ran: its timings are then not clean."""
    if child.other_cpu is not None:
        row["other_cpu_max"] = max(row.get("other_cpu_max", 0.0), child.other_cpu)
    if child.other_cpu is not None and child.other_cpu > CONTENTION:
        note = (f"other processes used {child.other_cpu:.0%} of the CPUs while {what} ran "
                f"({child.wall:.1f} s): its timing is noisy")
        row.setdefault("contention", []).append(note)
        log(f"[{row['case']}]   warning: {note}")


def log(message):
    print(message, file=sys.stderr, flush=True)


def ensure_model(config, cache_dir):
    """The ONNX model of a BERT config: the bundled tiny, or base generated once."""
    if config == "tiny":
        return TINY_MODEL
    directory = cache_dir / f"bert-{config}-torchscript"
    model = directory / "model.onnx"
    if model.is_file():
        log(f"[{config}] reusing {_rel(model)}")
        return model
    log(f"[{config}] generating {_rel(model)} with mase.models.bert (once)")
    env = dict(os.environ, PYTHONPATH=_pythonpath())
    command = [sys.executable, "-m", "mase.models.bert", "--config", config,
               "--style", "torchscript", "--batch", "1", "--seq", str(SEQ),
               "-o", str(directory)]
    done = subprocess.run(command, env=env)
    if done.returncode != 0 or not model.is_file():
        raise RuntimeError(f"generating BERT-{config} failed: {shlex.join(command)}")
    return model


def _pythonpath():
    extra = os.environ.get("PYTHONPATH")
    return str(PYTHON_DIR) + (os.pathsep + extra if extra else "")


def _rel(path):
    try:
        return str(pathlib.Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def relative_errors(mase_out, ort_out):
    import numpy as np
    a = mase_out.astype(np.float64)
    b = ort_out.astype(np.float64)
    diff = np.abs(a - b)
    nonzero = b != 0
    elementwise = float(np.max(diff[nonzero] / np.abs(b[nonzero]))) if nonzero.any() else 0.0
    if np.any(diff[~nonzero] > 0):
        elementwise = float("inf")
    scale = max(float(np.max(np.abs(b))), np.finfo(np.float64).tiny)
    return elementwise, float(np.max(diff)) / scale


def run_case(name, args, work, compiler):
    import numpy as np
    from mase.models.bert import CONFIGS, make_inputs

    config, batch = CASES[name]
    row = {"case": name, "config": config, "batch": batch, "seq": SEQ,
           "threads": args.threads}
    try:
        model = ensure_model(config, args.cache_dir)
    except RuntimeError as e:
        row["error"] = str(e)
        return row
    row["model"] = _rel(model)
    case_dir = work / name
    case_dir.mkdir()
    inputs = make_inputs(CONFIGS[config], batch, SEQ, args.seed)
    inputs_path = case_dir / "inputs.npz"
    np.savez(inputs_path, **{k: inputs[k] for k in INPUT_NAMES})

    # mase-compile, as mase.compile runs it, in its own process.
    library = args.cache_dir / "compiled" / f"bert-{name}.so"
    library.parent.mkdir(parents=True, exist_ok=True)
    library.unlink(missing_ok=True)
    command = [compiler, str(model), "-o", str(library), "-O3"]
    for k in INPUT_NAMES:
        command += ["--shape", f"{k}={batch}x{SEQ}"]
    row["compile_command"] = shlex.join(command)
    log(f"[{name}] mase-compile {_rel(model)} ({batch}x{SEQ}) ...")
    child = run_child(command, timeout=args.compile_timeout)
    wall, rss = child.wall, child.rss_kib
    row["compile_s"] = wall
    row["compile_rss_kib"] = rss
    _note_contention(row, "mase-compile", child)
    if child.rc is None:
        row["compile_error"] = f"timed out after {wall:.0f} s (--compile-timeout)"
    elif child.rc != 0:
        first = next((l for l in child.text.splitlines() if l.strip()), "no message")
        row["compile_error"] = f"failed (exit status {child.rc}): {first[:200]}"
    log(f"[{name}]   {row.get('compile_error', 'done')} in {wall:.1f} s, peak RSS {rss / 1024:.0f} MiB")

    engines = [("onnxruntime", str(model))]
    if "compile_error" not in row:
        engines.append(("mase", str(library)))
    env = dict(os.environ, PYTHONPATH=_pythonpath())
    outputs = {}
    for engine, path in engines:
        out = case_dir / engine
        out.mkdir()
        command = [sys.executable, str(pathlib.Path(__file__).resolve()),
                   "--worker", engine, "--model", path, "--inputs", str(inputs_path),
                   "--out", str(out), "--threads", str(args.threads),
                   "--warmup", str(args.warmup), "--iterations", str(args.iterations),
                   "--time-budget", str(args.time_budget)]
        log(f"[{name}] {engine}: {args.warmup} warm-up + up to {args.iterations} timed runs "
            f"on {args.threads} threads ...")
        child = run_child(command, env=env)
        rss = child.rss_kib
        _note_contention(row, engine, child)
        if child.rc != 0:
            row[f"{engine}_error"] = (f"worker failed (exit status {child.rc}): "
                                      f"{child.text.strip()[-300:]}")
            log(f"[{name}]   {row[engine + '_error']}")
            continue
        result = json.loads((out / "result.json").read_text())
        result["peak_rss_kib"] = rss
        row[engine] = result
        outputs[engine] = np.load(out / "output.npy")
        log(f"[{name}]   median {result['median_ms']:.2f} ms, min {result['min_ms']:.2f} ms "
            f"({result['runs']} runs), peak RSS {rss / 1024:.0f} MiB")
    if "mase" in row and "onnxruntime" in row:
        row["ratio"] = row["mase"]["median_ms"] / row["onnxruntime"]["median_ms"]
        elementwise, normalised = relative_errors(outputs["mase"], outputs["onnxruntime"])
        row["max_rel_error"] = elementwise
        row["norm_rel_error"] = normalised
        row["ok"] = elementwise < args.rtol
    return row


def bench_context():
    """The compiler, machine, versions and start time a bench script records."""
    sys.path.insert(0, str(PYTHON_DIR))
    from mase.session import find_compiler
    compiler = find_compiler()
    started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return compiler, machine(), versions(compiler), started


def save_bert_inputs(config, batch, path, seed):
    """Seeded BERT inputs (mase.models.bert.make_inputs) at seq SEQ, as .npz."""
    import numpy as np
    from mase.models.bert import CONFIGS, make_inputs
    inputs = make_inputs(CONFIGS[config], batch, SEQ, seed)
    np.savez(path, **{k: inputs[k] for k in INPUT_NAMES})


def run_engine(name, engine, path, inputs_path, args, work):
    """One engine on one model in a fresh worker process (this script with
    --worker), as run_case does; returns the worker's result with its output
    array, or {"error": ...}."""
    out = work / name
    out.mkdir()
    command = [sys.executable, str(pathlib.Path(__file__).resolve()),
               "--worker", engine, "--model", str(path), "--inputs", str(inputs_path),
               "--out", str(out), "--threads", str(args.threads),
               "--warmup", str(args.warmup), "--iterations", str(args.iterations),
               "--time-budget", str(args.time_budget)]
    env = dict(os.environ, PYTHONPATH=_pythonpath())
    child = run_child(command, env=env)
    if child.rc != 0:
        return {"error": f"worker failed ({child.rc}): {child.text.strip()[-300:]}"}
    import numpy as np
    result = json.loads((out / "result.json").read_text())
    result["output"] = np.load(out / "output.npy")
    result["other_cpu"] = child.other_cpu
    log(f"[{name}]   median {result['median_ms']:.2f} ms, min {result['min_ms']:.2f} ms "
        f"({result['runs']} runs)")
    return result


def fidelity(output, reference):
    """Cosine similarity and max |difference| of two outputs, flattened."""
    import numpy as np
    a = output.astype(np.float64).ravel()
    b = reference.astype(np.float64).ravel()
    cosine = float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-300))
    return cosine, float(np.max(np.abs(a - b)))


# --- Reporting ----------------------------------------------------------------------

def machine():
    info = {"cpu": platform.processor() or platform.machine(), "flags": set(),
            "logical_cpus": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0))}
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and "model" not in info:
                info["model"] = value.strip()
            elif key == "flags" and not info["flags"]:
                info["flags"] = set(value.split())
    except OSError:
        pass
    info["avx2"] = "avx2" in info["flags"]
    info["avx512f"] = "avx512f" in info["flags"]
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["mem_gib"] = int(line.split()[1]) / 2**20
    except OSError:
        pass
    info["kernel"] = platform.release()
    return info


def versions(compiler):
    import numpy
    import onnxruntime
    def git(*argv):
        try:
            return subprocess.run(["git", "-C", str(ROOT), *argv], capture_output=True,
                                  text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None
    rev = git("rev-parse", "--short=12", "HEAD") or "unknown"
    # Changes that can reach the binaries or the Python session.
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "lib", "include",
                "tools", "python", "cmake", "CMakeLists.txt")
    built = datetime.datetime.fromtimestamp(os.path.getmtime(compiler)).strftime("%Y-%m-%d %H:%M")
    return {"mase": rev + (" (with uncommitted changes to the sources)" if dirty else ""),
            "mase_compile_built": built,
            "onnxruntime": onnxruntime.__version__, "numpy": numpy.__version__,
            "python": platform.python_version()}


def _mib(kib):
    return f"{kib / 1024:.0f}"


def table_rows(rows, rtol):
    header = ("| Case | Model | Batch × seq | mase median ms (min) | onnxruntime median ms (min) "
              "| mase / ORT | Peak RSS MiB mase / ORT | mase compile s (peak RSS MiB) "
              "| Max rel. error (norm.) | Check |")
    lines = [header, "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        model = {"tiny": "BERT-tiny (bundled)", "base": "BERT-base (generated)"}[r["config"]]
        shape = f"{r['batch']} × {r['seq']}"
        if "error" in r:
            lines.append(f"| {r['case']} | {model} | {shape} | {r['error']} | | | | | | not run |")
            continue
        mase = (f"{r['mase']['median_ms']:.2f} ({r['mase']['min_ms']:.2f})" if "mase" in r
                else "not run" if "compile_error" in r else "failed")
        ort = (f"{r['onnxruntime']['median_ms']:.2f} ({r['onnxruntime']['min_ms']:.2f})"
               if "onnxruntime" in r else "failed")
        ratio = f"**{r['ratio']:.2f}×**" if "ratio" in r else "n/a"
        rss = (f"{_mib(r['mase']['peak_rss_kib']) if 'mase' in r else 'n/a'} / "
               f"{_mib(r['onnxruntime']['peak_rss_kib']) if 'onnxruntime' in r else 'n/a'}")
        if "compile_error" in r:
            compile_cell = f"{r['compile_s']:.1f}: {r['compile_error']}"
        else:
            compile_cell = f"{r['compile_s']:.1f} ({_mib(r['compile_rss_kib'])})"
        if "ratio" in r:
            err = f"{r['max_rel_error']:.1e} ({r['norm_rel_error']:.1e})"
            check = "ok" if r["ok"] else f"**FAIL** (≥ {rtol:g})"
        else:
            err, check = "n/a", "**FAIL** (no result to compare)"
        lines.append(f"| {r['case']} | {model} | {shape} | {mase} | {ort} | {ratio} | {rss} "
                     f"| {compile_cell} | {err} | {check} |")
    return lines


def print_report(rows, args, notes):
    print()
    print(f"BERT fp32 on the CPU, {args.threads} threads, seq {SEQ}: "
          f"median (min) latency over up to {args.iterations} runs after {args.warmup} warm-up")
    for line in table_rows(rows, args.rtol):
        print(line)
    for r in rows:
        for key in ("compile_error", "mase_error", "onnxruntime_error"):
            if key in r:
                print(f"{r['case']}: {key.replace('_', ' ')}: {r[key]}")
        for note in r.get("contention", []):
            print(f"{r['case']}: {note}")
    for note in notes:
        print(f"note: {note}")


def markdown_block(rows, args, info, vers, command, started, notes):
    flags = ", ".join(f"{f} {'yes' if info[f] else 'no'}" for f in ("avx2", "avx512f"))
    runs = ", ".join(
        f"{r['case']} {r['mase']['runs'] if 'mase' in r else '-'}/"
        f"{r['onnxruntime']['runs'] if 'onnxruntime' in r else '-'}" for r in rows)
    shares = [r["other_cpu_max"] for r in rows if "other_cpu_max" in r]
    quiet = f"{max(shares):.0%}" if shares else "(unknown)"
    lines = [
        MARK_BEGIN,
        "",
        f"### BERT fp32 on the CPU against onnxruntime ({started})",
        "",
        f"- **Machine:** {info.get('model', info['cpu'])}, {info['usable_cpus']} usable of "
        f"{info['logical_cpus']} logical CPUs, {info.get('mem_gib', 0):.0f} GiB; {flags}; "
        f"Linux {info['kernel']}.",
        f"- **Versions:** mase {vers['mase']}, mase-compile built {vers['mase_compile_built']}; "
        f"onnxruntime {vers['onnxruntime']} (CPUExecutionProvider); numpy {vers['numpy']}; "
        f"Python {vers['python']}.",
        f"- **Settings:** {args.threads} threads for both engines, seq {SEQ}, "
        f"{args.warmup} warm-up runs, up to {args.iterations} timed runs "
        f"(time budget {args.time_budget:g} s per engine and case; timed runs mase/ORT: {runs}), "
        f"inputs seed {args.seed}.",
        f"- **Quiet machine:** other processes used at most {quiet} of the CPUs while "
        "anything above was compiled or timed (from `/proc/stat`).",
        "- **Command** (from the repository root):",
        "",
        "  ```sh",
        f"  {command}",
        "  ```",
        "",
    ]
    lines += table_rows(rows, args.rtol)
    lines.append("")
    lines.append("mase / ORT is the ratio of the medians (below 1: mase is faster). Peak RSS "
                 "is each engine's own fresh process (numpy + the engine + the model + the "
                 "runs); the compile column is `mase-compile`'s wall time and peak RSS. "
                 "Errors: element-wise max |mase − ORT| / |ORT| over the logits, and in "
                 "parentheses max |mase − ORT| / max |ORT|.")
    problems = [f"- {r['case']}: {k.replace('_', ' ')}: {r[k]}" for r in rows
                for k in ("error", "compile_error", "mase_error", "onnxruntime_error") if k in r]
    problems += [f"- {r['case']}: {note}" for r in rows for note in r.get("contention", [])]
    problems += [f"- {note}" for note in notes]
    if problems:
        lines += ["", "Problems in this run:", ""] + problems
    lines += ["", MARK_END]
    return "\n".join(lines) + "\n"


INTRO = """\
# Benchmarks

mase against its peers, on the CPU for now. Every number here comes from a
script under `bench/` that runs mase and the peer in one run, on the same
machine, inputs and thread count, and writes the section below together with
the machine, the versions and the exact command that reproduces it. Claims
are ratios against the peer on the same machine; absolute times only mean
something next to the machine line.

## BERT on the CPU against onnxruntime (`bench/bert_cpu.py`)

**What is measured.** BERT for sequence classification, fp32, sequence
length 128: the bundled BERT-tiny (`models/bert-tiny/bert_tiny_eager_ts.onnx`)
at batch 1 and 8, and BERT-base (12 layers, hidden 768; written once by
`python -m mase.models.bert --config base --style torchscript` with seeded
random weights, which do not change the timing) at batch 1. mase compiles the
model with `mase-compile -O3` for the static shapes; onnxruntime runs the same
ONNX file with every graph optimisation (`ORT_ENABLE_ALL`),
`intra_op_num_threads` = the thread count and `inter_op_num_threads` = 1.

**How.** Each engine runs in its own fresh Python process, which loads the
model, runs it a few times to warm up and then times `session.run(None, feed)`
(the onnxruntime-style call of both) on identical inputs; the table gives the
median and the minimum. Peak memory is that process's RSS high-water mark
(`ru_maxrss` from `wait4`), so it counts the interpreter, numpy, the engine,
the weights and the buffers of the runs. The compile time is the wall time of
`mase-compile`, which `mase.compile` runs, in its own process. Correctness is
checked on the way: mase's logits against onnxruntime's, element-wise
relative error below 1e-5.

"""

SHORTFALL = """
## Where we fall short and why

TODO: explain each case where mase is slower than onnxruntime or uses more
memory (what onnxruntime does that mase does not yet: kernels, fusions,
threading, memory planning), and what is planned about it.
"""


def write_markdown(path, block, marks=(MARK_BEGIN, MARK_END)):
    """Replaces the section between `marks` in `path` by `block` (which
    carries the marks), appends it when absent, or creates the file."""
    path = pathlib.Path(path)
    if path.is_file():
        text = path.read_text()
        begin, end = text.find(marks[0]), text.find(marks[1])
        if begin != -1 and end > begin:
            text = text[:begin] + block.rstrip("\n") + text[end + len(marks[1]):]
            path.write_text(text)
            return
        if not text.endswith("\n"):
            text += "\n"
        path.write_text(text + "\n" + block)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(INTRO + block + SHORTFALL)


def _mtime(path):
    try:
        return os.path.getmtime(path)
    except OSError:
        return None


def reproducing_command():
    python = pathlib.Path(sys.executable)
    venv_python = ROOT / ".venv" / "bin" / "python"
    exe = ".venv/bin/python" if python == venv_python or python.parent == venv_python.parent \
        else "python3"
    return shlex.join([exe, "bench/bert_cpu.py", *sys.argv[1:]])


def add_run_arguments(parser, warmup, iterations, time_budget):
    """The options every CPU benchmark takes: threads, timing, compile
    timeout, cache, seed and the Markdown file."""
    usable = len(os.sched_getaffinity(0))
    parser.add_argument("--threads", type=int, default=usable,
                        help=f"threads for every engine (default: every usable core, {usable})")
    parser.add_argument("--warmup", type=int, default=warmup,
                        help=f"warm-up runs (default {warmup})")
    parser.add_argument("--iterations", type=int, default=iterations,
                        help=f"timed runs per engine and case (default {iterations})")
    parser.add_argument("--time-budget", type=float, default=time_budget, metavar="S",
                        help="stop timing an engine after S seconds once 3 runs are "
                             f"done (default {time_budget:g})")
    parser.add_argument("--compile-timeout", type=float, default=1800.0, metavar="S",
                        help="give up on a mase-compile after S seconds (default 1800)")
    parser.add_argument("--cache-dir", type=pathlib.Path, default=ROOT / "build" / "bench",
                        help="where generated models are written once and compiled models "
                             "go (default build/bench)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the inputs (default 0)")
    parser.add_argument("--markdown", metavar="FILE",
                        help="write the results with the machine, versions and command to "
                             "FILE (docs/benchmarks.md): replaces the generated section, "
                             "or creates the file")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench/bert_cpu.py",
        description="Benchmark BERT fp32 on the CPU: mase against onnxruntime "
                    "(latency, peak memory, compile time, error).")
    add_run_arguments(parser, warmup=5, iterations=50, time_budget=60.0)
    parser.add_argument("--cases", default=",".join(CASES),
                        help=f"comma-separated, of {', '.join(CASES)} (default: all)")
    parser.add_argument("--rtol", type=float, default=1e-5,
                        help="largest element-wise relative error of mase against "
                             "onnxruntime that passes (default 1e-5)")
    # Internal: one engine in a fresh process.
    parser.add_argument("--worker", choices=("mase", "onnxruntime"), help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return args
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in args.cases if c not in CASES]
    if unknown or not args.cases:
        parser.error(f"--cases: unknown {', '.join(unknown) or '(none given)'}; "
                     f"choose from {', '.join(CASES)}")
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if args.iterations < 1 or args.warmup < 0:
        parser.error("--iterations must be at least 1 and --warmup at least 0")
    args.cache_dir = args.cache_dir.resolve()
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        return worker(args)
    sys.path.insert(0, str(PYTHON_DIR))
    from mase.session import find_compiler

    compiler = find_compiler()
    info = machine()
    vers = versions(compiler)
    started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    before = _busy_seconds()
    time.sleep(1.0)
    after = _busy_seconds()
    busy = None if before is None or after is None else (after - before) / info["usable_cpus"]
    log(f"machine: {info.get('model', info['cpu'])}, {info['usable_cpus']} CPUs, "
        f"avx2 {info['avx2']}, avx512f {info['avx512f']}"
        + (f"; {busy:.0%} of the CPUs busy before the run" if busy is not None else ""))
    if busy is not None and busy > CONTENTION:
        log("warning: the machine is busy; timings will be noisy (see the warnings below)")
    log(f"mase {vers['mase']} ({compiler}), onnxruntime {vers['onnxruntime']}")

    from mase._library import library_dir
    binaries = {p: _mtime(p) for p in (compiler, library_dir() / "libmase_runtime.so")}
    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="mase-bench-") as tmp:
        for name in args.cases:
            rows.append(run_case(name, args, pathlib.Path(tmp), compiler))
    for path, mtime in binaries.items():
        if _mtime(path) != mtime:
            note = f"{path} changed during the run (rebuilt?): results may mix two builds"
            log(f"warning: {note}")
            notes.append(note)

    print_report(rows, args, notes)
    if args.markdown:
        block = markdown_block(rows, args, info, vers, reproducing_command(),
                               started, notes)
        write_markdown(args.markdown, block)
        log(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
