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


def cnn_model():
    """Conv (grouped, strided, SAME_UPPER), MaxPool (ceil_mode), AveragePool
    (count_include_pad=0), a 1-D Conv and GlobalAveragePool."""
    w = numpy_helper.from_array(np.ones((4, 2, 3, 3), dtype=np.float32), "W")
    b = numpy_helper.from_array(np.arange(4, dtype=np.float32), "B")
    w1 = numpy_helper.from_array(np.ones((2, 4, 3), dtype=np.float32), "W1")
    shape = numpy_helper.from_array(np.array([1, 4, 4], dtype=np.int64), "s")
    nodes = [
        helper.make_node("Conv", ["x", "W", "B"], ["c"], name="/net/conv/Conv",
                         group=2, strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("MaxPool", ["c"], ["m"], name="/net/pool/MaxPool",
                         kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["c"], ["a"], name="/net/avg/AveragePool",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["a"], ["g"], name="/net/gap/GlobalAveragePool"),
        helper.make_node("Reshape", ["m", "s"], ["r"], name="/net/flat/Reshape"),
        helper.make_node("Conv", ["r", "W1"], ["y"], name="/net/conv1d/Conv",
                         pads=[1, 0]),
    ]
    return model_of(nodes, [f32("x", [1, 4, 6, 6])], [f32("y", [1, 2, 3]), f32("g", [1, 4, 1, 1])],
                    [w, b, w1, shape])


def general_model():
    """Gemm outside the linear-layer form, LayerNormalization with its
    statistics, Pow of a float base by an integer exponent, and Xor."""
    nodes = [
        helper.make_node("Gemm", ["a", "b", "c"], ["gemm"], name="/gemm/Gemm",
                         transA=1, alpha=0.5, beta=2.0),
        helper.make_node("LayerNormalization", ["x", "scale"], ["ln", "mean", "inv"],
                         name="/ln/LayerNormalization", epsilon=1e-3),
        helper.make_node("Pow", ["x", "e"], ["pow"], name="/pow/Pow"),
        helper.make_node("Xor", ["p", "q"], ["xor"], name="/xor/Xor"),
    ]
    inputs = [f32("a", [3, 2]), f32("b", [3, 4]), f32("c", [1, 4]), f32("x", [2, 5]),
              f32("scale", [5]),
              helper.make_tensor_value_info("e", TensorProto.INT64, [5]),
              helper.make_tensor_value_info("p", TensorProto.BOOL, [2, 1]),
              helper.make_tensor_value_info("q", TensorProto.BOOL, [3])]
    outputs = [f32("gemm", [2, 4]), f32("ln", [2, 5]), f32("mean", [2, 1]), f32("inv", [2, 1]),
               f32("pow", [2, 5]), helper.make_tensor_value_info("xor", TensorProto.BOOL, [2, 3])]
    return model_of(nodes, inputs, outputs)


def shape_input_model(out):
    """Reshape whose target shape is a graph input, and TensorProto files to
    freeze it with: a good one, one of the wrong type, one of the wrong rank."""
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["y"], name="/r/Reshape")]
    inputs = [f32("x", [2, 6]), helper.make_tensor_value_info("shape", TensorProto.INT64, [2])]
    save(model_of(nodes, inputs, [f32("y", None)]), os.path.join(out, "shape_input.onnx"))
    for name, array in [("shape.pb", np.array([3, -1], dtype=np.int64)),
                        ("shape_i32.pb", np.array([3, -1], dtype=np.int32)),
                        ("shape_3.pb", np.array([3, 2, 2], dtype=np.int64))]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(numpy_helper.from_array(array).SerializeToString())
    with open(os.path.join(out, "garbage.pb"), "wb") as f:
        f.write(b"\xff\xff\xff")


def main(out):
    os.makedirs(out, exist_ok=True)
    save(linear_model(), os.path.join(out, "linear.onnx"))
    save(cnn_model(), os.path.join(out, "cnn.onnx"))
    save(general_model(), os.path.join(out, "general.onnx"))
    shape_input_model(out)

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

    # Window ops mase has no op for: a 3-D Conv, MaxPool's Indices output.
    w = numpy_helper.from_array(np.ones((2, 1, 2, 2, 2), dtype=np.float32), "W")
    nodes = [helper.make_node("Conv", ["x", "W"], ["y"], name="/net/conv3d/Conv")]
    save(model_of(nodes, [f32("x", [1, 1, 3, 3, 3])], [f32("y", [1, 2, 2, 2, 2])], [w]),
         os.path.join(out, "conv3d.onnx"))
    nodes = [helper.make_node("MaxPool", ["x"], ["y", "i"], name="/net/pool/MaxPool",
                              kernel_shape=[2, 2])]
    save(model_of(nodes, [f32("x", [1, 1, 3, 3])],
                  [f32("y", [1, 1, 2, 2]),
                   helper.make_tensor_value_info("i", TensorProto.INT64, [1, 1, 2, 2])]),
         os.path.join(out, "maxpool_indices.onnx"))

    # A dynamic dim the importer has no default for.
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="r")]
    save(model_of(nodes, [f32("x", ["tokens", 4])], [f32("y", ["tokens", 4])]),
         os.path.join(out, "dynamic.onnx"))


if __name__ == "__main__":
    main(sys.argv[1])
