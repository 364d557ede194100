"""BERT for sequence classification as ONNX, in the graph idioms of real exporters.

Writes the HuggingFace ``BertForSequenceClassification`` model as an ONNX file
whose graph looks like what a PyTorch exporter emits for it, without needing
torch: numpy and the ``onnx`` package build the graph, onnxruntime computes the
reference output, and an independent numpy float64 implementation of BERT
checks it. ::

    python -m mase.models.bert --config tiny --style torchscript -o OUT_DIR
        [--seed 0] [--batch 2 --seq 128] [--weights SAFETENSORS_DIR | --repeat-weights N]

``OUT_DIR`` gets ``model.onnx`` (weights in ``model.onnx.data`` beside it when
they exceed 2 MiB) and ``test_data_set_0/`` in the ONNX backend-test layout:
``input_0.pb`` .. ``input_2.pb`` (``input_ids``, ``attention_mask``,
``token_type_ids``: int64 ``[batch, seq]``; random ids, the second half of row
1 padded (row 0 when batch is 1), token type 1 on the second half) and
``output_0.pb`` (``logits``, float32 ``[batch, 2]``, from onnxruntime with all
graph optimisations off).

Styles:

``torchscript``
    ``torch.onnx.export`` (TorchScript) at opset 17, as in
    ``models/bert-tiny/bert_tiny_eager_ts.onnx``: scoped node names
    (``/bert/encoder/layer.0/attention/self/query/MatMul``), linear layers as
    MatMul by an ``onnx::MatMul_N`` ``[in, out]`` weight plus Add of the bias,
    pooler and classifier as Gemm, GELU as Div/Erf/Add/Mul/Mul, head split and
    merge shapes from Shape/Gather/Unsqueeze/Concat, position ids as a Slice of
    a constant buffer, the extended attention mask ``(1 - mask) * finfo.min``
    from Unsqueeze/Cast/Sub/Mul, and equal initializers folded into Identity
    nodes. Dynamic ``batch`` and ``seq`` dims.
``dynamo``
    ``torch.onnx.export(dynamo=True)`` at opset 20 (Gelu needs 20): static
    shapes, constant Reshape shapes, LayerNormalization and Gelu ops, node
    names from the FX graph (``node_linear_3``) with no scope metadata,
    HF-named ``[out, in]`` weights transposed by Transpose nodes, constants
    as ``val_N`` initializers.
``sdpa``
    The TorchScript exporter with SDPA attention at opset 17: as
    ``torchscript``, but a boolean attention mask and the exporter's
    ``scaled_dot_product_attention`` lowering (scale from the query's shape,
    ``Where(mask, 0, -inf)``, softmax sanitised by
    ``Where(IsNaN(p), 0, p)``).

Weights are seeded random with HuggingFace's initialisation (normal, std
0.02; zero biases; LayerNorm weight 1, bias 0; padding row 0 of the word
embeddings zero), or read from ``SAFETENSORS_DIR/model.safetensors`` (HF
BERT tensor names).
"""

import argparse
import hashlib
import itertools
import json
import math
import os
import shutil
import sys
from collections import Counter

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from .bert_data import (CONFIGS, BertConfig, make_inputs, parameter_shapes,
                        random_weights, repeated_weights)

__all__ = ["BertConfig", "CONFIGS", "STYLES", "parameter_shapes", "random_weights",
           "repeated_weights", "load_weights",
           "make_inputs", "reference_logits", "build_model", "main"]

EXTERNAL_DATA_THRESHOLD = 2 * 1024 * 1024
TOLERANCE = 1e-5
TEST_DATA_DIR = "test_data_set_0"
_FLOAT32_MIN = float(np.finfo(np.float32).min)


class WeightsError(ValueError):
    """A safetensors file that does not hold the model's weights."""


# --- Weights ----------------------------------------------------------------

_SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2"}


def _safetensors_index(path):
    """The header entries of a safetensors file and its data section (memory-mapped)."""
    try:
        blob = np.memmap(path, dtype=np.uint8, mode="r")
    except OSError as e:
        raise WeightsError(f"cannot read '{path}': {e.strerror}") from e
    if blob.size < 8:
        raise WeightsError(f"'{path}' is not a safetensors file (shorter than its header length)")
    header_size = int(blob[:8].view("<u8")[0])
    if 8 + header_size > blob.size:
        raise WeightsError(f"'{path}': the {header_size}-byte header runs past the end")
    try:
        header = json.loads(bytes(blob[8:8 + header_size]))
    except ValueError as e:
        raise WeightsError(f"'{path}': the header is not JSON: {e}") from e
    header.pop("__metadata__", None)
    return header, blob[8 + header_size:]


