#!/usr/bin/env python3
"""Run the ONNX backend node tests through mase and report PASS/FAIL/ERROR.

For every directory of the ONNX backend node-test data whose model only uses
op types that `mase-import-onnx --print-supported-ops` lists, each
test_data_set_* is imported (with a static --shape per input taken from the
data), compiled by `mase-compile` (-O3: tiled, vectorized, parallel) into a
shared library, run through the runtime C API (`mase.Session`) and compared
against the stored outputs.

mase needs static shapes, so a graph input that only feeds compile-time
operands (Reshape's shape, Slice's starts, Unsqueeze's axes, Range's bounds,
Dropout's ratio, ...; see COMPILE_TIME_OPERANDS) is frozen to its test value
with `--freeze-input NAME=input_K.pb` instead of becoming an argument.

Each test runs in its own child process (this script with --run-one), so a
crash or a hang only costs that test; the parent runs --jobs children at a
time, each under a per-test timeout.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import ml_dtypes
import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
import mase  # noqa: E402
import mase.session  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_BUILD = ROOT / "build"
DEFAULT_DATA = pathlib.Path("/usr/share/libonnx-testdata/data/node")
RTOL, ATOL = 1e-4, 1e-5


# Operand positions, per op type, whose values mase needs at compile time
# (they determine an output shape or are attributes of the mase op).
COMPILE_TIME_OPERANDS = {
    "ConstantOfShape": {0},
    "Dropout": {1, 2},
    "Expand": {1},
    "Range": {0, 1, 2},
    "ReduceMax": {1},
    "ReduceMean": {1},
    "ReduceSum": {1},
    "Reshape": {1},
    "Slice": {1, 2, 3, 4},
    "Split": {1},
    "Squeeze": {1},
    "Unsqueeze": {1},
}


class StepError(Exception):
    """A step failed; the message is its first diagnostic line."""


def first_diagnostic(text):
    """The first line of a tool's diagnostic that says something."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    at = next((i for i, l in enumerate(lines) if "error" in l.lower()), 0)
    line = lines[at] if lines else "(no diagnostic)"
    if line.endswith(":") and at + 1 < len(lines):  # the detail is on the next line
        line += " " + lines[at + 1]
    # Drop the "path/model.onnx:0:0: error: " location prefix.
    return re.sub(r"^\S+:\d+:\d+: error: ", "", line)


# --------------------------------------------------------------------------
# Test discovery
# --------------------------------------------------------------------------

def supported_ops(build_dir):
    """Op types in the markdown table printed by --print-supported-ops."""
    out = subprocess.run([str(build_dir / "bin" / "mase-import-onnx"),
                          "--print-supported-ops"],
                         capture_output=True, text=True, check=True).stdout
    ops = set(re.findall(r"^\|\s*([A-Za-z0-9_]+)\s*\|", out, re.M))
    ops.discard("ONNX")
    return ops


def model_ops(model_path):
    """Op types used by the main graph of a model."""
    model = onnx.load(str(model_path), load_external_data=False)
    return sorted({node.op_type for node in model.graph.node})


def discover(data_dir, ops, pattern):
    """(test name, dir, data set, op types) for each runnable test case."""
    cases = []
    for test_dir in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        if pattern and not re.search(pattern, test_dir.name):
            continue
        used = model_ops(test_dir / "model.onnx")
        if not used or not set(used) <= ops:
            continue
        for data_set in sorted(test_dir.glob("test_data_set_*")):
            name = test_dir.name
            if data_set.name != "test_data_set_0":
                name += "/" + data_set.name
            cases.append((name, test_dir, data_set, used))
    return cases


# --------------------------------------------------------------------------
# One test (runs in a child process)
# --------------------------------------------------------------------------

def load_tensors(data_set, prefix):
    """Arrays of prefix_0.pb, prefix_1.pb, ... in numeric order."""
    paths = sorted(data_set.glob(f"{prefix}_*.pb"),
                   key=lambda p: int(p.stem.split("_")[-1]))
    arrays = []
    for path in paths:
        tensor = onnx.TensorProto()
        tensor.ParseFromString(path.read_bytes())
        arrays.append(numpy_helper.to_array(tensor))
    return arrays


def graph_inputs(model_path):
    """Names of the graph inputs that are not initializers, in order.

    Raises StepError for sequence/optional values, which the harness (like
    mase) only handles as tensors.
    """
    graph = onnx.load(str(model_path), load_external_data=False).graph
    inits = {init.name for init in graph.initializer}
    for value in [*graph.input, *graph.output]:
        kind = value.type.WhichOneof("value")
        if kind != "tensor_type":
            raise StepError(f"harness: graph value '{value.name}' is a {kind}, not a tensor")
    return [i.name for i in graph.input if i.name not in inits]


