"""Quantisation and sparsity sweeps: compile one model under many MASE
quantize or prune configs and measure each against the float32 model.

    python -m mase.sweep MODEL.onnx --shape input_ids=1x128 ... \\
        [CONFIG.toml|CONFIG.json|DIR ...] [--integer-widths 4,8,16,32] \\
        [--formats] [--sparsities 0.1,0.3,0.5,0.7,0.9] \\
        [--prune-methods l1-norm,random] \\
        [--prune-targets weight,weight+activation] \\
        [--inputs N] [--seed S] [--repeat R] [--out DIR]

(``mase-sweep`` is the same command.) For every config the model is compiled
by mase-compile (``mase.compile(..., quant_config=...)``, or
``prune_config=...``), run on N seeded random inputs, and compared with
the model compiled without a config (the float32 model) on the same
inputs. Per config it reports: the maximum and
mean absolute error of the output, the cosine similarity of the outputs
(all N outputs flattened into one vector; 0 when only one of them is all
zeros), the arg-max agreement (fraction of output rows, over the last axis,
whose arg-max is unique and equals the float model's), the
median latency of R runs, the size of the compiled library (plus its
``.weights`` side file) and, from the quantisation report's ``total:`` line,
the quantised layers' weight bytes before and after quantisation. A prune
config reports instead, from the prune report, the sparsity the pruned
layers' weights reached (``total:`` line) and their weight bytes in float32
and as the compiled model stores them, dense or in compressed sparse rows
(``storage:`` line). It writes ``sweep.csv``, ``sweep.md`` (a markdown
table) and ``sweep.png`` (fidelity against bits, per format, and against
sparsity, per prune method and target) into ``--out``.

Generated configs (``--integer-widths``, ``--formats``) quantise every
linear layer (``by = "type"``, rule ``linear``): data_in, weight and bias in
the same format. Integer widths take ``frac_width = width // 2`` for all three
roles: MASE's ``integer_quantizer`` default for a missing frac width and the
proportion of the labs' fixed-point configs (width 8, frac width 4).

Generated prune configs (``--sparsities``) prune the weights of every
linear (and conv2d) layer, elementwise with a local (per-layer) threshold,
at each sparsity, for each method of ``--prune-methods`` (``l1-norm``,
``random``; default both) and each target of ``--prune-targets`` (default
both): ``weight`` leaves activations alone, ``weight+activation`` also
prunes each pruned layer's input on every run, l1-norm local at the same
sparsity (the only activation pruning mase-compile runs).

Inputs: an integer input that indexes an embedding table (an ONNX
``Gather`` whose data is an initializer, e.g. BERT's ``input_ids`` and
``token_type_ids``) gets ids uniform in [0, table rows); an integer input
whose name contains ``mask`` is all ones (full attention); other integer
inputs are zeros; float inputs are standard normal.
"""

import argparse
import csv
import json
import math
import os
import pathlib
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time

import numpy as np

from .errors import MaseError

__all__ = ["SweepConfig", "integer_configs", "format_configs",
           "prune_configs", "configs_from_paths", "run_sweep", "main",
           "COLUMNS", "PRUNE_METHODS", "PRUNE_TARGETS"]

# The CSV's columns, in order. Quantize configs leave sparsity, method,
# target, sparsity_reached and weight_bytes_stored empty; prune configs
# leave format, bits, weight_bytes_quant and weight_bits_per_param empty.
COLUMNS = [
    "config", "format", "bits", "sparsity", "method", "target", "source",
    "max_abs_err", "mean_abs_err", "cosine", "argmax_agree",
    "latency_ms", "lib_bytes", "weight_bytes_fp32", "weight_bytes_quant",
    "weight_bits_per_param", "sparsity_reached", "weight_bytes_stored",
    "compile_s",
]

# Weight pruning methods and what --sparsities prunes.
PRUNE_METHODS = ("l1-norm", "random")
PRUNE_TARGETS = ("weight", "weight+activation")


class SweepError(Exception):
    """A problem the command reports as one line, without a traceback."""


class SweepConfig:
    """One point of a sweep: a ``name``, a MASE quantize config given either
    as a file (``path``) or as a dict (``data``, written to a temporary JSON
    file for the compiler), its ``format`` name and nominal ``bits``. A
    config of None (``data is None and path is None``) is the float model.
    A prune config instead has a target ``sparsity``, the weight pruning
    ``method`` and its ``target`` (one of PRUNE_TARGETS)."""

    def __init__(self, name, data=None, path=None, format=None, bits=None,
                 source="generated", sparsity=None, method=None, target=None):
        self.name, self.data, self.path = name, data, path
        self.format, self.bits, self.source = format, bits, source
        self.sparsity, self.method, self.target = sparsity, method, target

    @property
    def is_prune(self):
        return self.sparsity is not None

    def __repr__(self):
        if self.is_prune:
            return (f"SweepConfig({self.name!r}, sparsity={self.sparsity!r}, "
                    f"method={self.method!r}, target={self.target!r})")
        return f"SweepConfig({self.name!r}, format={self.format!r})"