def _decode_tensor(path, name, entry, data):
    """One safetensors tensor as a float32 array."""
    dtype = _SAFETENSORS_DTYPES.get(entry["dtype"])
    if dtype is None:
        raise WeightsError(f"'{path}': tensor '{name}' has dtype {entry['dtype']}; "
                           f"expected one of {', '.join(_SAFETENSORS_DTYPES)}")
    begin, end = entry["data_offsets"]
    shape = tuple(entry["shape"])
    if end > data.size or end - begin != math.prod(shape) * np.dtype(dtype).itemsize:
        raise WeightsError(f"'{path}': tensor '{name}' has bad data offsets [{begin}, {end}]")
    array = data[begin:end].view(dtype).reshape(shape)
    if entry["dtype"] == "BF16":
        return (array.astype(np.uint32) << 16).view(np.float32)
    return array.astype(np.float32)


def _legacy_name(name):
    """The pre-2019 HF name of a LayerNorm parameter (gamma/beta), else ``name``."""
    if ".LayerNorm." in name:
        return name.replace(".weight", ".gamma").replace(".bias", ".beta")
    return name


def load_weights(cfg, directory):
    """Float32 weights by HF name from ``directory/model.safetensors``.

    Parses the file with numpy only (8-byte little-endian header length, JSON
    header, raw little-endian tensors). Raises WeightsError naming the file
    and tensor when one is missing or does not fit ``cfg``.
    """
    path = os.path.join(directory, "model.safetensors")
    header, data = _safetensors_index(path)
    weights = {}
    for name, shape in parameter_shapes(cfg).items():
        stored = name if name in header else _legacy_name(name)
        if stored not in header:
            raise WeightsError(f"'{path}' has no tensor '{name}' "
                               "(expected HF BertForSequenceClassification names)")
        array = _decode_tensor(path, stored, header[stored], data)
        if array.shape != shape:
            raise WeightsError(f"'{path}': tensor '{stored}' has shape {list(array.shape)}; "
                               f"this config expects {list(shape)}")
        weights[name] = array
    return weights


# --- Inputs and the numpy reference -------------------------------------------

_erf = np.frompyfunc(math.erf, 1, 1)


def _ref_linear(weights, module, x):
    weight = weights[f"{module}.weight"].astype(np.float64)
    return x @ weight.T + weights[f"{module}.bias"]


def _ref_layer_norm(weights, module, x, eps):
    centred = x - x.mean(axis=-1, keepdims=True)
    normed = centred / np.sqrt((centred ** 2).mean(axis=-1, keepdims=True) + eps)
    return normed * weights[f"{module}.weight"] + weights[f"{module}.bias"]


def _ref_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _ref_gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def _ref_self_attention(cfg, weights, module, x, mask_bias):
    batch, seq, _ = x.shape

    def heads(name):
        y = _ref_linear(weights, f"{module}.{name}", x)
        return y.reshape(batch, seq, cfg.heads, cfg.head_dim).transpose(0, 2, 1, 3)

    q, k, v = heads("query"), heads("key"), heads("value")
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(cfg.head_dim) + mask_bias
    context = _ref_softmax(scores) @ v
    return context.transpose(0, 2, 1, 3).reshape(batch, seq, cfg.hidden)


def _ref_encoder_layer(cfg, weights, layer, x, mask_bias):
    eps = cfg.layer_norm_eps
    attention = _ref_self_attention(cfg, weights, f"{layer}.attention.self", x, mask_bias)
    attention = _ref_linear(weights, f"{layer}.attention.output.dense", attention)
    x = _ref_layer_norm(weights, f"{layer}.attention.output.LayerNorm", attention + x, eps)
    hidden = _ref_gelu(_ref_linear(weights, f"{layer}.intermediate.dense", x))
    hidden = _ref_linear(weights, f"{layer}.output.dense", hidden)
    return _ref_layer_norm(weights, f"{layer}.output.LayerNorm", hidden + x, eps)


