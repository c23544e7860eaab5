#!/usr/bin/env python3
"""Reference values of the element-wise activations, from PyTorch in float64.

Writes ``tests/fixtures/activations_torch.json``, which
``tests/test_activations.rs`` checks the Rust activations against. Run it by
hand (CI uses the committed file)::

    python3 scripts/activation_fixtures.py [OUT.json]

It needs PyTorch (``f`` in float64, ``f'`` by autograd) and mpmath (the
exact values, at 60 digits). For every activation and every point it
records:

* ``torch_f``, ``torch_df``: what PyTorch computes, ``f(x)`` and, by
  autograd, ``f'(x)``;
* ``exact_f``, ``exact_df``: the mathematical value of the same formula,
  rounded once to float64 (mpmath), with PyTorch's choices at the kinks
  (``ReLU6'`` and ``Hardtanh'`` are 0 at both ends, ``ELU'(0) = alpha``,
  Softplus is ``x`` above its threshold 20 and its derivative 1 there).

The two differ where PyTorch's own float64 formula loses digits, mostly
``0.5 x (1 + erf(x / sqrt 2))`` and ``1 + tanh`` for negative ``x``, which
cancel (PyTorch's GELU(-10) is 0; the exact value is -7.6e-23). The Rust
test holds its ``f64`` forms to a few ulp of ``exact_*``, and to
``torch_*`` as closely as PyTorch is to ``exact_*``.

Values are written with ``repr``, so they read back bit for bit; the output
is sorted and indented, the same bytes on every run with the same PyTorch.
"""

import json
import math
import os
import sys

import mpmath as mp
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "activations_torch.json")

mp.mp.dps = 60

# Kinks (0, 6, +-1, the softplus threshold 20) and both sides of each, both
# signs, tiny, moderate and large magnitudes. Floats written so that they
# are the same float64 everywhere.
_POSITIVE = [
    5e-324, 1e-300, 1e-30, 1e-10, 1e-5, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75,
    0.7517915950166148, 0.9999999, 1.0, 1.0000001, 1.2784645427610738, 1.5,
    2.0, 2.5, 3.0, 4.0, 5.0, 5.9999999, 6.0, 6.0000001, 7.0, 8.0, 10.0,
    12.0, 15.0, 17.0, 19.5, 19.9999999, 20.0, 20.0000001, 20.5, 25.0, 30.0,
    38.0, 50.0, 100.0, 1000.0, 1e10,
]
POINTS = sorted({0.0} | set(_POSITIVE) | {-x for x in _POSITIVE})
# -0.0 is its own point: its sign is part of some results.
POINTS = [-0.0] + POINTS


def _phi_cdf(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def _phi_pdf(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


_K = mp.sqrt(2 / mp.pi)


def _tanh_gelu(x):
    # (1 + tanh(u)) / 2 = s(2u): no cancellation for negative x.
    u = _K * (x + mp.mpf("0.044715") * x ** 3)
    return x * _sigmoid(2 * u)


def _tanh_gelu_df(x):
    # 1 - tanh(u)^2 = sech(u)^2, for the same reason.
    u = _K * (x + mp.mpf("0.044715") * x ** 3)
    du = _K * (1 + 3 * mp.mpf("0.044715") * x ** 2)
    return _sigmoid(2 * u) + x * mp.sech(u) ** 2 * du / 2


def _elu(alpha):
    a = mp.mpf(alpha)
    return (lambda x: x if x > 0 else a * mp.expm1(x)), (lambda x: mp.mpf(1) if x > 0 else a * mp.exp(x))


def _clamp(lo, hi):
    return (
        lambda x: mp.mpf(lo) if x < lo else (mp.mpf(hi) if x > hi else x),
        lambda x: mp.mpf(1) if lo < x < hi else mp.mpf(0),
    )


# spelling, params, the torch module, the exact f and f'.
ELU_F, ELU_DF = _elu(1.0)
ELU_HALF_F, ELU_HALF_DF = _elu(0.5)
RELU6_F, RELU6_DF = _clamp(0, 6)
HARDTANH_F, HARDTANH_DF = _clamp(-1, 1)
ACTIVATIONS = [
    ("SiLU", [], nn.SiLU(), lambda x: x * _sigmoid(x),
     lambda x: _sigmoid(x) * (1 + x * _sigmoid(-x))),
    ("GELU", [], nn.GELU(approximate="none"), lambda x: x * _phi_cdf(x),
     lambda x: _phi_cdf(x) + x * _phi_pdf(x)),
    ("GELU(tanh)", [], nn.GELU(approximate="tanh"), _tanh_gelu, _tanh_gelu_df),
    ("ELU", [], nn.ELU(), ELU_F, ELU_DF),
    ("ELU", [0.5], nn.ELU(alpha=0.5), ELU_HALF_F, ELU_HALF_DF),
    ("Softplus", [], nn.Softplus(),
     lambda x: x if x > 20 else mp.log1p(mp.exp(x)),
     lambda x: mp.mpf(1) if x > 20 else _sigmoid(x)),
    ("ReLU6", [], nn.ReLU6(), RELU6_F, RELU6_DF),
    ("Hardtanh", [], nn.Hardtanh(), HARDTANH_F, HARDTANH_DF),
]


def _float(v):
    """An mpf rounded to the nearest float64, as its repr."""
    return repr(float(v))


def _float_signed(v, x):
    """As _float, with an exact 0 taking the sign of x: f(-0) = -0 for the
    activations that are 0 at 0 (and a negative value that rounds to 0 is
    -0 already)."""
    return repr(math.copysign(0.0, x)) if v == 0 else _float(v)


def rows():
    out = []
    for spelling, params, module, exact_f, exact_df in ACTIVATIONS:
        x = torch.tensor(POINTS, dtype=torch.float64, requires_grad=True)
        y = module(x)
        (grad,) = torch.autograd.grad(y.sum(), x)
        points = []
        for xi, yi, gi in zip(POINTS, y.tolist(), grad.tolist()):
            xm = mp.mpf(xi)
            points.append({
                "x": repr(xi),
                "torch_f": repr(float(yi)),
                "torch_df": repr(float(gi)),
                "exact_f": _float_signed(exact_f(xm), xi),
                "exact_df": _float(exact_df(xm)),
            })
        out.append({"activation": spelling, "params": [repr(float(p)) for p in params], "points": points})
    return out


def main(argv):
    path = argv[0] if argv else OUT
    data = {
        "about": "written by scripts/activation_fixtures.py: PyTorch float64 f and autograd f', "
                 "and the exact values (mpmath, rounded to float64)",
        "torch": torch.__version__,
        "mpmath": mp.__version__,
        "activations": rows(),
    }
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %s: %d activations at %d points, torch %s" % (path, len(data["activations"]), len(POINTS), torch.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
