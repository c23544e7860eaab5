#!/usr/bin/env bash
# Ratios of generated to hand-written training steps, measured ROUNDS times
# (bench/benches/speed.rs, the generated, input-major and hand-written cases
# and the peak kernel, no dfdx). Each round runs the three cases of every network back to
# back in one process, so a ratio compares like with like at that moment;
# the script prints, per network, the median ratio over the rounds and its
# range, and the fraction of the core's multiply-add peak (measured in the
# same process at the widest vector width the build has, `peak/fma512`,
# `peak/fma256` or `peak/mul_add128`) that input-major and hand-written
# reach. On a shared machine absolute times drift by 20 % or more between
# runs of scripts/bench.sh; the median of several same-process ratios is the
# steadier figure.
#
#   scripts/bench-ratios.sh                 # default target, 5 rounds
#   BUILD=native scripts/bench-ratios.sh    # -C target-cpu=native
#   ROUNDS=9 PASS=forward scripts/bench-ratios.sh
set -euo pipefail
cd "$(dirname "$0")/../bench"
ROUNDS=${ROUNDS:-5}
BUILD=${BUILD:-default}
PASS=${PASS:-train}
case $BUILD in
    default) flags="" ;;
    native) flags="-C target-cpu=native" ;;
    *) echo "unknown BUILD $BUILD (default|native)" >&2; exit 2 ;;
esac
dir="target/$BUILD"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$ROUNDS"); do
    echo "==> $BUILD, round $round of $ROUNDS" >&2
    # The peak is the widest kernel that ran: none may be left from a build
    # with other target features.
    rm -rf "$dir/criterion/peak"
    RUSTFLAGS="$flags" CARGO_TARGET_DIR="$dir" cargo bench --bench speed -- \
        "^peak/|/(generated|input_major|hand)/$PASS\$" \
        --warm-up-time 0.5 --measurement-time 1 --noplot >"$dir.ratios.log" 2>&1 \
        || { tail -30 "$dir.ratios.log" >&2; exit 1; }
    python3 - "$dir/criterion" "$PASS" >>"$results" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "..", "scripts"))
from benchlib import NETS, flops, measured_peak, median
root, kind = sys.argv[1], sys.argv[2]
peak = measured_peak(root)
for group, name, widths in NETS:
    g, m, h = (median(root, group, f"{case}_{kind}") for case in ("generated", "input_major", "hand"))
    fl = flops(widths)[0 if kind == "forward" else 1]
    # Ratios to hand-written, then input-major's and hand-written's % of peak.
    print(group, g / h, m / h, 100 * fl / m / peak, 100 * fl / h / peak)
PY
done
echo
echo "### $PASS, $BUILD${flags:+ ($flags)}: median of $ROUNDS same-process rounds [min-max]"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    net, *values = line.split()
    rows.setdefault(net, []).append([float(v) for v in values])
print("| network | generated / hand | input-major / hand | input-major % of peak | hand % of peak |")
print("|---|---:|---:|---:|---:|")
for net, values in rows.items():
    cells = []
    for k in range(4):
        xs = [v[k] for v in values]
        f = "{:.2f}" if k < 2 else "{:.0f}"
        cells.append(f"{f.format(statistics.median(xs))} [{f.format(min(xs))}-{f.format(max(xs))}]")
    print(f"| {net} | " + " | ".join(cells) + " |")
PY
