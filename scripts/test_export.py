#!/usr/bin/env python3
"""Tests of scripts/export_pytorch.py. Run with ``python3 scripts/test_export.py``
(or ``python3 -m pytest scripts/test_export.py``) from the repository root.

Always (standard library only):
* the committed fixture ``tests/fixtures/pytorch_export.{bpnn,json}`` is what
  the script writes from its fixed seed, byte for byte;
* blobs parse back to their parameters, and the exporter refuses what the
  format cannot hold;
* the walk over an ``nn.Sequential`` (which layers it takes, which it refuses
  and why), on a stand-in for ``torch.nn`` with PyTorch's attribute names:
  the fixture's network built from those modules exports to the committed
  blob byte for byte.

Where PyTorch is installed, also: a random ``nn.Sequential`` of the fixture's
architecture is exported, and ``cargo test --test test_pytorch_export`` loads
that export in Rust and compares its forward outputs with PyTorch's for random
inputs; PyTorch's own activation modules map onto the table's spellings, and
the script's reference forward pass agrees with theirs. Without PyTorch, that
part says it is skipped.
"""

import copy
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import types
import zlib
import unittest
import warnings
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import export_pytorch as ex  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "fixtures")

try:
    import torch
    import torch.nn as nn
except ImportError:  # the PyTorch part is skipped
    torch = None


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tutorial_layers():
    """The tutorial's 1 => 4 ReLU => 2 Sigmoid => 1 Linear network."""
    w = [0.25, 0.5, 0.75, 1.0]
    return [
        {"weight": [[x] for x in w], "bias": [1.0] * 4, "activation": "ReLU"},
        {"weight": [[1.0, 0.75, 0.5, 0.25], [0.0, 0.25, 0.5, 0.75]], "bias": [1.0, 1.0], "activation": "Sigmoid"},
        {"weight": [[1.0, 0.5]], "bias": [1.0], "activation": "Linear"},
    ]


class FormatTests(unittest.TestCase):
    def test_committed_fixture_is_reproducible(self):
        with tempfile.TemporaryDirectory() as tmp:
            ex.write_fixture(tmp)
            names = ["pytorch_export"] + list(ex.CONV_FIXTURES)
            for name in [n + ext for n in names for ext in (".bpnn", ".json")]:
                self.assertEqual(read(os.path.join(tmp, name)), read(os.path.join(FIXTURES, name)), name)

    def test_tutorial_network_matches_the_rust_fixture(self):
        # tests/fixtures/seed_f32.bpnn is what the Rust `to_bytes` writes for
        # the tutorial's network (tests/test_weights.rs checks that side).
        layers = tutorial_layers()
        blob, spec = ex.export_layers(1, layers)
        self.assertEqual(spec, "1 => 4 ReLU => 2 Sigmoid => 1 Linear")
        self.assertEqual(blob, read(os.path.join(FIXTURES, "seed_f32.bpnn")))

    def test_tutorial_network_in_q16_16_matches_the_rust_fixture(self):
        # tests/fixtures/seed_q16_16.bpnn is what the Rust `to_bytes` of a
        # `SeedNet<Q16_16>` writes (tests/test_fixed_point.rs checks that).
        blob, _ = ex.export_layers(1, tutorial_layers(), "Q16_16")
        self.assertEqual(blob[6], 3)
        self.assertEqual(blob, read(os.path.join(FIXTURES, "seed_q16_16.bpnn")))
        kind, _, params = ex.read_blob(blob)
        self.assertEqual(kind, "Q16_16")
        self.assertEqual(params[:4], [0.25, 0.5, 0.75, 1.0])
        # 0.25 is 16384 / 65536: the raw integers, little-endian.
        self.assertEqual(blob[56:60], (16384).to_bytes(4, "little"))

    def test_fixed_point_blobs_round_and_refuse_what_saturates(self):
        layer = {"weight": [[0.1, -1.5]], "bias": [1.0 / 512], "activation": "Linear"}
        blob, _ = ex.export_layers(2, [layer], "Q8_8")
        kind, _, params = ex.read_blob(blob)
        self.assertEqual((kind, blob[6]), ("Q8_8", 4))
        # 0.1 * 256 = 25.6 -> 26; a tie (0.5 LSB) rounds away from zero.
        self.assertEqual(params, [26 / 256, -1.5, 1 / 256])
        for dtype, big in (("Q8_8", 128.0), ("Q8_8", -128.0), ("Q16_16", 32768.0), ("Q16_16", float("nan"))):
            with self.assertRaisesRegex(ex.ExportError, "parameter 1"):
                ex.export_layers(2, [dict(layer, weight=[[0.0, big]])], dtype)

    def test_a_state_dict_exports_with_its_spec(self):
        # A model class of one's own: its state_dict, in order, and the spec.
        l1, l2, l3 = tutorial_layers()
        state = {
            "hidden.weight": l1["weight"], "hidden.bias": l1["bias"],
            "squash.weight": l2["weight"], "squash.bias": l2["bias"],
            "out.weight": l3["weight"], "out.bias": l3["bias"],
        }
        blob, spec = ex.export_state_dict(state, "1 => 4 ReLU => 2 Sigmoid => 1 Linear")
        self.assertEqual(spec, "1 => 4 ReLU => 2 Sigmoid => 1 Linear")
        self.assertEqual(blob, read(os.path.join(FIXTURES, "seed_f32.bpnn")))

    def test_tutorial_network_in_q16_16_matches_the_rust_fixture(self):
        # tests/fixtures/seed_q16_16.bpnn is what the Rust `to_bytes` of a
        # `SeedNet<Q16_16>` writes (tests/test_fixed_point.rs checks that).
        blob, _ = ex.export_layers(1, tutorial_layers(), "Q16_16")
        self.assertEqual(blob[6], 3)
        self.assertEqual(blob, read(os.path.join(FIXTURES, "seed_q16_16.bpnn")))
        kind, _, params = ex.read_blob(blob)
        self.assertEqual(kind, "Q16_16")
        self.assertEqual(params[:4], [0.25, 0.5, 0.75, 1.0])
        # 0.25 is 16384 / 65536: the raw integers, little-endian.
        self.assertEqual(blob[56:60], (16384).to_bytes(4, "little"))

    def test_fixed_point_blobs_round_and_refuse_what_saturates(self):
        layer = {"weight": [[0.1, -1.5]], "bias": [1.0 / 512], "activation": "Linear"}
        blob, _ = ex.export_layers(2, [layer], "Q8_8")
        kind, _, params = ex.read_blob(blob)
        self.assertEqual((kind, blob[6]), ("Q8_8", 4))
        # 0.1 * 256 = 25.6 -> 26; a tie (0.5 LSB) rounds away from zero.
        self.assertEqual(params, [26 / 256, -1.5, 1 / 256])
        for dtype, big in (("Q8_8", 128.0), ("Q8_8", -128.0), ("Q16_16", 32768.0), ("Q16_16", float("nan"))):
            with self.assertRaisesRegex(ex.ExportError, "parameter 1"):
                ex.export_layers(2, [dict(layer, weight=[[0.0, big]])], dtype)
        # An activation's parameter from the spec; a missing bias is 0.
        blob, spec = ex.export_state_dict({"w.weight": [[0.5, -2.0]]}, "2 => 1 LeakyReLU(0.2)", "f64")
        self.assertEqual(spec, "2 => 1 LeakyReLU(0.2)")
        self.assertEqual(ex.read_blob(blob)[1:], ("2 => 1 LeakyReLU(3fc999999999999a)", [0.5, -2.0, 0.0]))
        cases = [
            ({"a.weight": [[1.0]]}, "1 => 1 ReLU => 1 Linear", r"the state dict has 1 dense layers \(a.weight\), the spec 2"),
            ({"a.weight": [[1.0, 2.0]]}, "1 => 1 ReLU", r"a.weight is 1x2, but the spec's layer is 1 => 1"),
            ({"bn.weight": [1.0], "a.weight": [[1.0]]}, "1 => 1 ReLU", r"bn.weight is not a dense layer's weight"),
            ({"a.weight": [[1.0]]}, "1 => 1 Relu", r"'1 Relu': unknown activation"),
            ({"a.weight": [[1.0]]}, "1 => 1 LeakyReLU(a)", r"the arguments must be numbers"),
            ({"a.weight": [[1.0]]}, "1 => 1 ELU(1, 2)", r"ELU takes 1 argument"),
            ({"a.weight": [[1.0]]}, "1 =>", r"is not a layer"),
            ({"a.weight": [[1.0]]}, "x => 1 ReLU", r"does not start with the input width"),
        ]
        for state, spec, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message):
                ex.export_state_dict(state, spec)

    def test_version_1_blobs_upgrade_only_with_their_own_text(self):
        # tests/fixtures/seed_f32_v1.bpnn is the tutorial network's blob in
        # format version 1 (no text, its CRC-32 only).
        old = read(os.path.join(FIXTURES, "seed_f32_v1.bpnn"))
        with self.assertRaisesRegex(ex.ExportError, "convert it with --upgrade"):
            ex.read_blob(old)
        text = "1 => 4 ReLU => 2 Sigmoid => 1 Linear"
        self.assertEqual(ex.upgrade(old, text), read(os.path.join(FIXTURES, "seed_f32.bpnn")))
        with self.assertRaisesRegex(ex.ExportError, "not the architecture this blob was saved from"):
            ex.upgrade(old, "1 => 4 ReLU => 2 Sigmoid => 1 ReLU")
        with self.assertRaisesRegex(ex.ExportError, "not a version 1 blob"):
            ex.upgrade(read(os.path.join(FIXTURES, "seed_f32.bpnn")), text)
        damaged = bytearray(old)
        damaged[30] ^= 1
        with self.assertRaisesRegex(ex.ExportError, "checksum"):
            ex.upgrade(bytes(damaged), text)

    def test_input_major_tutorial_network_matches_the_rust_side(self):
        # tests/test_layout.rs loads tests/fixtures/seed_input_major_f32.bpnn
        # into the tutorial network declared `#[layout(input_major)]` and writes it back
        # byte for byte.
        layers = tutorial_layers()
        blob, spec = ex.export_layers(1, layers, layout="input_major")
        self.assertEqual(spec, "1 => 4 ReLU => 2 Sigmoid => 1 Linear")
        self.assertEqual(blob, read(os.path.join(FIXTURES, "seed_input_major_f32.bpnn")))
        _, text, params = ex.read_blob(blob)
        self.assertEqual(params[8:16], [1.0, 0.0, 0.75, 0.25, 0.5, 0.5, 0.25, 0.75])
        self.assertEqual(text, "#[layout(input_major)] " + spec)
        # The default layout's blob differs in the fingerprint and the order.
        self.assertNotEqual(blob, ex.export_layers(1, layers)[0])
        with self.assertRaisesRegex(ex.ExportError, "layout must be"):
            ex.export_layers(1, layers, layout="column_major")

    def test_chain_tutorial_network_matches_the_rust_side(self):
        # tests/test_chain_bytes.rs loads tests/fixtures/seed_chain_f32.bpnn
        # into the tutorial network declared as the chain
        # `Hidden => Head` and writes it back byte for byte.
        layers = tutorial_layers()
        blob, declarations = ex.export_chain(1, layers, [1, 2])
        self.assertEqual(blob, read(os.path.join(FIXTURES, "seed_chain_f32.bpnn")))
        self.assertEqual(
            declarations.split("\n"),
            [
                "pub struct NetPart1: 1 => 4 ReLU;",
                "pub struct NetPart2: 4 => 2 Sigmoid => 1 Linear;",
                "pub struct Net: NetPart1 => NetPart2;",
            ],
        )
        # The same parameters as the whole network, under the chain's
        # fingerprint (the text test_chain_bytes.rs asserts for `Chained`).
        whole = read(os.path.join(FIXTURES, "seed_f32.bpnn"))
        self.assertEqual(ex.read_blob(blob)[2], ex.read_blob(whole)[2])
        self.assertEqual(ex.read_blob(blob)[1], "(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)")

    def test_chain_texts_nest_as_the_macro_writes_them(self):
        # The texts tests/test_chain_bytes.rs asserts for `Abc`, `AbThenC`
        # and `AColumnsB`-like chains.
        layers = [
            {"weight": [[0.5] * 3] * 3, "bias": [0.0] * 3, "activation": act}
            for act in ("Tanh", "ReLU", "Sigmoid")
        ]
        self.assertEqual(
            ex.chain_architecture_text(3, layers, [1, 1, 1]),
            "(3 => 3 Tanh) => (3 => 3 ReLU) => (3 => 3 Sigmoid)",
        )
        self.assertEqual(
            ex.chain_architecture_text(3, layers, [[1, 1], 1]),
            "((3 => 3 Tanh) => (3 => 3 ReLU)) => (3 => 3 Sigmoid)",
        )
        self.assertEqual(
            ex.chain_architecture_text(3, layers[:2], [1, 1], layout="input_major"),
            "(#[layout(input_major)] 3 => 3 Tanh) => (#[layout(input_major)] 3 => 3 ReLU)",
        )
        _, declarations = ex.export_chain(3, layers, [1, [1, 1]], name="Abc")
        self.assertEqual(
            declarations.split("\n"),
            [
                "pub struct AbcPart1: 3 => 3 Tanh;",
                "pub struct AbcPart2: 3 => 3 ReLU;",
                "pub struct AbcPart3: 3 => 3 Sigmoid;",
                "pub struct AbcChain1: AbcPart2 => AbcPart3;",
                "pub struct Abc: AbcPart1 => AbcChain1;",
            ],
        )
        self.assertEqual(ex.parse_parts("1,2"), [1, 2])
        self.assertEqual(ex.parse_parts("[[1,1],1]"), [[1, 1], 1])
        for parts, message in (
            ([3], "two parts or more"),
            ([1, [2]], "two parts or more"),
            ([1, 1], "cover 2 of the 3 layers"),
            ([1, 1, 1, 1], "more layers than the 3"),
            ([0, 3], "a part is a number of layers"),
            ([True, 2], "a part is a number of layers"),
            ([1, "2"], "a part is a number of layers"),
        ):
            with self.assertRaisesRegex(ex.ExportError, message, msg=repr(parts)):
                ex.export_chain(3, layers, parts)
        with self.assertRaisesRegex(ex.ExportError, "--parts takes"):
            ex.parse_parts("1;2")

    def test_blobs_parse_back(self):
        blob = read(os.path.join(FIXTURES, "pytorch_export.bpnn"))
        kind, text, params = ex.read_blob(blob)
        self.assertEqual(kind, "f32")
        self.assertEqual(len(params), 3 * 8 + 8 + 8 * 6 + 6 + 6 * 5 + 5 + 5 * 4 + 4 + 4 * 4 + 4 + 4 * 3 + 3)
        layers = [{"weight": [[0.5, -2.0]], "bias": [0.25], "activation": "LeakyReLU", "slope": 0.2}]
        blob, spec = ex.export_layers(2, layers, "f64")
        self.assertEqual(spec, "2 => 1 LeakyReLU(0.2)")
        self.assertEqual(ex.read_blob(blob)[2], [0.5, -2.0, 0.25])
        damaged = bytearray(blob)
        damaged[20] ^= 1
        with self.assertRaises(ex.ExportError):
            ex.read_blob(bytes(damaged))

    def test_leaky_slope_is_written_as_bits(self):
        self.assertEqual(ex.activation_text("LeakyReLU"), "LeakyReLU(3f847ae147ae147b)")
        self.assertEqual(ex.activation_text("LeakyReLU", 0.1), "LeakyReLU(3fb999999999999a)")

    def test_elu_alpha_is_written_as_bits_as_the_slope_is(self):
        # Always, its default included: the rule the macro applies to
        # LeakyReLU's slope (backprop-macros' architecture_text).
        self.assertEqual(ex.activation_text("ELU"), "ELU(3ff0000000000000)")
        self.assertEqual(ex.activation_text("ELU", alpha=0.5), "ELU(3fe0000000000000)")
        layer = {"weight": [[1.0]], "bias": [0.0], "activation": "ELU"}
        self.assertEqual(ex.spec_text(1, [layer]), "1 => 1 ELU(3ff0000000000000)")
        self.assertEqual(ex.spec_text(1, [layer], canonical=False), "1 => 1 ELU(1.0)")
        self.assertEqual(ex.spec_text(1, [dict(layer, alpha=0.25)], canonical=False), "1 => 1 ELU(0.25)")

    def test_the_table_is_the_list_of_activations(self):
        spellings = [b["spelling"] for b in ex.read_table()]
        self.assertEqual(spellings[:5], ["Linear", "ReLU", "Sigmoid", "Tanh", "LeakyReLU"])
        for name in ("SiLU", "GELU", "GELU(tanh)", "ELU", "Softplus", "ReLU6", "Hardtanh"):
            self.assertIn(name, spellings)
            self.assertIn(name, ex.ACTIVATIONS)
        self.assertEqual(ex.ACTIVATIONS[-1], "Softmax")
        rows = {b["spelling"]: b for b in ex.read_table()}
        self.assertEqual(rows["ELU"]["params"], [("alpha", 1.0)])
        self.assertEqual(rows["ELU"]["torch"], ("ELU", [("alpha", None)]))
        self.assertEqual(rows["Softplus"]["torch"], ("Softplus", [("beta", "1"), ("threshold", "20")]))
        self.assertEqual(rows["Linear"]["torch"], ("Identity", []))
        # A table read from elsewhere: the path is relative to the script's
        # repository, not to the working directory.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "t.txt")
            with open(path, "w") as f:
                f.write("# comment\nFoo  Foo  k=2.5  Bar(x)\n")
            self.assertEqual(ex.read_table(path), [{"spelling": "Foo", "runtime": "Foo", "params": [("k", 2.5)], "torch": ("Bar", [("x", None)])}])

    def test_reference_forward_of_the_new_activations(self):
        import math
        cases = [
            ("SiLU", {}, -1.0, -1.0 / (1.0 + math.e)),
            ("GELU", {}, 1.0, 0.8413447460685429),
            ("GELU(tanh)", {}, 1.0, 0.8411919906082768),
            ("ELU", {"alpha": 0.5}, -1.0, 0.5 * math.expm1(-1.0)),
            ("ELU", {}, 2.0, 2.0),
            ("Softplus", {}, 0.0, math.log(2.0)),
            ("Softplus", {}, 25.0, 25.0),
            ("ReLU6", {}, 7.0, 6.0),
            ("Hardtanh", {}, -3.0, -1.0),
        ]
        for act, params, x, want in cases:
            layer = dict({"weight": [[1.0]], "bias": [0.0], "activation": act}, **params)
            got = ex.forward([layer], [x], dtype="f64")[0]
            self.assertAlmostEqual(got, want, places=14, msg=act)

    def test_refusals(self):
        good = {"weight": [[1.0, 2.0]], "bias": [0.0], "activation": "ReLU"}
        with self.assertRaisesRegex(ex.ExportError, "weight must be"):
            ex.export_layers(3, [good])
        with self.assertRaisesRegex(ex.ExportError, "unknown activation 'Mish'"):
            ex.export_layers(2, [dict(good, activation="Mish")])
        with self.assertRaisesRegex(ex.ExportError, "unknown activation 'gelu'"):
            ex.export_layers(2, [dict(good, activation="gelu")])
        with self.assertRaisesRegex(ex.ExportError, "Softmax is only supported on the last layer"):
            ex.export_layers(2, [dict(good, activation="Softmax"), {"weight": [[1.0]], "bias": [0.0], "activation": "Linear"}])
        with self.assertRaisesRegex(ex.ExportError, "dtype"):
            ex.export_layers(2, [good], "f16")

