"""mase.models.bert_data: the generated BERT's seeded weights, numpy only.

`repeated_weights` stands in for `random_weights` where a model must travel
(scripts/cuda-pack.sh): it must keep HuggingFace's initialisation layout,
give every tensor its own numbers, be reproducible from the seed alone (the
GPU machine rebuilds the model in PyTorch from it), and compress.
"""

import lzma
import unittest

import numpy as np

from mase.models.bert_data import (CONFIGS, INIT_STD, PAD_TOKEN_ID, make_inputs,
                                   parameter_shapes, random_weights, repeated_weights)

CFG = CONFIGS["tiny"]
BLOCK = 4096


def is_random(name):
    return ".LayerNorm." not in name and not name.endswith(".bias")


class RepeatedWeightsTest(unittest.TestCase):
    def setUp(self):
        self.weights = repeated_weights(CFG, 0, BLOCK)

    def test_layout_is_random_weights_layout(self):
        reference = random_weights(CFG, 0)
        self.assertEqual(list(self.weights), list(parameter_shapes(CFG)))
        for name, value in self.weights.items():
            self.assertEqual(value.shape, reference[name].shape, name)
            self.assertEqual(value.dtype, np.float32, name)
            if not is_random(name):
                np.testing.assert_array_equal(value, reference[name], name)
        np.testing.assert_array_equal(
            self.weights["bert.embeddings.word_embeddings.weight"][PAD_TOKEN_ID], 0.0)

    def test_values_come_from_one_block_and_no_two_tensors_are_equal(self):
        block = None
        seen = {}
        for name, value in self.weights.items():
            if not is_random(name):
                continue
            flat = value.ravel()
            values = set(flat.tolist())
            block = values if block is None else block
            self.assertLessEqual(values - {0.0}, block, name)
            key = (value.shape, flat[:64].tobytes())
            self.assertNotIn(key, seen, f"{name} equals {seen.get(key)}")
            seen[key] = name
        self.assertAlmostEqual(float(np.std(list(block))), INIT_STD, delta=0.002)

    def test_reproducible_and_seeded(self):
        again = repeated_weights(CFG, 0, BLOCK)
        other = repeated_weights(CFG, 1, BLOCK)
        for name in self.weights:
            np.testing.assert_array_equal(self.weights[name], again[name], name)
        self.assertFalse(np.array_equal(self.weights["classifier.weight"],
                                        other["classifier.weight"]))

    def test_compresses_to_about_the_block(self):
        data = b"".join(v.tobytes() for v in self.weights.values())
        self.assertLess(len(lzma.compress(data, preset=6)), len(data) // 20)

    def test_inputs_are_seeded(self):
        a, b = make_inputs(CFG, 2, 16, 0), make_inputs(CFG, 2, 16, 0)
        for name in a:
            np.testing.assert_array_equal(a[name], b[name])
        self.assertEqual(a["attention_mask"][1, 8:].sum(), 0)


if __name__ == "__main__":
    unittest.main()
