"""mase.load / mase.Session / mase.compile over the runtime's fixture models.

The fixtures are hand-written model libraries (test/unit/Runtime/Fixtures)
that implement include/mase-c/ModelABI.h; mase.compile runs a stand-in
mase-compile that records its arguments and copies a fixture. CTest runs
this as `python-runtime`. By hand, from test/python:

    PYTHONPATH=../../python MASE_LIBRARY_DIR=../../build/lib \
    MASE_RUNTIME_FIXTURES=../../build/test/runtime-fixtures \
        ../../.venv/bin/python -m unittest -v test_session
"""

import ctypes
import gc
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import textwrap
import unittest

import numpy as np

import mase

FIXTURES = pathlib.Path(os.environ["MASE_RUNTIME_FIXTURES"])
ADD = str(FIXTURES / "add_f32.so")
MIXED = str(FIXTURES / "mixed.so")


def add_feed():
    return {"a": np.arange(6, dtype=np.float32).reshape(2, 3),
            "b": np.full((2, 3), 0.5, np.float32)}


def mixed_feed():
    return {"ids": np.array([1, 2, 3, -4], np.int64),
            "scale": np.float64(0.5),
            "m%ask": np.array([True, False, True, True])}


class SessionTest(unittest.TestCase):
    def assertMaseError(self, parts, function, *args, **kwargs):
        with self.assertRaises(mase.MaseError) as caught:
            function(*args, **kwargs)
        for part in parts:
            self.assertIn(part, str(caught.exception))
        return caught.exception

    def test_error_is_a_runtime_error(self):
        self.assertTrue(issubclass(mase.MaseError, RuntimeError))
        self.assertIs(mase.load, mase.session.load)

    def test_inputs_and_outputs(self):
        s = mase.load(ADD)
        self.assertIsInstance(s, mase.Session)
        self.assertEqual(s.path, ADD)
        self.assertEqual([(i.name, i.shape, i.type) for i in s.get_inputs()],
                         [("a", [2, 3], "tensor(float)"),
                          ("b", [2, 3], "tensor(float)")])
        self.assertEqual([(o.name, o.shape, o.type) for o in s.get_outputs()],
                         [("sum", [2, 3], "tensor(float)")])

        m = mase.Session(MIXED)
        self.assertEqual([(i.name, i.shape, i.type) for i in m.get_inputs()],
                         [("ids", [4], "tensor(int64)"),
                          ("scale", [], "tensor(double)"),
                          ("m%ask", [4], "tensor(bool)")])
        self.assertEqual([(o.name, o.shape, o.type) for o in m.get_outputs()],
                         [("y", [4], "tensor(double)"),
                          ("count", [], "tensor(int32)"),
                          ("h", [2], "tensor(float16)")])

    def test_run(self):
        s = mase.load(ADD)
        feed = add_feed()
        out = s.run(None, feed)
        self.assertEqual(len(out), 1)
        self.assertEqual(out[0].dtype, np.float32)
        np.testing.assert_array_equal(out[0], feed["a"] + feed["b"])
        self.assertEqual(len(s.run([], feed)), 1)

    def test_run_types_scalars_and_output_selection(self):
        s = mase.load(MIXED)
        y, count, h = s.run(None, mixed_feed())
        np.testing.assert_array_equal(y, [0.5, 0.0, 1.5, -2.0])
        self.assertEqual(count.shape, ())
        self.assertEqual(count.dtype, np.int32)
        self.assertEqual(int(count), 3)
        self.assertEqual(h.dtype, np.float16)
        np.testing.assert_array_equal(h, [1.0, -2.0])
        # Requested outputs come back in the requested order.
        h2, y2 = s.run(["h", "y"], mixed_feed())
        np.testing.assert_array_equal(h2, h)
        np.testing.assert_array_equal(y2, y)

    def test_non_contiguous_input(self):
        s = mase.load(ADD)
        a = np.arange(12, dtype=np.float32).reshape(2, 6)[:, ::2]
        b = np.zeros((3, 2), np.float32).T
        self.assertFalse(a.flags.c_contiguous)
        out, = s.run(None, {"a": a, "b": b})
        np.testing.assert_array_equal(out, a)

    def test_input_errors(self):
        s = mase.load(ADD)
        feed = add_feed()
        self.assertMaseError(
            ["input 'b': expected dtype float32 (tensor(float)), got float64"],
            s.run, None, {**feed, "b": feed["b"].astype(np.float64)})
        self.assertMaseError(
            ["input 'a': expected shape (2, 3), got (3, 2)"],
            s.run, None, {**feed, "a": feed["a"].reshape(3, 2)})
        self.assertMaseError(
            ["input 'a': expected shape (2, 3), got (6,)"],
            s.run, None, {**feed, "a": feed["a"].ravel()})
        self.assertMaseError(
            ["missing input 'b' (f32[2x3]); the model's inputs are 'a', 'b'"],
            s.run, None, {"a": feed["a"]})
        self.assertMaseError(
            ["unknown input 'c'; the model's inputs are 'a', 'b'"],
            s.run, None, {**feed, "c": feed["a"]})
        self.assertMaseError(
            ["input 'a': expected a numpy array of dtype float32 and shape "
             "(2, 3), got list"],
            s.run, None, {**feed, "a": [[0.0] * 3] * 2})
        self.assertMaseError(["input_feed must be a dict"],
                             s.run, None, [feed["a"], feed["b"]])

        m = mase.load(MIXED)
        self.assertMaseError(
            ["input 'scale': expected dtype float64 (tensor(double)), got "
             "float32"],
            m.run, None, {**mixed_feed(), "scale": np.float32(0.5)})
        self.assertMaseError(
            ["input 'scale': expected shape (), got (1,)"],
            m.run, None, {**mixed_feed(), "scale": np.array([0.5])})
        self.assertMaseError(
            ["input 'm%ask': expected dtype bool (tensor(bool)), got uint8"],
            m.run, None, {**mixed_feed(),
                          "m%ask": np.array([1, 0, 1, 1], np.uint8)})

    def test_output_errors(self):
        s = mase.load(ADD)
        self.assertMaseError(
            ["unknown output 'total'; the model's outputs are 'sum'"],
            s.run, ["total"], add_feed())
        self.assertMaseError(["output_names must be a list"],
                             s.run, "sum", add_feed())

    def test_runtime_checks_too(self):
        # Below the session's checks, the runtime refuses a wrong buffer.
        s = mase.load(ADD)
        wrong = np.zeros((3, 2), np.float32)
        self.assertMaseError(
            [ADD, "input 'a': expected shape f32[2x3], got f32[3x2]"],
            s._model.run, [wrong, add_feed()["b"]],
            [np.zeros((2, 3), np.float32)])

    def test_num_threads(self):
        s = mase.load(ADD)
        self.assertGreaterEqual(s.get_num_threads(), 1)
        # The fixture records omp_set_num_threads on the calling thread.
        fixture = ctypes.CDLL(ADD)
        s.set_num_threads(3)
        self.assertEqual(s.get_num_threads(), 3)
        s.run(None, add_feed())
        self.assertEqual(fixture.fixture_last_num_threads(), 3)
        s.set_num_threads(0)
        s.run(None, add_feed())
        self.assertEqual(fixture.fixture_last_num_threads(),
                         s.get_num_threads())
        self.assertMaseError(["thread count must be >= 1, or 0 for every "
                              "core; got -2"], s.set_num_threads, -2)

    def test_load_errors(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = os.path.join(tmp, "missing.so")
            self.assertMaseError([missing, "No such file"], mase.load,
                                 missing)
            corrupt = os.path.join(tmp, "x.so")
            pathlib.Path(corrupt).write_text("not a library\n")
            self.assertMaseError([corrupt, "not a loadable shared library"],
                                 mase.load, corrupt)
        self.assertMaseError(["model ABI version 999"], mase.load,
                             str(FIXTURES / "abi_mismatch.so"))
        self.assertMaseError(["not a mase model"], mase.load,
                             str(FIXTURES / "missing_symbols.so"))
        self.assertMaseError(["malformed model signature", "f128"],
                             mase.load, str(FIXTURES / "bad_signature.so"))

    def test_several_sessions(self):
        first, second, mixed = mase.load(ADD), mase.load(ADD), mase.load(MIXED)
        first.set_num_threads(1)
        second.set_num_threads(2)
        self.assertEqual(first.get_num_threads(), 1)
        self.assertEqual(second.get_num_threads(), 2)
        second.close()
        self.assertMaseError(["was closed"], second.run, None, add_feed())
        out, = first.run(None, add_feed())
        self.assertEqual(out[1, 2], 5.5)
        self.assertEqual(len(mixed.run(None, mixed_feed())), 3)
        with mase.load(ADD) as third:
            third.run(None, add_feed())
        self.assertMaseError(["was closed"], third.get_num_threads)


FAKE_COMPILER = """\
#!{python}
# A stand-in for mase-compile: records its arguments, then copies a fixture
# model to the -o path, or fails when FAKE_COMPILE_FAIL is set.
import json, os, shutil, sys
with open(os.environ["FAKE_COMPILE_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if os.environ.get("FAKE_COMPILE_FAIL"):
    sys.stderr.write("model.onnx:3: error: unsupported op 'Foo'\\n")
    sys.exit(1)
shutil.copy(os.environ["FAKE_COMPILE_SOURCE"],
            sys.argv[sys.argv.index("-o") + 1])
"""


class CompileTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = pathlib.Path(self.tmp.name)
        (root / "bin").mkdir()
        compiler = root / "bin" / "mase-compile"
        compiler.write_text(FAKE_COMPILER.format(python=sys.executable))
        compiler.chmod(0o755)
        self.log = root / "log.jsonl"
        self.model = root / "add.onnx"
        self.model.write_bytes(b"not really onnx; the stand-in ignores it")
        self.env = {"MASE_BIN_DIR": str(root / "bin"),
                    "FAKE_COMPILE_LOG": str(self.log),
                    "FAKE_COMPILE_SOURCE": ADD}
        self.saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)

    def tearDown(self):
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        os.environ.pop("FAKE_COMPILE_FAIL", None)
        self.tmp.cleanup()

    def calls(self):
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def test_compile_to_temporary_library(self):
        s = mase.compile(self.model, shapes={"a": [2, 3], "b": "2x3",
                                             "s": []}, opt_level=2)
        call, = self.calls()
        self.assertEqual(call[0], str(self.model))
        self.assertEqual(call[1], "-o")
        self.assertTrue(call[2].endswith("/add.so"), call[2])
        self.assertEqual(call[3:], ["-O2", "--shape", "a=2x3",
                                    "--shape", "b=2x3"])
        out, = s.run(None, add_feed())
        self.assertEqual(out[1, 2], 5.5)
        library = pathlib.Path(s.path)
        self.assertTrue(library.is_file())
        del s, out
        gc.collect()
        self.assertFalse(library.parent.exists())

    def test_compile_to_given_output(self):
        output = pathlib.Path(self.tmp.name) / "out" / "model.so"
        output.parent.mkdir()
        s = mase.compile(str(self.model), output=output)
        call, = self.calls()
        self.assertEqual(call, [str(self.model), "-o", str(output), "-O3"])
        self.assertEqual(s.path, str(output))
        del s
        gc.collect()
        self.assertTrue(output.is_file())

    def test_device_memory_is_for_gpu_models(self):
        s = mase.compile(self.model)
        with self.assertRaisesRegex(mase.MaseError, "not a GPU model"):
            s.device_memory()
        del s

    def test_compile_target_and_precision_flags(self):
        # The fake compiler copies a CPU model, so the session loads here.
        s = mase.compile(self.model, target="cuda", chip="sm_80", precision="f16")
        call, = self.calls()
        self.assertEqual(call[3:], ["-O3", "--target=cuda", "--chip=sm_80",
                                    "--precision=f16"])
        del s

    def test_compile_errors(self):
        os.environ["FAKE_COMPILE_FAIL"] = "1"
        with self.assertRaises(mase.MaseError) as caught:
            mase.compile(self.model)
        message = str(caught.exception)
        self.assertIn("mase-compile failed (exit status 1)", message)
        self.assertIn("unsupported op 'Foo'", message)
        self.assertIn("command: ", message)
        del os.environ["FAKE_COMPILE_FAIL"]

        with self.assertRaisesRegex(mase.MaseError, "unsupported target 'tpu'"):
            mase.compile(self.model, target="tpu")
        with self.assertRaisesRegex(mase.MaseError, "chip applies to target='cuda' only"):
            mase.compile(self.model, chip="sm_90")
        with self.assertRaisesRegex(mase.MaseError, "precision must be"):
            mase.compile(self.model, precision="f8")
        with self.assertRaisesRegex(mase.MaseError, "opt_level"):
            mase.compile(self.model, opt_level=4)
        with self.assertRaisesRegex(mase.MaseError, "no such file"):
            mase.compile(self.model.with_name("missing.onnx"))
        os.environ["MASE_BIN_DIR"] = self.tmp.name
        with self.assertRaisesRegex(mase.MaseError,
                                    "mase-compile not found at"):
            mase.compile(self.model)
        self.assertEqual(len(self.calls()), 1)


class ImportTest(unittest.TestCase):
    def test_import_without_libraries(self):
        code = textwrap.dedent("""
            import mase
            assert issubclass(mase.MaseError, RuntimeError)
            assert callable(mase.compile)
            try:
                mase.load("model.so")
            except ImportError as e:
                print("ImportError:", e)
        """)
        env = dict(os.environ, MASE_LIBRARY_DIR="/nonexistent/mase-lib")
        run = subprocess.run([sys.executable, "-c", code], env=env,
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("ImportError: mase: libmase_runtime.so not found at "
                      "/nonexistent/mase-lib/libmase_runtime.so", run.stdout)
        self.assertIn("CMake target mase_runtime", run.stdout)


if __name__ == "__main__":
    unittest.main()
