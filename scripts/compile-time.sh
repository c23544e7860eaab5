#!/usr/bin/env bash
# Measures what a network costs to compile: for networks `W => 128 ReLU =>
# 10 Linear` of growing input width W, the wall time and the peak memory
# (maximum resident set) of the release build of a throwaway crate that
# declares one and instantiates its forward pass and training step in f32.
# Dependencies are built first and not counted. Prints a markdown table.
#
#   scripts/compile-time.sh                    # W = 4 16 64 256 784, default policy
#   WIDTHS="16 64" UNROLL=full scripts/compile-time.sh   # the same with #[unroll(full)]
#   WIDTHS= DEPTHS="19" scripts/compile-time.sh   # 16 => 16 ReLU (x 19) => 1 Linear:
#                                              # deep and narrow, every layer 256 weights
#   (network! now refuses layers over 1,024 weights under #[unroll(full)], so
#   these widths are compile errors; the README keeps the figures measured
#   before that limit, which are why it exists.)
#
# Needs GNU time (`/usr/bin/time`, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
WIDTHS=${WIDTHS-"4 16 64 256 784"}
DEPTHS=${DEPTHS-}
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

# write_lib SPEC IN OUT: a crate declaring `pub struct Probe: SPEC;` (IN
# inputs, OUT outputs) and instantiating its forward pass and training step.
write_lib() {
    cat >"$work/src/lib.rs" <<RS
//! The network \`$1\`, instantiated in f32.
use backprop_core::{loss::HalfSquaredError, network, optim::Sgd};

network! {
    /// The probe.
    $attr
    pub struct Probe: $1;
}

/// Forward pass.
#[must_use]
pub fn forward(net: &Probe, x: &[f32; $2]) -> [f32; $3] {
    net.forward(x)
}

/// One training step.
pub fn train(net: &mut Probe, x: &[f32; $2], t: &[f32; $3], sgd: &mut Sgd<f32>) -> f32 {
    net.train_step(x, t, &HalfSquaredError, sgd)
}
RS
}

# measure SPEC IN OUT [LABEL]: one table row.
measure() {
    write_lib "$1" "$2" "$3"
    log="$work/time.txt"
    (cd "$work" && /usr/bin/time -v cargo build --release --quiet) 2>"$log"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    printf '| %s | %s | %.1f | %d |\n' "${4:-$1}" "$UNROLL" "$secs" $((kb / 1024))
}

# Build the dependencies once, uncounted.
write_lib "1 => 1 Linear" 1 1
(cd "$work" && cargo build --release --quiet)

echo "| network | policy | build s | peak rustc MB |"
echo "|---|---|---:|---:|"
for w in $WIDTHS; do
    measure "$w => 128 ReLU => 10 Linear" "$w" 10
done
for d in $DEPTHS; do
    measure "16$(printf ' => 16 ReLU%.0s' $(seq "$d")) => 1 Linear" 16 1 \
        "16 => 16 ReLU (x $d) => 1 Linear"
done
