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
#   WIDTHS= GESTURE=1 scripts/compile-time.sh  # the gesture network ([3; 64] =>
#                                              # Conv1d ... => 4 Softmax), every
#                                              # method instantiated
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
GESTURE=${GESTURE-}
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

# write_gesture: a crate declaring the gesture network and instantiating
# every method it has: inference, the training steps with SGD and Adam,
# the batch and epoch methods, the metrics, the views and the weights blob.
write_gesture() {
    cat >"$work/src/lib.rs" <<RS
//! The gesture network, every method instantiated in f32.
use backprop_core::loss::CrossEntropy;
use backprop_core::optim::{Adam, Sgd};
use backprop_core::{TrainError, network};

network! {
    /// The probe.
    $attr
    pub struct Probe: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax;
}

/// A window.
pub type Window = [[f32; 3]; 64];

/// Inference: forward, trace, class, loss.
#[must_use]
pub fn infer(net: &Probe, x: &Window, t: &[f32; 4]) -> ([f32; 4], Option<usize>, f32, f32) {
    let trace = net.forward_trace(x);
    let (value, grads) = net.loss_and_gradients(x, t, &CrossEntropy);
    let (back, _) = net.backward(&trace, t, &CrossEntropy);
    (net.forward(x), net.classify(x), net.loss(x, t, &CrossEntropy) + value + back, grads.params()[0])
}

/// One step with each optimizer, fused and checked.
pub fn train(net: &mut Probe, x: &Window, t: &[f32; 4], sgd: &mut Sgd<f32>, adam: &mut Adam<f32, 1108>) -> Result<f32, TrainError> {
    let a = net.train_step(x, t, &CrossEntropy, sgd);
    let b = net.train_step(x, t, &CrossEntropy, adam);
    Ok(a + b + net.try_train_step(x, t, &CrossEntropy, sgd)?)
}

/// The batch and epoch methods and the metrics.
pub fn batches(net: &mut Probe, xs: &[Window], ts: &[[f32; 4]], labels: &[usize], sgd: &mut Adam<f32, 1108>) -> Result<f64, TrainError> {
    let (mean, _) = net.batch_gradients(xs, ts, &CrossEntropy)?;
    let a = net.train_batch(xs, ts, &CrossEntropy, sgd);
    let b = net.try_train_batch(xs, ts, &CrossEntropy, sgd)?;
    let c = net.train_epoch(xs, ts, 8, Some(1), &CrossEntropy, sgd)?;
    let acc = net.accuracy(xs, labels).unwrap_or(0.0);
    let loss = net.mean_loss(xs, ts, &CrossEntropy).unwrap_or(0.0);
    let m = net.confusion_matrix::<4, _>(xs, labels).map_or(0, |m| m[0][0]);
    let dead = net.dead_relu_units(xs)[0];
    let norms = net.gradient_norms()[0];
    Ok(acc + f64::from(mean + a + b + c + loss + norms) + f64::from(m) + dead as f64)
}

/// Construction, views and the weights blob.
#[must_use]
pub fn make(seed: u64, bytes: &[u8]) -> (Probe, f32) {
    let net = Probe::with_seed(seed);
    let loaded = Probe::from_bytes(bytes).unwrap_or(net);
    (loaded, net.layer1_weights()[0][0][0])
}
RS
}

# measure SPEC IN OUT [LABEL]: one table row (SPEC `gesture`: write_gesture).
measure() {
    if [ "$1" = gesture ]; then write_gesture; else write_lib "$1" "$2" "$3"; fi
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
if [ -n "$GESTURE" ]; then
    measure gesture 192 4 \
        "[3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax (every method)"
fi
