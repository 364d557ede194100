"""Writes a small ONNX model for the mase-compile lit tests.

Usage: make_compile_model.py OUT_DIR

Writes OUT_DIR/small.onnx and, for batch 2, OUT_DIR/data/input_0.pb and the
reference outputs OUT_DIR/data/output_{0,1}.pb (numpy), for mase-run.

    x[batch, 4] -> MatMul(W[4, 3]) -> Add(b[3]) -> Relu -> y[batch, 3]
                                                 -> Tanh -> t[batch, 3]

`batch` is symbolic (the importer takes 1 unless --shape says otherwise).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(out):
    w_value = np.arange(12, dtype=np.float32).reshape(4, 3) / 8
    b_value = np.array([0.5, -1, 2], dtype=np.float32)
    w = numpy_helper.from_array(w_value, "W")
    b = numpy_helper.from_array(b_value, "b")
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["mm"], name="/fc/MatMul"),
        helper.make_node("Add", ["mm", "b"], ["z"], name="/fc/Add"),
        helper.make_node("Relu", ["z"], ["y"], name="/act/Relu"),
        helper.make_node("Tanh", ["z"], ["t"], name="/act/Tanh"),
    ]
    f32 = lambda name, shape: helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)
    graph = helper.make_graph(nodes, "small", [f32("x", ["batch", 4])],
                              [f32("y", ["batch", 3]), f32("t", ["batch", 3])], [w, b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    with open(os.path.join(out, "small.onnx"), "wb") as f:
        f.write(model.SerializeToString())

    x = np.array([[1, -2, 0.5, 0.25], [-1, 0.5, -0.75, 0.125]], dtype=np.float32)
    z = x @ w_value + b_value
    for name, value in [("input_0", x), ("output_0", np.maximum(z, 0)),
                        ("output_1", np.tanh(z))]:
        with open(os.path.join(out, "data", name + ".pb"), "wb") as f:
            f.write(numpy_helper.from_array(value.astype(np.float32)).SerializeToString())


if __name__ == "__main__":
    main(sys.argv[1])