def _linear_rule(name, roles):
    config = {"name": name}
    for role in ("data_in", "weight", "bias"):
        for key, value in roles(role).items():
            config[f"{role}_{key}"] = value
    return {"by": "type", "linear": {"config": config}}


def integer_configs(widths):
    """Fixed point on every linear layer, frac width = width // 2."""
    out = []
    for w in widths:
        w = int(w)
        if w < 2 or w > 32:
            raise SweepError(f"--integer-widths: width {w} is outside 2..32")
        f = w // 2
        out.append(SweepConfig(
            f"integer-w{w}f{f}",
            _linear_rule("integer", lambda role: {"width": w, "frac_width": f}),
            format="integer", bits=w))
    return out


def format_configs():
    """One 8-bit representative config per format with run-time lowering.

    Minifloats: 4 exponent bits, bias 7. block_fp: 8-bit exponent (bias 127)
    shared by blocks of 16 (MASE's [1, 16] for activations and weights).
    mxint8: MXINT8 with 32 elements a scale for activations and weights, as
    in MASE's lab; the bias gets one scale an element (block size 1), as a
    bias need not be a multiple of 32 long (BERT's classifier has 2)."""
    mini = {"width": 8, "exponent_width": 4}
    return [
        SweepConfig("integer-w8f4", _linear_rule(
            "integer", lambda r: {"width": 8, "frac_width": 4}),
            format="integer", bits=8),
        SweepConfig("minifloat_denorm-w8e4", _linear_rule(
            "minifloat_denorm", lambda r: dict(mini, exponent_bias=7)),
            format="minifloat_denorm", bits=8),
        SweepConfig("minifloat_ieee-w8e4", _linear_rule(
            "minifloat_ieee", lambda r: dict(mini, exponent_bias=7)),
            format="minifloat_ieee", bits=8),
        SweepConfig("block_fp-w8e8b16", _linear_rule(
            "block_fp", lambda r: {
                "width": 8, "exponent_width": 8, "exponent_bias": 127,
                "block_size": [16] if r == "bias" else [1, 16]}),
            format="block_fp", bits=8),
        SweepConfig("mxint8-b32", _linear_rule(
            "mxint8", lambda r: {"block_size": 1 if r == "bias" else 32}),
            format="mxint8", bits=8),
    ]


def _check_choices(option, values, allowed):
    if not values:
        raise SweepError(f"{option}: empty list; expected one or more of "
                         f"{', '.join(allowed)}")
    for value in values:
        if value not in allowed:
            raise SweepError(f"{option}: unknown value {value!r}; expected "
                             f"one or more of {', '.join(allowed)}")


def prune_configs(sparsities, methods=PRUNE_METHODS, targets=PRUNE_TARGETS):
    """Prune configs for every (method, target, sparsity), in that order of
    nesting: the weights of every linear (and conv2d) layer pruned
    elementwise with a local threshold; a ``weight+activation`` target also
    prunes each pruned layer's input, l1-norm local at the same sparsity."""
    _check_choices("--prune-methods", methods, PRUNE_METHODS)
    _check_choices("--prune-targets", targets, PRUNE_TARGETS)
    if not sparsities:
        raise SweepError("--sparsities: empty list")
    for s in sparsities:
        if not 0 <= s <= 1:  # also rejects nan
            raise SweepError(f"--sparsities: sparsity {s:g} is outside "
                             "[0, 1]")
    out = []
    for method in methods:
        for target in targets:
            for s in sparsities:
                weight = {"sparsity": s, "method": method, "scope": "local",
                          "granularity": "elementwise"}
                # Random at sparsity 0 is MASE's way to prune no activations.
                activation = {"sparsity": 0.0, "method": "random"}
                if target == "weight+activation":
                    activation = dict(weight, method="l1-norm")
                out.append(SweepConfig(
                    f"prune-{method}-{target}-s{s:g}",
                    {"weight": weight, "activation": activation},
                    sparsity=s, method=method, target=target))
    return out


def _load_config_file(path):
    text = path.read_text()
    try:
        if path.suffix == ".json":
            return json.loads(text)
        import tomllib
        return tomllib.loads(text)
    except Exception as e:  # noqa: BLE001 - any parse error, reported whole
        raise SweepError(f"config {path}: cannot parse: {e}") from None