def reference_logits(cfg, weights, inputs):
    """The logits in numpy float64, straight from the HF BERT definition."""
    ids, types = inputs["input_ids"], inputs["token_type_ids"]
    seq = ids.shape[1]
    x = (weights["bert.embeddings.word_embeddings.weight"][ids].astype(np.float64)
         + weights["bert.embeddings.token_type_embeddings.weight"][types]
         + weights["bert.embeddings.position_embeddings.weight"][:seq])
    x = _ref_layer_norm(weights, "bert.embeddings.LayerNorm", x, cfg.layer_norm_eps)
    mask = inputs["attention_mask"][:, None, None, :].astype(np.float64)
    mask_bias = (1.0 - mask) * _FLOAT32_MIN
    for i in range(cfg.layers):
        x = _ref_encoder_layer(cfg, weights, f"bert.encoder.layer.{i}", x, mask_bias)
    pooled = np.tanh(_ref_linear(weights, "bert.pooler.dense", x[:, 0]))
    return _ref_linear(weights, "classifier", pooled)


# --- Graph construction, shared by the styles ----------------------------------

class GraphBuilder:
    """The nodes and initializers of one ONNX graph under construction."""

    def __init__(self):
        self.nodes = []
        self.initializers = []
        self._initializer_names = set()

    def node(self, op_type, inputs, output, name, **attrs):
        """Appends a single-output node; returns its output name."""
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=name, **attrs))
        return output

    def initializer(self, name, array):
        """Adds ``array`` as initializer ``name`` unless it exists; returns the name."""
        if name not in self._initializer_names:
            self._initializer_names.add(name)
            self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def alias_equal_initializers(self):
        """Keeps one of each set of equal initializers; the others become Identity
        nodes of it at the top of the graph, as torch.onnx.export's
        deduplication does."""
        first = {}
        kept, aliases = [], []
        for tensor in self.initializers:
            key = (tensor.data_type, tuple(tensor.dims), hashlib.sha256(tensor.raw_data).digest())
            if key in first:
                aliases.append(helper.make_node("Identity", [first[key]], [tensor.name],
                                                name=f"Identity_{len(aliases)}"))
            else:
                first[key] = tensor.name
                kept.append(tensor)
        self.initializers = kept
        self.nodes[:0] = aliases


def _module_scope(module):
    """TorchScript scope of an HF module path: 'bert.encoder.layer.0.attention'
    -> '/bert/encoder/layer.0/attention' (list indices stay on their list)."""
    parts = []
    for part in module.split("."):
        if part.isdigit():
            parts[-1] += "." + part
        else:
            parts.append(part)
    return "/" + "/".join(parts)


class BertGraph:
    """BERT's dataflow over per-style operations.

    This class fixes the order of the steps; a style subclass names its nodes
    and emits the ops of each step by defining ``embeddings``,
    ``attention_mask``, ``self_attention``, ``linear`` (3-D input), ``gemm``
    (2-D input), ``layer_norm``, ``gelu``, ``residual_add`` and
    ``classifier_head``. Each takes and returns value names; modules are
    named by their HF dotted path (``bert.encoder.layer.0.attention.self``).
    """

    style = None
    opset = None
    ir_version = None
    dynamic = True

    def __init__(self, cfg, weights, batch, seq):
        self.cfg = cfg
        self.weights = weights
        self.batch = batch
        self.seq = seq
        self.graph = GraphBuilder()

    def build(self):
        """The finished ModelProto."""
        hidden = self.embeddings("input_ids", "token_type_ids")
        mask = self.attention_mask("attention_mask")
        for i in range(self.cfg.layers):
            hidden = self.encoder_layer(f"bert.encoder.layer.{i}", hidden, mask)
        self.classifier_head(hidden)
        self.finish()
        return self._model()

    def encoder_layer(self, layer, x, mask):
        """BertLayer: self-attention, then the GELU feed-forward block."""
        attention = self.self_attention(f"{layer}.attention.self", x, mask)
        x = self.output_block(f"{layer}.attention.output", attention, x)
        hidden = self.gelu(f"{layer}.intermediate", self.linear(f"{layer}.intermediate.dense", x))
        return self.output_block(f"{layer}.output", hidden, x)

    def output_block(self, module, x, residual):
        """BertSelfOutput / BertOutput: dense, residual add, LayerNorm."""
        y = self.residual_add(module, self.linear(f"{module}.dense", x), residual)
        return self.layer_norm(f"{module}.LayerNorm", y)

    def param(self, name):
        """The HF-named weight ``name`` as an initializer."""
        return self.graph.initializer(name, self.weights[name])

    def finish(self):
        """Style-specific clean-up once every node exists."""

    def _model(self):
        """Wraps the graph with the signature every style shares."""
        dims = ["batch", "seq"] if self.dynamic else [self.batch, self.seq]
        out_dims = [dims[0], self.cfg.labels]
        inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, dims)
                  for name in ("input_ids", "attention_mask", "token_type_ids")]
        outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, out_dims)]
        graph = helper.make_graph(self.graph.nodes, "main_graph", inputs, outputs,
                                  self.graph.initializers)
        return helper.make_model(
            graph, ir_version=self.ir_version, opset_imports=[helper.make_opsetid("", self.opset)],
            producer_name="mase.models.bert",
            doc_string=f"BertForSequenceClassification in the {self.style} exporter's idioms")


