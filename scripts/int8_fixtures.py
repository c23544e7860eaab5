#!/usr/bin/env python3
"""Reference values of int8 post-training quantization, TFLite's formulas.

Writes ``tests/fixtures/int8_reference.json``, which ``tests/test_int8.rs``
checks ``backprop_core::int8`` against bit for bit. Run it by hand (CI uses
the committed file)::

    python3 scripts/int8_fixtures.py [OUT.json]

It needs only Python's standard library: every integer step is computed
with Python's exact integers, written from TFLite's reference kernels
(``tensorflow/lite/kernels/internal/common.h``:
``SaturatingRoundingDoublingHighMul``, ``RoundingDivideByPOT``,
``MultiplyByQuantizedMultiplier``; ``quantization_util.cc``:
``QuantizeMultiplier``; ``reference/integer_ops/fully_connected.h`` with
per-channel weights), with C's semantics spelled out (division truncating
towards zero, 32-bit wrapping, arithmetic right shifts).

Each case is a dense layer (``weights[out][in]``, ``bias[out]``, values
exactly representable in ``f32``), the real ranges of its input and
output, and its fused activation (``none``, ``relu``, ``relu6``). The
script quantizes as TFLite's converter does:

* a tensor over ``[min, max]`` (widened to include 0):
  ``scale = (max - min) / 255``, ``zero_point = round(-128 - min / scale)``
  clamped to ``[-128, 127]``; a value ``x`` becomes
  ``clamp(round(x / scale) + zero_point, -128, 127)``;
* weights symmetric per output channel: ``scale_w[o] = max|w[o]| / 127``
  (1 for a channel of zeros), ``q = clamp(round(w / scale_w[o]), -127, 127)``;
* biases ``round(b / (input_scale * scale_w[o]))`` as ``int32``;
* the requantization multiplier of channel ``o``,
  ``input_scale * scale_w[o] / output_scale``, by ``QuantizeMultiplier``;
* the fused activation as the output clamp: ``relu`` from the output's
  zero point, ``relu6`` up to ``zero_point + round(6 / scale)``.

``round`` is half away from zero (C's ``std::round``), not Python's
half-to-even. For each case it records the quantized layer (``q_weights``,
``q_bias``, ``multiplier``, ``shift``, the zero points and the clamp) and,
for inputs drawn uniform over the input range plus the range's ends and
values beyond it, the quantized inputs and the layer's ``int8`` outputs.
It also records the three arithmetic primitives on edge cases (``i32``
extremes, ties, every shift).

Random values come from ``random.Random`` with fixed seeds; the output is
sorted and indented, the same bytes on every run.
"""

import json
import math
import random
import struct
import sys

I32_MIN, I32_MAX = -(2**31), 2**31 - 1


def f32(x):
    """The f32 nearest to x, as a Python float (exactly)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def wrap32(v):
    return ((v + 2**31) % 2**32) - 2**31


def round_away(x):
    """C's std::round: half away from zero."""
    r = math.floor(abs(x) + 0.5)
    return r if x >= 0 else -r


def trunc_div(a, b):
    """C's integer division, truncating towards zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def srdhm(a, b):
    """SaturatingRoundingDoublingHighMul."""
    if a == I32_MIN and b == I32_MIN:
        return I32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else (1 - (1 << 30))
    return wrap32(trunc_div(ab + nudge, 1 << 31))


def rdbp(x, exponent):
    """RoundingDivideByPOT."""
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def mbqm(x, multiplier, shift):
    """MultiplyByQuantizedMultiplier."""
    left = shift if shift > 0 else 0
    right = 0 if shift > 0 else -shift
    return rdbp(srdhm(wrap32(x * (1 << left)), multiplier), right)


def quantize_multiplier(real):
    """QuantizeMultiplier: (multiplier, shift)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    fixed = int(round_away(q * (1 << 31)))
    if fixed == 1 << 31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    assert shift <= 30, real
    return fixed, shift