def _describe(data):
    """(format, bits) of a MASE quantize config: the first rule's name and
    its weight width (mxint8: 8), for the table and the plot."""
    if not isinstance(data, dict):
        return None, None
    if isinstance(data.get("passes"), dict) and "quantize" in data["passes"]:
        data = data["passes"]["quantize"]
    rules = [v.get("config") for k, v in data.items()
             if k != "by" and isinstance(v, dict)]
    for config in rules:
        if not isinstance(config, dict):
            continue
        name = config.get("name")
        if name in (None, "None"):
            continue
        bits = config.get("weight_width", config.get("data_in_width"))
        if name == "mxint8":
            bits = 8
        return str(name), bits if isinstance(bits, int) else None
    return "float", 32


def configs_from_paths(paths):
    """SweepConfigs for config files and directories of them (*.toml,
    *.json, sorted by name)."""
    files = []
    for p in paths:
        p = pathlib.Path(p)
        if p.is_dir():
            found = sorted(q for q in p.iterdir()
                           if q.suffix in (".toml", ".json") and q.is_file())
            if not found:
                raise SweepError(f"config directory {p}: no .toml or .json "
                                 "files in it")
            files += found
        elif p.is_file():
            if p.suffix not in (".toml", ".json"):
                raise SweepError(f"config {p}: expected a .toml or .json "
                                 "file")
            files.append(p)
        else:
            raise SweepError(f"config {p}: no such file or directory")
    out, seen = [], set()
    for f in files:
        fmt, bits = _describe(_load_config_file(f))
        name = f.stem
        while name in seen:
            name += "'"
        seen.add(name)
        out.append(SweepConfig(name, path=f, format=fmt, bits=bits,
                               source=str(f)))
    return out


# --- inputs ---------------------------------------------------------------

def _embedding_rows(model_path):
    """Input name -> rows of the embedding table it indexes (ONNX only)."""
    if not str(model_path).endswith(".onnx"):
        return {}
    try:
        import onnx
    except ImportError:
        return {}
    try:
        model = onnx.load(str(model_path), load_external_data=False)
    except Exception:  # noqa: BLE001 - the compiler reports bad models
        return {}
    graph = model.graph
    inits = {i.name: list(i.dims) for i in graph.initializer}
    names = {i.name for i in graph.input}
    # Follow Cast/Identity/Unsqueeze chains back from an index to an input.
    producer = {o: n for n in graph.node for o in n.output}
    rows = {}
    for node in graph.node:
        if node.op_type != "Gather" or len(node.input) < 2:
            continue
        data, index = node.input[0], node.input[1]
        if data not in inits or not inits[data]:
            continue
        for _ in range(4):
            if index in names or index not in producer:
                break
            p = producer[index]
            if p.op_type not in ("Cast", "Identity", "Unsqueeze", "Reshape"):
                break
            index = p.input[0]
        if index in names:
            rows[index] = min(rows.get(index, inits[data][0]), inits[data][0])
    return rows


def make_inputs(signature, count, seed, rows=None):
    """``count`` feeds for a session signature (``get_inputs()``)."""
    from .runtime import ELEMENT_TYPES
    dtypes = {t[1]: t[2] for t in ELEMENT_TYPES}
    rows = rows or {}
    rng = np.random.default_rng(seed)
    feeds = []
    for _ in range(count):
        feed = {}
        for arg in signature:
            dtype = dtypes.get(arg.type)
            if dtype is None:
                raise SweepError(f"input {arg.name!r}: no random inputs for "
                                 f"type {arg.type}")
            shape = tuple(arg.shape)
            if dtype.kind == "f":
                value = rng.standard_normal(shape).astype(dtype)
            elif dtype.kind == "b":
                value = np.ones(shape, dtype)
            elif arg.name in rows:
                value = rng.integers(0, rows[arg.name], shape).astype(dtype)
            elif "mask" in arg.name.lower():
                value = np.ones(shape, dtype)
            else:
                value = np.zeros(shape, dtype)
            feed[arg.name] = value
        feeds.append(feed)
    return feeds


# --- metrics --------------------------------------------------------------

def fidelity(reference, outputs):
    """Metrics of ``outputs`` against ``reference`` (lists of arrays, one per
    input)."""
    ref = np.concatenate([np.asarray(r, np.float64).ravel()
                          for r in reference])
    out = np.concatenate([np.asarray(o, np.float64).ravel() for o in outputs])
    diff = np.abs(out - ref)
    finite = np.isfinite(diff).all()
    norm = np.linalg.norm(ref) * np.linalg.norm(out)
    if not finite:
        cosine = float("nan")
    elif norm > 0:
        cosine = float(np.dot(ref, out) / norm)
    else:  # a zero vector: similar only to itself
        cosine = 1.0 if np.array_equal(ref, out) else 0.0
    agree = total = 0
    for r, o in zip(reference, outputs):
        r, o = np.asarray(r), np.asarray(o)
        if r.ndim == 0:
            continue
        r, o = r.reshape(-1, r.shape[-1]), o.reshape(-1, o.shape[-1])
        ra, oa = r.argmax(-1), o.argmax(-1)
        # A row agrees when its arg-max is the reference's and unique: an
        # output that collapsed to a constant row does not agree by luck.
        unique = (o == o.max(-1, keepdims=True)).sum(-1) == 1
        agree += int(((ra == oa) & unique).sum())
        total += ra.size
    return {
        "max_abs_err": float(diff.max()) if finite else float("inf"),
        "mean_abs_err": float(diff.mean()) if finite else float("inf"),
        "cosine": cosine,
        "argmax_agree": agree / total if total else float("nan"),
    }


