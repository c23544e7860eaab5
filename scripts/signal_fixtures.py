#!/usr/bin/env python3
"""Reference values of the signal layers, from PyTorch in float64.

Writes ``tests/fixtures/signals_torch.json``, which
``tests/test_signals_torch.rs`` checks the Rust ``Conv1d``, ``MaxPool1d``,
``AvgPool1d``, ``GlobalAvgPool1d`` and ``Flatten`` layers against. Run it by
hand (CI uses the committed file)::

    python3 scripts/signal_fixtures.py [OUT.json]

It needs PyTorch. Every case is a ``network!`` spec and the
``nn.Sequential`` of the same layers (``nn.Conv1d``, with PyTorch's own
``padding='same'``, which puts the extra zero on the right when the total
padding is odd; ``nn.MaxPool1d``; ``nn.AvgPool1d``; ``nn.AdaptiveAvgPool1d(1)``
then ``nn.Flatten()`` for ``GlobalAvgPool1d``; ``nn.Flatten()``; ``nn.Linear``
and the activations). For each case it records:

* ``spec``: the ``network!`` spec, and ``architecture``: its canonical text
  (every ``Conv1d`` option and every pooling stride written out);
* ``params``: the flat parameters, ``torch.cat`` of ``model.parameters()``
  flattened, which is the Rust network's flat order (a ``Conv1d`` is its
  ``[out][in][k]`` weight, then its bias; a dense layer its ``[out][in]``
  weight, then its bias), drawn uniform in [-1, 1);
* per sample: ``input`` (uniform in [-2, 2)) as ``[LEN][C]``, time-major as
  the Rust input is (``input[t][c]`` is PyTorch's ``x[0][c][t]``),
  ``target``, ``output``, ``loss``, ``param_gradients`` (the gradient of
  every parameter, in the flat order) and ``input_gradient`` (``[LEN][C]``,
  as the input).

The losses are the half squared error ``0.5 * sum((y - t)^2)`` and, for the
``Softmax`` case, the cross-entropy ``-sum(t * log softmax(z))`` of the
logits ``z`` (``log_softmax``), with one-hot and soft targets.

Samples where the gradient is not defined by the values alone are skipped:
a ``ReLU`` pre-activation within 1e-6 of 0, or a max-pool window whose two
largest values are within 1e-12 of each other (unless they are zeros of a
``ReLU`` below 0, whose gradient is 0 whichever gets it).

Random values come from Python's ``random.Random`` with fixed seeds, so
they are the same on every platform. Values are written with ``repr``, so
they read back bit for bit; the output is sorted and indented, the same
bytes on every run with the same PyTorch (float64, one thread).
"""

import json
import math
import os
import random
import sys
import warnings

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "tests", "fixtures", "signals_torch.json")

SAMPLES = 8
RELU_GAP = 1e-6
TIE_GAP = 1e-12

