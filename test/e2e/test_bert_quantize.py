"""The bundled BERT quantised in emulate mode against MASE's own outputs.

mase.compile(model, quant_config=<MASE config>) (mase-compile
--quant-config) and the runtime on the reference inputs. The
logits must equal those MASE computed with the same config
(models/bert-tiny/mase_reference) to float32 accumulation tolerance (they are
in fact bit-identical today), and must differ from the float model's.

Needs the tools and the runtime of a build (see test/CMakeLists.txt).
"""
import os
import pathlib
import tempfile
import unittest

import numpy as np
import onnx
from onnx import numpy_helper

import mase

MODEL = pathlib.Path(__file__).resolve().parents[2] / "models" / "bert-tiny"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def read_tensor(path):
    tensor = onnx.TensorProto()
    tensor.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(tensor)


class BertQuantizeTest(unittest.TestCase):
    def compile_quantized(self, config, tmp):
        report = os.path.join(tmp, "report.txt")
        session = mase.compile(MODEL / "bert_tiny_eager_ts.onnx",
                               shapes={n: "2x128" for n in INPUTS},
                               quant_config=config, quant_report=report)
        return session, pathlib.Path(report).read_text()

    def check(self, name):
        feeds = {n: read_tensor(MODEL / "test_data_set_0" / f"input_{i}.pb")
                 for i, n in enumerate(INPUTS)}
        float_logits = read_tensor(MODEL / "test_data_set_0" / "output_0.pb")
        reference = read_tensor(MODEL / "mase_reference" / f"{name}_output_0.pb")
        with tempfile.TemporaryDirectory() as tmp:
            session, report = self.compile_quantized(
                MODEL / "mase_reference" / f"{name}.toml", tmp)
            logits, = session.run(None, feeds)

        # Every Linear layer (the 12 encoder ones, pooler and classifier).
        quantised = [l for l in report.splitlines() if " linear rule=linear " in l]
        self.assertEqual(len(quantised), 14, report)
        self.assertIn("total: 14 of 40 ops quantised", report)

        error = np.linalg.norm(logits - reference) / np.linalg.norm(reference)
        self.assertLessEqual(error, 1e-6, f"{logits} vs MASE {reference}")
        shift = np.linalg.norm(float_logits - reference) / np.linalg.norm(reference)
        self.assertGreater(shift, 1e-2, "the quantised model equals the float one")

    def test_int8_linear(self):
        self.check("int8_linear")

    def test_bfp8_linear(self):
        self.check("bfp8_linear")


if __name__ == "__main__":
    unittest.main()