_TOTAL = re.compile(r"^total:.*weight_bytes=(\d+)->(\d+)", re.M)


def report_weight_bytes(text):
    """(before, after) from a quantisation report's ``total:`` line."""
    match = _TOTAL.search(text or "")
    return (int(match.group(1)), int(match.group(2))) if match else (None,
                                                                    None)


_PRUNE_TOTAL = re.compile(
    r"^total:.*?\bsparsity=([0-9.]+)(?: zeros=(\d+)/(\d+))?", re.M)
_STORAGE = re.compile(r"^storage:.*weight_bytes=(\d+)->(\d+)", re.M)


def report_prune_totals(text):
    """(sparsity reached, weight bytes in float32, weight bytes stored) from
    a prune report's ``total:`` and ``storage:`` lines; None where a line is
    missing. The sparsity is zeros / weights when the line counts them (more
    digits than its rounded ``sparsity=``)."""
    text = text or ""
    reached = before = stored = None
    match = _PRUNE_TOTAL.search(text)
    if match:
        zeros, weights = match.group(2), match.group(3)
        reached = (int(zeros) / int(weights) if zeros and int(weights)
                   else float(match.group(1)))
    match = _STORAGE.search(text)
    if match:
        before, stored = int(match.group(1)), int(match.group(2))
    return reached, before, stored


def library_bytes(path):
    size = os.path.getsize(path)
    side = path + ".weights"
    if os.path.isfile(side):
        size += os.path.getsize(side)
    return size


# --- progress -------------------------------------------------------------

