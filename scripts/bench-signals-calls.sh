#!/usr/bin/env bash
# Instructions per call under callgrind, the generated code against a
# hand-written yardstick with the library's bits, in one of two suites:
#
#   signals (the default): the gesture network's forward pass and training
#     step (bench/examples/signals_calls.rs) against `conv::Hand`;
#   rnn: one streaming step of `1 => 32 GRU => 1 Linear` (gru) and of
#     `1 => 40 LSTM => 1 Linear` (lstm) (bench/examples/rnn_calls.rs)
#     against `rnn::HandGru32` and `rnn::HandLstm40`.
#
# Each function is behind an `#[inline(never)]` wrapper; the figure is the
# wrapper's inclusive count over N calls, divided by N. Instruction counts
# do not move with the load of a shared machine, unlike times.
#
#   scripts/bench-signals-calls.sh                  # signals, default target
#   scripts/bench-signals-calls.sh rnn              # the recurrent steps
#   BUILD=native scripts/bench-signals-calls.sh     # -C target-cpu=native
#   N=1000 scripts/bench-signals-calls.sh
set -euo pipefail
cd "$(dirname "$0")/../bench"
SUITE=${1:-signals}
case $SUITE in
    signals) example=signals_calls; passes="forward train"; column=pass; def=200 ;;
    rnn) example=rnn_calls; passes="gru lstm"; column=network; def=2000 ;;
    *) echo "unknown suite $SUITE (signals|rnn)" >&2; exit 2 ;;
esac
N=${N:-$def}
BUILD=${BUILD:-default}
case $BUILD in
    default) flags="" ;;
    native) flags="-C target-cpu=native" ;;
    *) echo "unknown BUILD $BUILD (default|native)" >&2; exit 2 ;;
esac
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
dir="target/$BUILD"
RUSTFLAGS="$flags" CARGO_TARGET_DIR="$dir" cargo build --release --example "$example" >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/$1.$2" \
        "$dir/release/examples/$example" "$1" "$2" "$N" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$out/$1.$2" \
        | awk -v f="$example::$1_$2 " 'index($0, f) { gsub(",", "", $1); print $1; exit }'
}
echo "### $SUITE: instructions per call, $BUILD${flags:+ ($flags)}, $N calls"
echo "| $column | generated | hand | generated / hand |"
echo "|---|---:|---:|---:|"
for pass in $passes; do
    g=$(count generated "$pass"); h=$(count hand "$pass")
    python3 -c "import sys; g, h, n = (int(v) for v in sys.argv[2:]); print(f'| {sys.argv[1]} | {g / n:.0f} | {h / n:.0f} | {g / h:.2f} |')" \
        "$pass" "$g" "$h" "$N"
done
