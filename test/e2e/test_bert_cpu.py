"""BERT end to end on the CPU backend: mase-compile, the runtime, mase-run.

- the bundled BERT (TorchScript exporter) through `mase-run` on its own test
  data, and through the Python session against its reference logits;
- the project generator's BERT-tiny in every exporter style, against
  onnxruntime on the same inputs;
- -O0 (scalar loops, one thread) against -O3 (tiled, vectorized, parallel)
  on random inputs with padding;
- the C example on the compiled BERT;
- weights in a side file: the same logits, and clear errors when the file
  is missing, truncated or from another compilation.

Relative error is ||a - b|| / ||b|| over the output tensor; the bound is the
one the issues set for fp32 (1e-5).
"""

import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

import mase

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MASE_BIN_DIR", ROOT / "build" / "bin"))
BUNDLED = ROOT / "models" / "bert-tiny" / "bert_tiny_eager_ts.onnx"
BUNDLED_DATA = ROOT / "models" / "bert-tiny" / "test_data_set_0"
RTOL = 1e-5
VOCAB = 30522


def relative_error(actual, expected):
    return float(np.linalg.norm(actual - expected) / np.linalg.norm(expected))


def load_data(directory, prefix):
    tensors = []
    for path in sorted(directory.glob(f"{prefix}_*.pb"),
                       key=lambda p: int(p.stem.split("_")[1])):
        tensor = onnx.TensorProto()
        tensor.ParseFromString(path.read_bytes())
        tensors.append(numpy_helper.to_array(tensor))
    return tensors


def input_names(model):
    graph = onnx.load(str(model), load_external_data=False).graph
    inits = {i.name for i in graph.initializer}
    return [i.name for i in graph.input if i.name not in inits]


def onnxruntime_outputs(model, feed):
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(model), options,
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feed)


class BertCPU(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="mase-e2e-")
        cls.dir = pathlib.Path(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        if hasattr(cls, "_bundled"):
            cls._bundled.close()
        cls.tmp.cleanup()

    def compile(self, model, feed, opt_level, name, weights="auto"):
        return mase.compile(model, shapes={n: a.shape for n, a in feed.items()},
                            opt_level=opt_level, output=self.dir / f"{name}.so",
                            weights=weights)

    def bundled_feed(self):
        return dict(zip(input_names(BUNDLED), load_data(BUNDLED_DATA, "input")))

    def bundled_session(self):
        """The bundled BERT at -O3 on its own data's shapes, compiled once."""
        cls = type(self)
        if not hasattr(cls, "_bundled"):
            cls._bundled = self.compile(BUNDLED, self.bundled_feed(), 3,
                                        "bundled-O3")
        return cls._bundled

    def test_bundled_bert_through_mase_run(self):
        proc = subprocess.run(
            [BIN / "mase-run", BUNDLED, "--data", BUNDLED_DATA,
             "--rtol", "1e-4", "--atol", "1e-6", "--iterations", "2"],
            capture_output=True, text=True,
            env={**os.environ, "MASE_CACHE_DIR": str(self.dir / "cache")})
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("PASS", proc.stdout)

    def test_bundled_bert_matches_reference(self):
        feed = self.bundled_feed()
        (reference,) = load_data(BUNDLED_DATA, "output")
        (logits,) = self.bundled_session().run(None, feed)
        self.assertLess(relative_error(logits, reference), RTOL)
        (ort_logits,) = onnxruntime_outputs(BUNDLED, feed)
        self.assertLess(relative_error(logits, ort_logits), RTOL)

    def test_generated_styles_match_onnxruntime(self):
        for style in ("torchscript", "dynamo", "sdpa"):
            with self.subTest(style=style):
                out = self.dir / f"tiny-{style}"
                subprocess.run(
                    [sys.executable, "-m", "mase.models.bert", "--config", "tiny",
                     "--style", style, "--batch", "2", "--seq", "64", "-o", out],
                    check=True, capture_output=True)
                model = out / "model.onnx"
                feed = dict(zip(input_names(model),
                                load_data(out / "test_data_set_0", "input")))
                session = self.compile(model, feed, 3, f"tiny-{style}")
                (logits,) = session.run(None, feed)
                (expected,) = onnxruntime_outputs(model, feed)
                self.assertLess(relative_error(logits, expected), RTOL)

    def test_O0_and_O3_agree_on_random_inputs(self):
        rng = np.random.default_rng(7)
        batch, seq = 3, 40  # odd sizes: register tiles must divide them
        ids = rng.integers(0, VOCAB, size=(batch, seq), dtype=np.int64)
        mask = np.ones((batch, seq), dtype=np.int64)
        mask[1, 25:] = 0  # padding
        mask[2, 5:] = 0
        types = rng.integers(0, 2, size=(batch, seq), dtype=np.int64)
        feed = dict(zip(input_names(BUNDLED), (ids, mask, types)))
        naive = self.compile(BUNDLED, feed, 0, "random-O0").run(None, feed)[0]
        optimized = self.compile(BUNDLED, feed, 3, "random-O3")
        optimized.set_num_threads(2)
        fast = optimized.run(None, feed)[0]
        self.assertLess(relative_error(fast, naive), RTOL)
        (ort_logits,) = onnxruntime_outputs(BUNDLED, feed)
        self.assertLess(relative_error(fast, ort_logits), RTOL)

    def test_c_example_runs_bert(self):
        library = self.bundled_session().path
        proc = subprocess.run([BIN / "mase-c-example", library],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("logits", proc.stdout)
        self.assertIn("input_ids", proc.stdout)

    def test_external_weights(self):
        feed = self.bundled_feed()
        embedded = self.bundled_session()
        session = self.compile(BUNDLED, feed, 3, "external", weights="external")
        library = pathlib.Path(session.path)
        weights = pathlib.Path(str(library) + ".weights")
        self.assertGreater(weights.stat().st_size, 16 << 20)
        self.assertLess(library.stat().st_size, 1 << 20)
        self.assertGreater(pathlib.Path(embedded.path).stat().st_size, 16 << 20)
        np.testing.assert_array_equal(session.run(None, feed)[0],
                                      embedded.run(None, feed)[0])
        session.close()

        good = weights.read_bytes()
        cases = {
            "missing": (None, "cannot open its weights file"),
            "truncated": (good[:1000], "has 1000 bytes, the library expects"),
            "other compilation": (good[:16] + bytes([good[16] ^ 1]) + good[17:],
                                  "belongs to another compilation"),
            "not a weights file": (b"X" + good[1:], "is not a mase weights file"),
        }
        for case, (content, message) in cases.items():
            with self.subTest(case=case):
                if content is None:
                    weights.unlink()
                else:
                    weights.write_bytes(content)
                with self.assertRaises(mase.MaseError) as raised:
                    mase.load(library)
                self.assertIn(message, str(raised.exception))
                proc = subprocess.run(
                    [BIN / "mase-run", library, "--data", BUNDLED_DATA],
                    capture_output=True, text=True)
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn(message, proc.stderr)
        # Two loads of the library share one mapping, kept until the last
        # goes.
        weights.write_bytes(good)
        first, second = mase.load(library), mase.load(library)
        expected = first.run(None, feed)[0]
        first.close()
        np.testing.assert_array_equal(second.run(None, feed)[0], expected)
        second.close()


if __name__ == "__main__":
    unittest.main()
