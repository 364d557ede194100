"""The bundled BERT quantised in emulate mode against MASE's own outputs.

mase-import-onnx | mase-opt --mase-quantize=<MASE config> --canonicalize, then
mase-compile and the runtime (mase.compile) on the reference inputs. The
logits must equal those MASE computed with the same config
(models/bert-tiny/mase_reference) to float32 accumulation tolerance (they are
in fact bit-identical today), and must differ from the float model's.

Needs MASE_BIN_DIR (the tools) and MASE_LIBRARY_DIR (the runtime).
"""
import os
import pathlib
import subprocess
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


def tool(name):
    return os.path.join(os.environ["MASE_BIN_DIR"], name)


class BertQuantizeTest(unittest.TestCase):
    def compile_quantized(self, config, tmp):
        graph = os.path.join(tmp, "graph.mlir")
        report = os.path.join(tmp, "report.txt")
        imported = subprocess.run(
            [tool("mase-import-onnx"), str(MODEL / "bert_tiny_eager_ts.onnx")]
            + [a for n in INPUTS for a in ("--shape", f"{n}=2x128")]
            + ["-o", "-"], check=True, capture_output=True)
        subprocess.run(
            [tool("mase-opt"), f"--mase-quantize=config={config} report={report}",
             "--canonicalize", "-o", graph],
            input=imported.stdout, check=True, capture_output=True)
        return mase.compile(graph), pathlib.Path(report).read_text()

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
