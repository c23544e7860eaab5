#!/usr/bin/env python3
"""Reference training trajectories of the optimizers, from PyTorch in float64.

Writes ``tests/fixtures/optim_torch.json``, which ``tests/test_optim_torch.rs``
checks the Rust optimizers against. Run it by hand (CI uses the committed
file)::

    python3 scripts/optim_fixtures.py [OUT.json]

It needs PyTorch. Every case trains the same network, ``3 => 5 Tanh => 2
Linear`` (``nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))``,
whose parameters in ``model.parameters()`` order are the Rust network's flat
order: each layer's ``[out][in]`` weights, then its biases), from the same
initial parameters, on the same 8 samples, with the half squared error
``0.5 * sum((y - t)^2)`` per sample, for 100 steps, in float64 on one thread:

* ``"mode": "step"``: step ``k`` trains on sample ``k % 8`` alone (the Rust
  ``train_step``);
* ``"mode": "batch"``: every step trains on the mean loss of all 8 samples
  (the Rust ``train_batch``).

A case names PyTorch's optimizer and its arguments, and optionally a
gradient clip (``torch.nn.utils.clip_grad_norm_`` or ``clip_grad_value_``)
applied between ``backward()`` and ``step()``. It records the loss before
each step and the parameters after steps 1, 2, 10, 50 and 100.

Values are written with ``repr``, so they read back bit for bit; the output
is sorted and indented, the same bytes on every run with the same PyTorch.
"""

import json
import math
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "tests", "fixtures", "optim_torch.json")

STEPS = 100
CHECKPOINTS = [1, 2, 10, 50, 100]

# (name, mode, optimizer class, its keyword arguments, clip or None)
CASES = [
    ("sgd", "step", "SGD", {"lr": 0.1}, None),
    ("sgd_weight_decay", "step", "SGD", {"lr": 0.1, "weight_decay": 0.05}, None),
    ("sgd_momentum", "step", "SGD", {"lr": 0.05, "momentum": 0.9}, None),
    ("sgd_dampening", "step", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, None),
    ("sgd_nesterov", "step", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, None),
    (
        "sgd_momentum_weight_decay",
        "step",
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "dampening": 0.1, "weight_decay": 0.01},
        None,
    ),
    ("sgd_batch_momentum", "batch", "SGD", {"lr": 0.2, "momentum": 0.9}, None),
    ("adam", "step", "Adam", {"lr": 0.01}, None),
    ("adam_betas_eps", "step", "Adam", {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6}, None),
    ("adam_weight_decay", "step", "Adam", {"lr": 0.01, "weight_decay": 0.1}, None),
    ("adamw", "step", "AdamW", {"lr": 0.01, "weight_decay": 0.1}, None),
    ("adamw_batch", "batch", "AdamW", {"lr": 0.03, "weight_decay": 0.05}, None),
    ("clip_norm_sgd", "step", "SGD", {"lr": 0.1, "momentum": 0.9}, ("norm", 0.5)),
    ("clip_norm_adam_batch", "batch", "Adam", {"lr": 0.02}, ("norm", 0.1)),
    ("clip_value_sgd", "step", "SGD", {"lr": 0.1}, ("value", 0.05)),
    ("clip_value_adamw", "step", "AdamW", {"lr": 0.01, "weight_decay": 0.01}, ("value", 0.02)),
]


def data():
    """The 8 samples: inputs in [-1, 1), targets a smooth function of them."""
    g = torch.Generator().manual_seed(7)
    x = torch.rand(8, 3, generator=g, dtype=torch.float64) * 2 - 1
    t = torch.stack([torch.sin(x[:, 0] + x[:, 1]), x[:, 2] * x[:, 0] - 0.5], dim=1)
    return x, t


def initial_parameters():
    """The flat initial parameters, normal with standard deviation 0.5."""
    g = torch.Generator().manual_seed(2026)
    return (torch.randn(32, generator=g, dtype=torch.float64) * 0.5).tolist()


def model_from(flat):
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double()
    with torch.no_grad():
        at = 0
        for p in model.parameters():
            n = p.numel()
            p.copy_(torch.tensor(flat[at : at + n], dtype=torch.float64).reshape(p.shape))
            at += n
    assert at == len(flat)
    return model


def flat(model):
    return [v for p in model.parameters() for v in p.detach().reshape(-1).tolist()]


def run(mode, optimizer, kwargs, clip, x, t, start):
    model = model_from(start)
    opt = getattr(torch.optim, optimizer)(model.parameters(), **kwargs)
    losses, checkpoints = [], {}
    for k in range(STEPS):
        opt.zero_grad()
        if mode == "step":
            y = model(x[k % 8])
            loss = 0.5 * ((y - t[k % 8]) ** 2).sum()
        else:
            y = model(x)
            loss = (0.5 * ((y - t) ** 2).sum(dim=1)).mean()
        loss.backward()
        if clip is not None:
            kind, value = clip
            if kind == "norm":
                torch.nn.utils.clip_grad_norm_(model.parameters(), value)
            else:
                torch.nn.utils.clip_grad_value_(model.parameters(), value)
        opt.step()
        losses.append(loss.item())
        if k + 1 in CHECKPOINTS:
            checkpoints[str(k + 1)] = flat(model)
    return losses, checkpoints


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    torch.set_num_threads(1)
    x, t = data()
    start = initial_parameters()
    cases = []
    for name, mode, optimizer, kwargs, clip in CASES:
        losses, checkpoints = run(mode, optimizer, kwargs, clip, x, t, start)
        assert all(math.isfinite(v) for v in losses)
        case = {
            "name": name,
            "mode": mode,
            "optimizer": optimizer,
            "arguments": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
            "losses": losses,
            "params": checkpoints,
        }
        if clip is not None:
            case["clip"] = {"kind": clip[0], "value": clip[1]}
        cases.append(case)
    doc = {
        "torch": torch.__version__,
        "network": "3 => 5 Tanh => 2 Linear",
        "loss": "half squared error, 0.5 * sum((y - t)^2) per sample; batch: the mean over samples",
        "steps": STEPS,
        "inputs": x.tolist(),
        "targets": t.tolist(),
        "initial": start,
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
