#!/usr/bin/env bash
# Training speed of 784 => 128 ReLU => 10 Linear (half squared error, SGD,
# f32, one thread) at batch 1, 32 and 128: the library
# (bench/benches/training.rs: `train_step` at batch 1, `train_batch` above,
# default `[out][in]` layout and `#[layout(input_major)]`) and, right after
# it in the same run, PyTorch (scripts/bench-pytorch.py, one thread). Prints
# µs per sample, the fraction of the build's multiply-add peak (the widest
# width the build has, measured in the same process) and the ratios to
# PyTorch. Where PyTorch is not installed it says so and prints the
# library's columns alone; CI does not run this.
#
#   scripts/bench-pytorch.sh                 # default target and native
#   BUILDS=native scripts/bench-pytorch.sh   # one build (default|native)
#   MEASURE=3 scripts/bench-pytorch.sh       # criterion seconds per case
#   SUMMARY_ONLY=1 scripts/bench-pytorch.sh  # the library's figures of the last run, PyTorch anew
set -euo pipefail
cd "$(dirname "$0")/../bench"
MEASURE=${MEASURE:-3}
BUILDS=${BUILDS:-"default native"}
torch_out=$(mktemp)
trap 'rm -f "$torch_out"' EXIT
for build in $BUILDS; do
    case $build in
        default) flags="" ;;
        native) flags="-C target-cpu=native" ;;
        *) echo "unknown build $build" >&2; exit 2 ;;
    esac
    dir="target/$build"
    echo "==> build: $build ${flags:+($flags)}" >&2
    if [ -z "${SUMMARY_ONLY:-}" ]; then
    # criterion writes group `training/<layout>` as `training_<layout>`.
    rm -rf "$dir/criterion/training_default" "$dir/criterion/training_input_major" "$dir/criterion/peak"
    RUSTFLAGS="$flags" CARGO_TARGET_DIR="$dir" \
        cargo bench --bench training -- \
        --warm-up-time 1 --measurement-time "$MEASURE" --noplot >"$dir.training.log" 2>&1 \
        || { tail -30 "$dir.training.log" >&2; exit 1; }
    fi
    status=0
    python3 ../scripts/bench-pytorch.py 1 32 128 >"$torch_out" || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
    echo
    echo "### $build${flags:+ ($flags)}"
    python3 - "$dir/criterion" "$torch_out" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "..", "scripts"))
from benchlib import flops, measured_peak, median, peak_kernel
root, torch_file = sys.argv[1], sys.argv[2]
torch = {}
for line in open(torch_file):
    _, batch, us = line.split()
    torch[int(batch)] = float(us)
peak = measured_peak(root)
fl = flops([784, 128, 10])[1]
print(f"Peak of this build (peak/{peak_kernel(root)}), same process: {peak:.1f} GFLOP/s; "
      f"{fl:,} FLOP per sample, so {fl / peak / 1000:.2f} µs per sample at peak")
print()
print("| batch | default layout µs/sample | input-major µs/sample | input-major % of peak | PyTorch µs/sample | default / PyTorch | input-major / PyTorch |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for batch in (1, 32, 128):
    d, m = (median(root, f"training_{layout}", f"batch{batch}") for layout in ("default", "input_major"))
    d, m = d / batch / 1000, m / batch / 1000
    p = torch.get(batch)
    cells = [f"{d:.2f}", f"{m:.2f}", f"{100 * fl / (m * 1000) / peak:.0f} %"]
    cells += [f"{p:.2f}", f"{d / p:.2f}", f"{m / p:.2f}"] if p else ["n/a", "", ""]
    print(f"| {batch} | " + " | ".join(cells) + " |")
if not torch:
    print()
    print("PyTorch is not installed here: its columns are empty.")
PY
done
