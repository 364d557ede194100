"""Attention fusion (mase-fuse-sdpa) end to end.

The bundled BERT-tiny and BERT-tiny written by the project's generator in
each exporter style (TorchScript eager, PyTorch SDPA, dynamo) are compiled
with fusion (the default) and without (--no-fuse-sdpa) and run on the same
inputs, with padding in the attention mask: the fusion report must list
every attention site, and the fused logits must equal the unfused ones to
1e-5 relative error. Sequence lengths 128 (even) and 37 (odd).

Needs MASE_BIN_DIR and MASE_LIBRARY_DIR (the runtime), as the other tests.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import numpy_helper

import mase
from mase.models.bert import CONFIGS, make_inputs

MODEL = pathlib.Path(__file__).resolve().parents[2] / "models" / "bert-tiny"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def compile_both(model, shapes, tmp):
    report = pathlib.Path(tmp) / "fusion.txt"
    fused = mase.compile(model, shapes=shapes, fusion_report=report)
    unfused = mase.compile(model, shapes=shapes, fuse_sdpa=False)
    return fused, unfused, report.read_text()


class FuseSdpaTest(unittest.TestCase):
    def check(self, fused, unfused, feeds):
        (a,) = fused.run(None, feeds)
        (b,) = unfused.run(None, feeds)
        scale = np.abs(b).max()
        self.assertLess(np.abs(a - b).max() / scale, 1e-5,
                        f"fused {a.ravel()[:4]} vs unfused {b.ravel()[:4]}")

    def test_bundled_bert(self):
        feeds = {}
        for i, name in enumerate(INPUTS):
            tensor = onnx.TensorProto()
            tensor.ParseFromString(
                (MODEL / "test_data_set_0" / f"input_{i}.pb").read_bytes())
            feeds[name] = numpy_helper.to_array(tensor).copy()
        feeds["attention_mask"][1, 100:] = 0  # padding in the second row
        shapes = {name: list(feeds[name].shape) for name in INPUTS}
        with tempfile.TemporaryDirectory() as tmp:
            fused, unfused, report = compile_both(
                MODEL / "bert_tiny_eager_ts.onnx", shapes, tmp)
        self.assertIn("fusion: 2 of 2 attention sites fused", report)
        self.check(fused, unfused, feeds)

    def test_exporter_styles(self):
        for style in ("torchscript", "sdpa", "dynamo"):
            for seq in (128, 37):
                with self.subTest(style=style, seq=seq), \
                        tempfile.TemporaryDirectory() as tmp:
                    subprocess.run(
                        [sys.executable, "-m", "mase.models.bert", "--config",
                         "tiny", "--style", style, "--batch", "2", "--seq",
                         str(seq), "-o", tmp], check=True,
                        stdout=subprocess.DEVNULL)
                    feeds = make_inputs(CONFIGS["tiny"], 2, seq, 1)
                    feeds = {name: feeds[name] for name in INPUTS}
                    feeds["attention_mask"][0, seq // 2:] = 0
                    shapes = {name: [2, seq] for name in INPUTS}
                    fused, unfused, report = compile_both(
                        os.path.join(tmp, "model.onnx"), shapes, tmp)
                    self.assertIn("fusion: 2 of 2 attention sites fused",
                                  report, report)
                    self.check(fused, unfused, feeds)


if __name__ == "__main__":
    unittest.main()