def compile_time_inputs(model_path):
    """Graph inputs that only feed compile-time operands."""
    graph = onnx.load(str(model_path), load_external_data=False).graph
    uses = collections.defaultdict(list)
    for node in graph.node:
        for position, name in enumerate(node.input):
            uses[name].append(position in COMPILE_TIME_OPERANDS.get(node.op_type, ()))
    return {name for name, flags in uses.items() if flags and all(flags)}


def compile_model(model, feed, frozen, output):
    """mase-compile the model (frozen inputs from their .pb files) and load it."""
    command = [mase.session.find_compiler(), str(model), "-o", str(output), "-O3"]
    for name, value in feed.items():
        if value.ndim:  # scalars need no flag
            command += ["--shape", f"{name}={'x'.join(map(str, value.shape))}"]
    for name, path in frozen.items():
        command += ["--freeze-input", f"{name}={path}"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise StepError(f"compile: {first_diagnostic(done.stderr or done.stdout)}")
    return mase.Session(output)


def compare(actual, expected):
    """(result, detail) for computed outputs against the references."""
    worst = 0.0
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a.shape != e.shape:
            return "FAIL", f"output {i}: shape {list(a.shape)} != {list(e.shape)}"
        if np.issubdtype(e.dtype, np.floating):
            if not np.allclose(a, e, rtol=RTOL, atol=ATOL, equal_nan=True):
                err = np.nanmax(np.abs(a.astype(np.float64) - e)) if a.size else 0
                return "FAIL", f"output {i}: max abs error {err:.3g}"
            if a.size:
                diff = np.abs(a.astype(np.float64) - e)
                worst = max(worst, float(np.nanmax(np.where(np.isnan(diff), 0, diff))))
        elif not np.array_equal(a, e):
            bad = int(np.count_nonzero(a != e))
            return "FAIL", f"output {i}: {bad}/{e.size} elements differ"
    return "PASS", f"max abs error {worst:.3g}" if worst else ""


def run_one(build_dir, test_dir, data_set):
    """Compile and run one data set; return (result, detail)."""
    model = test_dir / "model.onnx"
    os.environ["MASE_BIN_DIR"] = str(build_dir / "bin")
    os.environ["MASE_LIBRARY_DIR"] = str(build_dir / "lib")
    with tempfile.TemporaryDirectory(prefix="mase-conf-") as tmp:
        try:
            names = graph_inputs(model)
            inputs = load_tensors(data_set, "input")
            expected = load_tensors(data_set, "output")
            feed = dict(zip(names, inputs))
            static = compile_time_inputs(model)
            frozen = {n: data_set / f"input_{i}.pb" for i, n in enumerate(names)
                      if n in static}
            for name in frozen:
                del feed[name]
            try:
                session = compile_model(model, feed, frozen,
                                        pathlib.Path(tmp) / "model.so")
            except mase.MaseError as err:
                raise StepError(f"compile: {first_diagnostic(str(err))}")
            # bfloat16 test data is stored as its uint16 bit patterns.
            for arg in session.get_inputs():
                value = feed[arg.name]
                if arg.type == "tensor(bfloat16)" and value.dtype == np.uint16:
                    feed[arg.name] = value.view(ml_dtypes.bfloat16)
            try:
                actual = session.run(None, feed)
                actual = [a.view(np.uint16) if a.dtype.name == "bfloat16" else a
                          for a in actual]
            except mase.MaseError as err:
                raise StepError(f"run: {first_diagnostic(str(err))}")
            session.close()
        except StepError as err:
            return "ERROR", str(err)
    return compare(actual, expected)


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def run_isolated(build_dir, case, timeout):
    """Run one case in a child process; crashes and hangs become ERRORs."""
    name, test_dir, data_set, ops = case
    cmd = [sys.executable, __file__, "--build-dir", str(build_dir),
           "--run-one", str(test_dir), str(data_set)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return name, ops, "ERROR", f"timed out after {timeout} s", timeout
    seconds = time.perf_counter() - start
    lines = proc.stdout.strip().splitlines()
    if proc.returncode == 0 and lines:
        result = json.loads(lines[-1])
        return name, ops, result["result"], result["detail"], seconds
    why = (f"run: crashed (signal {-proc.returncode})" if proc.returncode < 0
           else f"harness: {first_diagnostic(proc.stderr)}")
    return name, ops, "ERROR", why, seconds


def per_op_counts(results):
    """{op: Counter(result)} counting each test once per op it uses."""
    counts = collections.defaultdict(collections.Counter)
    for name, ops, result, _, _ in results:
        for op in ops:
            counts[op][result] += 1
    return counts


def cell(text):
    """Escape text for a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def write_markdown(path, results, elapsed, pattern):
    """Write the result table, per-op counts and totals."""
    totals = collections.Counter(r for _, _, r, _, _ in results)
    lines = [
        "# ONNX backend node-test conformance",
        "",
        "Generated by `test/conformance/run_node_tests.py` from the ONNX backend",
        "node tests in `/usr/share/libonnx-testdata/data/node`: every test whose",
        "model only uses op types listed by `mase-import-onnx --print-supported-ops`,",
        "compiled by `mase-compile -O3` into a shared library, run through the",
        "runtime C API (`mase.Session`) and",
        f"compared with the stored outputs (floats: rtol={RTOL}, atol={ATOL};",
        "integers and booleans exactly; shapes must match).",
        "",
        "PASS: outputs match. FAIL: wrong numbers or shape. ERROR: import,",
        "lowering, code generation or the call failed (first diagnostic line).",
        "",
        "mase compiles for static shapes: a graph input that only feeds",
        "compile-time operands (Reshape's shape, Slice's starts/ends/axes/steps,",
        "Squeeze/Unsqueeze/Reduce* axes, Split's split, Expand's shape, Range's",
        "bounds, ConstantOfShape's shape, Dropout's ratio and training_mode) is",
        "frozen to the test's value with `mase-compile --freeze-input",
        "NAME=input_K.pb` rather than passed at run time.",
        "",
        "Regenerate with `.venv/bin/python test/conformance/run_node_tests.py",
        "--markdown docs/reference/OnnxConformance.md` and refresh",
        "`test/conformance/expected_pass.txt` from the PASS rows. The CTest",
        "`onnx-conformance` (label `conformance`) runs the full set, unfiltered,",
        "and fails if any test in `expected_pass.txt` does not pass.",
        "",
    ]
    if pattern:
        lines += [f"Filter: `{pattern}`.", ""]
    lines += [
        "## Totals",
        "",
        f"{len(results)} tests: {totals['PASS']} PASS, {totals['FAIL']} FAIL, "
        f"{totals['ERROR']} ERROR ({elapsed:.0f} s wall).",
        "",
        "## Per op",
        "",
        "A test counts once for every op type its model uses.",
        "",
        "| Op | Tests | PASS | FAIL | ERROR |",
        "|---|---|---|---|---|",
    ]
    for op, c in sorted(per_op_counts(results).items()):
        lines.append(f"| {op} | {sum(c.values())} | {c['PASS']} | {c['FAIL']} | {c['ERROR']} |")
    lines += ["", "## Tests", "", "| Test | Result | Detail |", "|---|---|---|"]
    for name, _, result, detail, _ in sorted(results):
        lines.append(f"| {cell(name)} | {result} | {cell(detail)} |")
    path.write_text("\n".join(lines) + "\n")


def read_expect(path):
    """Test names, one a line; blank lines and # comments ignored."""
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=pathlib.Path, default=DEFAULT_BUILD,
                        help="mase build directory (default: %(default)s)")
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA,
                        help="ONNX node-test data (default: %(default)s)")
    parser.add_argument("--filter", metavar="REGEX",
                        help="only test directories whose name matches REGEX")
    parser.add_argument("--expect", type=pathlib.Path, metavar="FILE",
                        help="tests that must PASS; exit 1 if any does not")
    parser.add_argument("--markdown", type=pathlib.Path, metavar="OUT.md",
                        help="write the result table here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=60,
                        help="seconds per test (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true",
                        help="print only non-PASS results and the summary")
    parser.add_argument("--run-one", nargs=2, metavar=("TEST_DIR", "DATA_SET"),
                        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def check_expectations(expect_file, results):
    """Names in expect_file that did not PASS (missing ones included)."""
    got = {name: result for name, _, result, _, _ in results}
    return [n for n in read_expect(expect_file) if got.get(n) != "PASS"]


def main(argv=None):
    args = parse_args(argv)
    build_dir = args.build_dir.resolve()
    if args.run_one:
        result, detail = run_one(build_dir, *map(pathlib.Path, args.run_one))
        print(json.dumps({"result": result, "detail": detail}))
        return 0

    cases = discover(args.data_dir, supported_ops(build_dir), args.filter)
    print(f"running {len(cases)} node tests with {args.jobs} jobs", flush=True)
    start = time.perf_counter()
    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_isolated, build_dir, c, args.timeout) for c in cases]
        for future in concurrent.futures.as_completed(futures):
            name, _, result, detail, seconds = res = future.result()
            results.append(res)
            if result != "PASS" or not args.quiet:
                print(f"{result:5} {name} ({seconds:.1f} s) {detail}", flush=True)
    elapsed = time.perf_counter() - start
    totals = collections.Counter(r for _, _, r, _, _ in results)
    print(f"\n{len(results)} tests: {totals['PASS']} PASS, {totals['FAIL']} FAIL, "
          f"{totals['ERROR']} ERROR in {elapsed:.0f} s")
    if args.markdown:
        write_markdown(args.markdown, results, elapsed, args.filter)
    if args.expect:
        missing = check_expectations(args.expect, results)
        if missing:
            print(f"{len(missing)} expected PASS did not pass:")
            for name in missing:
                print(f"  {name}")
            return 1
        print(f"all {len(read_expect(args.expect))} expected tests pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
