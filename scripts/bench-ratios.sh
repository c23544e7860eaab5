#!/usr/bin/env bash
# Ratios of generated to hand-written training steps, measured ROUNDS times
# (bench/benches/speed.rs, the generated, input-major and hand-written cases
# only, no dfdx). Each round runs the three cases of every network back to
# back in one process, so a ratio compares like with like at that moment;
# the script prints, per network, the median ratio over the rounds and its
# range. On a shared machine absolute times drift by 20 % or more between
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
    RUSTFLAGS="$flags" CARGO_TARGET_DIR="$dir" cargo bench --bench speed -- \
        "/(generated|input_major|hand)/$PASS\$" \
        --warm-up-time 0.5 --measurement-time 1 --noplot >"$dir.ratios.log" 2>&1 \
        || { tail -30 "$dir.ratios.log" >&2; exit 1; }
    python3 - "$dir/criterion" "$PASS" >>"$results" <<'PY'
import json, os, sys
root, kind = sys.argv[1], sys.argv[2]
for net in sorted(os.listdir(root)):
    # Only the speed benchmark's groups (the layout and batch benchmarks
    # share this directory).
    if not os.path.exists(os.path.join(root, net, f"hand_{kind}")):
        continue
    def median(case):
        path = os.path.join(root, net, f"{case}_{kind}", "new", "estimates.json")
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    hand = median("hand")
    print(net, median("generated") / hand, median("input_major") / hand)
PY
done
echo
echo "### $PASS, $BUILD${flags:+ ($flags)}: ratio to hand-written, median of $ROUNDS same-process rounds [min-max]"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    net, g, i = line.split()
    rows.setdefault(net, []).append((float(g), float(i)))
print("| network | generated / hand | input-major / hand |")
print("|---|---:|---:|")
for net, values in rows.items():
    cells = []
    for k in range(2):
        xs = [v[k] for v in values]
        cells.append(f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]")
    print(f"| {net} | {cells[0]} | {cells[1]} |")
PY
