#!/usr/bin/env bash
# Measures the speed of generated networks against hand-written Rust and
# dfdx 0.13 (bench/benches/speed.rs): forward and one training step, batch 1,
# f32, one thread, for four networks, built twice: for the default target
# and with `-C target-cpu=native`. Prints one table per build with median ns
# per sample, the ratios generated/hand-written and dfdx/generated, and the
# fraction of one core's f32 multiply-add peak the larger networks reach. The
# peak is measured in the same process at the widest vector width the build
# has (`backprop_bench::PEAKS`: `peak/fma512` where it enables AVX-512F,
# `peak/fma256` where it enables FMA, `peak/mul_add128`, a multiply and an
# add, at the default target); the narrower widths are measured and printed
# too.
#
#   scripts/bench.sh                # both builds, about 1 s of measurement per case
#   MEASURE=3 scripts/bench.sh      # longer measurement
#   BUILDS=native scripts/bench.sh  # one build only (default|native)
#   PEAK_GFLOPS=... scripts/bench.sh  # divide by this peak instead of the measured one
#   SUMMARY_ONLY=1 scripts/bench.sh # print the tables of the last run again
set -euo pipefail
cd "$(dirname "$0")/../bench"
MEASURE=${MEASURE:-1}
BUILDS=${BUILDS:-"default native"}
export PEAK_GFLOPS=${PEAK_GFLOPS:-}
export RAYON_NUM_THREADS=1

for build in $BUILDS; do
    case $build in
        default) flags="" ;;
        native) flags="-C target-cpu=native" ;;
        *) echo "unknown build $build" >&2; exit 2 ;;
    esac
    dir="target/$build"
    echo "==> build: $build ${flags:+($flags)}" >&2
    if [ -z "${SUMMARY_ONLY:-}" ]; then
    rm -rf "$dir/criterion"
    RUSTFLAGS="$flags" CARGO_TARGET_DIR="$dir" \
        cargo bench --bench speed --bench batch -- \
        --warm-up-time 0.5 --measurement-time "$MEASURE" --noplot >"$dir.log" 2>&1 \
        || { tail -30 "$dir.log" >&2; exit 1; }
    fi
    echo
    echo "### $build${flags:+ ($flags)}: $(rustc --print cfg $flags | grep -o 'target_feature="\(sse2\|avx\|avx2\|fma\|avx512f\)"' | cut -d'"' -f2 | tr '\n' ' ')"
    python3 - "$dir/criterion" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "..", "scripts"))
from benchlib import NETS as nets, PEAK_KERNELS, flops, measured_peak, median as estimate, peak_kernel
root = sys.argv[1]
widest = peak_kernel(root)
peak = float(os.environ["PEAK_GFLOPS"]) if os.environ.get("PEAK_GFLOPS") else measured_peak(root)
widths = ", ".join(f"{k} {measured_peak(root, k):.1f}" for k in PEAK_KERNELS if estimate(root, "peak", k))
print(f"Multiply-add peak of this build (peak/{widest}), measured in the same run: {peak:.1f} GFLOP/s (every width: {widths})")
print()
def median(group, impl, op):
    return estimate(root, group, f"{impl}_{op}")
def batch_median(group, kind):
    return estimate(root, f"batch32_{group}", kind)
def fmt(x):
    return "n/a" if x is None else f"{x:,.0f}" if x >= 100 else f"{x:.1f}"
print("| network | pass | generated ns | input-major ns | hand-written ns | dfdx ns | generated / hand | input-major / hand | dfdx / generated | input-major % of peak | hand % of peak |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for group, name, widths in nets:
    for op, label, fl in (("forward", "forward", flops(widths)[0]), ("train", "train step", flops(widths)[1])):
        g, m, h, d = (median(group, i, op) for i in ("generated", "input_major", "hand", "dfdx"))
        r1 = f"{g / h:.2f}" if g and h else "n/a"
        rm = f"{m / h:.2f}" if m and h else "n/a"
        r2 = f"{d / g:.0f}x" if g and d else "n/a"
        pk = f"{100 * fl / m / peak:.0f} %" if m and widths[1] >= 32 else ""
        ph = f"{100 * fl / h / peak:.0f} %" if h and widths[1] >= 32 else ""
        print(f"| {name} | {label} | {fmt(g)} | {fmt(m)} | {fmt(h)} | {fmt(d)} | {r1} | {rm} | {r2} | {pk} | {ph} |")
# bench/benches/batch.rs: one train_batch of 32 against 32 train_step calls.
print()
print("| network | 32 x train_step us | train_batch of 32 us | batch / steps |")
print("|---|---:|---:|---:|")
for group, name, widths in nets:
    s, b = (batch_median(group, kind) for kind in ("steps", "batch"))
    r = f"{b / s:.2f}" if s and b else "n/a"
    us = lambda v: "n/a" if v is None else f"{v / 1000:,.1f}"
    print(f"| {name} | {us(s)} | {us(b)} | {r} |")
PY
done
