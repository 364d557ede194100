"""Native quantisation (mase-quantize mode=native) against emulate mode.

Linear layers with random weights and inputs, and the bundled BERT under
models/bert-tiny/mase_reference/{int8,bfp8}_linear.toml and an MXINT8
config, are quantised by mase-opt in both modes, compiled by mase-compile and
run. Integer formats: where the integer accumulation is exact
(docs/design.md: every partial sum of codes below 2^24) native equals
emulate bit for bit; where emulate's float32 sums round, native equals the
exactly accumulated integer result rounded once, and emulate is within
float32 summation error of it. Block formats (MXINT8, block FP): native
equals a numpy model of mase.block_linear (exact int32 sums per block,
float32 accumulation over blocks) bit for bit, and emulate is within float32
summation error of it. Native weights take a quarter of the float32 bytes
(plus the scales) in the weights file.

Needs MASE_BIN_DIR (mase-opt, mase-import-onnx, mase-compile) and
MASE_LIBRARY_DIR (the runtime).
"""
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

import numpy as np
import onnx
from onnx import numpy_helper

import mase
from mase import numerics

BIN = pathlib.Path(os.environ.get("MASE_BIN_DIR", "build/bin"))
MODEL = pathlib.Path(__file__).resolve().parents[2] / "models" / "bert-tiny"
BERT_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def integer_config(data_in, weight, bias):
    """A by-type config quantising linear layers with integer formats,
    each a (width, frac_width) pair."""
    config = {"name": "integer"}
    for role, (width, frac) in (("data_in", data_in), ("weight", weight),
                                ("bias", bias)):
        config[f"{role}_width"] = width
        config[f"{role}_frac_width"] = frac
    return json.dumps({"by": "type", "linear": {"config": config}})


def linear_module(w, b):
    out, k = w.shape
    rows = "x".join(str(d) for d in (2, 3, k))
    result = "x".join(str(d) for d in (2, 3, out))
    def dense(a):
        return np.array2string(a, separator=", ", threshold=np.inf,
                               floatmode="unique", max_line_width=np.inf)
    return (f"func.func @main(%x: tensor<{rows}xf32>) -> tensor<{result}xf32> {{\n"
            f"  %w = arith.constant dense<{dense(w)}> : tensor<{out}x{k}xf32>\n"
            f"  %b = arith.constant dense<{dense(b)}> : tensor<{out}xf32>\n"
            f"  %y = mase.linear %x, %w, %b {{mase.layer = \"fc\"}} : (tensor<{rows}xf32>, "
            f"tensor<{out}x{k}xf32>, tensor<{out}xf32>) -> tensor<{result}xf32>\n"
            f"  return %y : tensor<{result}xf32>\n}}\n")


def quantize(graph, tmp, config, mode, options=""):
    """mase-opt --mase-quantize with `config` (config=FILE or
    config-text=TEXT) in `mode`, then canonicalize."""
    out = os.path.join(tmp, f"{mode}.mlir")
    subprocess.run([BIN / "mase-opt", graph,
                    f"--mase-quantize={config} mode={mode}{options}",
                    "--canonicalize", "-o", out], check=True)
    return out


def codes(x, width, frac):
    top = 2 ** (width - 1)
    return np.clip(np.rint(x.astype(np.float64) * 2.0 ** frac), -top, top - 1)


