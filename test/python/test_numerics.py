"""mase.numerics against MASE's golden vectors (test/golden), bit for bit.

CTest runs it as `python-numerics`. By hand, from test/python:

    PYTHONPATH=../../python MASE_LIBRARY_DIR=../../build/lib \
        ../../.venv/bin/python -m unittest -v test_numerics
"""

import json
import os
import pathlib
import subprocess
import sys
import unittest

import numpy as np

from mase import numerics

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "golden"
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())["files"]

# Families whose cases are single quantizer calls (prune.json is not a
# quantizer; mxint8_lab and linear_e2e have their own tests).
QUANTIZER_FAMILIES = ["integer", "minifloat", "block_fp", "block_minifloat",
                      "log", "block_log", "binary", "ternary",
                      "scale_integer", "mxint", "mxint_hardware"]


def load(family):
    cases = json.loads((GOLDEN / f"{family}.json").read_text())["cases"]
    assert len(cases) == MANIFEST[f"{family}.json"]["cases"], family
    return cases


def f32(hex_bits):
    return np.array([int(h, 16) for h in hex_bits], np.uint32).view(np.float32)


def bf16(hex_bits):
    bits = np.array([int(h, 16) for h in hex_bits], np.uint32) << 16
    return bits.view(np.float32)


def hex_bytes(hex_bytes_):
    return np.array([int(h, 16) for h in hex_bytes_], np.uint8)


def mase_call(case):
    """The format name and keywords of a golden case's MASE call."""
    name = case["fn"]
    if name.endswith("_quantizer"):
        name = name[:-len("_quantizer")]
    params = dict(case["params"])
    params.update(params.pop("q_config", {}))  # mxint_hardware(x, q_config, p)
    return name, params


class BitExactTestCase(unittest.TestCase):
    def assertBitsEqual(self, got, want, context=""):
        """Equal float32 bit patterns; any NaN matches any NaN."""
        got = np.asarray(got, np.float32).ravel()
        want = np.asarray(want, np.float32).ravel()
        self.assertEqual(got.size, want.size, context)
        differ = got.view(np.uint32) != want.view(np.uint32)
        differ &= ~(np.isnan(got) & np.isnan(want))
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            self.fail(f"{context}: {int(differ.sum())} elements differ, first "
                      f"{i}: got {got[i]!r} (0x{got.view(np.uint32)[i]:08x}) "
                      f"want {want[i]!r} (0x{want.view(np.uint32)[i]:08x})")


class GoldenTest(BitExactTestCase):
    def check_family(self, family):
        for case in load(family):
            with self.subTest(case["id"]):
                name, params = mase_call(case)
                x = f32(case["input_bits"]).reshape(case["shape"])
                if case.get("expect_error"):
                    with self.assertRaises(ValueError):
                        numerics.quantize(x, name, **params)
                    continue
                y = numerics.quantize(x, name, **params)
                self.assertEqual((y.dtype, y.shape), (np.float32, x.shape))
                self.assertBitsEqual(y, f32(case["output_bits"]), case["id"])

    def test_mxint8_lab(self):
        for case in load("mxint8_lab"):
            with self.subTest(case["id"]):
                params = case["params"]
                x = f32(case["input_bits"]).reshape(case["shape"])
                want = bf16(case["output_bf16_bits"])
                self.assertBitsEqual(numerics.quantize(x, "mxint8", **params),
                                     want, case["id"])
                packed = numerics.pack(x, "mxint8", **params)
                n = x.size
                np.testing.assert_array_equal(
                    packed[:n], hex_bytes(case["mantissa_bytes"]))
                np.testing.assert_array_equal(packed[:n].view(np.int8),
                                              case["mantissas"])
                np.testing.assert_array_equal(
                    packed[n:], hex_bytes(case["scale_bytes"]))
                self.assertBitsEqual(
                    numerics.unpack(packed, x.shape, "mxint8", **params),
                    want, case["id"])

    def test_linear_e2e_quantized_operands(self):
        # The layer quantizes x per row (skip_first_dim=True), weight and
        # bias as weights (skip_first_dim=False).
        operands = [("x", "data_in", True), ("weight", "weight", False),
                    ("bias", "bias", False)]
        for case in load("linear_e2e"):
            config = case["params"]["config"]
            for operand, prefix, skip_first_dim in operands:
                with self.subTest(f"{case['id']} {operand}"):
                    params = {k[len(prefix) + 1:]: v for k, v in config.items()
                              if k.startswith(prefix + "_")}
                    name = "integer"
                    if case["fn"] == "linearBlockFP":
                        name = "block_fp"
                        params["skip_first_dim"] = skip_first_dim
                    tensor = case["inputs"][operand]
                    x = f32(tensor["bits"]).reshape(tensor["shape"])
                    self.assertBitsEqual(
                        numerics.quantize(x, name, **params),
                        f32(case["quantized"][operand]["bits"]), operand)