class Progress:
    """One status line on standard error: on a terminal it is redrawn in
    place with a running clock; otherwise each step is its own line."""

    def __init__(self, stream=None, quiet=False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self._text = ""
        self._step_start = self.start
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        if self.tty and not quiet:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()

    def _line(self):
        now = time.monotonic()
        return (f"{self._text} ({now - self._step_start:.1f}s, "
                f"total {now - self.start:.1f}s)")

    def _tick(self):
        while not self._stop.wait(0.5):
            with self._lock:
                if self._text:
                    self.stream.write("\r\033[K" + self._line())
                    self.stream.flush()

    def step(self, text):
        if self.quiet:
            return
        with self._lock:
            self._text, self._step_start = text, time.monotonic()
            if self.tty:
                self.stream.write("\r\033[K" + self._line())
            else:
                self.stream.write(
                    f"[{time.monotonic() - self.start:7.1f}s] {text}\n")
            self.stream.flush()

    def done(self, text):
        if self.quiet:
            return
        with self._lock:
            self._text = ""
            prefix = "\r\033[K" if self.tty else ""
            self.stream.write(
                f"{prefix}[{time.monotonic() - self.start:7.1f}s] {text}\n")
            self.stream.flush()

    def clear(self):
        """Removes a half-drawn status line (on a terminal)."""
        if self.tty and not self.quiet:
            with self._lock:
                self._text = ""
                self.stream.write("\r\033[K")
                self.stream.flush()

    def close(self):
        self._stop.set()
        if self._thread:
            self._thread.join()


# --- the sweep ------------------------------------------------------------

def _time_runs(session, feed, repeat):
    session.run(None, feed)  # warm-up
    times = []
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        session.run(None, feed)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def _evaluate(session, feeds, output_index):
    return [session.run(None, feed)[output_index] for feed in feeds]


def _identity(cfg):
    """The columns that say what a config is."""
    return dict(config=cfg.name, format=cfg.format, bits=cfg.bits,
                sparsity=cfg.sparsity, method=cfg.method, target=cfg.target,
                source=cfg.source)


def run_sweep(model, configs, shapes=None, inputs=4, seed=0, repeat=5,
              opt_level=3, threads=0, keep_going=False,
              progress=None):
    """Runs the sweep; returns a list of row dicts (``COLUMNS``), the float
    model first. A config that fails to compile raises SweepError naming it
    (or, with ``keep_going``, gives a row whose metrics are empty and whose
    ``error`` holds the message)."""
    import mase
    progress = progress or Progress(quiet=True)
    model = os.fspath(model)
    if not os.path.isfile(model):
        raise SweepError(f"model {model}: no such file")
    work = tempfile.mkdtemp(prefix="mase-sweep-")
    total = len(configs) + 1
    rows = []
    try:
        def compile_one(k, cfg):
            label = f"config {k} of {total - 1}: {cfg.name}" if k else \
                "float32 model (reference)"
            directory = os.path.join(work, str(k))
            os.makedirs(directory)
            lib = os.path.join(directory, "model.so")
            report = os.path.join(directory, "report.txt")
            config = None
            if cfg is not None and cfg.path is not None:
                config = cfg.path
            elif cfg is not None:
                config = os.path.join(directory, "config.json")
                with open(config, "w") as f:
                    json.dump(cfg.data, f, indent=1)
            if cfg is not None and cfg.is_prune:
                passes = dict(prune_config=config, prune_report=report)
            else:
                passes = dict(quant_config=config,
                              quant_report=report if config else None)
            progress.step(f"{label}: compiling")
            t = time.monotonic()
            try:
                session = mase.compile(
                    model, shapes=shapes, opt_level=opt_level, output=lib,
                    **passes)
            except MaseError as e:
                what = (f"config {cfg.name!r}" + (
                    f" ({cfg.path})" if cfg.path else "")) if cfg else \
                    "the float32 model"
                raise SweepError(f"{what} failed to compile or load: {e}") \
                    from None
            compile_s = time.monotonic() - t
            if threads:
                session.set_num_threads(threads)
            text = (pathlib.Path(report).read_text()
                    if config and os.path.isfile(report) else "")
            return session, lib, compile_s, text, label

        session, lib, compile_s, _, label = compile_one(0, None)
        signature = session.get_inputs()
        outputs = session.get_outputs()
        output_index = 0
        feeds = make_inputs(signature, inputs, seed, _embedding_rows(model))
        progress.step(f"{label}: running {inputs} inputs")
        reference = _evaluate(session, feeds, output_index)
        progress.step(f"{label}: timing {repeat} runs")
        base = dict(fidelity(reference, reference), cosine=1.0)
        row = dict(config="fp32", format="float32", bits=32, source="-",
                   latency_ms=_time_runs(session, feeds[0], repeat),
                   lib_bytes=library_bytes(lib), compile_s=compile_s,
                   weight_bytes_fp32=None, weight_bytes_quant=None,
                   weight_bits_per_param=32.0, **base)
        rows.append(row)
        session.close()
        progress.done(f"fp32: compiled in {compile_s:.1f}s, "
                      f"{row['latency_ms']:.2f} ms; output "
                      f"{outputs[output_index].name} "
                      f"{outputs[output_index].shape}")

        for k, cfg in enumerate(configs, 1):
            try:
                session, lib, compile_s, report, label = compile_one(k, cfg)
            except SweepError as e:
                if not keep_going:
                    raise
                progress.done(f"{cfg.name}: error: {short_error(str(e))}")
                rows.append(dict(_identity(cfg), error=str(e)))
                continue
            progress.step(f"{label}: running {inputs} inputs")
            result = _evaluate(session, feeds, output_index)
            progress.step(f"{label}: timing {repeat} runs")
            latency = _time_runs(session, feeds[0], repeat)
            size = library_bytes(lib)
            session.close()
            row = dict(_identity(cfg), latency_ms=latency, lib_bytes=size,
                       compile_s=compile_s, **fidelity(reference, result))
            summary = ""
            if cfg.is_prune:
                reached, before, stored = report_prune_totals(report)
                row.update(sparsity_reached=reached,
                           weight_bytes_fp32=before,
                           weight_bytes_stored=stored)
                if reached is not None and stored is not None:
                    summary = (f", sparsity {reached:.3f}, weights stored "
                               f"in {stored} bytes")
            else:
                before, after = report_weight_bytes(report)
                row.update(weight_bytes_fp32=before, weight_bytes_quant=after,
                           weight_bits_per_param=(32.0 * after / before
                                                  if before else None))
            rows.append(row)
            progress.done(
                f"{cfg.name}: cosine {row['cosine']:.6f}, arg-max "
                f"{row['argmax_agree']:.0%}, max err "
                f"{row['max_abs_err']:.3g}, {latency:.2f} ms{summary}")
            shutil.rmtree(os.path.join(work, str(k)), ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


# --- outputs --------------------------------------------------------------

def _cell(value, column):
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if column in ("cosine",):
            return f"{value:.6f}"
        if column == "argmax_agree":
            return f"{value:.3f}"
        if column == "sparsity_reached":
            return f"{value:.4f}"
        if column == "latency_ms":
            return f"{value:.3g}"
        if column in ("compile_s", "weight_bits_per_param"):
            return f"{value:.2f}"
        return f"{value:.4g}"
    return str(value)


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        columns = COLUMNS + (["error"] if any("error" in r for r in rows)
                             else [])
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else
                             (repr(r[c]) if isinstance(r[c], float) else r[c])
                             for c in columns])