# --- Style: torch.onnx.export (TorchScript) -------------------------------------

class TorchScriptBert(BertGraph):
    """The TorchScript exporter's graph (eager attention), opset 17."""

    style = "torchscript"
    opset = 17
    ir_version = 8
    key_perm = [0, 2, 3, 1]  # transpose(1, 2) then transpose(-1, -2), fused

    def __init__(self, *args):
        super().__init__(*args)
        self._op_counts = Counter()
        self._onnx_ids = itertools.count()

    def op(self, scope, op_type, inputs, output=None, **attrs):
        """A node named '<scope>/<Op>[_k]' with output '<name>_output_0' (or
        ``output``), as the exporter names them."""
        k = self._op_counts[scope, op_type]
        self._op_counts[scope, op_type] += 1
        name = f"{scope}/{op_type}" + (f"_{k}" if k else "")
        return self.graph.node(op_type, inputs, output or f"{name}_output_0", name, **attrs)

    def const(self, scope, value):
        """A scoped Constant node."""
        return self.op(scope, "Constant", [], value=numpy_helper.from_array(np.asarray(value)))

    def onnx_const(self, value, consumer):
        """An unscoped Constant ('Constant_N' -> 'onnx::<consumer>_N'), as the
        exporter emits for constants created by its ONNX passes."""
        n = next(self._onnx_ids)
        return self.graph.node("Constant", [], f"onnx::{consumer}_{n}", f"Constant_{n}",
                               value=numpy_helper.from_array(np.asarray(value)))

    def matmul_weight(self, module):
        """The [in, out] weight the exporter folds out of Linear's transpose."""
        n = next(self._onnx_ids)
        weight = self.weights[f"{module}.weight"]
        return self.graph.initializer(f"onnx::MatMul_{n}", np.ascontiguousarray(weight.T))

    def dim(self, scope, x, axis):
        """x.size(axis) as a 0-d int64 tensor."""
        shape = self.op(scope, "Shape", [x])
        return self.op(scope, "Gather", [shape, self.const(scope, np.int64(axis))], axis=0)

    def unsqueeze0(self, scope, scalar):
        """A 0-d tensor as a 1-element one, ready for a shape Concat."""
        return self.op(scope, "Unsqueeze", [scalar, self.onnx_const(np.array([0]), "Unsqueeze")])

    def reshape(self, scope, x, dims):
        """Reshape to the shape concatenated from 0-d and 1-d int64 tensors."""
        shape = self.op(scope, "Concat", dims, axis=0)
        return self.op(scope, "Reshape", [x, shape], allowzero=0)

    # BERT's steps.
    def embeddings(self, input_ids, token_type_ids):
        """BertEmbeddings; position ids Slice the buffer up to input_ids.size(1)."""
        s = _module_scope("bert.embeddings")
        seq = self.dim(s, input_ids, 1)
        buffer = self.onnx_const(np.arange(self.cfg.positions, dtype=np.int64)[None], "Slice")
        position_ids = self.op(s, "Slice", [
            buffer, self.const(s, np.array([0])),
            self.op(s, "Unsqueeze", [seq, self.const(s, np.array([0]))]),
            self.const(s, np.array([1])), self.const(s, np.array([1]))])
        words = self.embedding("bert.embeddings.word_embeddings", input_ids)
        types = self.embedding("bert.embeddings.token_type_embeddings", token_type_ids)
        x = self.op(s, "Add", [words, types])
        positions = self.embedding("bert.embeddings.position_embeddings", position_ids)
        x = self.op(s, "Add", [x, positions])
        return self.layer_norm("bert.embeddings.LayerNorm", x)

    def embedding(self, module, ids):
        """nn.Embedding as Gather(weight, ids)."""
        return self.op(_module_scope(module), "Gather", [self.param(f"{module}.weight"), ids])

    def attention_mask(self, mask):
        """get_extended_attention_mask: (1 - mask[:, None, None, :]) * finfo.min."""
        s = _module_scope("bert")
        m = self.op(s, "Unsqueeze", [mask, self.const(s, np.array([1]))])
        m = self.op(s, "Unsqueeze", [m, self.const(s, np.array([2]))])
        m = self.op(s, "Cast", [m], to=TensorProto.FLOAT)
        m = self.op(s, "Sub", [self.const(s, np.float32(1.0)), m])
        return self.op(s, "Mul", [m, self.const(s, np.float32(_FLOAT32_MIN))])

    def linear(self, module, x):
        """nn.Linear on a 3-D input: MatMul by the [in, out] weight, Add(bias, .)."""
        s = _module_scope(module)
        product = self.op(s, "MatMul", [x, self.matmul_weight(module)])
        return self.op(s, "Add", [self.param(f"{module}.bias"), product])

    def gemm(self, module, x, output=None):
        """nn.Linear on a 2-D input: Gemm with transB."""
        return self.op(_module_scope(module), "Gemm",
                       [x, self.param(f"{module}.weight"), self.param(f"{module}.bias")],
                       output, alpha=1.0, beta=1.0, transB=1)

    def layer_norm(self, module, x):
        """nn.LayerNorm as LayerNormalization over the last axis."""
        return self.op(_module_scope(module), "LayerNormalization",
                       [x, self.param(f"{module}.weight"), self.param(f"{module}.bias")],
                       axis=-1, epsilon=self.cfg.layer_norm_eps)

    def gelu(self, module, x):
        """GELU(erf) as x * (1 + erf(x / sqrt 2)) * 0.5."""
        s = _module_scope(f"{module}.intermediate_act_fn")
        scaled = self.op(s, "Div", [x, self.const(s, np.float32(math.sqrt(2.0)))])
        erf = self.op(s, "Erf", [scaled])
        y = self.op(s, "Mul", [x, self.op(s, "Add", [erf, self.const(s, np.float32(1.0))])])
        return self.op(s, "Mul", [y, self.const(s, np.float32(0.5))])

    def residual_add(self, module, x, residual):
        """The residual connection of BertSelfOutput / BertOutput."""
        return self.op(_module_scope(module), "Add", [x, residual])

    def self_attention(self, module, x, mask):
        """BertSelfAttention: q/k/v heads split by shapes taken from x, the
        attention core, heads merged."""
        s = _module_scope(module)
        batch, seq = self.dim(s, x, 0), self.dim(s, x, 1)

        def heads(name, perm):
            y = self.linear(f"{module}.{name}", x)
            y = self.reshape(s, y, [self.unsqueeze0(s, batch), self.unsqueeze0(s, seq),
                                    self.const(s, np.array([-1])),
                                    self.const(s, np.array([self.cfg.head_dim]))])
            return self.op(s, "Transpose", [y], perm=perm)

        q = heads("query", [0, 2, 1, 3])
        k = heads("key", self.key_perm)
        v = heads("value", [0, 2, 1, 3])
        context = self.attention_core(s, q, k, v, mask)
        context = self.op(s, "Transpose", [context], perm=[0, 2, 1, 3])
        return self.reshape(s, context, [self.unsqueeze0(s, batch), self.unsqueeze0(s, seq),
                                         self.const(s, np.array([-1]))])

    def attention_core(self, s, q, k, v, mask):
        """Eager attention: softmax(q k^T * scale + mask) v, k already transposed."""
        scores = self.op(s, "MatMul", [q, k])
        scores = self.op(s, "Mul", [scores, self.const(s, np.float32(self.cfg.head_dim ** -0.5))])
        probs = self.op(s, "Softmax", [self.op(s, "Add", [scores, mask])], axis=-1)
        return self.op(s, "MatMul", [probs, v])

    def classifier_head(self, x):
        """BertPooler on token 0, then the classifier, whose output is 'logits'."""
        s = _module_scope("bert.pooler")
        first = self.op(s, "Gather", [x, self.const(s, np.int64(0))], axis=1)
        pooled = self.gemm("bert.pooler.dense", first)
        pooled = self.op(_module_scope("bert.pooler.activation"), "Tanh", [pooled])
        return self.gemm("classifier", pooled, output="logits")

    def finish(self):
        """Folds equal initializers (zero biases, unit LayerNorm weights) into Identity."""
        self.graph.alias_equal_initializers()