# Layers: ("conv", out, kernel, stride, dilation, padding, activation),
# ("maxpool", k, stride), ("avgpool", k, stride), ("gap",), ("flatten",),
# ("dense", out, activation).
CASES = [
    (
        "SigValid",
        "[2; 12] => Conv1d(3, kernel = 3) Tanh => Flatten => 2 Linear",
        (2, 12),
        [("conv", 3, 3, 1, 1, "valid", "Tanh"), ("flatten",), ("dense", 2, "Linear")],
        "HalfSquaredError",
    ),
    (
        "SigStride",
        "[2; 11] => Conv1d(3, kernel = 3, stride = 2, dilation = 2) Tanh => MaxPool1d(2)"
        " => Flatten => 2 Linear",
        (2, 11),
        [
            ("conv", 3, 3, 2, 2, "valid", "Tanh"),
            ("maxpool", 2, 2),
            ("flatten",),
            ("dense", 2, "Linear"),
        ],
        "HalfSquaredError",
    ),
    (
        "SigSame",
        "[3; 10] => Conv1d(4, kernel = 4, padding = same) Sigmoid => AvgPool1d(3, stride = 2)"
        " => GlobalAvgPool1d => 3 Softmax",
        (3, 10),
        [
            ("conv", 4, 4, 1, 1, "same", "Sigmoid"),
            ("avgpool", 3, 2),
            ("gap",),
            ("dense", 3, "Softmax"),
        ],
        "CrossEntropy",
    ),
    (
        "SigDeep",
        "[1; 9] => Conv1d(2, kernel = 3, padding = same)"
        " => Conv1d(2, kernel = 2, dilation = 2, padding = same) Tanh"
        " => MaxPool1d(3, stride = 1) => GlobalAvgPool1d => 1 Linear",
        (1, 9),
        [
            ("conv", 2, 3, 1, 1, "same", "Linear"),
            ("conv", 2, 2, 1, 2, "same", "Tanh"),
            ("maxpool", 3, 1),
            ("gap",),
            ("dense", 1, "Linear"),
        ],
        "HalfSquaredError",
    ),
    (
        "SigWide",
        "[3; 16] => Conv1d(4, kernel = 5, stride = 1) ReLU => MaxPool1d(2)"
        " => Conv1d(4, kernel = 3) ReLU => Flatten => 2 Linear",
        (3, 16),
        [
            ("conv", 4, 5, 1, 1, "valid", "ReLU"),
            ("maxpool", 2, 2),
            ("conv", 4, 3, 1, 1, "valid", "ReLU"),
            ("flatten",),
            ("dense", 2, "Linear"),
        ],
        "HalfSquaredError",
    ),
]

ACTIVATIONS = {"Tanh": nn.Tanh, "Sigmoid": nn.Sigmoid, "ReLU": nn.ReLU}


def architecture(shape, layers):
    """The canonical text of the spec: every option written out."""
    parts = [f"[{shape[0]}; {shape[1]}]"]
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            _, out, k, s, d, pad, act = layer
            parts.append(
                f"Conv1d({out}, kernel = {k}, stride = {s}, dilation = {d}, padding = {pad}) {act}"
            )
        elif kind == "maxpool":
            parts.append(f"MaxPool1d({layer[1]}, stride = {layer[2]})")
        elif kind == "avgpool":
            parts.append(f"AvgPool1d({layer[1]}, stride = {layer[2]})")
        elif kind == "gap":
            parts.append("GlobalAvgPool1d")
        elif kind == "flatten":
            parts.append("Flatten")
        else:
            parts.append(f"{layer[1]} {layer[2]}")
    return " => ".join(parts)


def build(shape, layers):
    """The nn.Sequential of the layers, and the logits' index if it ends in
    Softmax (the model then stops at the logits)."""
    channels, length = shape
    flat = None  # the width once the window is a vector
    modules = []
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            _, out, k, s, d, pad, act = layer
            modules.append(nn.Conv1d(channels, out, k, stride=s, dilation=d, padding=pad))
            if pad == "same":
                assert s == 1
            else:
                length = (length - d * (k - 1) - 1) // s + 1
            channels = out
            if act != "Linear":
                modules.append(ACTIVATIONS[act]())
        elif kind in ("maxpool", "avgpool"):
            _, k, s = layer
            cls = nn.MaxPool1d if kind == "maxpool" else nn.AvgPool1d
            modules.append(cls(k, stride=s))
            length = (length - k) // s + 1
        elif kind == "gap":
            modules += [nn.AdaptiveAvgPool1d(1), nn.Flatten()]
            flat = channels
        elif kind == "flatten":
            modules.append(nn.Flatten())
            flat = channels * length
        else:
            _, out, act = layer
            modules.append(nn.Linear(flat, out))
            flat = out
            if act not in ("Linear", "Softmax"):
                modules.append(ACTIVATIONS[act]())
        assert length >= 1
    return nn.Sequential(*modules).double()