class NativeLinearTest(unittest.TestCase):
    def run_modes(self, w, b, x, config, options=""):
        results = {}
        with tempfile.TemporaryDirectory() as tmp:
            graph = os.path.join(tmp, "graph.mlir")
            pathlib.Path(graph).write_text(linear_module(w, b))
            for mode in ("emulate", "native"):
                path = quantize(graph, tmp, f"config-text={config}", mode,
                                options)
                text = pathlib.Path(path).read_text()
                self.assertEqual(("mase.int_linear" in text or
                                  "mase.block_linear" in text), mode == "native")
                session = mase.compile(path)
                results[mode], = session.run(None, {"input_0": x})
        return results["emulate"], results["native"]

    def check_bit_exact(self, k, data_in, weight, bias, x_scale, options=""):
        rng = np.random.default_rng(k)
        w = rng.standard_normal((24, k)).astype(np.float32) * 0.5
        b = rng.standard_normal(24).astype(np.float32)
        config = integer_config(data_in, weight, bias)
        for trial in range(3):
            x = (rng.standard_normal((2, 3, k)) * x_scale).astype(np.float32)
            emulate, native = self.run_modes(w, b, x, config, options)
            self.assertTrue(np.array_equal(emulate.view(np.uint32),
                                           native.view(np.uint32)),
                            f"trial {trial}: max |diff| "
                            f"{np.abs(emulate - native).max()}")

    def test_int8_by_int8_exact(self):
        # 8-bit codes, k = 96: every partial sum is below 96 * 2^14 < 2^24.
        self.check_bit_exact(96, (8, 4), (8, 7), (8, 7), x_scale=4.0)

    def test_int8_by_int4_exact(self):
        self.check_bit_exact(40, (8, 3), (4, 2), (8, 4), x_scale=8.0)

    def test_int8_by_int6_exact(self):
        # 6-bit weights are stored as 6 bit planes.
        self.check_bit_exact(100, (8, 3), (6, 4), (8, 4), x_scale=8.0)

    def test_float_by_int8_exact(self):
        # A 16-bit activation has no i8 codes: float rows times i8 weights,
        # exact because scaling by 2^fw commutes with every rounding.
        self.check_bit_exact(72, (16, 8), (8, 6), (8, 6), x_scale=3.0)

    def test_int8_by_int12_exact(self):
        # 12-bit weights are stored as i16 codes; the integer kernels take
        # byte codes, so the quantised 8-bit activations stay float and
        # multiply the codes, summed from bias * 2^fw like emulation's.
        self.check_bit_exact(48, (8, 3), (12, 10), (8, 4), x_scale=8.0)

    def test_float_input_codes_at_their_width(self):
        # Without integer activations (the GPU's form, compiled here for the
        # CPU): float rows times codes stored at their width (4 bits: two a
        # byte; 3, 5, 6 and 7 bits: byte planes, codes that straddle two
        # bytes; k = 37: rows that are not whole byte groups, one code a
        # byte), summed in order from bias * 2^fw like emulation's matmul.
        for k, weight in [(40, (4, 2)), (40, (3, 2)), (40, (5, 3)),
                          (40, (6, 4)), (40, (7, 5)), (40, (2, 1)),
                          (37, (3, 2))]:
            with self.subTest(k=k, weight=weight):
                self.check_bit_exact(k, (8, 3), weight, (8, 4), x_scale=8.0,
                                     options=" integer-activations=0")

    def test_int8_inexact_emulation(self):
        # Saturated positive codes over k = 2048: the sums reach
        # 2048 * 127 * 127 > 2^24, so emulate's float32 partial sums round
        # and native (exact i32 sums, rounded once) is the reference.
        k, out = 2048, 16
        rng = np.random.default_rng(3)
        w = np.abs(rng.standard_normal((out, k))).astype(np.float32) + 1.0
        b = rng.standard_normal(out).astype(np.float32)
        x = (np.abs(rng.standard_normal((2, 3, k))) + 8.0).astype(np.float32)
        emulate, native = self.run_modes(
            w, b, x, integer_config((8, 4), (8, 7), (8, 7)))

        cx = codes(x.reshape(6, k), 8, 4).astype(np.int64)
        cw = codes(w, 8, 7).astype(np.int64)
        qb = (codes(b, 8, 7) / 2.0 ** 7).astype(np.float32)
        sums = cx @ cw.T
        self.assertGreater(sums.max(), 2 ** 24)
        want = (sums.astype(np.float32) * np.float32(2.0 ** -11)) + qb
        self.assertTrue(np.array_equal(native.reshape(6, out), want))
        # Emulate: float32 summation error, at most k * 2^-24 * sum |x w|.
        bound = k * 2.0 ** -24 * (np.abs(cx) @ np.abs(cw).T) * 2.0 ** -11
        diff = np.abs(emulate.reshape(6, out).astype(np.float64) - want)
        self.assertTrue(np.all(diff <= bound))
        self.assertFalse(np.array_equal(emulate, native),
                         "the case was meant to round in emulate mode")


def block_config(name, block):
    """A by-type config quantising linear data_in and weight with MXINT8 or
    8-bit block FP in blocks of `block` along rows, and the bias in blocks
    of 8."""
    if name == "mxint8":
        config = {"name": "mxint8", "data_in_block_size": block,
                  "weight_block_size": block, "bias_block_size": 8}
    else:
        config = {"name": "block_fp"}
        for role, size in (("data_in", [1, block]), ("weight", [1, block]),
                           ("bias", [8])):
            config.update({f"{role}_width": 8, f"{role}_exponent_width": 8,
                           f"{role}_exponent_bias": 127,
                           f"{role}_block_size": size})
    return json.dumps({"by": "type", "linear": {"config": config}})


