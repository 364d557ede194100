"""mase-run and the C example (examples/c/run_model.c) over the runtime's
fixture models (test/unit/Runtime/Fixtures).

Test data is written here with onnx's numpy_helper; the .onnx path of
mase-run runs a stand-in mase-compile placed next to a copy of mase-run.
CTest runs this as `runtime-tools`. By hand, from test/python:

    MASE_BIN_DIR=../../build/bin MASE_LIBRARY_DIR=../../build/lib \
    MASE_RUNTIME_FIXTURES=../../build/test/runtime-fixtures \
    MASE_C_COMPILER=clang-22 \
        ../../.venv/bin/python -m unittest -v test_runtime_tools
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import helper, numpy_helper

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ["MASE_BIN_DIR"])
LIB = pathlib.Path(os.environ["MASE_LIBRARY_DIR"])
FIXTURES = pathlib.Path(os.environ["MASE_RUNTIME_FIXTURES"])
MASE_RUN = BIN / "mase-run"
ADD = str(FIXTURES / "add_f32.so")
MIXED = str(FIXTURES / "mixed.so")

A = np.arange(6, dtype=np.float32).reshape(2, 3)
B = np.full((2, 3), 0.5, np.float32)


def write_tensor(path, array, name=""):
    tensor = numpy_helper.from_array(np.asarray(array), name)
    pathlib.Path(path).write_bytes(tensor.SerializeToString())


def run(args, env=None):
    return subprocess.run([str(a) for a in args], capture_output=True,
                          text=True, env=env)


class DataDirTest(unittest.TestCase):
    """Helpers: a temporary directory and ONNX test data sets in it."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def data(self, name="data", inputs=((A, "a"), (B, "b")),
             outputs=((A + B, "sum"),)):
        d = self.dir / name
        d.mkdir()
        for i, (value, tensor_name) in enumerate(inputs):
            write_tensor(d / f"input_{i}.pb", value, tensor_name)
        for i, (value, tensor_name) in enumerate(outputs):
            write_tensor(d / f"output_{i}.pb", value, tensor_name)
        return d

    def mase_run(self, model, data, *options, env=None):
        return run([MASE_RUN, model, "--data", data, *options], env=env)

    def assertExit(self, result, code, *parts, stream="stdout"):
        text = getattr(result, stream)
        self.assertEqual(result.returncode, code,
                         f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        for part in parts:
            self.assertIn(part, text)


class MaseRunTest(DataDirTest):
    def test_pass(self):
        r = self.mase_run(ADD, self.data())
        self.assertExit(r, 0, "input 'a' f32[2x3] <- input_0.pb",
                        "output 'sum' f32[2x3]: match (max abs error 0, "
                        "max rel error 0)",
                        "(10 iterations after 1 warmup,", "PASS")

    def test_json(self):
        r = self.mase_run(ADD, self.data(), "--json", "--iterations", "3",
                          "--warmup=0", "--threads", "1")
        self.assertExit(r, 0)
        report = json.loads(r.stdout)
        self.assertEqual(report["status"], "pass")
        self.assertEqual(report["exit_code"], 0)
        self.assertEqual(report["library"], ADD)
        self.assertEqual((report["iterations"], report["warmup"],
                          report["threads"]), (3, 0, 1))
        self.assertEqual([(i["name"], i["type"], i["shape"])
                          for i in report["inputs"]],
                         [("a", "f32", [2, 3]), ("b", "f32", [2, 3])])
        out, = report["outputs"]
        self.assertEqual((out["name"], out["checked"], out["match"],
                          out["max_abs_error"], out["mismatches"]),
                         ("sum", True, True, 0, 0))
        self.assertGreater(report["latency_ms"]["median"], 0)
        self.assertLessEqual(report["latency_ms"]["min"],
                             report["latency_ms"]["median"])

    def test_mismatch_and_tolerance(self):
        expected = A + B
        expected[1, 2] += 0.01
        d = self.data(outputs=((expected, "sum"),))
        r = self.mase_run(ADD, d)
        self.assertExit(r, 1, "output 'sum' f32[2x3]: MISMATCH: 1 of 6 "
                        "elements outside atol 1e-07 + rtol 0.001 * "
                        "|expected|", "first at [1, 2]: got 5.5, expected "
                        "5.51", "FAIL")
        report = json.loads(self.mase_run(ADD, d, "--json").stdout)
        out, = report["outputs"]
        self.assertEqual(report["status"], "mismatch")
        self.assertFalse(out["match"])
        self.assertEqual(out["mismatches"], 1)
        self.assertAlmostEqual(out["max_abs_error"], 0.01, places=5)
        self.assertAlmostEqual(out["max_rel_error"], 0.01 / 5.51, places=5)
        self.assertEqual(out["first_mismatch"]["index"], [1, 2])
        # Within tolerance: |5.5 - 5.51| <= atol + rtol * 5.51.
        self.assertExit(self.mase_run(ADD, d, "--rtol", "0.002"), 0, "PASS")
        self.assertExit(self.mase_run(ADD, d, "--atol", "0.011"), 0, "PASS")
        self.assertExit(self.mase_run(ADD, d, "--atol", "0.011", "--rtol",
                                      "0"), 0, "PASS")
        self.assertExit(self.mase_run(ADD, d, "--atol", "0.009", "--rtol",
                                      "0"), 1, "FAIL")

    def test_nan_matches_nan_only(self):
        a = A.copy()
        a[0, 0] = np.nan
        expected = a + B
        d = self.data("nan", inputs=((a, "a"), (B, "b")),
                      outputs=((expected, "sum"),))
        self.assertExit(self.mase_run(ADD, d), 0, "PASS")
        expected[0, 0] = 0
        d = self.data("nan2", inputs=((a, "a"), (B, "b")),
                      outputs=((expected, "sum"),))
        self.assertExit(self.mase_run(ADD, d), 1, "1 of 6 elements",
                        "got nan, expected 0")

    def test_no_reference(self):
        d = self.data(outputs=())
        self.assertExit(self.mase_run(ADD, d), 0, "no reference",
                        "PASS (no reference outputs)")
        report = json.loads(self.mase_run(ADD, d, "--json").stdout)
        self.assertEqual(report["status"], "unchecked")
        self.assertFalse(report["outputs"][0]["checked"])

    def test_output_type_or_shape_differs(self):
        d = self.data(outputs=(((A + B).reshape(3, 2), "sum"),))
        self.assertExit(self.mase_run(ADD, d), 1, "the model gives f32[2x3] "
                        "but output_0.pb holds f32[3x2]")
        d = self.data("d2", outputs=(((A + B).astype(np.float64), "sum"),))
        self.assertExit(self.mase_run(ADD, d), 1, "holds f64[2x3]")

    def test_several_types(self):
        ids = np.array([1, 2, 3, -4], np.int64)
        mask = np.array([True, False, True, True])
        d = self.data(inputs=((ids, "ids"), (np.float64(0.5), "scale"),
                              (mask, "m%ask")),
                      outputs=((np.array([0.5, 0, 1.5, -2.0]), "y"),
                               (np.int32(3), "count"),
                               (np.array([1, -2], np.float16), "h")))
        self.assertExit(self.mase_run(MIXED, d), 0,
                        "input 'scale' f64[] <- input_1.pb",
                        "output 'count' i32[]: match",
                        "output 'h' f16[2]: match", "PASS")

    def test_data_errors(self):
        cases = [
            # (inputs, expected message parts)
            (((A, "a"), (B.astype(np.float64), "b")),
             ["input_1.pb: holds f64[2x3] but input 'b' of", "is f32[2x3]"]),
            (((A, "a"), (B.reshape(6), "b")),
             ["input_1.pb: holds f32[6] but input 'b'"]),
            (((A, "x"), (B, "b")),
             ["input_0.pb: holds tensor 'x' but input 0 of", "is 'a'"]),
            (((A, "a"),),
             ["1 input file (input_<i>.pb) but", "has 2 inputs ('a', 'b')"]),
        ]
        for i, (inputs, parts) in enumerate(cases):
            with self.subTest(i=i):
                d = self.data(f"case{i}", inputs=inputs)
                r = self.mase_run(ADD, d)
                self.assertExit(r, 2, "mase-run: error: ", *parts,
                                stream="stderr")
        d = self.data("gap")
        (d / "input_1.pb").rename(d / "input_2.pb")
        self.assertExit(self.mase_run(ADD, d), 2, "input_1.pb is missing "
                        "(found input_2.pb)", stream="stderr")
        d = self.data("corrupt")
        (d / "input_0.pb").write_bytes(b"\xff\xff\xff garbage")
        self.assertExit(self.mase_run(ADD, d), 2, "input_0.pb: not a valid "
                        "ONNX TensorProto", stream="stderr")
        d = self.data("extra", outputs=((A + B, "sum"), (A, "more")))
        self.assertExit(self.mase_run(ADD, d), 2, "output_1.pb: ",
                        "has only 1 output ('sum')", stream="stderr")
        self.assertExit(self.mase_run(ADD, self.dir / "nowhere"), 2,
                        "nowhere: cannot open the data directory",
                        stream="stderr")

    def test_load_errors(self):
        d = self.data()
        corrupt = self.dir / "x.so"
        corrupt.write_text("not a library\n")
        self.assertExit(self.mase_run(corrupt, d), 2,
                        f"{corrupt}: cannot load model: not a loadable shared "
                        "library", stream="stderr")
        self.assertExit(self.mase_run(self.dir / "missing.so", d), 2,
                        "missing.so: cannot load model: No such file",
                        stream="stderr")
        self.assertExit(self.mase_run(FIXTURES / "abi_mismatch.so", d), 2,
                        "model ABI version 999", stream="stderr")
        r = self.mase_run(corrupt, d, "--json")
        self.assertEqual(r.returncode, 2)
        report = json.loads(r.stdout)
        self.assertEqual(report["status"], "error")
        self.assertIn("not a loadable shared library", report["error"])

    def test_usage_errors(self):
        d = self.data()
        for args, message in [
                ([], "no model given"),
                ([ADD], "--data DIR is required"),
                ([ADD, "--data", d, "--frobnicate"], "unknown option "
                 "'--frobnicate'"),
                ([ADD, "--data", d, "--rtol", "x"], "--rtol must be a number "
                 ">= 0, got 'x'"),
                ([ADD, "--data", d, "--iterations", "0"], "--iterations must "
                 "be an integer >= 1, got '0'"),
                ([ADD, "--data", d, "--threads", "-1"], "--threads must be an "
                 "integer >= 0"),
                ([ADD, "--data"], "--data needs a value"),
                ([ADD, ADD, "--data", d], "one model expected, got 2")]:
            with self.subTest(args=args):
                r = run([MASE_RUN, *args])
                self.assertExit(r, 2, f"mase-run: error: {message}", "usage:",
                                stream="stderr")
        r = run([MASE_RUN, "--help"])
        self.assertExit(r, 0, "usage: mase-run MODEL.so|MODEL.onnx")


FAKE_COMPILER = """\
#!{python}
# A stand-in for mase-compile: records its arguments, then copies the add
# fixture to the -o path, or fails when FAKE_COMPILE_FAIL is set.
import json, os, shutil, sys
with open(os.environ["FAKE_COMPILE_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if os.environ.get("FAKE_COMPILE_FAIL"):
    print("add.onnx: error: unsupported op 'Foo'", file=sys.stderr)
    sys.exit(1)
print("compiling (this goes to mase-run's stderr)")
shutil.copy({fixture!r}, sys.argv[sys.argv.index("-o") + 1])
"""


class MaseRunCompileTest(DataDirTest):
    """mase-run MODEL.onnx: compiled by the sibling mase-compile, cached."""

    def setUp(self):
        super().setUp()
        self.bin = self.dir / "bin"
        self.bin.mkdir()
        shutil.copy(MASE_RUN, self.bin / "mase-run")
        # The copy finds libmase_runtime.so through $ORIGIN/../lib.
        (self.dir / "lib").symlink_to(MASE_RUN.resolve().parent.parent / "lib")
        self.cache = self.dir / "cache"
        self.log = self.dir / "log.jsonl"
        self.env = dict(os.environ, MASE_CACHE_DIR=str(self.cache),
                        FAKE_COMPILE_LOG=str(self.log))
        self.model = self.dir / "add.onnx"
        graph = helper.make_graph(
            [helper.make_node("Add", ["a", "b"], ["sum"])], "add",
            [helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, [2, 3])
             for n in ("a", "b")],
            [helper.make_tensor_value_info("sum", onnx.TensorProto.FLOAT,
                                           [2, 3])])
        onnx.save(helper.make_model(graph), self.model)

    def install_compiler(self):
        compiler = self.bin / "mase-compile"
        compiler.write_text(FAKE_COMPILER.format(python=sys.executable,
                                                 fixture=ADD))
        compiler.chmod(0o755)

    def calls(self):
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def compile_run(self, data, *options):
        return run([self.bin / "mase-run", self.model, "--data", data,
                    *options], env=self.env)

    def test_compile_and_cache(self):
        self.install_compiler()
        d = self.data()
        r = self.compile_run(d, "--json")
        self.assertExit(r, 0)
        self.assertIn("compiling (this goes to mase-run's stderr)", r.stderr)
        report = json.loads(r.stdout)
        self.assertFalse(report["compile"]["cached"])
        library = pathlib.Path(report["library"])
        self.assertEqual(library.parent, self.cache)
        self.assertRegex(library.name, r"^add-[0-9a-f]{16}\.so$")
        self.assertTrue(library.is_file())
        call, = self.calls()
        self.assertEqual(call[0], str(self.model))
        self.assertEqual(call[1], "-o")
        self.assertEqual(pathlib.Path(call[2]).parent, self.cache)
        self.assertEqual(call[3:], ["--shape", "a=2x3", "--shape", "b=2x3"])
        self.assertEqual(report["compile"]["command"][1:], call)

        # Same model and shapes: the cached library, no compile.
        report = json.loads(self.compile_run(d, "--json").stdout)
        self.assertTrue(report["compile"]["cached"])
        self.assertEqual(report["library"], str(library))
        self.assertEqual(len(self.calls()), 1)
        self.assertExit(self.compile_run(d), 0, "(compiled from", "cached)")

        # Other shapes, another library.
        d2 = self.data("other", inputs=((A.reshape(3, 2), "a"),
                                        (B.reshape(3, 2), "b")), outputs=())
        r = self.compile_run(d2)
        self.assertEqual(len(self.calls()), 2)
        self.assertEqual(self.calls()[1][3:],
                         ["--shape", "a=3x2", "--shape", "b=3x2"])
        # (The stand-in always copies the 2x3 model, so the run then fails.)
        self.assertExit(r, 2, "holds f32[3x2] but input 'a'",
                        stream="stderr")

        # A changed model is recompiled.
        onnx.save(onnx.load(self.model), self.model)  # same bytes
        self.compile_run(d)
        self.assertEqual(len(self.calls()), 2)
        with open(self.model, "ab") as f:
            f.write(b"\0")
        self.compile_run(d)
        self.assertEqual(len(self.calls()), 3)

    def test_names_from_the_model(self):
        # Unnamed tensors: the names come from the model's graph inputs.
        self.install_compiler()
        d = self.data(inputs=((A, ""), (B, "")), outputs=((A + B, ""),))
        self.assertExit(self.compile_run(d), 0, "PASS")
        self.assertEqual(self.calls()[0][3:],
                         ["--shape", "a=2x3", "--shape", "b=2x3"])

    def test_compile_failure(self):
        self.install_compiler()
        self.env["FAKE_COMPILE_FAIL"] = "1"
        r = self.compile_run(self.data())
        self.assertExit(r, 2, "unsupported op 'Foo'",
                        "mase-run: error: mase-compile failed (exit status 1) "
                        f"compiling {self.model}", stream="stderr")
        self.assertEqual(list(self.cache.iterdir()), [])

    def test_no_compiler(self):
        r = self.compile_run(self.data())
        self.assertExit(r, 2, "mase-compile not found next to mase-run",
                        stream="stderr")


