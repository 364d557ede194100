"""mase-prune compiled for the CPU against a numpy reference of MASE's
prune pass (spec section 7): l1-norm weight masks at compile time, local
l1-norm activation masks recomputed on every run over the whole input.

The reference follows torch.quantile exactly in float32 (sort, rank
s * (n - 1) in float32, torch.lerp's two formulas), so the compiled model
must agree to float32 accumulation tolerance, and its masks exactly.
"""

import json
import pathlib
import tempfile
import unittest

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

import mase

MODEL = pathlib.Path(__file__).resolve().parents[2] / "models" / "bert-tiny"


def torch_quantile(values, q):
    v = np.sort(np.abs(values).astype(np.float32).ravel())
    rank = np.float32(q) * np.float32(v.size - 1)
    lo, hi = int(np.floor(rank)), min(int(np.ceil(rank)), v.size - 1)
    w = np.float32(rank - np.float32(lo))
    a, b = v[lo], v[hi]
    if abs(w) < 0.5:
        return np.float32(a + w * (b - a))
    return np.float32(b - (b - a) * (np.float32(1) - w))


def prune(values, sparsity):
    keep = np.abs(values) > torch_quantile(values, sparsity)
    return (values * keep.astype(np.float32)).astype(np.float32), keep


def linear_model(path, weight, bias, batch):
    """y = x @ weight.T + bias, then relu: the weight a constant."""
    out_features, in_features = weight.shape
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "wt"], ["h"], name="/fc/MatMul"),
         helper.make_node("Add", ["h", "b"], ["z"], name="/fc/Add"),
         helper.make_node("Relu", ["z"], ["y"], name="/act/Relu")],
        "pruned",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [batch, in_features])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [batch, out_features])],
        [numpy_helper.from_array(weight.T.copy(), "wt"),
         numpy_helper.from_array(bias, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)


class PruneTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="mase-prune-")
        self.dir = pathlib.Path(self.tmp.name)
        rng = np.random.default_rng(3)
        self.weight = rng.standard_normal((24, 32)).astype(np.float32)
        self.bias = rng.standard_normal(24).astype(np.float32)
        self.model = self.dir / "fc.onnx"
        linear_model(self.model, self.weight, self.bias, batch=5)
        self.rng = rng

    def tearDown(self):
        self.tmp.cleanup()

    def compile(self, config, **options):
        path = self.dir / "prune.json"
        path.write_text(json.dumps(config))
        report = self.dir / "report.txt"
        session = mase.compile(self.model, prune_config=path,
                               prune_report=report, **options)
        return session, report.read_text()

    def test_weights_and_activations_l1_local(self):
        config = {"weight": {"sparsity": 0.5, "method": "l1-norm"},
                  "activation": {"sparsity": 0.3, "method": "l1-norm"}}
        session, report = self.compile(config)
        self.assertIn("sparsity=0.5000 zeros=384/768", report)
        pruned_weight, _ = prune(self.weight, 0.5)
        for _ in range(3):  # the activation mask follows each input
            x = self.rng.standard_normal((5, 32)).astype(np.float32)
            x[0, :4] = 0.0  # ties at the low end
            pruned_x, keep = prune(x, 0.3)
            self.assertGreater(keep.sum(), 0)
            expected = np.maximum(pruned_x @ pruned_weight.T + self.bias, 0)
            (got,) = session.run(None, {"x": x})
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
            # Without activation pruning the result differs: the mask ran.
            unpruned = np.maximum(x @ pruned_weight.T + self.bias, 0)
            self.assertGreater(np.abs(unpruned - got).max(), 1e-3)

    def test_weights_only_keeps_activations(self):
        config = {"weight": {"sparsity": 0.75, "method": "l1-norm"},
                  "activation": {"sparsity": 0.0, "method": "random"}}
        session, _ = self.compile(config)
        pruned_weight, keep = prune(self.weight, 0.75)
        self.assertEqual(int(keep.sum()), 192)
        x = self.rng.standard_normal((5, 32)).astype(np.float32)
        (got,) = session.run(None, {"x": x})
        np.testing.assert_allclose(
            got, np.maximum(x @ pruned_weight.T + self.bias, 0),
            rtol=1e-5, atol=1e-5)

    def test_sparse_storage_matches_dense(self):
        # 0.75 is above the default threshold: compressed rows and the
        # sparse kernel; the same pruned weights kept dense give the same
        # results to float32 summation error.
        config = {"weight": {"sparsity": 0.75, "method": "l1-norm"},
                  "activation": {"sparsity": 0.0, "method": "random"}}
        sparse, report = self.compile(config)
        self.assertIn("fc linear storage=csr sparsity=0.7500 "
                      "weight_bytes=3072->1252", report)
        dense, report = self.compile(config, sparse_threshold=2)
        self.assertIn("fc linear storage=dense", report)
        for _ in range(3):
            x = self.rng.standard_normal((5, 32)).astype(np.float32)
            (a,) = sparse.run(None, {"x": x})
            (b,) = dense.run(None, {"x": x})
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)

    def test_two_of_four(self):
        # 2:4 along each weight row: the two largest magnitudes of every four.
        config = {"weight": {"granularity": "n:m", "n": 2, "m": 4,
                             "method": "l1-norm"},
                  "activation": {"sparsity": 0.0, "method": "random"}}
        session, report = self.compile(config)
        self.assertIn('granularity="2:4" sparsity=0.5000 zeros=384/768', report)
        groups = np.abs(self.weight).reshape(24, 8, 4)
        order = np.argsort(-groups, axis=2, kind="stable")
        keep = np.zeros_like(groups, dtype=bool)
        np.put_along_axis(keep, order[:, :, :2], True, axis=2)
        pruned = self.weight * keep.reshape(24, 32)
        x = self.rng.standard_normal((5, 32)).astype(np.float32)
        (got,) = session.run(None, {"x": x})
        np.testing.assert_allclose(
            got, np.maximum(x @ pruned.T + self.bias, 0), rtol=1e-5, atol=1e-5)

    def test_bundled_bert_pruned_then_quantised(self):
        # MASE's labs' order on the bundled BERT: l1-norm at 0.75, then
        # MASE's int8 config; both reports, sparse storage for the weights
        # that stay float (quantised linear layers keep the quantised ones).
        bert = MODEL / "bert_tiny_eager_ts.onnx"
        config = self.dir / "prune.json"
        config.write_text(json.dumps(
            {"weight": {"sparsity": 0.75, "method": "l1-norm"},
             "activation": {"sparsity": 0.0, "method": "random"}}))
        prune_report = self.dir / "prune.txt"
        quant_report = self.dir / "quant.txt"
        shapes = {n: [1, 128] for n in ("input_ids", "attention_mask",
                                          "token_type_ids")}
        session = mase.compile(
            bert, shapes=shapes, prune_config=config,
            prune_report=prune_report,
            quant_config=MODEL / "mase_reference" / "int8_linear.toml",
            quant_report=quant_report)
        pruned = prune_report.read_text()
        self.assertIn("total: 14 layers, sparsity=0.7500", pruned)
        self.assertIn("storage: 14 of 14 linear layers sparse", pruned)
        self.assertIn("total: 14 of", quant_report.read_text())
        feeds = {n: np.ones((1, 128), np.int64) for n in shapes}
        (logits,) = session.run(None, feeds)
        self.assertEqual(logits.shape, (1, 2))
        self.assertTrue(np.all(np.isfinite(logits)))

    def test_unsupported_activation_pruning_is_an_error(self):
        config = {"weight": {"sparsity": 0.5},
                  "activation": {"sparsity": 0.5, "method": "random"}}
        with self.assertRaises(mase.MaseError) as raised:
            self.compile(config)
        self.assertIn("only local l1-norm activation pruning is implemented",
                      str(raised.exception))


if __name__ == "__main__":
    unittest.main()