# --- Style: torch.onnx.export (TorchScript) with SDPA attention -------------------

class SdpaBert(TorchScriptBert):
    """The TorchScript exporter's graph with SDPA attention and a boolean mask."""

    style = "sdpa"
    key_perm = [0, 2, 1, 3]  # SDPA transposes the key itself

    def attention_mask(self, mask):
        """mask[:, None, None, :] as bool: True where a key may be attended."""
        s = _module_scope("bert")
        m = self.op(s, "Unsqueeze", [mask, self.const(s, np.array([1]))])
        m = self.op(s, "Unsqueeze", [m, self.const(s, np.array([2]))])
        return self.op(s, "Cast", [m], to=TensorProto.BOOL)

    def attention_scale(self, s, q):
        """The exporter's 1 / sqrt(q.size(-1)), computed from q's shape."""
        last = self.op(s, "Slice", [self.op(s, "Shape", [q]),
                                    self.const(s, np.array([-1])),
                                    self.const(s, np.array([np.iinfo(np.int64).max]))])
        size = self.op(s, "Cast", [last], to=TensorProto.FLOAT)
        return self.op(s, "Div", [self.const(s, np.array([1.0], np.float32)),
                                  self.op(s, "Sqrt", [size])])

    def attention_core(self, s, q, k, v, mask):
        """torch.onnx's scaled_dot_product_attention lowering for a bool mask."""
        scale = self.attention_scale(s, q)
        k = self.op(s, "Transpose", [k], perm=[0, 1, 3, 2])
        q = self.op(s, "Mul", [q, self.op(s, "Sqrt", [scale])])
        k = self.op(s, "Mul", [k, self.op(s, "Sqrt", [scale])])
        scores = self.op(s, "MatMul", [q, k])
        zero = self.const(s, np.array([0.0], np.float32))
        bias = self.op(s, "Where", [mask, zero, self.const(s, np.array([-np.inf], np.float32))])
        probs = self.op(s, "Softmax", [self.op(s, "Add", [scores, bias])], axis=-1)
        probs = self.op(s, "Where", [self.op(s, "IsNaN", [probs]), zero, probs])
        return self.op(s, "MatMul", [probs, v])


