"""Writes small ONNX models, valid and malformed, for the importer's lit tests.

Usage: make_models.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(model, path):
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def model_of(nodes, inputs, outputs, initializers=(), opset=17):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def linear_model():
    """x[batch,4] -> MatMul(W[4,3]) -> Add(b[3]) -> Relu, named like an exporter."""
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(4, 3) / 8, "W")
    b = numpy_helper.from_array(np.array([0.5, -1, 2], dtype=np.float32), "b")
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["mm"], name="/model/fc/MatMul"),
        helper.make_node("Add", ["b", "mm"], ["y0"], name="/model/fc/Add"),
        helper.make_node("Relu", ["y0"], ["y"], name="/model/act/Relu"),
    ]
    return model_of(nodes, [f32("x", ["batch", 4])], [f32("y", ["batch", 3])], [w, b])


def external_model(directory, name, location, length=None):
    """A one-initializer model whose weight lives in external data."""
    w = numpy_helper.from_array(np.ones((4, 3), dtype=np.float32), "W")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entries = {"location": location, "offset": "0"}
    if length is not None:
        entries["length"] = str(length)
    for key, value in entries.items():
        entry = w.external_data.add()
        entry.key, entry.value = key, value
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="/fc/MatMul")]
    save(model_of(nodes, [f32("x", [1, 4])], [f32("y", [1, 3])], [w]),
         os.path.join(directory, name))


def main(out):
    os.makedirs(out, exist_ok=True)
    save(linear_model(), os.path.join(out, "linear.onnx"))

    # Truncated protobuf: the first half of a real model.
    data = linear_model().SerializeToString()
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2 + 3])

    # External data: present, missing, short, escaping, absolute.
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(np.ones(12, dtype=np.float32).tobytes())
    external_model(out, "external.onnx", "weights.bin")
    external_model(out, "missing_external.onnx", "no_such_file.bin")
    external_model(out, "short_external.onnx", "weights.bin", length=4096)
    external_model(out, "escaping_external.onnx", "../weights.bin")
    external_model(out, "absolute_external.onnx", "/etc/passwd")

    # A cycle and a dangling input name.
    nodes = [helper.make_node("Relu", ["b"], ["a"], name="first"),
             helper.make_node("Relu", ["a"], ["b"], name="second"),
             helper.make_node("Add", ["x", "a"], ["y"], name="sum")]
    save(model_of(nodes, [f32("x", [2])], [f32("y", [2])]), os.path.join(out, "cycle.onnx"))
    nodes = [helper.make_node("Relu", ["nowhere"], ["y"], name="orphan")]
    save(model_of(nodes, [f32("x", [2])], [f32("y", [2])]), os.path.join(out, "dangling.onnx"))

    # An element type ONNX does not define.
    model = model_of([helper.make_node("Relu", ["x"], ["y"], name="r")],
                     [f32("x", [2])], [f32("y", [2])])
    model.graph.input[0].type.tensor_type.elem_type = 99
    save(model, os.path.join(out, "bad_element_type.onnx"))

    # Several unsupported ops: one diagnostic must list them all.
    nodes = [
        helper.make_node("TopK", ["x", "k"], ["v", "i"], name="/net/topk/TopK"),
        helper.make_node("Relu", ["v"], ["r"], name="/net/act/Relu"),
        helper.make_node("NonZero", ["r"], ["nz"], name="/net/nz/NonZero"),
        helper.make_node("CustomThing", ["r"], ["y"], name="/net/custom/Op", domain="com.example"),
    ]
    k = numpy_helper.from_array(np.array([2], dtype=np.int64), "k")
    model = model_of(nodes, [f32("x", [4])], [f32("y", [2])], [k])
    model.opset_import.append(helper.make_opsetid("com.example", 1))
    save(model, os.path.join(out, "unsupported.onnx"))

    # A dynamic dim the importer has no default for.
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="r")]
    save(model_of(nodes, [f32("x", ["tokens", 4])], [f32("y", ["tokens", 4])]),
         os.path.join(out, "dynamic.onnx"))


if __name__ == "__main__":
    main(sys.argv[1])
