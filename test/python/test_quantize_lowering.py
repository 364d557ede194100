"""Differential test of the mase.quantize lowering: each format compiled by
mase-compile (both -O0 and -O3) and run on random and special inputs must give
exactly the bits the numerics library gives (mase.numerics, the C API over
lib/Numerics); NaN compares as NaN.

Needs MASE_BIN_DIR (mase-compile) and MASE_LIBRARY_DIR (the C libraries).
"""
import os
import tempfile
import unittest

import numpy as np

import mase
import mase.numerics as numerics

# (attribute, numerics name, numerics parameters, shape)
CASES = [
    ("#mase.int<8, 4>", "integer", dict(width=8, frac_width=4), [4, 50]),
    ("#mase.int<6, -2, unsigned, floor>", "integer_floor",
     dict(width=6, frac_width=-2, is_signed=False), [200]),
    ("#mase.minifloat_denorm<8, 4>", "minifloat_denorm",
     dict(width=8, exponent_width=4), [4, 50]),
    ("#mase.minifloat_denorm<16, 8>", "minifloat_denorm",
     dict(width=16, exponent_width=8), [200]),
    ("#mase.minifloat_ieee<8, 4>", "minifloat_ieee",
     dict(width=8, exponent_width=4), [4, 50]),
    ("#mase.minifloat_ieee<8, 5, bias = 9>", "minifloat_ieee",
     dict(width=8, exponent_width=5, exponent_bias=9), [200]),
    ("#mase.bfp<8, 8, bias = 127, block = [1, 16]>", "block_fp",
     dict(width=8, exponent_width=8, exponent_bias=127, block_size=[1, 16]),
     [3, 7, 20]),
    ("#mase.bfp<7, 8, block = [16]>", "block_fp",
     dict(width=7, exponent_width=8, block_size=[16]), [3, 7, 20]),
    ("#mase.bfp<8, 8, block = [2, 4], skip_first_dim = false>", "block_fp",
     dict(width=8, exponent_width=8, block_size=[2, 4], skip_first_dim=False),
     [5, 18]),
    ("#mase.bfp<6, 4, block = [16], skip_first_dim = false>", "block_fp",
     dict(width=6, exponent_width=4, block_size=[16], skip_first_dim=False),
     [40]),
    ("#mase.bfp<8, 8, block = [1, 8]>", "block_fp",
     dict(width=8, exponent_width=8, block_size=[1, 8]), [6, 20]),
    ("#mase.mxint8<block = 32>", "mxint8", dict(group_size=32), [4, 64]),
    ("#mase.mxint8<block = 16>", "mxint8", dict(group_size=16), [3, 2, 8]),
]


def special_values():
    """Values on every quantiser's edges: zeros, the 1e-8 pass-through,
    powers of two and their neighbours (the log2 rounding windows),
    subnormals, huge values, inf and NaN."""
    powers = np.ldexp(np.float32(1), np.arange(-140, 128, 7)).astype(np.float32)
    near = np.concatenate([np.nextafter(powers, np.float32(np.inf)),
                           np.nextafter(np.nextafter(powers, np.inf), np.inf),
                           np.nextafter(powers, np.float32(0))])
    fixed = np.array([0.0, -0.0, 5e-9, -5e-9, 2e-8, 1e-9, 1e-40, -3e-42,
                      0.3, -0.3, 0.3125, 1.97, 1.9375, 15.875, 1000.0, -1e5,
                      3.0e38, -3.4e38], np.float32)
    return np.concatenate([powers, -powers, near, -near, fixed])


def inputs(shape, rng):
    n = int(np.prod(shape))
    specials = special_values()
    for scale in (1.0, 1e-3, 100.0):
        yield (rng.standard_normal(n) * scale).astype(np.float32).reshape(shape)
    for start in range(0, len(specials), n):
        x = rng.standard_normal(n).astype(np.float32)
        chunk = specials[start:start + n]
        x[:len(chunk)] = chunk
        yield rng.permutation(x).reshape(shape)
    # A block of zeros next to blocks with values, and one with inf and NaN.
    x = rng.standard_normal(n).astype(np.float32)
    x[: n // 2] = 0.0
    yield x.reshape(shape)
    x = rng.standard_normal(n).astype(np.float32)
    x[n // 3], x[2 * n // 3] = np.inf, np.nan
    yield x.reshape(shape)


class QuantizeLoweringTest(unittest.TestCase):
    def check(self, attr, name, params, shape, opt_level):
        dims = "x".join(map(str, shape))
        text = (f"func.func @main(%x: tensor<{dims}xf32>) -> tensor<{dims}xf32> {{\n"
                f"  %q = mase.quantize %x : tensor<{dims}xf32> to {attr}\n"
                f"  return %q : tensor<{dims}xf32>\n}}\n")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "q.mlir")
            with open(path, "w") as f:
                f.write(text)
            session = mase.compile(path, opt_level=opt_level)
            rng = np.random.default_rng(7)
            for i, x in enumerate(inputs(shape, rng)):
                got, = session.run(None, {"input_0": x})
                want = numerics.quantize(x, name, **params)
                same = (got.view(np.uint32) == want.view(np.uint32)) | (
                    np.isnan(got) & np.isnan(want))
                bad = np.flatnonzero(~same.ravel())
                self.assertEqual(
                    bad.size, 0,
                    f"{attr} -O{opt_level} input {i}: {bad.size} mismatches, "
                    f"first x={x.ravel()[bad[:4]]!r} got={got.ravel()[bad[:4]]!r} "
                    f"want={want.ravel()[bad[:4]]!r}")

    def test_formats_bit_exact(self):
        for attr, name, params, shape in CASES:
            for opt_level in (0, 3):
                with self.subTest(format=attr, opt_level=opt_level):
                    self.check(attr, name, params, shape, opt_level)


if __name__ == "__main__":
    unittest.main()
