#!/usr/bin/env bash
# Measures what a network costs to compile: for networks `W => 128 ReLU =>
# 10 Linear` of growing input width W, the wall time and the peak memory
# (maximum resident set) of the release build of a throwaway crate that
# declares one and instantiates its forward pass and training step in f32.
# Dependencies are built first and not counted. Prints a markdown table.
#
#   scripts/compile-time.sh                    # W = 4 16 64 256 784, default policy
#   WIDTHS="16 64" UNROLL=full scripts/compile-time.sh   # the same with #[unroll(full)]
#   (network! now refuses layers over 1,024 weights under #[unroll(full)], so
#   these widths are compile errors; the README keeps the figures measured
#   before that limit, which are why it exists.)
#
# Needs GNU time (`/usr/bin/time`, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
WIDTHS=${WIDTHS:-"4 16 64 256 784"}
UNROLL=${UNROLL:-default}
work="$root/target/compile-time/$UNROLL"
mkdir -p "$work/src"
export CARGO_TARGET_DIR="$work/target"

case $UNROLL in
    default) attr="" ;;
    full | loops) attr="#[unroll($UNROLL)]" ;;
    *) echo "UNROLL must be default, full or loops" >&2; exit 2 ;;
esac

cat >"$work/Cargo.toml" <<TOML
[package]
name = "compile-time-probe"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
backprop-core = { path = "$root/backprop-core" }
TOML

write_lib() {
    cat >"$work/src/lib.rs" <<RS
//! A network of input width $1, instantiated in f32.
use backprop_core::{loss::HalfSquaredError, network, optim::Sgd};

network! {
    /// The probe.
    $attr
    pub struct Probe: $1 => 128 ReLU => 10 Linear;
}

/// Forward pass.
#[must_use]
pub fn forward(net: &Probe, x: &[f32; $1]) -> [f32; 10] {
    net.forward(x)
}

/// One training step.
pub fn train(net: &mut Probe, x: &[f32; $1], t: &[f32; 10], sgd: &mut Sgd<f32>) -> f32 {
    net.train_step(x, t, &HalfSquaredError, sgd)
}
RS
}

# Build the dependencies once, uncounted.
write_lib 1
(cd "$work" && cargo build --release --quiet)

echo "| network | policy | build s | peak rustc MB |"
echo "|---|---|---:|---:|"
for w in $WIDTHS; do
    write_lib "$w"
    log="$work/time-$w.txt"
    (cd "$work" && /usr/bin/time -v cargo build --release --quiet) 2>"$log"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    printf '| %s => 128 ReLU => 10 Linear | %s | %.1f | %d |\n' "$w" "$UNROLL" "$secs" $((kb / 1024))
done