def gesture_layers(out=4):
    """The contract's example, ``[3; 64] => Conv1d(16, kernel = 5) ReLU =>
    MaxPool1d(2) => GlobalAvgPool1d => 4 Softmax``, with numbered parameters."""
    conv = {
        "kind": "Conv1d", "activation": "ReLU",
        "weight": [[[float(100 * o + 10 * c + k) for k in range(5)] for c in range(3)] for o in range(16)],
        "bias": [float(-o) for o in range(16)],
    }
    dense = {"weight": [[float(1000 + 16 * j + i) for i in range(16)] for j in range(out)],
             "bias": [float(-100 - j) for j in range(out)], "activation": "Softmax"}
    return [conv, {"kind": "MaxPool1d", "kernel": 2}, {"kind": "GlobalAvgPool1d"}, dense]


class WindowTests(unittest.TestCase):
    """Conv1d, pooling and Flatten layers as plain data (issue #15)."""

    def test_architecture_text_of_a_conv_network(self):
        layers = gesture_layers()
        text = ("[3; 64] => Conv1d(16, kernel = 5, stride = 1, dilation = 1, padding = valid) ReLU"
                " => MaxPool1d(2, stride = 2) => GlobalAvgPool1d => 4 Softmax")
        self.assertEqual(ex.architecture_text((3, 64), layers), text)
        blob, spec = ex.export_layers((3, 64), layers)
        self.assertEqual(spec, "[3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => GlobalAvgPool1d => 4 Softmax")
        # The fingerprint is the CRC-32 of the canonical text, which the blob holds.
        self.assertEqual(int.from_bytes(blob[8:12], "little"), zlib.crc32(text.encode()))
        self.assertEqual(ex.read_blob(blob)[1], text)
        # Options away from their defaults are written in the short spelling
        # too; a Conv1d without activation is Linear; Flatten.
        layers = [
            {"kind": "Conv1d", "weight": [[[1.0] * 3] * 2] * 4, "bias": [0.0] * 4, "stride": 2},
            {"kind": "Conv1d", "weight": [[[1.0] * 2] * 4] * 3, "bias": [0.0] * 3, "dilation": 2,
             "padding": "same", "activation": "LeakyReLU", "slope": 0.1},
            {"kind": "AvgPool1d", "kernel": 3, "stride": 1},
            {"kind": "Flatten"},
            {"weight": [[1.0] * 21], "bias": [0.0], "activation": "Linear"},
        ]
        self.assertEqual(
            ex.architecture_text((2, 19), layers),
            "[2; 19] => Conv1d(4, kernel = 3, stride = 2, dilation = 1, padding = valid) Linear"
            " => Conv1d(3, kernel = 2, stride = 1, dilation = 2, padding = same) LeakyReLU(3fb999999999999a)"
            " => AvgPool1d(3, stride = 1) => Flatten => 1 Linear",
        )
        self.assertEqual(
            ex.export_layers((2, 19), layers)[1],
            "[2; 19] => Conv1d(4, kernel = 3, stride = 2) Linear => Conv1d(3, kernel = 2, dilation = 2, padding = same)"
            " LeakyReLU(0.1) => AvgPool1d(3, stride = 1) => Flatten => 1 Linear",
        )

    def test_parameter_order_is_pytorchs(self):
        # Conv1d: weight [out][in][kernel] row-major, then the bias; pooling
        # has none; then the dense layer's weight [out][in] and bias.
        layers = gesture_layers()
        _, _, params = ex.read_blob(ex.export_layers((3, 64), layers, "f64")[0])
        conv, _, _, dense = layers
        want = [w for row in conv["weight"] for taps in row for w in taps] + conv["bias"]
        want += [w for row in dense["weight"] for w in row] + dense["bias"]
        self.assertEqual(params, want)
        self.assertEqual(len(params), 16 * 3 * 5 + 16 + 4 * 16 + 4)
        self.assertEqual(params[:7], [0.0, 1.0, 2.0, 3.0, 4.0, 10.0, 11.0])  # w[0][0][k], then w[0][1][0]
        self.assertEqual(params[20:22], [110.0, 111.0])  # w[1][1][0] is at (1 * 3 + 1) * 5 + 0
        self.assertEqual(params[240:242], [0.0, -1.0])  # the bias after the 16 * 3 * 5 weights

    def test_shape_arithmetic(self):
        length = ex.conv1d_length
        self.assertEqual(length(64, 5), 60)
        self.assertEqual(length(24, 3, stride=2), 11)  # floor((24 - 2 - 1) / 2) + 1
        self.assertEqual(length(25, 3, stride=2), 12)
        self.assertEqual(length(11, 3, dilation=2), 7)  # floor(11 - 4 - 1) + 1
        self.assertEqual(length(5, 5), 1)
        self.assertIsNone(length(4, 5))
        self.assertIsNone(length(4, 3, dilation=2))  # spans 5
        for kernel in (1, 2, 3, 4, 5, 8):  # 'same' keeps the length, even kernels too
            self.assertEqual(length(8, kernel, padding="same"), 8, kernel)
        self.assertEqual(length(3, 8, padding="same"), 3)  # the padding makes room
        # An odd total puts the extra zero on the right, as PyTorch does.
        self.assertEqual(ex.same_padding(4), (1, 2))
        self.assertEqual(ex.same_padding(2), (0, 1))
        self.assertEqual(ex.same_padding(5), (2, 2))
        self.assertEqual(ex.same_padding(2, dilation=2), (1, 1))
        self.assertEqual(ex.same_padding(4, dilation=3), (4, 5))
        pool = ex.pool1d_length
        self.assertEqual((pool(16, 2, 2), pool(8, 3, 2), pool(7, 2, 2), pool(9, 3, 3), pool(5, 3, 1)), (8, 3, 3, 3, 3))
        self.assertIsNone(pool(2, 3, 3))
        self.assertEqual(ex.layer_shapes((3, 64), gesture_layers()), [(16, 60), (16, 30), 16, 4])
        for name, shapes in (("pytorch_export_conv", [(6, 16), (6, 8), (5, 8), (5, 3), 15, 6, 3]),
                             ("pytorch_export_conv_global", [(4, 11), (4, 7), (4, 3), (3, 3), 3, 2])):
            inputs, layers, _ = ex.conv_fixture(name)
            self.assertEqual(ex.layer_shapes(inputs, layers), shapes, name)

    def test_reference_forward_of_window_layers(self):
        # 'same' with an even kernel: [x1..x4] padded to [0, x1..x4, 0, 0].
        conv = {"kind": "Conv1d", "weight": [[[1.0, 10.0, 100.0, 1000.0]]], "bias": [0.0], "padding": "same"}
        flat = {"kind": "Flatten"}
        ident = {"weight": [[1.0 if i == j else 0.0 for i in range(4)] for j in range(4)], "bias": [0.0] * 4,
                 "activation": "Linear"}
        self.assertEqual(ex.forward([conv, flat, ident], [[1.0, 2.0, 3.0, 4.0]], "f64"), [3210.0, 4321.0, 432.0, 43.0])
        # Stride and dilation: out[t] = x[2t] + 10 x[2t + 2].
        conv = {"kind": "Conv1d", "weight": [[[1.0, 10.0]]], "bias": [0.5], "stride": 2, "dilation": 2}
        x = [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]
        self.assertEqual(ex.forward([conv, flat, dict(ident, weight=ident["weight"][:2], bias=[0.0] * 2)], x, "f64")[:2],
                         [31.5, 53.5])
        # Flatten is channel-major, c * LEN + t; pools take floor windows.
        x = [[1.0, 5.0, 2.0, 0.0, 9.0], [-1.0, -2.0, -3.0, -4.0, -5.0]]
        cases = [
            ([{"kind": "MaxPool1d", "kernel": 2}, flat], [5.0, 2.0, -1.0, -3.0]),
            ([{"kind": "AvgPool1d", "kernel": 2}, flat], [3.0, 1.0, -1.5, -3.5]),
            ([{"kind": "MaxPool1d", "kernel": 3, "stride": 2}, flat], [5.0, 9.0, -1.0, -3.0]),
            ([{"kind": "GlobalAvgPool1d"}], [3.4, -3.0]),
        ]
        for head, want in cases:
            width = len(want)
            dense = {"weight": [[1.0 if i == j else 0.0 for i in range(width)] for j in range(width)],
                     "bias": [0.0] * width, "activation": "Linear"}
            got = ex.forward(head + [dense], x, "f64")
            self.assertEqual([round(v, 12) for v in got], want, head)
            self.assertEqual(ex.layer_shapes((2, 5), head + [dense])[-1], width)

    def test_a_window_state_dict_exports_with_its_spec(self):
        # A model class of one's own: 3-D weights are the Conv1d layers', 2-D
        # the dense ones', in the spec's order; a missing bias is 0.
        conv, _, _, dense = gesture_layers()
        state = {"features.0.weight": conv["weight"], "features.0.bias": conv["bias"],
                 "head.weight": dense["weight"], "head.bias": dense["bias"]}
        spec = "[3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => GlobalAvgPool1d => 4 Softmax"
        blob, text = ex.export_state_dict(state, spec)
        self.assertEqual(text, spec)
        self.assertEqual(blob, ex.export_layers((3, 64), gesture_layers())[0])
        w = [[[0.5] * 2] * 2] * 3
        _, text = ex.export_state_dict({"c.weight": w, "l.weight": [[1.0] * 6]},
                                       "[2; 8] => Conv1d(3, kernel = 2, stride = 2, dilation = 2, padding = valid) LeakyReLU(0.2)"
                                       " => AvgPool1d(2, stride = 1) => Flatten => 1 Linear")
        self.assertEqual(text, "[2; 8] => Conv1d(3, kernel = 2, stride = 2, dilation = 2) LeakyReLU(0.2) => AvgPool1d(2, stride = 1)"
                               " => Flatten => 1 Linear")
        cases = [
            (spec.replace("kernel = 5", "kernel = 4"), r"features.0.weight is not the weight of Conv1d\(16, kernel = 4\)"),
            (spec.replace("[3; 64]", "[4; 64]"), r"features.0.weight: in_channels=3, but its input \[4; 64\] has 4 channels"),
            (spec.replace("4 Softmax", "5 Softmax"), r"head.weight is not the weight of the spec's dense layer of 5"),
            (spec.replace("GlobalAvgPool1d", "Flatten"), r"head.weight: weight must be \[4\]\[480\]"),
            (spec.replace("GlobalAvgPool1d => ", ""), r"head.weight: a dense layer on the window \[16; 30\]"),
            (spec.replace("MaxPool1d(2)", "MaxPool1d(2) ReLU"), r"a pooling layer has no activation"),
            (spec.replace("kernel = 5", "kernel = 5, groups = 2"), r"Conv1d takes \(OUT_CH, kernel = K"),
            (spec.replace("kernel = 5", "kernel = 5, padding = full"), r"padding is 'valid' or 'same'"),
            (spec.replace("Conv1d(16, kernel = 5)", "Conv1d(16)"), r"Conv1d takes"),
            (spec.replace("MaxPool1d(2)", "MaxPool1d(x)"), r"sizes are whole numbers"),
            (spec.replace("ReLU", "Relu"), r"unknown activation"),
            ("[3; 64] => 4 ReLU", r"the state dict has 2 dense and Conv1d layers \(features.0.weight, head.weight\), the spec 1"),
            ("[3, 64] => 4 ReLU", r"does not start with the input width or a window"),
        ]
        for text, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=text):
                ex.export_state_dict(state, text)
        with self.assertRaisesRegex(ex.ExportError, r"bn.weight is not a dense or Conv1d layer's weight \(it is 1-D\)"):
            ex.export_state_dict(dict(state, **{"bn.weight": [1.0] * 16}), spec)

    def test_window_refusals(self):
        conv = lambda out, ch, k, **o: dict({"kind": "Conv1d", "weight": [[[0.5] * k] * ch] * out,  # noqa: E731
                                             "bias": [0.0] * out}, **o)
        dense = lambda out, width: {"weight": [[0.5] * width] * out, "bias": [0.0] * out, "activation": "Linear"}  # noqa: E731
        flat = {"kind": "Flatten"}
        cases = [
            ((3, 8), [conv(2, 3, 3), dense(1, 12)], r"layer 2 \(Dense\): a dense layer on the window \[2; 6\]"),
            ((3, 8), [dense(1, 3)], r"layer 1 \(Dense\): a dense layer on the window \[3; 8\].*nn.Flatten\(\)"),
            ((3, 8), [conv(2, 4, 3), flat, dense(1, 12)], r"layer 1 \(Conv1d\): in_channels=4, but its input \[3; 8\] has 3 channels"),
            ((3, 4), [conv(2, 3, 5), flat, dense(1, 2)], r"layer 1 \(Conv1d\): its kernel spans 5 time steps"),
            ((3, 4), [conv(2, 3, 3, dilation=2), flat, dense(1, 2)], r"spans 5 time steps \(kernel_size=3, dilation=2\)"),
            ((3, 8), [conv(2, 3, 3, padding="same", stride=2), flat, dense(1, 8)], r"padding = same is only supported with stride 1"),
            ((3, 8), [conv(2, 3, 3, padding="full"), flat, dense(1, 12)], r"padding is 'valid' or 'same'"),
            ((3, 8), [conv(2, 3, 3, activation="Softmax"), flat, dense(1, 12)], r"layer 1 \(Conv1d\): Softmax is only supported on the last layer"),
            ((3, 2), [{"kind": "MaxPool1d", "kernel": 3}, flat, dense(1, 3)], r"layer 1 \(MaxPool1d\): kernel_size=3 is longer than the 2 time steps"),
            ((3, 2), [{"kind": "AvgPool1d", "kernel": 3}, flat, dense(1, 3)], r"layer 1 \(AvgPool1d\): kernel_size=3 is longer"),
            ((3, 8), [conv(2, 3, 3)], r"the last layer is a Conv1d: a network ends in a dense layer"),
            ((3, 8), [conv(2, 3, 3), flat], r"the last layer is a Flatten"),
            ((3, 8), [flat, dense(2, 24), flat, dense(1, 2)], r"layer 3 \(Flatten\): a Flatten works on a window"),
            (3, [dense(2, 3), conv(1, 2, 1), flat, dense(1, 1)], r"layer 2 \(Conv1d\): a Conv1d works on a window \[C; LEN\], not on the vector of 2"),
            ((3, 8), [{"kind": "Conv2d"}, dense(1, 3)], r"unknown layer kind 'Conv2d'"),
            ((3, 0), [flat, dense(1, 0)], r"a window input is \(channels, length\)"),
        ]
        for inputs, layers, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_layers(inputs, layers)
        with self.assertRaisesRegex(ex.ExportError, "layout='input_major' is for dense networks"):
            ex.export_layers((3, 64), gesture_layers(), layout="input_major")
        with self.assertRaisesRegex(ex.ExportError, "a chain of window networks cannot be exported"):
            ex.export_chain((3, 64), gesture_layers(), [2, 2])
        self.assertEqual(ex.parse_window("3,64"), (3, 64))
        self.assertEqual(ex.parse_window("[3; 64]"), (3, 64))
        for bad in ("3", "3,0", "a,b", "3,4,5"):
            with self.assertRaisesRegex(ex.ExportError, "--window takes"):
                ex.parse_window(bad)