# The markdown table's columns, (CSV column, heading): what a config is,
# then its measures; the quantisation and the pruning groups only where
# the sweep has such configs (see markdown_columns).
MD_QUANT_IDENTITY = [("format", "format"), ("bits", "bits")]
MD_PRUNE_IDENTITY = [("sparsity", "sparsity"), ("method", "method"),
                     ("target", "target")]
MD_MEASURES = [
    ("max_abs_err", "max abs err"), ("mean_abs_err", "mean abs err"),
    ("cosine", "cosine"), ("argmax_agree", "arg-max agree"),
    ("latency_ms", "latency ms"), ("lib_bytes", "library bytes"),
]
MD_QUANT_SIZE = [("weight_bytes_quant", "quantised weight bytes"),
                 ("weight_bits_per_param", "bits/param")]
MD_PRUNE_SIZE = [("sparsity_reached", "sparsity reached"),
                 ("weight_bytes_stored", "stored weight bytes")]


def _is_prune(row):
    return row.get("sparsity") is not None


def markdown_columns(rows):
    """(columns, how many of them say what a config is) for these rows: the
    quantisation columns unless every config is a prune config (the float
    model alone needs no format and bits), the pruning ones if any is."""
    prune = any(_is_prune(r) for r in rows)
    quant = not prune or any(not _is_prune(r) and r.get("source") != "-"
                             for r in rows)
    identity = ([("config", "config")] + (MD_QUANT_IDENTITY if quant else [])
                + (MD_PRUNE_IDENTITY if prune else []))
    columns = (identity + MD_MEASURES + (MD_QUANT_SIZE if quant else [])
               + (MD_PRUNE_SIZE if prune else []))
    return columns, len(identity)


def short_error(message):
    """The compiler's own error line (``FILE:L:C: error: WHAT`` -> WHAT)
    from a long message, else its first line."""
    for line in message.splitlines():
        match = re.search(r"(?:^|: )error: (.*)", line)
        if match and not line.startswith("mase-sweep"):
            return match.group(1).strip()
    return message.splitlines()[0] if message else ""


