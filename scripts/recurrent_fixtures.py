#!/usr/bin/env python3
"""Reference values of the recurrent layers, from PyTorch in float64.

Writes ``tests/fixtures/recurrent_torch.json``, the values the Rust ``GRU``
and ``LSTM`` layers are to be checked against. Run it by hand (CI uses the
committed file)::

    python3 scripts/recurrent_fixtures.py [OUT.json]

It needs PyTorch. Every case is a ``network!`` spec and PyTorch's own
modules for it: ``nn.GRU`` or ``nn.LSTM`` (one layer, ``batch_first=True``,
a batch of 1, initial hidden and cell state zero) for each recurrent layer,
and ``nn.Linear`` (then the activation, if any) for each dense layer,
applied at every time step. A dense layer after a recurrent one sees that
layer's hidden state at each step; a recurrent layer after a dense one sees
the dense layer's output at each step. For each case it records:

* ``name``, ``spec``: the ``network!`` spec, ``inputs``: the input width
  ``IN``, ``outputs_width``: the output width ``OUT``, ``steps``: the
  sequence length (7), ``layers``: each layer as ``{"kind", "in", "out"}``
  (``kind`` is ``GRU``, ``LSTM`` or the dense layer's activation, ``Linear``
  for none), and ``torch_modules``: the ``repr`` of each module;
* ``params``: the flat parameters, drawn uniform in [-0.8, 0.8): the
  ``torch.cat`` of every module's ``parameters()`` flattened, modules in
  order. A recurrent layer with hidden width ``H``, input width ``I`` and
  ``G`` gates (``G = 3`` for a GRU, gates in the order r, z, n; ``G = 4``
  for an LSTM, gates in the order i, f, g, o) is ``weight_ih_l0``
  ``[G*H][I]``, ``weight_hh_l0`` ``[G*H][H]``, ``bias_ih_l0`` ``[G*H]``,
  ``bias_hh_l0`` ``[G*H]``; a dense layer is its ``[out][in]`` weight, then
  its bias. ``param_layout`` names each tensor with its offset and shape;
* per sample (4 of them):

  - ``input``: ``[7][IN]``, uniform in [-1.5, 1.5), ``input[t]`` is the
    input at step ``t`` (PyTorch's ``x[0][t]``);
  - ``outputs``: ``[7][OUT]``, the network's output at every step;
  - ``final_state``: one entry per recurrent layer, in layer order:
    ``{"h": [H]}`` for a GRU, ``{"h": [H], "c": [H]}`` for an LSTM, the
    state after the last step;
  - ``targets_seq``: ``[7][OUT]``, uniform in [-1, 1); ``loss_seq``: the
    mean over the steps of the half squared error,
    ``(1/7) * sum_t 0.5 * ||y_t - targets_seq[t]||^2``; ``grads_seq``: its
    gradient with respect to every parameter, in the flat order;
  - ``target_last``: ``[OUT]``, uniform in [-1, 1); ``loss_last``:
    ``0.5 * ||y_7 - target_last||^2``, the last step's output only;
    ``grads_last``: its gradient with respect to every parameter, in the
    flat order.

PyTorch's GRU is ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``,
``z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)``,
``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
``h' = (1 - z) * n + z * h``: the reset gate multiplies ``W_hn h + b_hn``
(bias included), and ``z`` keeps the old state. Its LSTM is
``i, f, o = sigmoid(W_i* x + b_i* + W_h* h + b_h*)``,
``g = tanh(W_ig x + b_ig + W_hg h + b_hg)``, ``c' = f * c + i * g``,
``h' = o * tanh(c')``. Both have two biases per gate (``b_i*`` and
``b_h*``): in the LSTM and in the GRU's ``r`` and ``z`` only their sum
counts, so their gradients agree (to rounding), but in the GRU's ``n``
gate ``b_hn`` sits inside ``r * (...)`` and the two differ.

Samples where the gradient is not defined by the values alone are skipped:
a ``ReLU`` pre-activation within 1e-6 of 0 at any step (``skipped`` counts
them).

Before writing, the script checks, for every case and sample, that running
the modules one step at a time (feeding the state back) gives the same
outputs and final state as the whole sequence, that the gate equations
above, written out by hand, give the same outputs, and checks a few gradients
of both losses against central finite differences; it stops if any
fails. Nothing of those checks is written.

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

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "tests", "fixtures", "recurrent_torch.json")

SAMPLES = 4
STEPS = 7
RELU_GAP = 1e-6
FD_STEP = 1e-6
FD_TOL = 1e-7
FD_PARAMS = 6  # parameters checked by finite differences per sample and loss
STEP_TOL = 1e-12

# Layers: ("GRU", hidden), ("LSTM", hidden), ("dense", out, activation).
CASES = [
    ("GruSmall", "1 => 8 GRU => 1 Linear", 1, [("GRU", 8), ("dense", 1, "Linear")]),
    (
        "GruStacked",
        "2 => 4 GRU => 3 GRU => 2 Tanh",
        2,
        [("GRU", 4), ("GRU", 3), ("dense", 2, "Tanh")],
    ),
    ("LstmSmall", "1 => 6 LSTM => 1 Linear", 1, [("LSTM", 6), ("dense", 1, "Linear")]),
    (
        "LstmMixed",
        "3 => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear",
        3,
        [("LSTM", 5), ("dense", 4, "ReLU"), ("GRU", 2), ("dense", 2, "Linear")],
    ),
]

ACTIVATIONS = {"Tanh": nn.Tanh, "Sigmoid": nn.Sigmoid, "ReLU": nn.ReLU}


class Net:
    """The modules of a case, run over a [1][T][IN] batch."""

    def __init__(self, inputs, layers):
        self.layers = []  # (kind, module, activation module or None, in, out)
        width = inputs
        for layer in layers:
            if layer[0] in ("GRU", "LSTM"):
                kind, hidden = layer
                cls = nn.GRU if kind == "GRU" else nn.LSTM
                module = cls(width, hidden, num_layers=1, batch_first=True).double()
                self.layers.append((kind, module, None, width, hidden))
                width = hidden
            else:
                _, out, act = layer
                module = nn.Linear(width, out).double()
                activation = ACTIVATIONS[act]() if act != "Linear" else None
                self.layers.append((act, module, activation, width, out))
                width = out
        self.out = width

    def modules(self):
        return [m for _, m, _, _, _ in self.layers]

    def parameters(self):
        return [p for m in self.modules() for p in m.parameters()]

    def named_parameters(self):
        return [(i, n, p) for i, m in enumerate(self.modules()) for n, p in m.named_parameters()]

    def zero_grad(self):
        for m in self.modules():
            m.zero_grad()

    def forward(self, x, states=None, relu_inputs=None):
        """Outputs [1][T][OUT] and the final states, one per recurrent
        layer: (h,) for a GRU, (h, c) for an LSTM, each [1][1][H]. With
        ``states``, the recurrent layers start from them instead of zero;
        ``relu_inputs`` collects the ReLU pre-activations."""
        new_states = []
        h = x
        r = 0
        for kind, module, activation, _, _ in self.layers:
            if kind == "GRU":
                start = None if states is None else states[r][0]
                h, hn = module(h, start)
                new_states.append((hn,))
                r += 1
            elif kind == "LSTM":
                start = None if states is None else states[r]
                h, (hn, cn) = module(h, start)
                new_states.append((hn, cn))
                r += 1
            else:
                h = module(h)
                if activation is not None:
                    if relu_inputs is not None and isinstance(activation, nn.ReLU):
                        relu_inputs.append(h.detach())
                    h = activation(h)
        return h, new_states


def set_params(net, rng):
    flat = []
    with torch.no_grad():
        for p in net.parameters():
            values = [rng.uniform(-0.8, 0.8) for _ in range(p.numel())]
            p.copy_(torch.tensor(values, dtype=torch.float64).reshape(p.shape))
            flat += values
    return flat


def param_layout(net):
    layout = []
    offset = 0
    for i, name, p in net.named_parameters():
        layout.append({"layer": i, "name": name, "offset": offset, "shape": list(p.shape)})
        offset += p.numel()
    return layout


def losses(y, targets_seq, target_last):
    loss_seq = (0.5 * ((y[0] - targets_seq) ** 2).sum(dim=1)).mean()
    loss_last = 0.5 * ((y[0, -1] - target_last) ** 2).sum()
    return loss_seq, loss_last


def gradients(net, loss):
    net.zero_grad()
    loss.backward(retain_graph=True)
    return [v for p in net.parameters() for v in p.grad.reshape(-1).tolist()]


def check_steps(net, x, y, states):
    """Step the modules one time step at a time, feeding the state back."""
    with torch.no_grad():
        carried = None
        outs = []
        for t in range(x.shape[1]):
            yt, carried = net.forward(x[:, t : t + 1, :], carried)
            outs.append(yt)
        stepped = torch.cat(outs, dim=1)
        gap = (stepped - y).abs().max().item()
        for whole, part in zip(states, carried):
            for a, b in zip(whole, part):
                gap = max(gap, (a - b).abs().max().item())
    assert gap <= STEP_TOL, f"stepping gives {gap} off the whole sequence"
    return gap


def check_formulas(net, x, y):
    """Run the gate equations of the docstring by hand, from the modules'
    tensors, and compare with PyTorch's outputs."""
    with torch.no_grad():
        h = x[0]
        for kind, module, activation, _, width in net.layers:
            if kind in ("GRU", "LSTM"):
                w_ih, w_hh = module.weight_ih_l0, module.weight_hh_l0
                b_ih, b_hh = module.bias_ih_l0, module.bias_hh_l0
                state = torch.zeros(width, dtype=torch.float64)
                cell = torch.zeros(width, dtype=torch.float64)
                rows = []
                for t in range(h.shape[0]):
                    gi = w_ih @ h[t] + b_ih
                    gh = w_hh @ state + b_hh
                    if kind == "GRU":
                        r = torch.sigmoid(gi[:width] + gh[:width])
                        z = torch.sigmoid(gi[width : 2 * width] + gh[width : 2 * width])
                        n = torch.tanh(gi[2 * width :] + r * gh[2 * width :])
                        state = (1 - z) * n + z * state
                    else:
                        g = gi + gh
                        i = torch.sigmoid(g[:width])
                        f = torch.sigmoid(g[width : 2 * width])
                        c = torch.tanh(g[2 * width : 3 * width])
                        o = torch.sigmoid(g[3 * width :])
                        cell = f * cell + i * c
                        state = o * torch.tanh(cell)
                    rows.append(state)
                h = torch.stack(rows)
            else:
                h = h @ module.weight.T + module.bias
                if activation is not None:
                    h = activation(h)
        gap = (h - y[0]).abs().max().item()
    assert gap <= STEP_TOL, f"the gate equations give {gap} off PyTorch"
    return gap


