"""What scripts/bench.sh and scripts/bench-ratios.sh share: the networks of
bench/benches/speed.rs, the FLOP counted per pass, and the reading of
criterion's estimates."""

import json
import os

# (criterion group, name in the tables, layer widths)
NETS = [
    ("tutorial_1-4-2-1", "1-4-2-1 (tutorial)", [1, 4, 2, 1]),
    ("mlp_16-32-32-4", "16-32-32-4", [16, 32, 32, 4]),
    ("tanh_64-128-10", "64-128 Tanh-10", [64, 128, 10]),
    ("mnist_784-128-10", "784-128-10", [784, 128, 10]),
]


def flops(widths):
    """FLOP of the forward pass and of a training step: a multiply-add is
    two; forward 2 per weight; a training step adds 2 per weight for the
    weight gradient fused with its update, and 2 per weight for the input
    gradient of every layer but the first. Activations are not counted."""
    pairs = list(zip(widths, widths[1:]))
    fwd = sum(2 * a * b for a, b in pairs)
    bwd = sum(2 * a * b + (2 * a * b if k else 0) for k, (a, b) in enumerate(pairs))
    return fwd, fwd + bwd


def median(root, group, case):
    """criterion's median estimate in ns, or None if the case did not run."""
    path = os.path.join(root, group, case, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


# The widths of the peak kernel (backprop_bench::PEAKS), widest first.
PEAK_KERNELS = ("fma512", "fma256", "mul_add128")


def peak_kernel(root):
    """The widest peak kernel that ran into `root`: the build's peak."""
    for name in PEAK_KERNELS:
        if median(root, "peak", name) is not None:
            return name
    raise FileNotFoundError(f"no peak/* estimate under {root}")


def measured_peak(root, name=None):
    """GFLOP/s of `peak/<name>` (the widest that ran, by default), from its
    median and its throughput in multiply-adds per iteration."""
    name = name or peak_kernel(root)
    ns = median(root, "peak", name)
    with open(os.path.join(root, "peak", name, "new", "benchmark.json")) as f:
        elements = json.load(f)["throughput"]["Elements"]
    return 2 * elements / ns