BFP8 = {"width": 8, "exponent_width": 8, "exponent_bias": 127,
        "skip_first_dim": False}


def block_mantissas(q, block):
    """mase_qgemm's view of block-quantised values `q` ([rows, k]): int8
    mantissas and the power-of-two exponent of each block."""
    rows, k = q.shape
    blocks = q.reshape(rows, k // block, block).astype(np.float64)
    top = np.abs(blocks).max(axis=2)
    exponent = np.where(top > 0, np.floor(np.log2(np.where(top > 0, top, 1))) - 6, 0)
    # A power-of-two maximum reached only by negatives is the mantissa -128.
    negative = (top == 2.0 ** (exponent + 6)) & ~np.any(blocks == top[..., None], axis=2)
    exponent = exponent - negative
    mantissa = blocks / 2.0 ** exponent[..., None]
    assert np.array_equal(mantissa, np.rint(mantissa)), "not block mantissas"
    return mantissa.astype(np.int64), exponent


def block_linear_reference(qx, qw, bias, block):
    """mase.block_linear on already quantised operands: exact per-block dot
    products, accumulated over blocks in float32 (fused multiply-add)."""
    mx, ex = block_mantissas(qx, block)
    mw, ew = block_mantissas(qw, block)
    acc = np.zeros((qx.shape[0], qw.shape[0]), np.float32)
    for b in range(mx.shape[1]):
        sums = mx[:, b, :] @ mw[:, b, :].T
        scale = 2.0 ** (ex[:, b][:, None] + ew[:, b][None, :])
        # sums * scale is exact in float64; one rounding to float32, as fma.
        acc = (acc.astype(np.float64) + sums * scale).astype(np.float32)
    return acc + bias


class NativeBlockLinearTest(unittest.TestCase):
    def check(self, name, block, k):
        rng = np.random.default_rng(k + block)
        w = rng.standard_normal((24, k)).astype(np.float32) * 0.5
        b = rng.standard_normal(24).astype(np.float32)
        x = (rng.standard_normal((2, 3, k)) * 3.0).astype(np.float32)
        config = block_config(name, block)
        results, quantised = {}, {}
        with tempfile.TemporaryDirectory() as tmp:
            graph = os.path.join(tmp, "graph.mlir")
            pathlib.Path(graph).write_text(linear_module(w, b))
            for mode in ("emulate", "native"):
                path = quantize(graph, tmp, f"config-text={config}", mode)
                text = pathlib.Path(path).read_text()
                self.assertEqual("mase.block_linear" in text, mode == "native")
                results[mode], = mase.compile(path).run(None, {"input_0": x})
        # The quantised operands, from the numerics library itself (blocks
        # of `block` along rows for x and w, of 8 for the bias).
        if name == "mxint8":
            rows, bias = {"group_size": block}, {"group_size": 8}
        else:
            rows = dict(BFP8, block_size=[1, block])
            bias = dict(BFP8, block_size=[8])
        for role, value in (("x", x.reshape(6, k)), ("w", w)):
            quantised[role] = numerics.quantize(value, name, **rows)
        qb = numerics.quantize(b, name, **bias)
        want = block_linear_reference(quantised["x"], quantised["w"], qb, block)
        native = results["native"].reshape(6, 24)
        self.assertTrue(np.array_equal(native, want),
                        f"max |diff| {np.abs(native - want).max()}")
        # Emulate sums the same exact products in float32 in another order.
        products = np.abs(quantised["x"]).astype(np.float64) @ np.abs(quantised["w"]).T
        bound = 2 * k * 2.0 ** -24 * products
        diff = np.abs(results["emulate"].reshape(6, 24).astype(np.float64) - want)
        self.assertTrue(np.all(diff <= bound), f"max excess {np.max(diff - bound)}")

    def test_mxint8(self):
        self.check("mxint8", 32, 128)

    def test_block_fp_8(self):
        self.check("block_fp", 16, 96)


def read_tensor(path):
    tensor = onnx.TensorProto()
    tensor.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(tensor)


class NativeBertTest(unittest.TestCase):
    def run_modes(self, config, native_op="mase.int_linear", native_count=14):
        """The bundled BERT (batch 2) quantised by `config` (config=FILE or
        config-text=TEXT) in both modes, natively as `native_count` ops
        `native_op`: logits, weights file bytes, and the report's weight
        bytes (before, after) summed over the layers of `native_op`'s type."""
        feeds = {n: read_tensor(MODEL / "test_data_set_0" / f"input_{i}.pb")
                 for i, n in enumerate(BERT_INPUTS)}
        logits, weight_bytes = {}, {}
        with tempfile.TemporaryDirectory() as tmp:
            graph = os.path.join(tmp, "bert.mlir")
            shapes = [a for n in BERT_INPUTS for a in ("--shape", f"{n}=2x128")]
            subprocess.run([BIN / "mase-import-onnx",
                            MODEL / "bert_tiny_eager_ts.onnx", *shapes,
                            "-o", graph], check=True)
            report = os.path.join(tmp, "report.txt")
            for mode in ("emulate", "native"):
                path = quantize(graph, tmp, config, mode, f" report={report}")
                text = pathlib.Path(path).read_text()
                self.assertEqual(text.count(native_op),
                                 native_count if mode == "native" else 0)
                so = os.path.join(tmp, f"{mode}.so")
                session = mase.compile(path, output=so, weights="external")
                logits[mode], = session.run(None, feeds)
                weight_bytes[mode] = os.path.getsize(so + ".weights")
            layer_type = native_op.split("_")[-1]
            lines = [l for l in pathlib.Path(report).read_text().splitlines()
                     if f" {layer_type} rule=" in l]
        # BERT-tiny's sums stay below 2^24 (k <= 512): bit-exact.
        self.assertTrue(np.array_equal(logits["emulate"], logits["native"]),
                        f"{logits['emulate']} vs {logits['native']}")
        before = after = 0
        for line in lines:
            b, a = map(int, line.split("weight_bytes=")[1].split("->"))
            before, after = before + b, after + a
        print(f"\nweights file: emulate {weight_bytes['emulate']} B, native "
              f"{weight_bytes['native']} B; quantised weights {before} B -> "
              f"{after} B")
        return weight_bytes["emulate"] - weight_bytes["native"], before, after

    def test_int8_linear(self):
        config = MODEL / "mase_reference" / "int8_linear.toml"
        saved, before, after = self.run_modes(f"config={config}")
        # The report's total: the 14 linear weights in float32 and as i8
        # codes packed for mase_qgemm, where only the classifier (2 x 128)
        # needs padding (to 16 features).
        self.assertEqual(after, before // 4 + (16 - 2) * 128)
        # Everything else (embeddings, biases) is the same in both. The
        # classifier's weight (1024 B in float32, 2048 B packed) is below the
        # 4 KiB threshold of the weights file, so the file saves 1024 B more
        # than the report; allow the other 13 weights alignment padding.
        self.assertLessEqual(abs(saved - (before - after) - 1024), 13 * 64)

    def test_int4_weights(self):
        # 4-bit weight codes are stored at 4 bits: an eighth of float32,
        # the classifier's padding halved too.
        saved, before, after = self.run_modes(
            "config-text=" + integer_config((8, 4), (4, 3), (8, 4)))
        self.assertEqual(after, before // 8 + (16 - 2) * 128 // 2)
        # The classifier (1024 B in float32, 1024 B packed) stays inside
        # the library in both builds.
        self.assertLessEqual(abs(saved - (before - after)), 13 * 64)

    def test_mxint8_embeddings(self):
        # The word and token-type tables (128 wide; the position lookup of
        # constant positions folds away at import) as MXINT8 mantissas plus
        # a scale byte per 32, dequantised as rows are gathered: bit-exact
        # with emulation, 8.25 bits an element.
        config = json.dumps({"by": "type", "embedding": {"config": {
            "name": "mxint8", "weight_block_size": 32}}})
        saved, before, after = self.run_modes(
            "config-text=" + config, "mase.block_embedding", 2)
        elements = (30522 + 2) * 128
        self.assertEqual(before, 4 * elements)
        self.assertEqual(after, elements + elements // 32)
        # The token-type table (1024 B in float32, 264 B encoded) stays
        # inside the library in both builds, below the weights file's 4 KiB
        # threshold.
        self.assertLessEqual(abs(saved - (before - after) + (1024 - 264)), 64)


if __name__ == "__main__":
    unittest.main()
