"""The generated BERT's configurations, seeded weights and inputs, in numpy only.

Shared by the ONNX generator (``mase.models.bert``) and by benchmarks that
rebuild the same model elsewhere (``bench/bert_cuda.py`` builds it in PyTorch
on a GPU machine that has neither onnx nor mase's compiler).
"""

from dataclasses import dataclass

import numpy as np

INIT_STD = 0.02
PAD_TOKEN_ID = 0
_WEIGHT_STREAM, _INPUT_STREAM = 0, 1


@dataclass(frozen=True)
class BertConfig:
    """The BERT hyperparameters the generator varies, with BERT's fixed ones."""

    layers: int
    hidden: int
    heads: int
    intermediate: int
    vocab: int = 30522
    positions: int = 512
    type_vocab: int = 2
    labels: int = 2
    layer_norm_eps: float = 1e-12

    @property
    def head_dim(self):
        return self.hidden // self.heads


CONFIGS = {
    "tiny": BertConfig(layers=2, hidden=128, heads=2, intermediate=512),
    "mini": BertConfig(layers=4, hidden=256, heads=4, intermediate=1024),
    "small": BertConfig(layers=4, hidden=512, heads=8, intermediate=2048),
    "base": BertConfig(layers=12, hidden=768, heads=12, intermediate=3072),
}




# --- Weights ----------------------------------------------------------------

def _linear_shapes(module, in_features, out_features):
    return {f"{module}.weight": (out_features, in_features), f"{module}.bias": (out_features,)}


def _layer_norm_shapes(module, features):
    return {f"{module}.weight": (features,), f"{module}.bias": (features,)}


def parameter_shapes(cfg):
    """HF parameter names and shapes of the model, in state-dict order."""
    h = cfg.hidden
    shapes = {
        "bert.embeddings.word_embeddings.weight": (cfg.vocab, h),
        "bert.embeddings.position_embeddings.weight": (cfg.positions, h),
        "bert.embeddings.token_type_embeddings.weight": (cfg.type_vocab, h),
        **_layer_norm_shapes("bert.embeddings.LayerNorm", h),
    }
    for i in range(cfg.layers):
        layer = f"bert.encoder.layer.{i}"
        for projection in ("query", "key", "value"):
            shapes.update(_linear_shapes(f"{layer}.attention.self.{projection}", h, h))
        shapes.update(_linear_shapes(f"{layer}.attention.output.dense", h, h))
        shapes.update(_layer_norm_shapes(f"{layer}.attention.output.LayerNorm", h))
        shapes.update(_linear_shapes(f"{layer}.intermediate.dense", h, cfg.intermediate))
        shapes.update(_linear_shapes(f"{layer}.output.dense", cfg.intermediate, h))
        shapes.update(_layer_norm_shapes(f"{layer}.output.LayerNorm", h))
    shapes.update(_linear_shapes("bert.pooler.dense", h, h))
    shapes.update(_linear_shapes("classifier", h, cfg.labels))
    return shapes


def _initialised_weights(cfg, draw):
    """Weights by HF name as HuggingFace initialises them, the random ones
    (normal, std ``INIT_STD``) from ``draw(shape)``."""
    weights = {}
    for name, shape in parameter_shapes(cfg).items():
        if ".LayerNorm." in name:
            weights[name] = np.full(shape, name.endswith(".weight"), np.float32)
        elif name.endswith(".bias"):
            weights[name] = np.zeros(shape, np.float32)
        else:
            weights[name] = draw(shape)
    weights["bert.embeddings.word_embeddings.weight"][PAD_TOKEN_ID] = 0.0
    return weights


def random_weights(cfg, seed):
    """Float32 weights by HF name, initialised as HuggingFace does, from ``seed``."""
    rng = np.random.default_rng([seed, _WEIGHT_STREAM])
    return _initialised_weights(
        cfg, lambda shape: rng.standard_normal(shape, np.float32) * np.float32(INIT_STD))


def repeated_weights(cfg, seed, block):
    """As ``random_weights``, but every random tensor repeats one seeded block
    of ``block`` values, each tensor from its own place in the block (so no
    two are equal): the numbers are as random as a block is long, and a
    compiled model compresses to little more than the block."""
    rng = np.random.default_rng([seed, _WEIGHT_STREAM])
    values = rng.standard_normal(block, np.float32) * np.float32(INIT_STD)
    starts = iter(range(0, 1 << 62, 7919))

    def draw(shape):
        return np.resize(np.roll(values, -(next(starts) % block)), shape)

    return _initialised_weights(cfg, draw)


# --- Inputs -----------------------------------------------------------------

def make_inputs(cfg, batch, seq, seed):
    """Seeded model inputs by name: random ids, one padded row, two segments."""
    rng = np.random.default_rng([seed, _INPUT_STREAM])
    input_ids = rng.integers(0, cfg.vocab, size=(batch, seq), dtype=np.int64)
    attention_mask = np.ones((batch, seq), np.int64)
    attention_mask[min(1, batch - 1), seq // 2:] = 0
    token_type_ids = np.zeros((batch, seq), np.int64)
    token_type_ids[:, seq // 2:] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask,
            "token_type_ids": token_type_ids}