class _Tensor:
    """The few tensor methods the exporter calls: detach().double().tolist()."""

    def __init__(self, values):
        self.values = values

    def detach(self):
        return self

    def double(self):
        return self

    def tolist(self):
        return self.values


def fake_torch_nn():
    """A stand-in for ``torch.nn`` with the attributes the exporter reads, so
    the module walk and its refusals are tested where PyTorch is absent."""
    nn = types.ModuleType("torch.nn")

    class Module:
        pass

    class Sequential(Module):
        def __init__(self, *modules):
            self._modules = list(modules)

        def children(self):
            return iter(self._modules)

    class Linear(Module):
        def __init__(self, weight, bias):
            self.in_features, self.out_features = len(weight[0]), len(weight)
            self.weight = _Tensor(weight)
            self.bias = None if bias is None else _Tensor(bias)

    class LeakyReLU(Module):
        def __init__(self, negative_slope=0.01):
            self.negative_slope = negative_slope

    class Softmax(Module):
        def __init__(self, dim=None):
            self.dim = dim

    class GELU(Module):
        def __init__(self, approximate="none"):
            self.approximate = approximate

    class ELU(Module):
        def __init__(self, alpha=1.0):
            self.alpha = alpha

    class Softplus(Module):
        def __init__(self, beta=1.0, threshold=20.0):
            self.beta, self.threshold = beta, threshold

    class Hardtanh(Module):
        def __init__(self, min_val=-1.0, max_val=1.0):
            self.min_val, self.max_val = min_val, max_val

    class ReLU6(Hardtanh):  # as in PyTorch
        def __init__(self):
            super().__init__(0.0, 6.0)

    class Conv1d(Module):
        """PyTorch's attributes: sizes as 1-tuples, padding a 1-tuple or a string."""

        def __init__(self, weight, bias, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
            self.out_channels, self.in_channels = len(weight), len(weight[0]) * groups
            self.kernel_size = (len(weight[0][0]),)
            self.stride, self.dilation = (stride,), (dilation,)
            self.padding = padding if isinstance(padding, str) else (padding,)
            self.groups, self.padding_mode = groups, padding_mode
            self.weight = _Tensor(weight)
            self.bias = None if bias is None else _Tensor(bias)

    class MaxPool1d(Module):
        """PyTorch keeps MaxPool1d's sizes as given, the stride defaulting to the kernel."""

        def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
            self.kernel_size = kernel_size
            self.stride = stride if stride is not None else kernel_size
            self.padding, self.dilation = padding, dilation
            self.return_indices, self.ceil_mode = return_indices, ceil_mode

    class AvgPool1d(Module):
        """PyTorch keeps AvgPool1d's sizes as 1-tuples."""

        def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
            self.kernel_size = (kernel_size,)
            self.stride = (stride if stride is not None else kernel_size,)
            self.padding = (padding,)
            self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    class AdaptiveAvgPool1d(Module):
        def __init__(self, output_size):
            self.output_size = output_size

    class Flatten(Module):
        def __init__(self, start_dim=1, end_dim=-1):
            self.start_dim, self.end_dim = start_dim, end_dim

    class ModuleList(Sequential):
        def __init__(self, modules):
            super().__init__(*modules)

    class RNNBase(Module):
        """PyTorch's attributes: sizes, settings, and the parameters as
        weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (no bias_*
        attributes with bias=False)."""

        def __init__(self, weight_ih, weight_hh, bias_ih=None, bias_hh=None, num_layers=1,
                     batch_first=False, dropout=0.0, bidirectional=False):
            self.input_size, self.hidden_size = len(weight_ih[0]), len(weight_hh[0])
            self.num_layers, self.batch_first, self.dropout = num_layers, batch_first, dropout
            self.bidirectional, self.bias = bidirectional, bias_ih is not None
            self.weight_ih_l0, self.weight_hh_l0 = _Tensor(weight_ih), _Tensor(weight_hh)
            if self.bias:
                self.bias_ih_l0, self.bias_hh_l0 = _Tensor(bias_ih), _Tensor(bias_hh)

    class GRU(RNNBase):
        pass

    class LSTM(RNNBase):
        def __init__(self, *args, proj_size=0, **kwargs):
            super().__init__(*args, **kwargs)
            self.proj_size = proj_size

    class RNN(RNNBase):  # in PyTorch, GRU and LSTM are not RNNs either
        pass

    nn.ModuleList, nn.GRU, nn.LSTM, nn.RNN = ModuleList, GRU, LSTM, RNN
    nn.Conv1d, nn.MaxPool1d, nn.AvgPool1d = Conv1d, MaxPool1d, AvgPool1d
    nn.AdaptiveAvgPool1d, nn.Flatten = AdaptiveAvgPool1d, Flatten
    nn.Module, nn.Sequential, nn.Linear = Module, Sequential, Linear
    nn.LeakyReLU, nn.Softmax, nn.GELU, nn.ELU = LeakyReLU, Softmax, GELU, ELU
    nn.Softplus, nn.Hardtanh, nn.ReLU6 = Softplus, Hardtanh, ReLU6
    for name in ("ReLU", "Sigmoid", "Tanh", "SiLU", "Identity", "Dropout", "Mish", "AdaptiveMaxPool1d", "Conv2d",
                 "GRUCell"):
        setattr(nn, name, type(name, (Module,), {}))
    torch_module = types.ModuleType("torch")
    torch_module.nn = nn
    return {"torch": torch_module, "torch.nn": nn}


class ModuleWalkTests(unittest.TestCase):
    """``sequential_layers`` on a stand-in ``torch.nn`` (PyTorch's attribute
    names: in_features, weight, bias, negative_slope, dim, children())."""

    def setUp(self):
        patcher = mock.patch.dict(sys.modules, fake_torch_nn())
        patcher.start()
        self.addCleanup(patcher.stop)
        self.nn = sys.modules["torch.nn"]

    def test_fixture_network_exports_to_the_committed_blob(self):
        nn = self.nn
        layers = ex.random_layers(ex.FIXTURE_INPUTS, ex.FIXTURE_SPEC, random.Random(ex.FIXTURE_SEED))
        modules = []
        for layer in layers:
            modules.append(nn.Linear(layer["weight"], layer["bias"]))
            act = layer["activation"]
            if act == "LeakyReLU":
                modules.append(nn.LeakyReLU(layer["slope"]))
            elif act == "Softmax":
                modules.append(nn.Softmax(dim=-1))
            elif act == "Linear":
                modules.append(nn.Identity())
            else:
                modules.append(getattr(nn, act)())
        blob, spec = ex.export_sequential(nn.Sequential(*modules))
        self.assertEqual(spec, "3 => 8 ReLU => 6 Tanh => 5 LeakyReLU(0.1) => 4 Sigmoid => 4 Linear => 3 Softmax")
        self.assertEqual(blob, read(os.path.join(FIXTURES, "pytorch_export.bpnn")))

    def test_linear_without_activation_or_bias(self):
        nn = self.nn
        model = nn.Sequential(nn.Linear([[1.0, 2.0]], None), nn.Linear([[3.0]], [4.0]), nn.Sigmoid())
        inputs, layers = ex.sequential_layers(model)
        self.assertEqual(inputs, 2)
        self.assertEqual([l["activation"] for l in layers], ["Linear", "Sigmoid"])
        self.assertEqual(layers[0]["bias"], [0.0])

    def test_each_builtin_module_maps_to_its_spelling(self):
        nn = self.nn
        lin = lambda: nn.Linear([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # noqa: E731
        cases = [
            (nn.SiLU(), "SiLU", "SiLU"),
            (nn.GELU(), "GELU", "GELU"),
            (nn.GELU(approximate="none"), "GELU", "GELU"),
            (nn.GELU(approximate="tanh"), "GELU(tanh)", "GELU(tanh)"),
            (nn.ELU(), "ELU(1.0)", "ELU(3ff0000000000000)"),
            (nn.ELU(alpha=0.5), "ELU(0.5)", "ELU(3fe0000000000000)"),
            (nn.ELU(alpha=2), "ELU(2.0)", "ELU(4000000000000000)"),
            (nn.Softplus(), "Softplus", "Softplus"),
            (nn.Softplus(beta=1, threshold=20), "Softplus", "Softplus"),
            (nn.ReLU6(), "ReLU6", "ReLU6"),
            (nn.Hardtanh(), "Hardtanh", "Hardtanh"),
            (nn.Hardtanh(-1, 1), "Hardtanh", "Hardtanh"),
            (nn.LeakyReLU(0.2), "LeakyReLU(0.2)", "LeakyReLU(3fc999999999999a)"),
        ]
        for module, spec, canonical in cases:
            blob, text = ex.export_sequential(nn.Sequential(lin(), module))
            self.assertEqual(text, "2 => 2 " + spec, spec)
            # The fingerprint covers the canonical text, parameters as bits.
            self.assertEqual(ex.read_blob(blob)[1], "2 => 2 " + canonical, spec)

    def test_a_network_of_every_new_activation(self):
        nn = self.nn
        lin = lambda: nn.Linear([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # noqa: E731
        model = nn.Sequential(
            lin(), nn.SiLU(), lin(), nn.GELU(), lin(), nn.GELU(approximate="tanh"),
            lin(), nn.ELU(0.5), lin(), nn.Softplus(), lin(), nn.ReLU6(), lin(), nn.Hardtanh(),
        )
        inputs, layers = ex.sequential_layers(model)
        self.assertEqual([l["activation"] for l in layers],
                         ["SiLU", "GELU", "GELU(tanh)", "ELU", "Softplus", "ReLU6", "Hardtanh"])
        self.assertEqual(layers[3]["alpha"], 0.5)
        self.assertEqual(
            ex.architecture_text(inputs, layers),
            "2 => 2 SiLU => 2 GELU => 2 GELU(tanh) => 2 ELU(3fe0000000000000) => 2 Softplus => 2 ReLU6 => 2 Hardtanh",
        )
        _, spec = ex.export_sequential(model)
        self.assertEqual(spec, "2 => 2 SiLU => 2 GELU => 2 GELU(tanh) => 2 ELU(0.5) => 2 Softplus => 2 ReLU6 => 2 Hardtanh")

    def test_unsupported_settings_are_refused_by_name(self):
        nn = self.nn
        lin = lambda: nn.Linear([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # noqa: E731
        cases = [
            (nn.Softplus(beta=2.0), r"module 1 \(Softplus\): beta=2.0 is not supported \(only beta=1\)"),
            (nn.Softplus(threshold=10.0), r"threshold=10.0 is not supported \(only threshold=20\)"),
            (nn.Hardtanh(-2.0, 2.0), r"module 1 \(Hardtanh\): min_val=-2.0 is not supported \(only min_val=-1\)"),
            (nn.Hardtanh(-1.0, 2.0), r"max_val=2.0 is not supported \(only max_val=1\)"),
            (nn.Hardtanh(0.0, 6.0), r"min_val=0.0 is not supported"),
            (nn.GELU(approximate="erf"), r"approximate='erf' is not supported \(only approximate=none or approximate=tanh\)"),
        ]
        for module, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message):
                ex.export_sequential(nn.Sequential(lin(), module))

    def test_dropout_is_dropped_with_a_warning(self):
        nn = self.nn
        lin = lambda: nn.Linear([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # noqa: E731
        with self.assertWarnsRegex(UserWarning, r"module 2 \(Dropout\) dropped: dropout is the identity"):
            inputs, layers = ex.sequential_layers(nn.Sequential(lin(), nn.ReLU(), nn.Dropout(), lin()))
        self.assertEqual((inputs, [l["activation"] for l in layers]), (2, ["ReLU", "Linear"]))

    def test_softmax_without_dim_is_taken_when_last(self):
        nn = self.nn
        lin = lambda: nn.Linear([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # noqa: E731
        _, spec = ex.export_sequential(nn.Sequential(lin(), nn.ReLU(), lin(), nn.Softmax()))
        self.assertEqual(spec, "2 => 2 ReLU => 2 Softmax")
        with self.assertRaisesRegex(ex.ExportError, "only as the last module"):
            ex.export_sequential(nn.Sequential(lin(), nn.Softmax(), lin()))

    def window_modules(self, layers):
        """The stand-in modules of a window network given as plain data."""
        nn = self.nn
        modules = []
        for layer in layers:
            kind = layer.get("kind", "Dense")
            if kind == "Conv1d":
                modules.append(nn.Conv1d(layer["weight"], layer["bias"], stride=layer.get("stride", 1),
                                         padding=layer.get("padding", 0), dilation=layer.get("dilation", 1)))
            elif kind == "MaxPool1d":
                modules.append(nn.MaxPool1d(layer["kernel"], layer.get("stride")))
            elif kind == "AvgPool1d":
                modules.append(nn.AvgPool1d(layer["kernel"], layer.get("stride")))
            elif kind == "GlobalAvgPool1d":
                modules += [nn.AdaptiveAvgPool1d(1), nn.Flatten()]
            elif kind == "Flatten":
                modules.append(nn.Flatten())
            else:
                modules.append(nn.Linear(layer["weight"], layer["bias"]))
            act = layer.get("activation", "Linear")
            if act == "LeakyReLU":
                modules.append(nn.LeakyReLU(layer["slope"]))
            elif act == "Softmax":
                modules.append(nn.Softmax(dim=-1))
            elif act != "Linear":
                modules.append(getattr(nn, act)())
        return modules

    def test_window_fixtures_export_to_the_committed_blobs(self):
        for name in ex.CONV_FIXTURES:
            inputs, layers, _ = ex.conv_fixture(name)
            model = self.nn.Sequential(*self.window_modules(layers))
            blob, spec = ex.export_sequential(model, window=inputs)
            with open(os.path.join(FIXTURES, name + ".json")) as f:
                case = json.load(f)
            self.assertEqual(spec, case["spec"], name)
            self.assertEqual(ex.read_blob(blob)[1], case["architecture"], name)
            self.assertEqual(blob, read(os.path.join(FIXTURES, name + ".bpnn")), name)

    def test_the_contracts_example_network(self):
        nn = self.nn
        w = lambda out, ch, k: [[[0.5] * k] * ch] * out  # noqa: E731
        model = nn.Sequential(
            nn.Conv1d(w(16, 3, 5), [0.0] * 16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(w(16, 16, 3), [0.0] * 16), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear([[0.5] * 16] * 4, [0.0] * 4), nn.Softmax(dim=1),
        )
        blob, spec = ex.export_sequential(model, window=(3, 64))
        self.assertEqual(spec, "[3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU"
                               " => GlobalAvgPool1d => 4 Softmax")
        self.assertEqual(ex.read_blob(blob)[1],
                         "[3; 64] => Conv1d(16, kernel = 5, stride = 1, dilation = 1, padding = valid) ReLU"
                         " => MaxPool1d(2, stride = 2) => Conv1d(16, kernel = 3, stride = 1, dilation = 1, padding = valid)"
                         " ReLU => GlobalAvgPool1d => 4 Softmax")
        self.assertEqual(len(ex.read_blob(blob)[2]), 16 * 3 * 5 + 16 + 16 * 16 * 3 + 16 + 4 * 16 + 4)

    def test_conv_activations_paddings_and_biases(self):
        nn = self.nn
        w = lambda out, ch, k: [[[0.5] * k] * ch] * out  # noqa: E731
        head = lambda: [nn.Flatten(), nn.Linear([[1.0] * 16], [0.0])]  # noqa: E731
        cases = [
            # An activation module after a Conv1d is its activation; none is Linear.
            ([nn.Conv1d(w(2, 1, 3), [0.0] * 2, padding=1), nn.GELU()], "Conv1d(2, kernel = 3, padding = same) GELU"),
            ([nn.Conv1d(w(2, 1, 3), [0.0] * 2, padding=1)], "Conv1d(2, kernel = 3, padding = same) Linear"),
            ([nn.Conv1d(w(2, 1, 3), [0.0] * 2, padding="same"), nn.Identity(), nn.ELU(0.5)],
             "Conv1d(2, kernel = 3, padding = same) ELU(0.5)"),
            # An integer padding is 'same' where it is what 'same' would give.
            ([nn.Conv1d(w(2, 1, 5), [0.0] * 2, padding=4, dilation=2)], "Conv1d(2, kernel = 5, dilation = 2, padding = same) Linear"),
            ([nn.Conv1d(w(2, 1, 2), [0.0] * 2, padding=1, dilation=2)], "Conv1d(2, kernel = 2, dilation = 2, padding = same) Linear"),
            ([nn.Conv1d(w(2, 1, 4), [0.0] * 2, padding="same"), nn.Tanh()], "Conv1d(2, kernel = 4, padding = same) Tanh"),
            ([nn.Conv1d(w(2, 1, 1), [0.0] * 2, padding=0), nn.Sigmoid()], "Conv1d(2, kernel = 1) Sigmoid"),
            ([nn.Conv1d(w(2, 1, 1), [0.0] * 2, padding="valid"), nn.ReLU()], "Conv1d(2, kernel = 1) ReLU"),
        ]
        for modules, text in cases:
            _, spec = ex.export_sequential(nn.Sequential(*(modules + head())), window=(1, 8))
            self.assertEqual(spec, "[1; 8] => %s => Flatten => 1 Linear" % text)
        # A Conv1d without bias (bias=False), as a Linear without: biases of 0.
        model = nn.Sequential(nn.Conv1d(w(2, 1, 3), None), nn.Flatten(), nn.Linear([[1.0] * 12], None))
        inputs, layers = ex.sequential_layers(model, window=(1, 8))
        self.assertEqual((inputs, layers[0]["bias"], layers[2]["bias"]), ((1, 8), [0.0, 0.0], [0.0]))
        # An Identity or a Dropout between AdaptiveAvgPool1d(1) and Flatten.
        with self.assertWarns(UserWarning):
            _, layers = ex.sequential_layers(nn.Sequential(
                nn.Conv1d(w(2, 1, 3), None), nn.AdaptiveAvgPool1d((1,)), nn.Identity(), nn.Dropout(), nn.Flatten(),
                nn.Linear([[1.0] * 2], None)), window=(1, 8))
        self.assertEqual([l.get("kind", "Dense") for l in layers], ["Conv1d", "GlobalAvgPool1d", "Dense"])

    def test_window_refusals_name_the_module(self):
        nn = self.nn
        w = lambda out, ch, k: [[[0.5] * k] * ch] * out  # noqa: E731
        conv = lambda k=3, **o: nn.Conv1d(w(2, 1, k), [0.0] * 2, **o)  # noqa: E731
        lin = lambda width: nn.Linear([[1.0] * width], [0.0])  # noqa: E731
        cases = [
            ([nn.Conv1d([[[0.5] * 3]] * 2, [0.0] * 2, groups=2), nn.Flatten(), lin(12)],
             r"module 0 \(Conv1d\): groups=2 is not supported \(only groups=1\)"),
            ([conv(padding_mode="reflect"), nn.Flatten(), lin(12)],
             r"module 0 \(Conv1d\): padding_mode='reflect' is not supported \(only padding_mode='zeros'\)"),
            ([conv(padding="same", stride=2), nn.Flatten(), lin(8)],
             r"module 0 \(Conv1d\): padding='same' is only supported with stride=1, not stride=2"),
            ([conv(padding=2), nn.Flatten(), lin(20)], r"module 0 \(Conv1d\): padding=2 is not supported"),
            ([conv(k=5, padding=2, stride=2), nn.Flatten(), lin(4)], r"module 0 \(Conv1d\): padding=2 is not supported.*stride=2"),
            ([conv(k=4, padding=1), nn.Flatten(), lin(14)], r"module 0 \(Conv1d\): padding=1 is not supported.*dilation\*\(kernel_size-1\)=3"),
            ([conv(k=4, padding=2), nn.Flatten(), lin(18)], r"module 0 \(Conv1d\): padding=2 is not supported"),
            ([conv(k=9), nn.Flatten(), lin(2)], r"module 0 \(Conv1d\): its kernel spans 9 time steps \(kernel_size=9, dilation=1\), longer than the 8 of its input \[1; 8\]"),
            ([conv(), nn.ReLU(), nn.Conv1d(w(2, 3, 3), [0.0] * 2), nn.Flatten(), lin(8)],
             r"module 2 \(Conv1d\): in_channels=3, but its input \[2; 6\] has 2 channels"),
            ([conv(), nn.MaxPool1d(2, padding=1), nn.Flatten(), lin(8)], r"module 1 \(MaxPool1d\): padding=1 is not supported \(only padding=0\)"),
            ([conv(), nn.MaxPool1d(2, dilation=2), nn.Flatten(), lin(4)], r"module 1 \(MaxPool1d\): dilation=2 is not supported \(only dilation=1\)"),
            ([conv(), nn.MaxPool1d(4, ceil_mode=True), nn.Flatten(), lin(4)], r"module 1 \(MaxPool1d\): ceil_mode=True is not supported"),
            ([conv(), nn.MaxPool1d(2, return_indices=True), nn.Flatten(), lin(6)], r"module 1 \(MaxPool1d\): return_indices=True is not supported"),
            ([conv(), nn.AvgPool1d(2, padding=1), nn.Flatten(), lin(8)], r"module 1 \(AvgPool1d\): padding=1 is not supported \(only padding=0\)"),
            ([conv(), nn.AvgPool1d(4, ceil_mode=True), nn.Flatten(), lin(4)], r"module 1 \(AvgPool1d\): ceil_mode=True is not supported"),
            ([conv(), nn.MaxPool1d(7), nn.Flatten(), lin(2)], r"module 1 \(MaxPool1d\): kernel_size=7 is longer than the 6 time steps of its input \[2; 6\]"),
            ([conv(), nn.AvgPool1d(7, stride=1), nn.Flatten(), lin(2)], r"module 1 \(AvgPool1d\): kernel_size=7 is longer"),
            ([conv(), nn.AdaptiveAvgPool1d(2), nn.Flatten(), lin(4)],
             r"module 1 \(AdaptiveAvgPool1d\): output_size=2 is not supported \(only output_size=1"),
            ([conv(), nn.AdaptiveAvgPool1d(1), lin(1)],
             r"module 2 \(Linear\): after module 1 \(AdaptiveAvgPool1d\) the tensor is \[C\]\[1\].*put nn.Flatten\(\) between them"),
            ([conv(), nn.AdaptiveAvgPool1d(1), nn.ReLU(), nn.Flatten(), lin(2)],
             r"module 2 \(ReLU\): module 1 \(AdaptiveAvgPool1d\) must be followed by nn.Flatten\(\)"),
            ([lin(1), nn.AdaptiveAvgPool1d(1)], r"module 1 \(AdaptiveAvgPool1d\) must be followed by nn.Flatten\(\)"),
            ([conv(), nn.ReLU(), lin(6)], r"module 2 \(Linear\): a dense layer on the window \[2; 6\] would act on its last dimension"),
            ([lin(8)], r"module 0 \(Linear\): a dense layer on the window \[1; 8\]"),
            ([conv(), nn.Flatten(start_dim=0), lin(12)], r"module 1 \(Flatten\): start_dim=0, end_dim=-1 is not supported"),
            ([conv(), nn.MaxPool1d(2), nn.ReLU(), nn.Flatten(), lin(6)], r"module 2 \(ReLU\): an activation must follow a Linear or Conv1d"),
            ([conv(), nn.Softmax(dim=-1)], r"module 1 \(Softmax\): Softmax is supported only as the last module, over dim=-1, after a Linear"),
            ([conv(), nn.Flatten(), conv(), lin(1)], r"module 2 \(Conv1d\): a Conv1d works on a window \[C; LEN\], not on the vector of 12"),
            ([conv(), nn.Flatten(), lin(12), nn.MaxPool1d(1), lin(1)], r"module 3 \(MaxPool1d\): a MaxPool1d works on a window"),
            ([conv(), nn.Flatten()], r"the model has no Linear layer"),
            ([conv(), nn.AdaptiveMaxPool1d(), nn.Flatten(), lin(2)], r"module 1 \(AdaptiveMaxPool1d\) is not supported"),
            ([conv(), nn.Conv2d(), lin(2)], r"module 1 \(Conv2d\) is not supported: only Linear, Conv1d, MaxPool1d"),
        ]
        for modules, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_sequential(nn.Sequential(*modules), window=(1, 8))
        # A network that starts with a window layer needs its window.
        for first in (conv(), nn.MaxPool1d(2)):
            with self.assertRaisesRegex(ex.ExportError, r"module 0 \(\w+\): a network that starts with a .*window=\(C, LEN\)"):
                ex.export_sequential(nn.Sequential(first, nn.Flatten(), lin(12)))
        model = nn.Sequential(conv(), nn.Flatten(), lin(12))
        with self.assertRaisesRegex(ex.ExportError, "layout='input_major' is for dense networks"):
            ex.export_sequential(model, layout="input_major", window=(1, 8))
        with self.assertRaisesRegex(ex.ExportError, "a chain of window networks"):
            ex.export_sequential(model, parts=[1, 2], window=(1, 8))
        with self.assertRaisesRegex(ex.ExportError, "window is \\(channels, length\\)|a window input is"):
            ex.export_sequential(model, window=(8,))

    def test_unsupported_modules_are_refused(self):
        nn = self.nn
        lin = lambda: nn.Linear([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # noqa: E731
        cases = [
            (nn.Sequential(lin(), nn.Mish()), r"module 1 \(Mish\) is not supported"),
            (nn.Sequential(nn.ReLU(), lin()), "must follow a Linear"),
            (nn.Sequential(lin(), nn.ReLU(), nn.Tanh()), "no two in a row"),
            (nn.Sequential(lin(), nn.Softmax(dim=-1), lin()), "only as the last module"),
            (nn.Sequential(lin(), nn.Softmax(dim=0)), "only as the last module, over dim=-1"),
            (nn.Sequential(nn.Identity()), "no Linear layer"),
            (lin(), "the model is a Linear, not an nn.Sequential.*export its state_dict with the spec"),
        ]
        for model, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message):
                ex.export_sequential(model)


def numbered(rows, cols, start):
    """A ``rows x cols`` matrix of distinct numbers from ``start`` (a vector
    for ``cols`` 0), so that any reordering shows."""
    if cols == 0:
        return [start + 0.5 * r for r in range(rows)]
    return [[start + 0.5 * (r * cols + c) for c in range(cols)] for r in range(rows)]


def recurrent_params(kind, inputs, hidden, start, bias=True):
    """weight_ih, weight_hh, bias_ih, bias_hh of a GRU or LSTM, numbered."""
    rows = ex.GATES[kind] * hidden
    w_ih = numbered(rows, inputs, start)
    w_hh = numbered(rows, hidden, start + 1000)
    if not bias:
        return w_ih, w_hh, None, None
    return w_ih, w_hh, numbered(rows, 0, start + 2000), numbered(rows, 0, start + 3000)


def flat(*blocks):
    out = []
    for block in blocks:
        for item in block:
            out.extend(item if isinstance(item, list) else [item])
    return out


def layers_from_params(inputs, spec, params):
    """The layers of the spec ``[("GRU", H) | (width, activation), ...]``
    read back from flat parameters in the order the brief of the format
    gives: a recurrent layer's weight_ih [G*H][IN], weight_hh [G*H][H],
    bias_ih, bias_hh; a dense layer's [out][in] weight, then its bias."""
    layers, at, width = [], 0, inputs

    def take(n):
        nonlocal at
        at += n
        return params[at - n : at]

    def matrix(rows, cols):
        return [take(cols) for _ in range(rows)]

    for a, b in spec:
        if a in ex.GATES:
            rows = ex.GATES[a] * b
            layers.append({"kind": a, "weight_ih": matrix(rows, width), "weight_hh": matrix(rows, b),
                           "bias_ih": take(rows), "bias_hh": take(rows)})
            width = b
        else:
            layers.append({"weight": matrix(a, width), "bias": take(a), "activation": b})
            width = a
    assert at == len(params), (at, len(params))
    return layers


# The committed recurrent fixtures (scripts/export_rnn_fixtures.py, from
# PyTorch): input width and layers, as layers_from_params reads them.
RNN_FIXTURES = {
    "pytorch_export_gru": (1, [("GRU", 16), (1, "Linear")]),
    "pytorch_export_rnn_mixed": (3, [(6, "Tanh"), ("LSTM", 5), (4, "ReLU"), ("GRU", 3), (2, "Linear")]),
    "pytorch_export_lstm_f32": (2, [("LSTM", 8), ("LSTM", 4), (3, "Softmax")]),
}


class RecurrentTests(unittest.TestCase):
    """GRU and LSTM layers: the blob, the reference forward pass, the walk
    over stand-in modules and the refusals, without PyTorch."""

    def setUp(self):
        patcher = mock.patch.dict(sys.modules, fake_torch_nn())
        patcher.start()
        self.addCleanup(patcher.stop)
        self.nn = sys.modules["torch.nn"]

    def test_parameter_order_is_pytorchs(self):
        nn = self.nn
        gru = recurrent_params("GRU", 2, 3, 1.0)
        head = (numbered(1, 3, 9000.0), [9100.0])
        modules = [nn.GRU(*gru, batch_first=True), nn.Linear(*head)]
        for model in (modules, tuple(modules), nn.ModuleList(modules), nn.Sequential(*modules)):
            blob, spec = ex.export_sequential(model, dtype="f64")
            self.assertEqual(spec, "2 => 3 GRU => 1 Linear")
            kind, text, params = ex.read_blob(blob)
            self.assertEqual((kind, text), ("f64", "2 => 3 GRU => 1 Linear"))
            # torch.cat([p.flatten() for p in m.parameters()]) for each module, in order.
            self.assertEqual(params, flat(*gru, *head))
            self.assertEqual(len(params), 3 * 3 * (2 + 3 + 2) + 3 + 1)

    def test_lstm_and_dense_layers_mixed(self):
        nn = self.nn
        first = (numbered(4, 3, 0.0), numbered(4, 0, 100.0))
        lstm = recurrent_params("LSTM", 4, 5, 200.0)
        middle = (numbered(4, 5, 5000.0), numbered(4, 0, 5100.0))
        gru = recurrent_params("GRU", 4, 2, 6000.0, bias=False)
        last = (numbered(2, 2, 12000.0), None)
        model = [nn.Linear(*first), nn.Tanh(), nn.LSTM(*lstm), nn.Dropout(), nn.Linear(*middle), nn.ReLU(),
                 nn.GRU(*gru, dropout=0.5), nn.Identity(), nn.Linear(*last)]
        with self.assertWarnsRegex(UserWarning, r"module 3 \(Dropout\) dropped"):
            blob, spec = ex.export_sequential(model, dtype="f64")
        self.assertEqual(spec, "3 => 4 Tanh => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear")
        _, text, params = ex.read_blob(blob)
        self.assertEqual(text, spec)
        # bias=False: biases of 0, for the GRU as for the last Linear.
        zeros = [0.0] * 6
        self.assertEqual(params, flat(*first, *lstm, *middle, gru[0], gru[1], zeros, zeros, last[0], [0.0, 0.0]))
        self.assertEqual(len(params), 4 * 3 + 4 + 4 * 5 * (4 + 5 + 2) + 4 * 5 + 4 + 3 * 2 * (4 + 2 + 2) + 2 * 2 + 2)

    def test_reference_forward_pass_by_hand(self):
        # One hidden unit, so the equations can be written out here.
        a_r, a_z, a_n, u_n = 0.3, -0.4, 0.9, 0.7
        gru = {"kind": "GRU", "weight_ih": [[a_r], [a_z], [a_n]], "weight_hh": [[0.0], [0.0], [u_n]],
               "bias_ih": [0.0, 0.0, 0.0], "bias_hh": [0.0, 0.0, 0.2]}
        layers = [gru, {"weight": [[2.0]], "bias": [0.5], "activation": "Linear"}]
        s = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
        # Step 1 from h = 0: r and z from the input; n sees r * b_hn.
        n1 = math.tanh(a_n * 1.0 + s(a_r) * 0.2)
        h1 = (1.0 - s(a_z)) * n1
        # Step 2, input 0: r = z = s(0) = 0.5, n = tanh(0.5 * (u_n h1 + 0.2)).
        h2 = 0.5 * math.tanh(0.5 * (u_n * h1 + 0.2)) + 0.5 * h1
        got = ex.forward_sequence(layers, [[1.0], [0.0]], dtype="f64")
        self.assertEqual(len(got), 2)
        for g, want in zip(got, (2.0 * h1 + 0.5, 2.0 * h2 + 0.5)):
            self.assertAlmostEqual(g[0], want, places=14)
        a_i, a_f, a_g, a_o = 0.5, -1.0, 0.8, -0.3
        lstm = {"kind": "LSTM", "weight_ih": [[a_i], [a_f], [a_g], [a_o]], "weight_hh": [[0.0]] * 4,
                "bias_ih": [0.0] * 4, "bias_hh": [0.0] * 4}
        c1 = s(a_i) * math.tanh(a_g)
        h1 = s(a_o) * math.tanh(c1)
        c2 = s(2 * a_f) * c1 + s(2 * a_i) * math.tanh(2 * a_g)
        h2 = s(2 * a_o) * math.tanh(c2)
        got = ex.forward_sequence([lstm, {"weight": [[1.0]], "bias": [0.0], "activation": "Linear"}],
                                  [[1.0], [2.0]], dtype="f64")
        for g, want in zip(got, (h1, h2)):
            self.assertAlmostEqual(g[0], want, places=14)

    def test_committed_fixtures_hold_pytorchs_parameters_in_order(self):
        # The fixtures' outputs are PyTorch's (scripts/export_rnn_fixtures.py);
        # the script's own forward pass over the blob's parameters, read in
        # PyTorch's order, gives them: so the blob holds them in that order.
        for name, (inputs, spec) in RNN_FIXTURES.items():
            with open(os.path.join(FIXTURES, name + ".json")) as f:
                case = json.load(f)
            kind, text, params = ex.read_blob(read(os.path.join(FIXTURES, name + ".bpnn")))
            self.assertEqual((kind, text), (case["dtype"], case["architecture"]), name)
            self.assertEqual(text, case["spec"], name)
            layers = layers_from_params(inputs, spec, params)
            self.assertEqual(ex.architecture_text(inputs, layers), text, name)
            self.assertGreaterEqual(len(case["inputs"]), 4)
            for x, want in zip(case["inputs"], case["outputs"]):
                got = ex.forward_sequence(layers, x, dtype=case["dtype"])
                self.assertEqual(len(got), len(want))
                for g_step, w_step in zip(got, want):
                    for g, w in zip(g_step, w_step):
                        self.assertLessEqual(abs(g - w), 1e-12 * max(1.0, abs(w)), name)

    def test_refusals_name_the_module_and_the_reason(self):
        nn = self.nn
        gru = lambda **o: nn.GRU(*recurrent_params("GRU", 2, 3, 0.0), **o)  # noqa: E731
        lstm = lambda **o: nn.LSTM(*recurrent_params("LSTM", 2, 3, 0.0), **o)  # noqa: E731
        lin = lambda n=3: nn.Linear(numbered(1, n, 0.0), [0.0])  # noqa: E731
        conv = nn.Conv1d([[[0.5] * 3]] * 2, [0.0] * 2)
        cases = [
            ([gru(num_layers=2), lin()],
             r"module 0 \(GRU\): num_layers=2 is not supported \(only num_layers=1\): stack one-layer modules, "
             r"one per layer, which network! writes `3 GRU => 3 GRU`"),
            ([lstm(num_layers=3), lin()], r"module 0 \(LSTM\): num_layers=3 .*`3 LSTM => 3 LSTM`"),
            ([gru(bidirectional=True), lin()], r"module 0 \(GRU\): bidirectional=True is not supported \(only bidirectional=False"),
            ([lstm(bidirectional=True), lin()], r"module 0 \(LSTM\): bidirectional=True is not supported"),
            ([lstm(proj_size=2), lin(2)], r"module 0 \(LSTM\): proj_size=2 is not supported \(only proj_size=0"),
            ([nn.RNN(*recurrent_params("GRU", 2, 1, 0.0)), lin()], r"module 0 \(RNN\): nn.RNN \(the Elman cell\) has no network! layer: use nn.GRU"),
            ([gru(), nn.Tanh(), lin()], r"module 1 \(Tanh\): an activation must follow a Linear or Conv1d layer .*none after a GRU or an LSTM"),
            ([nn.Linear(numbered(2, 2, 0.0), [0.0, 0.0]), gru()], r"the last layer is a GRU: a network ends in a dense layer"),
            ([gru()], r"the model has no Linear layer: a network ends in a dense layer"),
            ([gru(), conv, nn.Flatten(), lin(2)], r"module 0 \(GRU\): a recurrent network's input is one step's values, so it has no window input \[C; LEN\] and no Conv1d layer"),
            ([lin(2), gru(), nn.GRUCell(), lin()], r"module 2 \(GRUCell\) is not supported: only Linear, Conv1d, .*GRU, LSTM \(one layer, one direction\)"),
            ([lin(4), gru(), lin()], r"module 1 \(GRU\): a GRU over 1 inputs has weight_ih \[3\*H\]\[1\]"),
        ]
        for modules, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_sequential(modules)
        # A recurrent layer in a model with a window input.
        with self.assertRaisesRegex(ex.ExportError, r"module 2 \(GRU\): a recurrent network's input is one step's values.*no Conv1d layer"):
            ex.export_sequential([conv, nn.Flatten(), nn.GRU(*recurrent_params("GRU", 12, 3, 0.0)), lin()], window=(1, 8))
        with self.assertRaisesRegex(ex.ExportError, r"module 0 \(GRU\): a recurrent network's input is one step's values, so it has no window input"):
            ex.export_sequential([gru(), lin()], window=(2, 8))
        # The model itself: a GRU alone is not a list of modules.
        with self.assertRaisesRegex(ex.ExportError, r"the model is a GRU, not an nn.Sequential, an nn.ModuleList or a list of modules"):
            ex.export_sequential(gru())
        # A recurrent network is written in the default layout, whole.
        with self.assertRaisesRegex(ex.ExportError, "layout='input_major' is for dense networks: a recurrent network's blob"):
            ex.export_sequential([gru(), lin()], layout="input_major")
        with self.assertRaisesRegex(ex.ExportError, "a chain of recurrent networks cannot be exported"):
            ex.export_sequential([gru(), lin(), nn.Linear([[1.0]], [0.0])], parts=[1, 2])

    def test_state_dict_with_recurrent_layers(self):
        # A class of one's own: its state dict and the spec.
        fc0 = (numbered(3, 2, 0.0), numbered(3, 0, 50.0))
        gru = recurrent_params("GRU", 3, 4, 100.0)
        lstm = recurrent_params("LSTM", 4, 2, 500.0, bias=False)
        out = (numbered(1, 2, 900.0), [950.0])
        state = {"fc0.weight": fc0[0], "fc0.bias": fc0[1],
                 "gru.weight_ih_l0": gru[0], "gru.weight_hh_l0": gru[1], "gru.bias_ih_l0": gru[2], "gru.bias_hh_l0": gru[3],
                 "lstm.weight_ih_l0": lstm[0], "lstm.weight_hh_l0": lstm[1],
                 "out.weight": out[0], "out.bias": out[1]}
        blob, spec = ex.export_state_dict(state, "2 => 3 Tanh => 4 GRU => 2 LSTM => 1 Linear", "f64")
        self.assertEqual(spec, "2 => 3 Tanh => 4 GRU => 2 LSTM => 1 Linear")
        self.assertEqual(ex.read_blob(blob)[2], flat(*fc0, *gru, lstm[0], lstm[1], [0.0] * 8, [0.0] * 8, *out))
        cases = [
            ("2 => 3 Tanh => 4 LSTM => 2 LSTM => 1 Linear", state, r"gru.weight_ih_l0 is not the parameter of the spec's `4 LSTM`"),
            ("2 => 3 Tanh => 1 Linear", state, r"gru.weight_ih_l0 is a recurrent layer's parameter, and the spec has no GRU or LSTM"),
            ("2 => 3 Tanh => 4 GRU => 1 Linear", state, r"the state dict has 4 dense and recurrent layers"),
            ("2 => 3 Tanh => 4 GRU => 2 LSTM => 2 Linear", state, r"out.weight is not the weight of the spec's dense layer of 2"),
            ("3 => 4 GRU => 1 Linear", dict({"g.weight_ih_l1": gru[0]}, **{"g." + k + "_l0": v for k, v in zip(
                ("weight_ih", "weight_hh", "bias_ih", "bias_hh"), gru)}), r"g.weight_ih_l1 belongs to a recurrent module with num_layers > 1"),
            ("3 => 4 GRU => 1 Linear", {"g.weight_ih_l0_reverse": gru[0]}, r"_reverse belongs to a recurrent module"),
            ("3 => 4 LSTM => 1 Linear", {"l.weight_hr_l0": [[0.0]]}, r"l.weight_hr_l0 belongs to an LSTM with proj_size > 0"),
            ("[1; 4] => Flatten => 3 GRU => 1 Linear", state, r"a recurrent network's input is one step's values"),
        ]
        for spec, entries, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_state_dict(entries, spec)

    def test_plain_data_recurrent_layers_are_checked(self):
        w_ih, w_hh, b_ih, b_hh = recurrent_params("LSTM", 2, 3, 0.0)
        head = {"weight": numbered(1, 3, 0.0), "bias": [0.0], "activation": "Linear"}
        lstm = {"kind": "LSTM", "weight_ih": w_ih, "weight_hh": w_hh, "bias_ih": b_ih, "bias_hh": b_hh}
        blob, spec = ex.export_layers(2, [lstm, head])
        self.assertEqual(spec, "2 => 3 LSTM => 1 Linear")
        cases = [
            (dict(lstm, weight_hh=w_hh[:-1]), r"layer 1 \(LSTM\): a LSTM over 2 inputs has weight_ih \[4\*H\]\[2\]"),
            (dict(lstm, weight_ih=[r[:1] for r in w_ih]), r"weight_ih \[4\*H\]\[2\]"),
            (dict(lstm, bias_hh=b_hh[:-1]), r"biases \[4\*H\]"),
            (dict(lstm, kind="GRU"), r"layer 1 \(GRU\): a GRU over 2 inputs"),
            (dict(lstm, activation="Tanh"), r"layer 1 \(LSTM\): a LSTM takes no activation"),
        ]
        for layer, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_layers(2, [layer, head])


@unittest.skipIf(torch is None, "PyTorch is not installed")
class TorchTests(unittest.TestCase):
    def model(self):
        torch.manual_seed(int.from_bytes(os.urandom(4), "little"))
        return nn.Sequential(
            nn.Linear(3, 8), nn.ReLU(),
            nn.Linear(8, 6), nn.Tanh(),
            nn.Linear(6, 5), nn.LeakyReLU(0.1),
            nn.Linear(5, 4), nn.Sigmoid(),
            nn.Linear(4, 4), nn.Identity(),
            nn.Linear(4, 3), nn.Softmax(dim=-1),
        )

    def test_rust_forward_matches_pytorch(self):
        model = self.model()
        inputs, layers = ex.sequential_layers(model)
        reference = model.double()  # f32 parameters, evaluated in f64
        samples = (torch.rand(32, 3, dtype=torch.float32) * 6 - 3).double().tolist()

        def run(x):
            with torch.no_grad():
                return reference(torch.tensor(x, dtype=torch.float64)).tolist()

        with tempfile.TemporaryDirectory() as tmp:
            ex.write_case(tmp, inputs, layers, samples, run)
            env = dict(os.environ, BACKPROP_EXPORT_DIR=tmp)
            result = subprocess.run(
                ["cargo", "test", "--quiet", "--test", "test_pytorch_export"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_builtin_modules_map_to_their_spellings(self):
        # PyTorch's own modules and attribute names, and the reference
        # forward pass against PyTorch's float64 one.
        cases = [
            (nn.SiLU(), "SiLU"), (nn.GELU(), "GELU"), (nn.GELU(approximate="tanh"), "GELU(tanh)"),
            (nn.ELU(alpha=0.5), "ELU(0.5)"), (nn.ELU(), "ELU(1.0)"), (nn.Softplus(), "Softplus"),
            (nn.ReLU6(), "ReLU6"), (nn.Hardtanh(), "Hardtanh"),
        ]
        for module, spec in cases:
            model = nn.Sequential(nn.Linear(1, 1), module).double()
            with torch.no_grad():
                model[0].weight.fill_(1.0)
                model[0].bias.fill_(0.0)
            inputs, layers = ex.sequential_layers(model)
            _, text = ex.export_layers(inputs, layers)
            self.assertEqual(text, "1 => 1 " + spec)
            for x in (-8.0, -2.5, -1.0, -0.3, 0.0, 0.7, 1.0, 3.0, 6.5, 19.0, 21.0):
                with torch.no_grad():
                    want = model(torch.tensor([x], dtype=torch.float64)).item()
                got = ex.forward(layers, [x], dtype="f64")[0]
                self.assertLessEqual(abs(got - want), 1e-12 * max(1.0, abs(want)) + 1e-15, (spec, x))

    def test_dropout_is_dropped_and_softmax_needs_no_dim(self):
        model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.5), nn.Linear(3, 2), nn.Softmax())
        with self.assertWarnsRegex(UserWarning, r"module 2 \(Dropout\) dropped"):
            _, spec = ex.export_sequential(model)
        self.assertEqual(spec, "2 => 3 ReLU => 2 Softmax")

    def test_unsupported_modules_are_refused(self):
        cases = [
            (nn.Sequential(nn.Linear(2, 2), nn.Mish()), "Mish"),
            (nn.Sequential(nn.Linear(2, 2), nn.Softplus(beta=2)), "beta=2"),
            (nn.Sequential(nn.Linear(2, 2), nn.Hardtanh(-2.0, 2.0)), "min_val=-2.0"),
            (nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), "must follow a Linear"),
            (nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.ReLU()), "must follow a Linear"),
            (nn.Sequential(nn.Linear(2, 2), nn.Softmax(dim=-1), nn.Linear(2, 1)), "last module"),
            (nn.Linear(2, 1), "not an nn.Sequential"),
        ]
        for model, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message):
                ex.export_sequential(model)

    def window_model(self, inputs, layers, copy_params=True):
        """A real ``nn.Sequential`` of a window network given as plain data:
        its parameters copied (``copy_params``), or PyTorch's default init."""
        modules = []
        for layer in ex.check_layers(inputs, layers):
            kind = layer.get("kind", "Dense")
            if kind == "Conv1d":
                module = nn.Conv1d(len(layer["weight"][0]), len(layer["bias"]), layer["kernel"], stride=layer["stride"],
                                   dilation=layer["dilation"], padding=layer["padding"])
            elif kind == "MaxPool1d":
                module = nn.MaxPool1d(layer["kernel"], layer["stride"])
            elif kind == "AvgPool1d":
                module = nn.AvgPool1d(layer["kernel"], layer["stride"])
            elif kind == "GlobalAvgPool1d":
                modules.append(nn.AdaptiveAvgPool1d(1))
                module = nn.Flatten()
            elif kind == "Flatten":
                module = nn.Flatten()
            else:
                module = nn.Linear(len(layer["weight"][0]), len(layer["bias"]))
            if copy_params and kind in ("Conv1d", "Dense"):
                with torch.no_grad():
                    module.weight.copy_(torch.tensor(layer["weight"]))
                    module.bias.copy_(torch.tensor(layer["bias"]))
            modules.append(module)
            act = layer.get("activation", "Linear")
            if act == "LeakyReLU":
                modules.append(nn.LeakyReLU(layer["slope"]))
            elif act == "Softmax":
                modules.append(nn.Softmax(dim=-1))
            elif act != "Linear":
                modules.append(getattr(nn, act)())
        return nn.Sequential(*modules)

    @staticmethod
    def run_window(model, samples):
        """PyTorch's float64 outputs of f32 ``model`` (a copy) on ``samples``."""
        reference = copy.deepcopy(model).double()
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 'same' with an even kernel pads a copy
            return reference(torch.tensor(samples, dtype=torch.float32).double()).tolist()

    def test_committed_window_fixtures_are_pytorchs(self):
        # The script's float64 forward pass, which wrote the fixtures'
        # outputs, is PyTorch's; and the modules export to the same blob.
        for name in ex.CONV_FIXTURES:
            inputs, layers, samples = ex.conv_fixture(name)
            with open(os.path.join(FIXTURES, name + ".json")) as f:
                case = json.load(f)
            model = self.window_model(inputs, layers)
            for got, want in zip(self.run_window(model, samples), case["outputs"]):
                for g, w in zip(got, want):
                    self.assertLessEqual(abs(g - w), 1e-12, name)
            blob, spec = ex.export_sequential(model, window=inputs)
            self.assertEqual((spec, blob), (case["spec"], read(os.path.join(FIXTURES, name + ".bpnn"))), name)

    def test_rust_window_forward_matches_pytorch(self):
        # Random PyTorch models of the fixtures' architectures, exported and
        # loaded by tests/test_pytorch_export_conv.rs.
        torch.manual_seed(int.from_bytes(os.urandom(4), "little"))
        with tempfile.TemporaryDirectory() as tmp:
            for name in ex.CONV_FIXTURES:
                inputs, layers, _ = ex.conv_fixture(name)
                model = self.window_model(inputs, layers, copy_params=False)
                got_inputs, got_layers = ex.sequential_layers(model, window=inputs)
                channels, length = inputs
                samples = (torch.rand(16, channels, length) * 6 - 3).double().tolist()
                outputs = self.run_window(model, samples)
                ex.write_case(tmp, got_inputs, got_layers, samples, lambda x, o=iter(outputs): next(o), name=name)
            env = dict(os.environ, BACKPROP_EXPORT_DIR=tmp)
            result = subprocess.run(
                ["cargo", "test", "--quiet", "--test", "test_pytorch_export_conv"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_window_modules_and_refusals(self):
        conv = lambda k=3, **o: nn.Conv1d(1, 2, k, **o)  # noqa: E731
        ok = [
            ([conv(padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(16, 1)], "Conv1d(2, kernel = 3, padding = same) ReLU"),
            ([conv(4, padding="same"), nn.Flatten(), nn.Linear(16, 1)], "Conv1d(2, kernel = 4, padding = same) Linear"),
            ([conv(stride=2, padding="valid"), nn.SiLU(), nn.Flatten(), nn.Linear(6, 1)], "Conv1d(2, kernel = 3, stride = 2) SiLU"),
        ]
        for modules, text in ok:
            _, spec = ex.export_sequential(nn.Sequential(*modules), window=(1, 8))
            self.assertTrue(spec.startswith("[1; 8] => " + text + " => Flatten => "), spec)
        inputs, layers = ex.sequential_layers(
            nn.Sequential(conv(bias=False), nn.MaxPool1d(2), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(2, 1)),
            window=(1, 8))
        self.assertEqual([l.get("kind", "Dense") for l in layers], ["Conv1d", "MaxPool1d", "GlobalAvgPool1d", "Dense"])
        self.assertEqual(layers[0]["bias"], [0.0, 0.0])
        cases = [
            ([nn.Conv1d(2, 2, 3, groups=2), nn.Flatten(), nn.Linear(12, 1)], r"module 0 \(Conv1d\): groups=2"),
            ([conv(padding=1, padding_mode="circular"), nn.Flatten(), nn.Linear(16, 1)], r"module 0 \(Conv1d\): padding_mode='circular'"),
            ([conv(4, padding=1), nn.Flatten(), nn.Linear(14, 1)], r"module 0 \(Conv1d\): padding=1 is not supported"),
            ([conv(), nn.MaxPool1d(2, padding=1), nn.Flatten(), nn.Linear(8, 1)], r"module 1 \(MaxPool1d\): padding=1"),
            ([conv(), nn.MaxPool1d(4, ceil_mode=True), nn.Flatten(), nn.Linear(4, 1)], r"module 1 \(MaxPool1d\): ceil_mode=True"),
            ([conv(), nn.MaxPool1d(2, dilation=2), nn.Flatten(), nn.Linear(4, 1)], r"module 1 \(MaxPool1d\): dilation=2"),
            ([conv(), nn.MaxPool1d(2, return_indices=True), nn.Flatten(), nn.Linear(6, 1)], r"module 1 \(MaxPool1d\): return_indices=True"),
            ([conv(), nn.AvgPool1d(2, padding=1), nn.Flatten(), nn.Linear(8, 1)], r"module 1 \(AvgPool1d\): padding=1"),
            ([conv(), nn.AvgPool1d(4, ceil_mode=True), nn.Flatten(), nn.Linear(4, 1)], r"module 1 \(AvgPool1d\): ceil_mode=True"),
            ([conv(), nn.AdaptiveAvgPool1d(3), nn.Flatten(), nn.Linear(6, 1)], r"module 1 \(AdaptiveAvgPool1d\): output_size=3"),
            ([conv(), nn.AdaptiveAvgPool1d(1), nn.Linear(1, 1)], r"module 2 \(Linear\): after module 1 \(AdaptiveAvgPool1d\)"),
            ([conv(), nn.Linear(6, 1)], r"module 1 \(Linear\): a dense layer on the window \[2; 6\]"),
            ([conv(9), nn.Flatten(), nn.Linear(2, 1)], r"module 0 \(Conv1d\): its kernel spans 9 time steps"),
            ([nn.Conv1d(3, 2, 3), nn.Flatten(), nn.Linear(12, 1)], r"module 0 \(Conv1d\): in_channels=3, but its input \[1; 8\] has 1"),
            ([conv(), nn.BatchNorm1d(2), nn.Flatten(), nn.Linear(12, 1)], r"module 1 \(BatchNorm1d\) is not supported"),
        ]
        for modules, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_sequential(nn.Sequential(*modules), window=(1, 8))

    @staticmethod
    def rnn_fixtures():
        sys.path.insert(0, HERE)
        import export_rnn_fixtures as fx

        return fx

    def test_recurrent_modules_are_pytorchs_parameters_in_order(self):
        torch.manual_seed(int.from_bytes(os.urandom(4), "little"))
        for batch_first in (False, True):
            gru = nn.GRU(3, 4, batch_first=batch_first)
            lstm = nn.LSTM(4, 2, bias=False, batch_first=batch_first, dropout=0.0)
            head = nn.Linear(2, 1)
            for model in ([gru, lstm, head], nn.ModuleList([gru, lstm, head]), nn.Sequential(gru, lstm, head)):
                blob, spec = ex.export_sequential(model, dtype="f64")
                self.assertEqual(spec, "3 => 4 GRU => 2 LSTM => 1 Linear")
                want = torch.cat([
                    torch.cat([p.flatten() for p in gru.parameters()]),
                    torch.cat([p.flatten() for p in lstm.parameters()]), torch.zeros(2 * 8),  # bias=False
                    torch.cat([p.flatten() for p in head.parameters()]),
                ]).double().tolist()
                self.assertEqual(ex.read_blob(blob)[2], want)

    def test_reference_forward_sequence_is_pytorchs(self):
        fx = self.rnn_fixtures()
        for name, (_, dtype, build) in fx.cases(nn).items():
            model, samples, outputs = fx.case(torch, nn, int.from_bytes(os.urandom(4), "little"), dtype, build)
            _, layers = ex.sequential_layers(model)
            for x, want in zip(samples, outputs):
                for g_step, w_step in zip(ex.forward_sequence(layers, x, dtype), want):
                    for g, w in zip(g_step, w_step):
                        self.assertLessEqual(abs(g - w), 1e-12 * max(1.0, abs(w)), name)

    def test_committed_recurrent_fixtures_are_reproducible(self):
        fx = self.rnn_fixtures()
        with tempfile.TemporaryDirectory() as tmp:
            fx.write(tmp)
            for name in fx.cases(nn):
                self.assertEqual(read(os.path.join(tmp, name + ".bpnn")), read(os.path.join(FIXTURES, name + ".bpnn")), name)
                with open(os.path.join(tmp, name + ".json")) as f:
                    got = json.load(f)
                with open(os.path.join(FIXTURES, name + ".json")) as f:
                    want = json.load(f)
                self.assertEqual({k: got[k] for k in ("spec", "architecture", "dtype", "inputs")},
                                 {k: want[k] for k in ("spec", "architecture", "dtype", "inputs")}, name)
                for g, w in zip(flat(*[flat(*o) for o in got["outputs"]]), flat(*[flat(*o) for o in want["outputs"]])):
                    self.assertLessEqual(abs(g - w), 1e-12, name)

    def test_rust_recurrent_forward_matches_pytorch(self):
        # Random PyTorch models of the fixtures' architectures, exported and
        # loaded by tests/test_pytorch_export_rnn.rs.
        fx = self.rnn_fixtures()
        with tempfile.TemporaryDirectory() as tmp:
            for name, (_, dtype, build) in fx.cases(nn).items():
                model, samples, outputs = fx.case(torch, nn, int.from_bytes(os.urandom(4), "little"), dtype, build)
                inputs, layers = ex.sequential_layers(model)
                ex.write_case(tmp, inputs, layers, samples, lambda x, o=iter(outputs): next(o), dtype=dtype, name=name)
            env = dict(os.environ, BACKPROP_EXPORT_DIR=tmp)
            result = subprocess.run(
                ["cargo", "test", "--quiet", "--test", "test_pytorch_export_rnn"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_recurrent_refusals(self):
        cases = [
            ([nn.GRU(2, 3, num_layers=2), nn.Linear(3, 1)], r"module 0 \(GRU\): num_layers=2 .*`3 GRU => 3 GRU`"),
            ([nn.LSTM(2, 3, bidirectional=True), nn.Linear(6, 1)], r"module 0 \(LSTM\): bidirectional=True is not supported"),
            ([nn.LSTM(2, 3, proj_size=2), nn.Linear(2, 1)], r"module 0 \(LSTM\): proj_size=2 is not supported"),
            ([nn.RNN(2, 3), nn.Linear(3, 1)], r"module 0 \(RNN\): nn.RNN \(the Elman cell\) has no network! layer"),
            ([nn.GRUCell(2, 3), nn.Linear(3, 1)], r"module 0 \(GRUCell\) is not supported"),
            ([nn.LSTM(2, 3), nn.ReLU(), nn.Linear(3, 1)], r"module 1 \(ReLU\): an activation must follow a Linear"),
            ([nn.Linear(2, 2), nn.GRU(2, 3)], r"the last layer is a GRU"),
            ([nn.Conv1d(1, 2, 3), nn.Flatten(), nn.GRU(12, 3), nn.Linear(3, 1)], r"module 2 \(GRU\): a recurrent network's input is one step's values"),
        ]
        for modules, message in cases:
            with self.assertRaisesRegex(ex.ExportError, message, msg=message):
                ex.export_sequential(modules, window=(1, 8) if isinstance(modules[0], nn.Conv1d) else None)
        with self.assertRaisesRegex(ex.ExportError, "the model is a GRU, not an nn.Sequential, an nn.ModuleList"):
            ex.export_sequential(nn.GRU(2, 3))


if __name__ == "__main__":
    if torch is None:
        print("PyTorch is not installed: skipping the PyTorch comparison; the format tests run")
    result = unittest.main(exit=False, verbosity=1).result
    sys.exit(0 if result.wasSuccessful() else 1)