def set_params(model, rng):
    flat = []
    with torch.no_grad():
        for p in model.parameters():
            values = [rng.uniform(-1.0, 1.0) for _ in range(p.numel())]
            p.copy_(torch.tensor(values, dtype=torch.float64).reshape(p.shape))
            flat += values
    return flat


def well_defined(model, x):
    """False if a ReLU is near its kink or a max-pool window near a tie."""
    previous = None
    h = x
    for m in model:
        if isinstance(m, nn.ReLU):
            if bool((h.abs() < RELU_GAP).any()):
                return False
        if isinstance(m, nn.MaxPool1d):
            k, s = m.kernel_size, m.stride
            for c in range(h.shape[1]):
                row = h[0, c].tolist()
                for start in range(0, len(row) - k + 1, s):
                    top = sorted(row[start : start + k], reverse=True)
                    if top[0] - top[1] <= TIE_GAP and not (
                        isinstance(previous, nn.ReLU) and top[0] == 0.0
                    ):
                        return False
        h = m(h)
        previous = m
    return True


def transpose(rows):
    return [list(r) for r in zip(*rows)]


def run_case(index, name, spec, shape, layers, loss_name):
    channels, length = shape
    rng = random.Random(1000 + index)
    model = build(shape, layers)
    params = set_params(model, rng)
    softmax = layers[-1][0] == "dense" and layers[-1][2] == "Softmax"
    out_width = layers[-1][1]
    samples = []
    skipped = 0
    while len(samples) < SAMPLES:
        rust_x = [[rng.uniform(-2.0, 2.0) for _ in range(channels)] for _ in range(length)]
        if loss_name == "CrossEntropy":
            if len(samples) % 2 == 0:
                hot = int(rng.random() * out_width)
                target = [1.0 if i == hot else 0.0 for i in range(out_width)]
            else:
                w = [rng.uniform(0.05, 1.0) for _ in range(out_width)]
                target = [v / sum(w) for v in w]
        else:
            target = [rng.uniform(-1.0, 1.0) for _ in range(out_width)]
        x = torch.tensor([transpose(rust_x)], dtype=torch.float64, requires_grad=True)
        with torch.no_grad():
            ok = well_defined(model, x)
        if not ok:
            skipped += 1
            continue
        model.zero_grad()
        t = torch.tensor([target], dtype=torch.float64)
        z = model(x)
        if softmax:
            y = torch.softmax(z, dim=1)
            loss = -(t * torch.log_softmax(z, dim=1)).sum()
        else:
            y = z
            loss = 0.5 * ((y - t) ** 2).sum()
        loss.backward()
        grads = [v for p in model.parameters() for v in p.grad.reshape(-1).tolist()]
        assert len(grads) == len(params)
        sample = {
            "input": rust_x,
            "target": target,
            "output": y[0].tolist(),
            "loss": loss.item(),
            "param_gradients": grads,
            "input_gradient": transpose(x.grad[0].tolist()),
        }
        assert all(
            math.isfinite(v)
            for v in sample["output"] + sample["param_gradients"] + [sample["loss"]]
        )
        samples.append(sample)
    return {
        "name": name,
        "spec": spec,
        "architecture": architecture(shape, layers),
        "channels": channels,
        "length": length,
        "loss": loss_name,
        "torch_model": repr(model),
        "params": params,
        "samples": samples,
        "skipped": skipped,
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    # PyTorch warns that an even kernel with `padding='same'` pads a copy of
    # the input: that is the case being tested.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    cases = [run_case(i, *case) for i, case in enumerate(CASES)]
    doc = {
        "torch": torch.__version__,
        "dtype": "float64",
        "layout": "input and input_gradient are [LEN][C]: input[t][c] is PyTorch's x[0][c][t]",
        "losses": {
            "HalfSquaredError": "0.5 * sum((y - t)^2)",
            "CrossEntropy": "-sum(t * log_softmax(z)), y = softmax(z)",
        },
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    n = sum(len(c["samples"]) for c in cases)
    print(f"wrote {len(cases)} cases, {n} samples to {out}")


if __name__ == "__main__":
    main()
