"""python -m mase.sweep (mase-sweep) on the bundled BERT: a two-config
sweep writes the CSV, the markdown table and the plot; a 32-bit fixed-point
config is as good as float32 and a 4-bit one is visibly worse; a sparsity
sweep covers every prune method and target, reaches its sparsities and
loses fidelity as it prunes more; a bad config or option is an error naming
it, with no traceback. Also the metrics on known arrays and the parsing of
the reports.

Needs MASE_BIN_DIR (mase-compile) and MASE_LIBRARY_DIR (the runtime).
"""
import csv
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from mase import sweep

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "bert-tiny" / "bert_tiny_eager_ts.onnx"
SHAPES = [a for n in ("input_ids", "attention_mask", "token_type_ids")
          for a in ("--shape", f"{n}=1x32")]


def run_sweep(*args):
    return subprocess.run(
        [sys.executable, "-m", "mase.sweep", str(MODEL), *SHAPES, "--repeat",
         "1", *args], capture_output=True, text=True, timeout=600)


class MetricsTest(unittest.TestCase):
    def test_identical(self):
        ref = [np.array([[1.0, -2.0, 0.5]], np.float32)] * 3
        m = sweep.fidelity(ref, ref)
        self.assertEqual((m["max_abs_err"], m["mean_abs_err"]), (0.0, 0.0))
        self.assertAlmostEqual(m["cosine"], 1.0)
        self.assertEqual(m["argmax_agree"], 1.0)

    def test_collapsed_output(self):
        ref = [np.array([[0.03, -0.01]], np.float32),
               np.array([[-0.02, 0.04]], np.float32)]
        zero = [np.zeros((1, 2), np.float32)] * 2
        m = sweep.fidelity(ref, zero)
        self.assertEqual(m["cosine"], 0.0)
        self.assertEqual(m["argmax_agree"], 0.0)  # ties never agree
        self.assertAlmostEqual(m["max_abs_err"], 0.04, places=6)
        self.assertAlmostEqual(m["mean_abs_err"], 0.025, places=6)

    def test_argmax(self):
        ref = [np.array([[1.0, 0.0], [0.0, 1.0]])]
        out = [np.array([[2.0, 0.0], [3.0, 1.0]])]
        self.assertEqual(sweep.fidelity(ref, out)["argmax_agree"], 0.5)

    def test_report_total(self):
        text = ("classifier linear rule=linear weight_bytes=1024->256\n"
                "total: 14 of 40 ops quantised, weight_bytes=1639424->409856\n")
        self.assertEqual(sweep.report_weight_bytes(text), (1639424, 409856))
        self.assertEqual(sweep.report_weight_bytes(""), (None, None))

    def test_generated_configs(self):
        w4, w32 = sweep.integer_configs([4, 32])
        linear = w4.data["linear"]["config"]
        self.assertEqual(w4.data["by"], "type")
        self.assertEqual((linear["weight_width"], linear["weight_frac_width"],
                          linear["data_in_frac_width"]), (4, 2, 2))
        self.assertEqual(w32.data["linear"]["config"]["bias_frac_width"], 16)
        self.assertEqual([c.format for c in sweep.format_configs()],
                         ["integer", "minifloat_denorm", "minifloat_ieee",
                          "block_fp", "mxint8"])

    def test_report_prune_totals(self):
        text = ("classifier linear method=l1-norm scope=local "
                "threshold=0.0136793796 sparsity=0.5000 zeros=128/256 "
                "weight_bytes=1024\n"
                "total: 14 layers, sparsity=0.1007 zeros=41270/409856\n"
                "classifier linear storage=csr sparsity=0.5000 "
                "weight_bytes=1024->780\n"
                "storage: 13 of 14 linear layers sparse (threshold 0.5), "
                "weight_bytes=1639424->1239360\n")
        reached, before, stored = sweep.report_prune_totals(text)
        self.assertEqual(reached, 41270 / 409856)
        self.assertEqual((before, stored), (1639424, 1239360))
        self.assertEqual(sweep.report_prune_totals(
            "total: 1 layers, sparsity=0.2500\n"), (0.25, None, None))
        self.assertEqual(sweep.report_prune_totals(""), (None, None, None))

    def test_generated_prune_configs(self):
        configs = sweep.prune_configs([0.5, 0.9])
        self.assertEqual([c.name for c in configs], [
            "prune-l1-norm-weight-s0.5", "prune-l1-norm-weight-s0.9",
            "prune-l1-norm-weight+activation-s0.5",
            "prune-l1-norm-weight+activation-s0.9",
            "prune-random-weight-s0.5", "prune-random-weight-s0.9",
            "prune-random-weight+activation-s0.5",
            "prune-random-weight+activation-s0.9"])
        weights_only, both = configs[5].data, configs[6].data
        self.assertEqual(weights_only["weight"], {
            "sparsity": 0.9, "method": "random", "scope": "local",
            "granularity": "elementwise"})
        # Random at sparsity 0: activations kept.
        self.assertEqual(weights_only["activation"],
                         {"sparsity": 0.0, "method": "random"})
        self.assertEqual(both["weight"]["method"], "random")
        self.assertEqual(both["activation"], {
            "sparsity": 0.5, "method": "l1-norm", "scope": "local",
            "granularity": "elementwise"})
        self.assertTrue(all(c.is_prune and c.format is None
                            for c in configs))
        for args, message in [
                (([1.5],), "sparsity 1.5 is outside [0, 1]"),
                (([0.5], ["magnitude"]), "unknown value 'magnitude'"),
                (([0.5], ["random"], ["bias"]), "unknown value 'bias'"),
                (([],), "--sparsities: empty list")]:
            with self.assertRaisesRegex(sweep.SweepError, re.escape(message)):
                sweep.prune_configs(*args)

    def test_markdown_prune_error_row(self):
        rows = [dict(config="fp32", format="float32", bits=32, source="-",
                     cosine=1.0),
                dict(config="prune-random-weight-s0.5", sparsity=0.5,
                     method="random", target="weight", source="generated",
                     error="mase-compile: error: boom")]
        lines = sweep.markdown_table(rows).splitlines()
        # Prune configs only: no format and bits columns.
        self.assertTrue(lines[0].startswith(
            "| config | sparsity | method | target | max abs err |"))
        self.assertTrue(lines[0].endswith(
            "| sparsity reached | stored weight bytes |"))
        self.assertTrue(lines[3].startswith(
            "| prune-random-weight-s0.5 | 0.5 | random | weight | "
            "error: boom |"))
        self.assertEqual({line.count("|") for line in lines}, {13})