# --- Style: torch.onnx.export(dynamo=True) ----------------------------------------

class DynamoBert(BertGraph):
    """The dynamo exporter's graph: static shapes, opset 20, FX node names."""

    style = "dynamo"
    opset = 20
    ir_version = 9
    dynamic = False

    def __init__(self, *args):
        super().__init__(*args)
        self._fx_counts = Counter()
        self._val_ids = itertools.count()

    def fx(self, fx_op, op_type, inputs, output=None, **attrs):
        """The node standing for an FX node: the k-th ``fx_op`` (e.g. the 4th
        'linear') gives value 'linear_3' (or ``output``) and node
        'node_linear_3'."""
        k = self._fx_counts[fx_op]
        self._fx_counts[fx_op] += 1
        value = fx_op + (f"_{k}" if k else "")
        return self.graph.node(op_type, inputs, output or value, f"node_{value}", **attrs)

    def step(self, op_type, inputs, **attrs):
        """A node inside an FX node's decomposition: 'node_<Op>_N' -> 'val_N'."""
        n = next(self._val_ids)
        return self.graph.node(op_type, inputs, f"val_{n}", f"node_{op_type}_{n}", **attrs)

    def const(self, value):
        """A constant, lifted to initializer 'val_N'."""
        return self.graph.initializer(f"val_{next(self._val_ids)}", np.asarray(value))

    # BERT's steps.
    def embeddings(self, input_ids, token_type_ids):
        """BertEmbeddings; position ids Slice the position_ids buffer statically."""
        buffer = self.graph.initializer(
            "bert.embeddings.position_ids", np.arange(self.cfg.positions, dtype=np.int64)[None])
        position_ids = self.fx("slice", "Slice", [buffer, self.const([0]), self.const([self.seq]),
                                                  self.const([1]), self.const([1])])
        words = self.embedding("bert.embeddings.word_embeddings", input_ids)
        types = self.embedding("bert.embeddings.token_type_embeddings", token_type_ids)
        x = self.fx("add", "Add", [words, types])
        positions = self.embedding("bert.embeddings.position_embeddings", position_ids)
        x = self.fx("add", "Add", [x, positions])
        return self.layer_norm("bert.embeddings.LayerNorm", x)

    def embedding(self, module, ids):
        """aten::embedding as Gather(weight, ids)."""
        return self.fx("embedding", "Gather", [self.param(f"{module}.weight"), ids])

    def attention_mask(self, mask):
        """get_extended_attention_mask: (1 - mask[:, None, None, :]) * finfo.min."""
        m = self.fx("unsqueeze", "Unsqueeze", [mask, self.const([1])])
        m = self.fx("unsqueeze", "Unsqueeze", [m, self.const([2])])
        m = self.fx("_to_copy", "Cast", [m], to=TensorProto.FLOAT)
        m = self.fx("rsub", "Sub", [self.const(np.float32(1.0)), m])
        return self.fx("mul", "Mul", [m, self.const(np.float32(_FLOAT32_MIN))])

    def linear(self, module, x):
        """torchlib's aten::linear for a 3-D input: Transpose, MatMul, Add."""
        weight = self.step("Transpose", [self.param(f"{module}.weight")], perm=[1, 0])
        product = self.step("MatMul", [x, weight])
        return self.fx("linear", "Add", [product, self.param(f"{module}.bias")])

    def gemm(self, module, x, output=None):
        """torchlib's aten::linear for a 2-D input with a bias."""
        return self.fx("linear", "Gemm",
                       [x, self.param(f"{module}.weight"), self.param(f"{module}.bias")],
                       output, transB=1)

    def layer_norm(self, module, x):
        """aten::layer_norm as LayerNormalization over the last axis."""
        return self.fx("layer_norm", "LayerNormalization",
                       [x, self.param(f"{module}.weight"), self.param(f"{module}.bias")],
                       axis=-1, epsilon=self.cfg.layer_norm_eps)

    def gelu(self, module, x):
        """aten::gelu as the opset-20 Gelu op."""
        return self.fx("gelu", "Gelu", [x], approximate="none")

    def residual_add(self, module, x, residual):
        """The residual connection of BertSelfOutput / BertOutput."""
        return self.fx("add", "Add", [x, residual])

    def self_attention(self, module, x, mask):
        """Eager BertSelfAttention with static view shapes."""
        cfg = self.cfg

        def heads(name):
            y = self.linear(f"{module}.{name}", x)
            y = self.fx("view", "Reshape",
                        [y, self.const([self.batch, self.seq, cfg.heads, cfg.head_dim])])
            return self.fx("permute", "Transpose", [y], perm=[0, 2, 1, 3])

        q, k, v = heads("query"), heads("key"), heads("value")
        k = self.fx("transpose", "Transpose", [k], perm=[0, 1, 3, 2])
        scores = self.fx("matmul", "MatMul", [q, k])
        scores = self.fx("div", "Div", [scores, self.const(np.float32(math.sqrt(cfg.head_dim)))])
        scores = self.fx("add", "Add", [scores, mask])
        probs = self.fx("softmax", "Softmax", [scores], axis=-1)
        context = self.fx("matmul", "MatMul", [probs, v])
        context = self.fx("permute", "Transpose", [context], perm=[0, 2, 1, 3])
        return self.fx("view", "Reshape",
                       [context, self.const([self.batch, self.seq, cfg.hidden])])

    def classifier_head(self, x):
        """BertPooler on token 0, then the classifier, whose output is 'logits'."""
        first = self.fx("select", "Gather", [x, self.const(np.int64(0))], axis=1)
        pooled = self.fx("tanh", "Tanh", [self.gemm("bert.pooler.dense", first)])
        return self.gemm("classifier", pooled, output="logits")


