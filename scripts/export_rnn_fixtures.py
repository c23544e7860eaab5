#!/usr/bin/env python3
"""Writes the recurrent exporter's fixtures from PyTorch's own modules.

For each case below, PyTorch modules (``nn.GRU``, ``nn.LSTM``,
``nn.Linear`` and activations) with PyTorch's default initialisation from a
fixed seed are exported by ``scripts/export_pytorch.py`` to
``tests/fixtures/NAME.bpnn``; ``tests/fixtures/NAME.json`` records the
``network!`` spec, the ``ARCHITECTURE`` text, the dtype, 4 input sequences of
9 steps (``inputs[s][t]`` is the input at step ``t``, PyTorch's ``x[0][t]``
with ``batch_first=True``) and PyTorch's float64 outputs at every step, from
the zero state. ``tests/test_pytorch_export_rnn.rs`` loads each blob with
``from_bytes`` and compares ``forward_sequence`` with those outputs (1e-9
relative in f64, 1e-5 in f32), so CI needs no PyTorch. An f32 case's
parameters and inputs are PyTorch's float32 values, evaluated in float64.

It needs PyTorch. Rerun it from the repository root after changing a case::

    python3 scripts/export_rnn_fixtures.py [DIR]    # DIR defaults to tests/fixtures

``scripts/test_export.py`` checks, where PyTorch is installed, that this
script writes the committed files (blobs byte for byte, outputs to 1e-12).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import export_pytorch as ex  # noqa: E402

STEPS = 9
SAMPLES = 4


def cases(nn):
    """``{name: (seed, dtype, build)}``: ``build()`` returns the model as
    the exporter takes it (an ``nn.ModuleList``, a list, an ``nn.Sequential``)."""
    return {
        # The README's network; batch_first=True.
        "pytorch_export_gru": (20261201, "f64", lambda: nn.ModuleList([
            nn.GRU(1, 16, batch_first=True), nn.Linear(16, 1),
        ])),
        # Dense layers before, between and after an LSTM and a GRU without
        # biases; batch_first=False; a plain list.
        "pytorch_export_rnn_mixed": (20261202, "f64", lambda: [
            nn.Linear(3, 6), nn.Tanh(), nn.LSTM(6, 5), nn.Linear(5, 4), nn.ReLU(),
            nn.GRU(4, 3, bias=False), nn.Linear(3, 2),
        ]),
        # Two stacked LSTMs (as one-layer modules), a Softmax, in f32.
        "pytorch_export_lstm_f32": (20261203, "f32", lambda: nn.Sequential(
            nn.LSTM(2, 8, batch_first=True), nn.LSTM(8, 4, batch_first=True), nn.Linear(4, 3), nn.Softmax(dim=-1),
        )),
    }


def modules_of(model):
    return list(model) if isinstance(model, (list, tuple)) else list(model.children())


def run(torch, nn, modules, sequence):
    """PyTorch's outputs at every step of ``sequence`` (``[T][IN]``, float64)
    through ``modules`` (float64 copies), a batch of one from the zero state."""
    h = torch.tensor([sequence], dtype=torch.float64)  # [1][T][IN]
    with torch.no_grad():
        for module in modules:
            if isinstance(module, (nn.GRU, nn.LSTM)):
                x = h if module.batch_first else h.transpose(0, 1)
                out = module(x)[0]
                h = out if module.batch_first else out.transpose(0, 1)
            else:
                h = module(h)
    return h[0].tolist()


def case(torch, nn, seed, dtype, build):
    """``(model, samples, outputs)`` of one case, from its seed."""
    import copy

    torch.manual_seed(seed)
    model = build()
    modules = modules_of(model)
    if dtype == "f64":
        for module in modules:
            module.double()
    samples = (torch.rand(SAMPLES, STEPS, modules[0].in_features if isinstance(modules[0], nn.Linear)
                          else modules[0].input_size) * 3 - 1.5)
    samples = samples.to(torch.float64 if dtype == "f64" else torch.float32).double().tolist()
    reference = [copy.deepcopy(m).double() for m in modules]
    outputs = [run(torch, nn, reference, x) for x in samples]
    return model, samples, outputs


def write(directory):
    import torch
    import torch.nn as nn

    written = []
    for name, (seed, dtype, build) in cases(nn).items():
        model, samples, outputs = case(torch, nn, seed, dtype, build)
        inputs, layers = ex.sequential_layers(model)
        _, data = ex.write_case(directory, inputs, layers, samples, lambda x, o=iter(outputs): next(o),
                                dtype=dtype, name=name)
        written.append((name, data["spec"]))
    return written


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), "tests", "fixtures")
    for name, spec in write(out):
        print("wrote %s/%s.{bpnn,json} for `%s`" % (out, name, spec))