class SweepCommandTest(unittest.TestCase):
    def test_two_configs(self):
        with tempfile.TemporaryDirectory() as tmp:
            done = run_sweep("--integer-widths", "4,32", "--inputs", "2",
                             "--out", tmp)
            self.assertEqual(done.returncode, 0, done.stderr)
            # Progress: config k of n and what it is doing.
            self.assertIn("config 1 of 2: integer-w4f2: compiling",
                          done.stderr)
            self.assertIn("config 2 of 2: integer-w32f16: running 2 inputs",
                          done.stderr)
            with open(os.path.join(tmp, "sweep.csv"), newline="") as f:
                reader = csv.DictReader(f)
                self.assertEqual(reader.fieldnames, sweep.COLUMNS)
                rows = {r["config"]: r for r in reader}
            self.assertEqual(list(rows), ["fp32", "integer-w4f2",
                                          "integer-w32f16"])
            md = pathlib.Path(tmp, "sweep.md").read_text()
            self.assertIn("| integer-w32f16 | integer | 32 |", md)
            png = pathlib.Path(tmp, "sweep.png").read_bytes()
            self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")

        full, low = rows["integer-w32f16"], rows["integer-w4f2"]
        # 32-bit fixed point with 16 fraction bits: float32 to rounding.
        self.assertGreater(float(full["cosine"]), 0.99999)
        self.assertLess(float(full["max_abs_err"]), 1e-3)
        self.assertEqual(float(full["argmax_agree"]), 1.0)
        # 4 bits: visibly worse on every measure.
        self.assertLess(float(low["cosine"]), 0.9)
        self.assertGreater(float(low["mean_abs_err"]),
                           100 * float(full["mean_abs_err"]))
        for row in rows.values():
            self.assertGreater(float(row["latency_ms"]), 0)
            self.assertGreater(int(row["lib_bytes"]), 0)
        # The report's weight bytes: all linear weights, 4 against 32 bits.
        self.assertEqual(int(low["weight_bytes_fp32"]),
                         int(full["weight_bytes_fp32"]))
        self.assertEqual(int(full["weight_bytes_quant"]),
                         int(full["weight_bytes_fp32"]))
        self.assertEqual(8 * int(low["weight_bytes_quant"]),
                         int(low["weight_bytes_fp32"]))
        self.assertEqual(float(low["weight_bits_per_param"]), 4.0)

    def test_sparsity_sweep(self):
        with tempfile.TemporaryDirectory() as tmp:
            done = run_sweep("--sparsities", "0.5,0.9", "--integer-widths",
                             "32", "--inputs", "4", "--out", tmp)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("config 2 of 9: prune-l1-norm-weight-s0.5: "
                          "compiling", done.stderr)
            with open(os.path.join(tmp, "sweep.csv"), newline="") as f:
                reader = csv.DictReader(f)
                self.assertEqual(reader.fieldnames, sweep.COLUMNS)
                rows = {r["config"]: r for r in reader}
            md = pathlib.Path(tmp, "sweep.md").read_text()
            self.assertIn("| sparsity | method | target |", md)
            self.assertIn("| prune-random-weight+activation-s0.9 |  |  | "
                          "0.9 | random | weight+activation |", md)
            png = pathlib.Path(tmp, "sweep.png").read_bytes()
            self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")

        # A quantize config leaves the pruning columns empty, and a prune
        # config the quantisation ones.
        quant = rows["integer-w32f16"]
        for column in ("sparsity", "method", "target", "sparsity_reached",
                       "weight_bytes_stored"):
            self.assertEqual(quant[column], "", column)
        pruned = [r for r in rows.values() if r["method"]]
        self.assertEqual(
            sorted((r["method"], r["target"], float(r["sparsity"]))
                   for r in pruned),
            sorted((m, t, s) for m in ("l1-norm", "random")
                   for t in ("weight", "weight+activation")
                   for s in (0.5, 0.9)))
        for r in pruned:
            self.assertEqual((r["format"], r["bits"], r["weight_bytes_quant"]),
                             ("", "", ""), r["config"])
            self.assertGreater(float(r["latency_ms"]), 0)
            # The stored weights: never more than float32, and in
            # compressed sparse rows far less at 0.9.
            stored, fp32 = (int(r["weight_bytes_stored"]),
                            int(r["weight_bytes_fp32"]))
            self.assertLessEqual(stored, fp32, r["config"])
            if r["sparsity"] == "0.9":
                self.assertLess(stored, fp32 / 2, r["config"])
            # l1-norm reaches its sparsity up to ties (one in a thousand);
            # random masks only on average.
            tolerance = 1e-3 if r["method"] == "l1-norm" else 0.01
            self.assertAlmostEqual(float(r["sparsity_reached"]),
                                   float(r["sparsity"]), delta=tolerance)

        for target in ("weight", "weight+activation"):
            half = rows[f"prune-l1-norm-{target}-s0.5"]
            most = rows[f"prune-l1-norm-{target}-s0.9"]
            self.assertLess(float(most["cosine"]), float(half["cosine"]))
            self.assertGreater(float(most["mean_abs_err"]),
                               float(half["mean_abs_err"]))

    def test_bad_prune_options(self):
        with tempfile.TemporaryDirectory() as tmp:
            for args, message in [
                    (["--sparsities", "1.5"],
                     "--sparsities: sparsity 1.5 is outside [0, 1]"),
                    (["--sparsities", "0.5,half"],
                     "--sparsities '0.5,half': 'half' is not a number"),
                    (["--sparsities", "0.5", "--prune-methods", "magnitude"],
                     "--prune-methods: unknown value 'magnitude'"),
                    (["--sparsities", "0.5", "--prune-targets", "bias"],
                     "--prune-targets: unknown value 'bias'"),
                    (["--prune-methods", "random"],
                     "--prune-methods and --prune-targets need "
                     "--sparsities")]:
                done = run_sweep(*args, "--out", tmp)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertNotIn("Traceback", done.stderr)
                self.assertIn(f"mase-sweep: error: {message}", done.stderr)

    def test_bad_config(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = pathlib.Path(tmp, "bad_int8.toml")
            bad.write_text('[passes.quantize]\nby = "type"\n'
                           '[passes.quantize.linear.config]\n'
                           'name = "integer"\ndata_in_width = 8\n'
                           'data_in_fracwidth = 4\n')
            done = run_sweep(str(bad), "--inputs", "1", "--out",
                             os.path.join(tmp, "out"), "--no-plot")
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertNotIn("Traceback", done.stderr)
            self.assertIn("mase-sweep: error: config 'bad_int8'", done.stderr)
            self.assertIn(str(bad), done.stderr)
            self.assertIn("data_in_fracwidth", done.stderr)

            # --keep-going: the failure is a row of the table, exit status 1.
            out = os.path.join(tmp, "kept")
            done = run_sweep(str(bad), "--inputs", "1", "--out", out,
                             "--no-plot", "--keep-going")
            self.assertEqual(done.returncode, 1, done.stderr)
            self.assertNotIn("Traceback", done.stderr)
            self.assertIn("1 config(s) failed: bad_int8", done.stderr)
            with open(os.path.join(out, "sweep.csv"), newline="") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual([r["config"] for r in rows], ["fp32", "bad_int8"])
            self.assertEqual(rows[0]["error"], "")
            self.assertIn("data_in_fracwidth", rows[1]["error"])
            self.assertEqual(rows[1]["cosine"], "")

    def test_unparsable_and_missing_configs(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = pathlib.Path(tmp, "broken.toml")
            bad.write_text("[passes.quantize\n")
            for args, message in [
                    ([str(bad)], f"config {bad}: cannot parse"),
                    ([os.path.join(tmp, "nope.toml")], "no such file"),
                    (["--integer-widths", "4,x"], "--integer-widths"),
                    ([], "no configs")]:
                done = run_sweep(*args, "--out", tmp)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertNotIn("Traceback", done.stderr)
                self.assertIn("mase-sweep: error: ", done.stderr)
                self.assertIn(message, done.stderr)


if __name__ == "__main__":
    unittest.main()
