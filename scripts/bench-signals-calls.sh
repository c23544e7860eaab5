#!/usr/bin/env bash
# Instructions per call of the gesture network's forward pass and training
# step under callgrind (bench/examples/signals_calls.rs): the generated code
# against the hand-written `conv::Hand` (the library's bits). Each function
# is behind an `#[inline(never)]` wrapper; the figure is the wrapper's
# inclusive count over N calls, divided by N. Instruction counts do not move
# with the load of a shared machine, unlike times.
#
#   scripts/bench-signals-calls.sh                  # default target
#   BUILD=native scripts/bench-signals-calls.sh     # -C target-cpu=native
#   N=1000 scripts/bench-signals-calls.sh
set -euo pipefail
cd "$(dirname "$0")/../bench"
N=${N:-200}
BUILD=${BUILD:-default}
case $BUILD in
    default) flags="" ;;
    native) flags="-C target-cpu=native" ;;
    *) echo "unknown BUILD $BUILD (default|native)" >&2; exit 2 ;;
esac
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
dir="target/$BUILD"
RUSTFLAGS="$flags" CARGO_TARGET_DIR="$dir" cargo build --release --example signals_calls >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/$1.$2" \
        "$dir/release/examples/signals_calls" "$1" "$2" "$N" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$out/$1.$2" \
        | awk -v f="signals_calls::$1_$2 " 'index($0, f) { gsub(",", "", $1); print $1; exit }'
}
echo "### instructions per call, $BUILD${flags:+ ($flags)}, $N calls"
echo "| pass | generated | hand | generated / hand |"
echo "|---|---:|---:|---:|"
for pass in forward train; do
    g=$(count generated "$pass"); h=$(count hand "$pass")
    python3 -c "import sys; g, h, n = (int(v) for v in sys.argv[2:]); print(f'| {sys.argv[1]} | {g / n:.0f} | {h / n:.0f} | {g / h:.2f} |')" \
        "$pass" "$g" "$h" "$N"
done