def check_finite_differences(net, x, targets_seq, target_last, grads, rng):
    """Central differences of both losses for a few parameters."""
    params = net.parameters()
    sizes = [p.numel() for p in params]
    total = sum(sizes)
    worst = 0.0
    with torch.no_grad():
        for which in range(2):
            for _ in range(FD_PARAMS):
                k = int(rng.random() * total)
                j = k
                for p, n in zip(params, sizes):
                    if j < n:
                        break
                    j -= n
                view = p.view(-1)
                saved = view[j].item()
                values = []
                for sign in (1.0, -1.0):
                    view[j] = saved + sign * FD_STEP
                    y, _ = net.forward(x)
                    values.append(losses(y, targets_seq, target_last)[which].item())
                view[j] = saved
                numeric = (values[0] - values[1]) / (2.0 * FD_STEP)
                gap = abs(numeric - grads[which][k])
                assert gap <= FD_TOL * max(1.0, abs(numeric)), (
                    f"finite difference of parameter {k}: {numeric} vs {grads[which][k]}"
                )
                worst = max(worst, gap)
    return worst


def run_case(index, name, spec, inputs, layers):
    rng = random.Random(2000 + index)
    check_rng = random.Random(3000 + index)
    net = Net(inputs, layers)
    params = set_params(net, rng)
    out = net.out
    samples = []
    skipped = 0
    step_gap = 0.0
    formula_gap = 0.0
    fd_gap = 0.0
    while len(samples) < SAMPLES:
        seq = [[rng.uniform(-1.5, 1.5) for _ in range(inputs)] for _ in range(STEPS)]
        targets_seq = [[rng.uniform(-1.0, 1.0) for _ in range(out)] for _ in range(STEPS)]
        target_last = [rng.uniform(-1.0, 1.0) for _ in range(out)]
        x = torch.tensor([seq], dtype=torch.float64)
        relu_inputs = []
        y, states = net.forward(x, relu_inputs=relu_inputs)
        if any(bool((r.abs() < RELU_GAP).any()) for r in relu_inputs):
            skipped += 1
            continue
        ts = torch.tensor(targets_seq, dtype=torch.float64)
        tl = torch.tensor(target_last, dtype=torch.float64)
        loss_seq, loss_last = losses(y, ts, tl)
        grads_seq = gradients(net, loss_seq)
        grads_last = gradients(net, loss_last)
        assert len(grads_seq) == len(params) == len(grads_last)
        step_gap = max(step_gap, check_steps(net, x, y, states))
        formula_gap = max(formula_gap, check_formulas(net, x, y))
        fd_gap = max(
            fd_gap,
            check_finite_differences(net, x, ts, tl, (grads_seq, grads_last), check_rng),
        )
        final_state = []
        for s in states:
            entry = {"h": s[0][0, 0].tolist()}
            if len(s) == 2:
                entry["c"] = s[1][0, 0].tolist()
            final_state.append(entry)
        sample = {
            "input": seq,
            "outputs": y[0].tolist(),
            "final_state": final_state,
            "targets_seq": targets_seq,
            "loss_seq": loss_seq.item(),
            "grads_seq": grads_seq,
            "target_last": target_last,
            "loss_last": loss_last.item(),
            "grads_last": grads_last,
        }
        values = [v for row in sample["outputs"] for v in row]
        values += grads_seq + grads_last + [sample["loss_seq"], sample["loss_last"]]
        assert all(math.isfinite(v) for v in values)
        samples.append(sample)
    print(
        f"{name}: stepping within {step_gap:.1e}, gate equations within {formula_gap:.1e},"
        f" finite differences within {fd_gap:.1e}"
    )
    return {
        "name": name,
        "spec": spec,
        "inputs": inputs,
        "outputs_width": out,
        "steps": STEPS,
        "layers": [{"kind": k, "in": i, "out": o} for k, _, _, i, o in net.layers],
        "torch_modules": [repr(m) for m in net.modules()],
        "params": params,
        "param_layout": param_layout(net),
        "samples": samples,
        "skipped": skipped,
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    cases = [run_case(i, *case) for i, case in enumerate(CASES)]
    doc = {
        "torch": torch.__version__,
        "dtype": "float64",
        "layout": "input, outputs and targets_seq are [T][width]: input[t] is PyTorch's x[0][t]"
        " (batch_first, batch of 1); final_state has one {h} (GRU) or {h, c} (LSTM) per"
        " recurrent layer, initial state zero",
        "gates": {"GRU": "r, z, n", "LSTM": "i, f, g, o"},
        "losses": {
            "seq": "(1/T) * sum_t 0.5 * sum((y_t - targets_seq[t])^2)",
            "last": "0.5 * sum((y_T - target_last)^2)",
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