def tensor(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0
    zero = int(max(-128.0, min(127.0, round_away(-128.0 - lo / scale))))
    return scale, zero


def quantize_value(x, scale, zero):
    q = round_away(x / scale) + zero
    return int(max(-128.0, min(127.0, q)))


def layer(rng, name, n_in, n_out, fused, in_range, out_range, zero_channel=False):
    weights = [[f32(rng.uniform(-1.0, 1.0)) for _ in range(n_in)] for _ in range(n_out)]
    if zero_channel:
        weights[1] = [0.0] * n_in
    bias = [f32(rng.uniform(-0.5, 0.5)) for _ in range(n_out)]
    s_in, z_in = tensor(*in_range)
    s_out, z_out = tensor(*out_range)
    q_weights, q_bias, multipliers, shifts = [], [], [], []
    for o in range(n_out):
        largest = max(abs(w) for w in weights[o])
        s_w = largest / 127.0 if largest > 0 else 1.0
        q_weights.append([int(max(-127.0, min(127.0, round_away(w / s_w)))) for w in weights[o]])
        acc_scale = s_in * s_w
        q_bias.append(int(round_away(bias[o] / acc_scale)))
        m, s = quantize_multiplier(acc_scale / s_out)
        multipliers.append(m)
        shifts.append(s)
    lo, hi = -128, 127
    if fused in ("relu", "relu6"):
        lo = max(z_out, -128)
    if fused == "relu6":
        hi = min(z_out + int(round_away(6.0 / s_out)), 127)
    xs = [[f32(rng.uniform(in_range[0], in_range[1])) for _ in range(n_in)] for _ in range(12)]
    xs.append([f32(in_range[0])] * n_in)
    xs.append([f32(in_range[1])] * n_in)
    xs.append([f32(2.0 * in_range[1] + 1.0)] * n_in)  # beyond the range: saturates
    q_inputs = [[quantize_value(x, s_in, z_in) for x in row] for row in xs]
    outputs = []
    for qx in q_inputs:
        row = []
        for o in range(n_out):
            acc = q_bias[o]
            for w, x in zip(q_weights[o], qx):
                acc = wrap32(acc + w * (x - z_in))
            v = mbqm(acc, multipliers[o], shifts[o]) + z_out
            row.append(max(lo, min(hi, v)))
        outputs.append(row)
    return {
        "name": name,
        "inputs": n_in,
        "outputs": n_out,
        "fused": fused,
        "weights": weights,
        "bias": bias,
        "input_range": list(in_range),
        "output_range": list(out_range),
        "input_scale": s_in,
        "input_zero_point": z_in,
        "output_scale": s_out,
        "output_zero_point": z_out,
        "q_weights": q_weights,
        "q_bias": q_bias,
        "multiplier": multipliers,
        "shift": shifts,
        "min": lo,
        "max": hi,
        "x": xs,
        "q_x": q_inputs,
        "q_y": outputs,
    }


def primitives():
    values = [I32_MIN, I32_MIN + 1, -(2**30), -12345679, -3, -2, -1, 0, 1, 2, 3, 7, 12345679, 2**30, I32_MAX]
    muls = [I32_MIN, -(2**30), 0, 1, 2**30, 1518500250, I32_MAX]
    out = {"srdhm": [], "rdbp": [], "mbqm": []}
    for a in values:
        for b in muls:
            out["srdhm"].append([a, b, srdhm(a, b)])
        for e in range(0, 32):
            out["rdbp"].append([a, e, rdbp(a, e)])
    for x in values:
        for m in [1 << 30, 1518500250, I32_MAX]:
            for s in [-31, -20, -8, -1, 0, 1, 4]:
                out["mbqm"].append([x, m, s, mbqm(x, m, s)])
    reals = [0.0, 1e-12, 3.1e-7, 0.0039215, 0.25, 0.5, 0.7071067811865476, 0.99999999999, 1.0, 3.0, 1000.5]
    out["quantize_multiplier"] = [[r, *quantize_multiplier(r)] for r in reals]
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/int8_reference.json"
    rng = random.Random(20261202)
    cases = [
        layer(rng, "linear_8x6", 8, 6, "none", (-1.0, 1.0), (-3.0, 2.5)),
        layer(rng, "relu_16x8", 16, 8, "relu", (-2.0, 1.5), (-1.0, 4.0)),
        layer(rng, "relu6_5x7_zero_channel", 5, 7, "relu6", (0.0, 6.0), (0.0, 6.0), zero_channel=True),
        layer(rng, "narrow_output_3x4", 3, 4, "none", (-0.5, 0.5), (-0.05, 0.05)),
    ]
    data = {"cases": cases, "primitives": primitives()}
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {path}: {len(cases)} layers")


if __name__ == "__main__":
    main()