def markdown_table(rows):
    columns, identity = markdown_columns(rows)
    lines = ["| " + " | ".join(h for _, h in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for r in rows:
        if "error" in r:
            text = short_error(r["error"]).replace("|", "\\|")
            lines.append("| " + " | ".join(_cell(r.get(c), c) for c, _
                                           in columns[:identity])
                         + f" | error: {text} |"
                         + " |" * (len(columns) - identity - 1))
            continue
        lines.append("| " + " | ".join(_cell(r.get(c), c)
                                       for c, _ in columns) + " |")
    return "\n".join(lines) + "\n"


def _draw_series(ax1, ax2, xs, pts, style):
    """One series: cosine (solid) and arg-max agreement (dotted) on ax1,
    mean (solid) and max (dotted) absolute error on ax2."""
    lines = "-" if len(pts) > 1 else "none"
    dotted = ":" if len(pts) > 1 else "none"
    ax1.plot(xs, [r["cosine"] for r in pts], linestyle=lines, **style)
    ax1.plot(xs, [r["argmax_agree"] for r in pts], color=style["color"],
             marker=style["marker"], linestyle=dotted, fillstyle="none")
    if all(r["max_abs_err"] == 0 for r in pts):
        return  # the float model itself: nothing to draw on a log axis
    ax2.plot(xs, [max(r["mean_abs_err"], 1e-12) for r in pts],
             linestyle=lines, **style)
    ax2.plot(xs, [max(r["max_abs_err"], 1e-12) for r in pts],
             color=style["color"], marker=style["marker"], linestyle=dotted,
             fillstyle="none")


def _label_axes(ax1, ax2, pts, legend):
    for ax in (ax1, ax2):
        ax.grid(True, alpha=0.3)
    ax1.set_ylabel("vs fp32: cosine (solid), arg-max agreement (dotted)")
    ax1.set_ylim(min(0.0, min((r["cosine"] for r in pts
                               if math.isfinite(r["cosine"])), default=0))
                 - 0.02, 1.02)
    ax2.set_yscale("log")
    ax2.set_ylabel("abs error vs fp32: mean (solid), max (dotted)")
    ax1.legend(loc=legend, fontsize=8)


_MARKERS = "os^Dvp*hX<>"


def _plot_bits(ax1, ax2, ok):
    """Quantize configs against bits, one series per format."""
    # Generated configs make one series per format; a config file is a
    # series of its own (a point), so that it does not join a family.
    def series(r):
        return r["format"] if r.get("source") in ("generated", "-") \
            else f"{r['config']} ({r['format']})"
    formats = []
    for r in ok:
        if series(r) not in formats:
            formats.append(series(r))
    for i, fmt in enumerate(formats):
        pts = sorted((r for r in ok if series(r) == fmt),
                     key=lambda r: r["bits"])
        # Single points (one per format at the same width) are spread a
        # little sideways so that they do not hide one another.
        shift = 2 ** (0.035 * (i - len(formats) / 2)) if len(pts) == 1 \
            else 1.0
        _draw_series(ax1, ax2, [r["bits"] * shift for r in pts], pts,
                     dict(marker=_MARKERS[i % len(_MARKERS)], label=fmt,
                          color=f"C{i % 10}"))
    bits = sorted({r["bits"] for r in ok})
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xticks(bits)
        ax.set_xticklabels([str(b) for b in bits])
        ax.set_xlabel("bits (weight / data_in width)")
    _label_axes(ax1, ax2, ok, "lower right")


def _plot_sparsity(ax1, ax2, ok):
    """Prune configs against sparsity, one series per (method, target)."""
    series = []
    for r in ok:
        if (r["method"], r["target"]) not in series:
            series.append((r["method"], r["target"]))
    for i, (method, target) in enumerate(series):
        pts = sorted((r for r in ok
                      if (r["method"], r["target"]) == (method, target)),
                     key=lambda r: r["sparsity"])
        _draw_series(ax1, ax2, [r["sparsity"] for r in pts], pts,
                     dict(marker=_MARKERS[i % len(_MARKERS)],
                          label=f"{method}, {target}", color=f"C{i % 10}"))
    sparsities = sorted({r["sparsity"] for r in ok})
    for ax in (ax1, ax2):
        ax.set_xticks(sparsities)
        ax.set_xticklabels([f"{s:g}" for s in sparsities])
        ax.set_xlabel("sparsity (target fraction of weights pruned)")
    _label_axes(ax1, ax2, ok, "lower left")


def plot(rows, path, title=None):
    """Fidelity against bits: cosine similarity and arg-max agreement (left),
    mean and max absolute error (right, log scale), one series per format.
    Prune configs get the same pair of plots against sparsity, one series
    per (method, target), below the quantisation pair when the sweep has
    both kinds of config and alone when it has only prune configs."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in rows if "error" not in r]
    pruned = [r for r in ok if _is_prune(r)]
    quantised = [r for r in ok if not _is_prune(r) and r.get("bits")]
    panels = []
    # The float model alone (source "-") is no quantisation series.
    if not pruned or any(r.get("source") != "-" for r in quantised):
        panels.append((_plot_bits, quantised))
    if pruned:
        panels.append((_plot_sparsity, pruned))
    fig, axes = plt.subplots(len(panels), 2, squeeze=False,
                             figsize=(11, 4.2 * len(panels)))
    for (ax1, ax2), (draw, pts) in zip(axes, panels):
        draw(ax1, ax2, pts)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- command line ---------------------------------------------------------

def _parse_shapes(items):
    shapes = {}
    for item in items or []:
        name, sep, dims = item.partition("=")
        if not sep or not name or not re.fullmatch(r"\d+(x\d+)*|", dims):
            raise SweepError(f"--shape {item!r}: expected NAME=DIMS, e.g. "
                             "input_ids=1x128")
        shapes[name] = dims
    return shapes


def _parse_widths(text):
    try:
        return [int(w) for w in text.split(",") if w.strip()]
    except ValueError:
        raise SweepError(f"--integer-widths {text!r}: expected a "
                         "comma-separated list of integers, e.g. 4,8,16,32") \
            from None


def _parse_sparsities(text):
    values = []
    for item in text.split(","):
        if not item.strip():
            continue
        try:
            values.append(float(item))
        except ValueError:
            raise SweepError(f"--sparsities {text!r}: {item.strip()!r} is "
                             "not a number; expected a comma-separated list "
                             "of sparsities in [0, 1], e.g. 0.1,0.5,0.9") \
                from None
    return values


def _parse_names(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def build_parser():
    p = argparse.ArgumentParser(
        prog="mase-sweep",
        description="Compile a model under a list of MASE quantize or prune "
        "configs and report each one's fidelity against the float32 model, "
        "its latency and its size (CSV, markdown table, PNG plot).")
    p.add_argument("model", help="the ONNX (or .mlir) model")
    p.add_argument("configs", nargs="*", metavar="CONFIG",
                   help="MASE quantize config files (.toml, .json) or "
                   "directories of them")
    p.add_argument("--shape", action="append", metavar="NAME=DIMS",
                   help="static input shape, as for mase-compile "
                   "(repeatable)")
    p.add_argument("--integer-widths", metavar="W,W,...",
                   help="add fixed-point configs on every linear layer at "
                   "these widths (frac width = width // 2)")
    p.add_argument("--formats", action="store_true",
                   help="add one 8-bit config per supported format "
                   "(integer, minifloat_denorm, minifloat_ieee, block_fp, "
                   "mxint8) on every linear layer")
    p.add_argument("--sparsities", metavar="S,S,...",
                   help="add prune configs at these sparsities (in [0, 1]) "
                   "on every linear layer's weight, for each method and "
                   "target below")
    p.add_argument("--prune-methods", metavar="M,...",
                   help="weight pruning methods for --sparsities: l1-norm, "
                   "random (default both)")
    p.add_argument("--prune-targets", metavar="T,...",
                   help="what --sparsities prunes: weight (activations "
                   "kept), weight+activation (also each pruned layer's "
                   "input, l1-norm at the same sparsity); default both")
    p.add_argument("--inputs", type=int, default=8, metavar="N",
                   help="random inputs per config (default 8)")
    p.add_argument("--seed", type=int, default=0, help="input seed")
    p.add_argument("--repeat", type=int, default=5, metavar="R",
                   help="timed runs per config; latency is their median")
    p.add_argument("--threads", type=int, default=0,
                   help="run-time threads (default 0: every core)")
    p.add_argument("-O", dest="opt_level", type=int, default=3,
                   choices=[0, 1, 2, 3], help="optimisation level")
    p.add_argument("--out", default="mase-sweep-out", metavar="DIR",
                   help="where sweep.csv, sweep.md and sweep.png go")
    p.add_argument("--no-plot", action="store_true", help="skip the PNG")
    p.add_argument("--keep-going", action="store_true",
                   help="record a config that fails to compile and go on "
                   "(the exit status is still 1)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress on standard error")
    return p


def main(argv=None):
    args = build_parser().parse_intermixed_args(argv)
    progress = None
    try:
        if args.inputs < 1:
            raise SweepError("--inputs must be at least 1")
        configs = configs_from_paths(args.configs)
        if args.integer_widths:
            configs += integer_configs(_parse_widths(args.integer_widths))
        if args.formats:
            names = {c.name for c in configs}
            configs += [c for c in format_configs() if c.name not in names]
        if args.sparsities is not None:
            configs += prune_configs(
                _parse_sparsities(args.sparsities),
                PRUNE_METHODS if args.prune_methods is None
                else _parse_names(args.prune_methods),
                PRUNE_TARGETS if args.prune_targets is None
                else _parse_names(args.prune_targets))
        elif args.prune_methods is not None or \
                args.prune_targets is not None:
            raise SweepError("--prune-methods and --prune-targets need "
                             "--sparsities")
        if not configs:
            raise SweepError("no configs: give config files or directories, "
                             "--integer-widths, --formats or --sparsities")
        shapes = _parse_shapes(args.shape)
        out = pathlib.Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        progress = Progress(quiet=args.quiet)
        rows = run_sweep(args.model, configs, shapes=shapes,
                         inputs=args.inputs, seed=args.seed,
                         repeat=args.repeat, opt_level=args.opt_level,
                         threads=args.threads, keep_going=args.keep_going,
                         progress=progress)
        progress.close()
        write_csv(rows, out / "sweep.csv")
        table = markdown_table(rows)
        (out / "sweep.md").write_text(table)
        if not args.no_plot:
            import importlib.util
            if importlib.util.find_spec("matplotlib") is None:
                raise SweepError(
                    f"wrote {out / 'sweep.csv'} and {out / 'sweep.md'}, but "
                    "the plot needs matplotlib (scripts/setup.sh installs it "
                    "in .venv; or pass --no-plot)") from None
            plot(rows, out / "sweep.png",
                 title=f"{pathlib.Path(args.model).name}: fidelity vs fp32 "
                 f"over {args.inputs} random inputs")
        sys.stdout.write(table)
        written = ", ".join(str(out / n) for n in
                            ("sweep.csv", "sweep.md") +
                            (() if args.no_plot else ("sweep.png",)))
        print(f"wrote {written}", file=sys.stderr)
        failed = [r["config"] for r in rows if "error" in r]
        if failed:
            print(f"mase-sweep: error: {len(failed)} config(s) failed: "
                  f"{', '.join(failed)}", file=sys.stderr)
            return 1
        return 0
    except (SweepError, MaseError) as e:
        if progress:
            progress.close()
            progress.clear()
        print(f"mase-sweep: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if progress:
            progress.close()
        print("mase-sweep: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
