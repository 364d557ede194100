"""Writes the test data of a quantised model: MASE's own numerics as reference.

    quant-reference.py MODEL.onnx CONFIG DATA_DIR OUT_DIR

OUT_DIR gets DATA_DIR's inputs (input_<i>.pb) and, as output_<i>.pb, what
MODEL.onnx computes quantised by CONFIG (a MASE quantize config) when
compiled for this machine's CPU in emulate mode, which is bit-exact with
MASE (test/e2e/test_bert_quantize.py checks it against MASE's outputs).
scripts/cuda-pack.sh uses it for the GPU's native quantised models.
Needs the build's tools and the project's Python package (PYTHONPATH=python).
"""

import pathlib
import shutil
import sys

import onnx
from onnx import numpy_helper

import mase


def read_tensor(path):
    tensor = onnx.TensorProto()
    tensor.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(tensor)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.split("\n\n")[1].strip())
    model, config, data, out = (pathlib.Path(arg) for arg in sys.argv[1:])
    graph = onnx.load(model, load_external_data=False).graph
    weights = {w.name for w in graph.initializer}
    names = [i.name for i in graph.input if i.name not in weights]
    inputs = sorted(data.glob("input_*.pb"))
    if len(inputs) != len(names):
        sys.exit(f"quant-reference: {data} has {len(inputs)} inputs; {model} takes {len(names)}")
    feeds = {name: read_tensor(data / f"input_{i}.pb") for i, name in enumerate(names)}
    session = mase.compile(model, shapes={n: list(v.shape) for n, v in feeds.items()},
                           quant_config=config)
    outputs = session.run(None, feeds)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(len(names)):
        shutil.copy(data / f"input_{i}.pb", out / f"input_{i}.pb")
    for i, value in enumerate(outputs):
        (out / f"output_{i}.pb").write_bytes(
            numpy_helper.from_array(value, f"output_{i}").SerializeToString())


if __name__ == "__main__":
    main()