STYLES = {style.style: style for style in (TorchScriptBert, DynamoBert, SdpaBert)}


def build_model(cfg, weights, style, batch, seq):
    """The ModelProto of BERT ``cfg`` with ``weights`` in exporter style ``style``."""
    return STYLES[style](cfg, weights, batch, seq).build()


# --- Files ------------------------------------------------------------------------

def save_model(model, out_dir):
    """Writes OUT_DIR/model.onnx, weights in model.onnx.data when over 2 MiB."""
    path = os.path.join(out_dir, "model.onnx")
    data_name = "model.onnx.data"
    if os.path.exists(os.path.join(out_dir, data_name)):
        os.remove(os.path.join(out_dir, data_name))  # onnx appends to it otherwise
    size = sum(len(t.raw_data) for t in model.graph.initializer)
    onnx.save_model(model, path, save_as_external_data=size > EXTERNAL_DATA_THRESHOLD,
                    all_tensors_to_one_file=True, location=data_name)
    return path


def run_onnxruntime(path, inputs):
    """The model's logits from onnxruntime with every graph optimisation off."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    return session.run(["logits"], inputs)[0]


def relative_error(actual, expected):
    """max |actual - expected| over max |expected|: one number for the tensor."""
    scale = max(float(np.max(np.abs(expected))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(actual - expected))) / scale


def write_test_data(out_dir, inputs, logits):
    """OUT_DIR/test_data_set_0/{input_0..2,output_0}.pb as TensorProtos."""
    directory = os.path.join(out_dir, TEST_DATA_DIR)
    os.makedirs(directory, exist_ok=True)
    tensors = [(f"input_{i}", name, value) for i, (name, value) in enumerate(inputs.items())]
    tensors.append(("output_0", "logits", logits))
    for file_name, name, value in tensors:
        with open(os.path.join(directory, f"{file_name}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value, name).SerializeToString())


# --- Command line -------------------------------------------------------------------

def parse_args(argv):
    """The command line, validated."""
    parser = argparse.ArgumentParser(
        prog="python -m mase.models.bert",
        description="Write BERT for sequence classification as ONNX in an exporter's "
                    "idioms, with backend-test data checked against numpy float64.")
    parser.add_argument("--config", choices=CONFIGS, required=True)
    parser.add_argument("--style", choices=STYLES, required=True)
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the random weights and inputs (default 0)")
    parser.add_argument("--batch", type=int, default=2, help="test batch size (default 2)")
    parser.add_argument("--seq", type=int, default=128, help="test sequence length (default 128)")
    parser.add_argument("--weights", metavar="SAFETENSORS_DIR",
                        help="read weights from SAFETENSORS_DIR/model.safetensors")
    parser.add_argument("--repeat-weights", metavar="N", type=int,
                        help="seeded random weights that repeat one block of N values "
                             "(a model that compresses to a few MB, for moving it)")
    parser.add_argument("-o", "--output", metavar="OUT_DIR", required=True)
    args = parser.parse_args(argv)
    positions = CONFIGS[args.config].positions
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    if args.repeat_weights is not None and args.repeat_weights < 1:
        parser.error("--repeat-weights must be at least 1")
    if args.repeat_weights is not None and args.weights:
        parser.error("--repeat-weights and --weights exclude each other")
    if not 2 <= args.seq <= positions:
        parser.error(f"--seq must be between 2 and {positions}")
    return args


def main(argv=None):
    """Writes the model and its checked test data; exits non-zero on any failure."""
    args = parse_args(argv)
    cfg = CONFIGS[args.config]
    if args.weights:
        try:
            weights = load_weights(cfg, args.weights)
        except WeightsError as e:
            sys.exit(f"mase.models.bert: error: {e}")
    elif args.repeat_weights:
        weights = repeated_weights(cfg, args.seed, args.repeat_weights)
    else:
        weights = random_weights(cfg, args.seed)
    inputs = make_inputs(cfg, args.batch, args.seq, args.seed)
    model = build_model(cfg, weights, args.style, args.batch, args.seq)
    node_count = len(model.graph.node)
    os.makedirs(args.output, exist_ok=True)
    shutil.rmtree(os.path.join(args.output, TEST_DATA_DIR), ignore_errors=True)
    path = save_model(model, args.output)
    onnx.checker.check_model(path, full_check=True)
    logits = run_onnxruntime(path, inputs)
    error = relative_error(logits, reference_logits(cfg, weights, inputs))
    if not error <= TOLERANCE:
        sys.exit(f"mase.models.bert: error: {path}: onnxruntime and the numpy float64 reference "
                 f"differ by {error:.3e} relative (tolerance {TOLERANCE:g}); no test data written")
    write_test_data(args.output, inputs, logits)
    print(f"{path}: BERT {args.config}, {args.style} style, opset {STYLES[args.style].opset}, "
          f"{node_count} nodes; onnxruntime vs numpy float64: {error:.2e} relative")


if __name__ == "__main__":
    main()