for _family in QUANTIZER_FAMILIES:
    setattr(GoldenTest, f"test_{_family}",
            lambda self, family=_family: self.check_family(family))


def packed_bytes(n, width):
    """The integer layout's size: a bit stream, else 16- or 32-bit words."""
    if width <= 8:
        return (n * width + 7) // 8
    return n * (2 if width <= 16 else 4)


class PackTest(BitExactTestCase):
    def test_integer_round_trip(self):
        rng = np.random.default_rng(1)
        for width in (1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 24, 31, 32):
            for name in ("integer", "integer_floor"):
                for is_signed in (True, False):
                    params = dict(width=width, frac_width=width // 2 - 1,
                                  is_signed=is_signed)
                    x = rng.standard_normal((3, 5, 7)).astype(np.float32)
                    x *= np.float32(2.0 ** (width // 2))
                    with self.subTest(name=name, **params):
                        packed = numerics.pack(x, name, **params)
                        self.assertEqual(packed.dtype, np.uint8)
                        self.assertEqual(packed.size, packed_bytes(x.size,
                                                                   width))
                        # A code has no -0.0: +0.0 comes back.
                        want = numerics.quantize(x, name, **params) + 0
                        self.assertBitsEqual(
                            numerics.unpack(packed, x.shape, name, **params),
                            want, str(params))

    def test_integer_layout(self):
        x = np.array([1, -1, 7, -8, 3], np.float32)
        packed = numerics.pack(x, "integer", width=4, frac_width=0)
        np.testing.assert_array_equal(packed, [0xF1, 0x87, 0x03])
        packed = numerics.pack(x, "integer", width=12, frac_width=0)
        np.testing.assert_array_equal(packed.view("<i2"), x)

    def test_mxint8_round_trip(self):
        rng = np.random.default_rng(2)
        for group_size in (1, 16, 32):
            # one random binade per group
            scale = 2.0 ** rng.integers(-60, 60, 256 // group_size)
            x = rng.standard_normal(256) * scale.repeat(group_size)
            x = x.astype(np.float32).reshape(4, 64)
            with self.subTest(group_size=group_size):
                packed = numerics.pack(x, "mxint8", group_size=group_size)
                self.assertEqual(packed.size, x.size + x.size // group_size)
                self.assertEqual(
                    packed.size,
                    numerics.packed_size(x.shape, "mxint8",
                                         group_size=group_size))
                self.assertBitsEqual(
                    numerics.unpack(packed, x.shape, "mxint8",
                                    group_size=group_size),
                    numerics.quantize(x, "mxint8", group_size=group_size))
                # bytes work as well as arrays
                self.assertBitsEqual(
                    numerics.unpack(packed.tobytes(), x.shape, "mxint8",
                                    group_size=group_size),
                    numerics.quantize(x, "mxint8", group_size=group_size))


class ArgumentTest(BitExactTestCase):
    x = np.linspace(-3, 3, 64, dtype=np.float32).reshape(4, 16)

    def assertRaisesMessage(self, parts, function, *args, **kwargs):
        with self.assertRaises(ValueError) as raised:
            function(*args, **kwargs)
        for part in parts:
            self.assertIn(part, str(raised.exception))

    def test_inputs_are_converted(self):
        want = numerics.quantize(self.x, "integer", width=4, frac_width=1)
        for x in (self.x.astype(np.float64), self.x.tolist(),
                  np.asfortranarray(self.x),
                  np.repeat(self.x, 2, axis=1)[:, ::2]):
            self.assertBitsEqual(
                numerics.quantize(x, "integer", width=4, frac_width=1), want)
        scalar = numerics.quantize(np.float32(1.3), "integer", width=8)
        self.assertEqual((scalar.shape, float(scalar)), ((), 1.3125))

    def test_parameter_values(self):
        want = numerics.quantize(self.x, "block_fp", width=8,
                                 block_size=[1, 16], skip_first_dim=False)
        for block_size in ((1, 16), np.array([1, 16]), [np.int64(1), 16]):
            self.assertBitsEqual(
                numerics.quantize(self.x, "block_fp", width=np.int32(8),
                                  exponent_bias="None", block_size=block_size,
                                  skip_first_dim=np.bool_(False)), want)
        numerics.quantize(self.x, "scale_integer", width=8, quantile=0.9)

    def test_unknown_format(self):
        self.assertRaisesMessage(["unknown format 'int8'", "mxint8"],
                                 numerics.quantize, self.x, "int8", width=8)
        self.assertRaises(ValueError, numerics.quantize, self.x, None)

    def test_unknown_key(self):
        self.assertRaisesMessage(
            ["unknown key 'fracwidth'", "width, frac_width, is_signed"],
            numerics.quantize, self.x, "integer", width=8, fracwidth=4)

    def test_missing_key(self):
        self.assertRaisesMessage(["missing required key 'width'"],
                                 numerics.quantize, self.x, "integer")

    def test_wrong_types(self):
        q = numerics.quantize
        self.assertRaisesMessage(["'width' expects an integer"],
                                 q, self.x, "integer", width=True)
        self.assertRaisesMessage(["'width' expects an integer"],
                                 q, self.x, "integer", width=8.5)
        self.assertRaisesMessage(["'is_signed' expects true or false"],
                                 q, self.x, "integer", width=8, is_signed=1)
        self.assertRaisesMessage(["cannot read value 'abc'"],
                                 q, self.x, "block_fp", block_size="abc")
        self.assertRaisesMessage(["integers only"],
                                 q, self.x, "block_fp", block_size=[1.5])
        self.assertRaisesMessage(["unsupported value"],
                                 q, self.x, "block_fp", block_size={1: 2})
        self.assertRaisesMessage(["unsupported value"],
                                 q, self.x, "integer", width="8,frac_width=2")

    def test_invalid_formats(self):
        self.assertRaisesMessage(["width"], numerics.quantize, self.x,
                                 "integer", width=0)
        self.assertRaisesMessage(["stochastic"], numerics.quantize, self.x,
                                 "binary", stochastic=True)

    def test_shape_errors(self):
        self.assertRaisesMessage(["not divisible by block size 32"],
                                 numerics.quantize, np.zeros((3, 40)),
                                 "mxint", block_size=32, element_bits=8)
        self.assertRaisesMessage(["4-D"], numerics.quantize, self.x, "ternary")
        self.assertRaisesMessage(["rank"], numerics.quantize,
                                 np.zeros((1, 2, 2, 16)), "block_fp")
        self.assertRaisesMessage(["not divisible by group_size 4"],
                                 numerics.pack, np.zeros(10), "mxint8",
                                 group_size=4)
        self.assertRaisesMessage(["negative dimension"], numerics.packed_size,
                                 (2, -1), "mxint8")

    def test_packing_errors(self):
        self.assertRaisesMessage(["block_fp: no packed layout"],
                                 numerics.pack, self.x, "block_fp")
        packed = numerics.pack(self.x, "mxint8", group_size=16)
        self.assertRaisesMessage(["packed buffer has 67 bytes", "68"],
                                 numerics.unpack, packed[:-1], self.x.shape,
                                 "mxint8", group_size=16)
        self.assertRaisesMessage(["uint8"], numerics.unpack,
                                 packed.astype(np.float32), self.x.shape,
                                 "mxint8", group_size=16)
        self.assertRaisesMessage(["NaN"], numerics.pack,
                                 np.array([1, np.nan], np.float32),
                                 "integer", width=8)

    def test_missing_library_is_an_import_error(self):
        env = dict(os.environ, MASE_LIBRARY_DIR="/nonexistent/mase-lib")
        run = subprocess.run([sys.executable, "-c", "import mase.numerics"],
                             env=env, capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("ImportError", run.stderr)
        self.assertIn("/nonexistent/mase-lib/libmase_numerics_c.so",
                      run.stderr)


if __name__ == "__main__":
    unittest.main()