class CExampleTest(unittest.TestCase):
    def check_add(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("model " + ADD + ": 2 inputs, 1 outputs", result.stdout)
        self.assertIn("input 0: 'a' f32[2x3]", result.stdout)
        self.assertIn("sum: 2 2 2 2 2 2", result.stdout)
        self.assertIn("a run with a wrong input type fails: " + ADD +
                      ": input 'a': expected element type f32, got f64",
                      result.stdout)

    def test_built_example(self):
        self.check_add(run([BIN / "mase-c-example", ADD]))

    def test_compile_example_as_a_user_would(self):
        compiler = os.environ.get("MASE_C_COMPILER", "cc")
        with tempfile.TemporaryDirectory() as tmp:
            exe = pathlib.Path(tmp) / "run_model"
            build = run([compiler, "-std=c11", "-Wall", "-Wextra", "-Werror",
                         "-I", ROOT / "include",
                         ROOT / "examples" / "c" / "run_model.c",
                         "-L", LIB, "-lmase_runtime", f"-Wl,-rpath,{LIB}",
                         "-o", exe])
            self.assertEqual(build.returncode, 0, build.stderr)
            self.check_add(run([exe, ADD]))
            r = run([exe, MIXED, "2"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("2 threads", r.stdout)
            self.assertIn("input 1: 'scale' f64[]", r.stdout)
            self.assertIn("count: 4", r.stdout)
            self.assertIn("h: 1 -2", r.stdout)
            r = run([exe, FIXTURES / "abi_mismatch.so"])
            self.assertEqual(r.returncode, 1)
            self.assertIn("error: ", r.stderr)
            self.assertIn("model ABI version 999", r.stderr)
            r = run([exe, ADD, "-3"])
            self.assertEqual(r.returncode, 1)
            self.assertIn("got -3", r.stderr)


if __name__ == "__main__":
    unittest.main()
