//! The signal layers against PyTorch's: `Conv1d` (valid and `same`
//! padding, stride, dilation), `MaxPool1d`, `AvgPool1d`, `GlobalAvgPool1d`
//! and `Flatten`, in five `f64` networks, compared sample by sample with
//! `tests/fixtures/signals_torch.json`, which `scripts/signal_fixtures.py`
//! wrote with the `nn.Sequential` of the same layers (the script says how).
//!
//! For every sample the output, the loss and the gradient of every
//! parameter, in the flat order, are within `1e-9` of PyTorch's, relative
//! to PyTorch's value (plus `1e-12` absolutely, for values near 0). The
//! fixture also holds PyTorch's gradient at the input, which a whole
//! network does not return.

use std::path::Path;

use backprop_core::loss::{CrossEntropy, HalfSquaredError};
use backprop_core::network;
use serde_json::Value;

network! {
    /// `Conv1d(2, 3, 3), Tanh, Flatten, Linear(30, 2)`.
    struct SigValid: [2; 12] => Conv1d(3, kernel = 3) Tanh => Flatten => 2 Linear;
}

network! {
    /// `Conv1d(2, 3, 3, stride=2, dilation=2), Tanh, MaxPool1d(2), Flatten,
    /// Linear(6, 2)`.
    struct SigStride: [2; 11] => Conv1d(3, kernel = 3, stride = 2, dilation = 2) Tanh => MaxPool1d(2) => Flatten => 2 Linear;
}

network! {
    /// `Conv1d(3, 4, 4, padding='same')` (one zero on the left, two on the
    /// right), `Sigmoid, AvgPool1d(3, stride=2), AdaptiveAvgPool1d(1),
    /// Flatten, Linear(4, 3)`, then softmax.
    struct SigSame: [3; 10] => Conv1d(4, kernel = 4, padding = same) Sigmoid => AvgPool1d(3, stride = 2) => GlobalAvgPool1d => 3 Softmax;
}

network! {
    /// `Conv1d(1, 2, 3, padding='same'), Conv1d(2, 2, 2, dilation=2,
    /// padding='same'), Tanh, MaxPool1d(3, stride=1), AdaptiveAvgPool1d(1),
    /// Flatten, Linear(2, 1)`.
    struct SigDeep: [1; 9] => Conv1d(2, kernel = 3, padding = same) => Conv1d(2, kernel = 2, dilation = 2, padding = same) Tanh => MaxPool1d(3, stride = 1) => GlobalAvgPool1d => 1 Linear;
}

network! {
    /// `Conv1d(3, 4, 5), ReLU, MaxPool1d(2), Conv1d(4, 4, 3), ReLU, Flatten,
    /// Linear(16, 2)`.
    struct SigWide: [3; 16] => Conv1d(4, kernel = 5, stride = 1) ReLU => MaxPool1d(2) => Conv1d(4, kernel = 3) ReLU => Flatten => 2 Linear;
}

/// The fixture's cases, by name.
fn fixture() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signals_torch.json");
    let text = std::fs::read_to_string(&path).expect("read the fixture");
    let json: Value = serde_json::from_str(&text).expect("parse the fixture");
    assert_eq!(json["dtype"], "float64");
    json["cases"].as_array().expect("cases").clone()
}

fn case(name: &str) -> Value {
    fixture()
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("the fixture has no case {name}"))
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// A JSON array of `N` numbers.
fn vector<const N: usize>(what: &str, v: &Value) -> [f64; N] {
    let values = numbers(v);
    let n = values.len();
    values
        .try_into()
        .unwrap_or_else(|_| panic!("{what}: {n} numbers, not {N}"))
}

/// A JSON `[LEN][C]` array, time-major, as the network's input.
fn window<const C: usize, const LEN: usize>(what: &str, v: &Value) -> [[f64; C]; LEN] {
    let rows: Vec<[f64; C]> = v
        .as_array()
        .expect("rows")
        .iter()
        .enumerate()
        .map(|(t, row)| vector(&format!("{what}[{t}]"), row))
        .collect();
    let n = rows.len();
    rows.try_into()
        .unwrap_or_else(|_| panic!("{what}: {n} time steps, not {LEN}"))
}

const RELATIVE: f64 = 1e-9;
const ABSOLUTE: f64 = 1e-12;

/// Asserts `ours` is within the tolerance of PyTorch's `theirs`, and
/// returns the share of the tolerance the difference takes.
#[track_caller]
fn close(what: &str, ours: f64, theirs: f64) -> f64 {
    let diff = (ours - theirs).abs();
    let allowed = RELATIVE * theirs.abs() + ABSOLUTE;
    assert!(
        diff <= allowed,
        "{what}: {ours:e}, PyTorch's {theirs:e} (difference {diff:e}, allowed {allowed:e})"
    );
    diff / allowed
}

/// Checks every sample of the case `$net` (a `[$c; $len]` network with
/// `$out` outputs) with `$loss`, and prints the largest share of the
/// tolerance used.
macro_rules! check {
    ($net:ident, $c:literal, $len:literal, $out:literal, $loss:expr) => {{
        let name = stringify!($net);
        let case = case(name);
        assert_eq!(case["loss"], stringify!($loss), "{name}: the loss");
        assert_eq!(case["channels"], $c, "{name}: channels");
        assert_eq!(case["length"], $len, "{name}: length");
        let theirs = numbers(&case["params"]);
        assert_eq!(
            theirs.len(),
            $net::<f64>::PARAMS,
            "{name}: the parameter count"
        );
        let net = $net::<f64>::from_params(vector(name, &case["params"]));
        assert!(
            net.params()
                .iter()
                .zip(&theirs)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "{name}: params() gives back the flat parameters"
        );
        let samples = case["samples"].as_array().expect("samples");
        assert!(samples.len() >= 8, "{name}: enough samples");
        let mut worst: f64 = 0.0;
        for (k, s) in samples.iter().enumerate() {
            let at = format!("{name} sample {k}");
            let x: [[f64; $c]; $len] = window(&format!("{at} input"), &s["input"]);
            let t: [f64; $out] = vector(&format!("{at} target"), &s["target"]);

            let y = net.forward(&x);
            let output = numbers(&s["output"]);
            assert_eq!(output.len(), $out, "{at}: output width");
            for (i, (a, b)) in y.iter().zip(&output).enumerate() {
                worst = worst.max(close(&format!("{at} output[{i}]"), *a, *b));
            }

            let loss = s["loss"].as_f64().expect("a loss");
            worst = worst.max(close(
                &format!("{at} loss()"),
                net.loss(&x, &t, &$loss),
                loss,
            ));
            let (l, grads) = net.loss_and_gradients(&x, &t, &$loss);
            worst = worst.max(close(&format!("{at} loss"), l, loss));

            let expected = numbers(&s["param_gradients"]);
            assert_eq!(expected.len(), $net::<f64>::PARAMS, "{at}: gradients");
            for (i, (a, b)) in grads.params().iter().zip(&expected).enumerate() {
                worst = worst.max(close(&format!("{at} gradient[{i}]"), *a, *b));
            }
        }
        println!("{name}: at most {worst:.1e} of the tolerance used");
    }};
}

#[test]
fn conv1d_valid_then_flatten_matches_pytorch() {
    check!(SigValid, 2, 12, 2, HalfSquaredError);
}

#[test]
fn conv1d_stride_dilation_and_max_pool_match_pytorch() {
    check!(SigStride, 2, 11, 2, HalfSquaredError);
}

#[test]
fn conv1d_same_padding_avg_pool_and_global_average_match_pytorch() {
    check!(SigSame, 3, 10, 3, CrossEntropy);
}

#[test]
fn two_same_padded_convolutions_and_overlapping_max_pool_match_pytorch() {
    check!(SigDeep, 1, 9, 1, HalfSquaredError);
}

#[test]
fn two_relu_convolutions_with_pooling_between_match_pytorch() {
    check!(SigWide, 3, 16, 2, HalfSquaredError);
}

/// The fixture's specs are the ones declared here, and each network's
/// canonical text is the one the contract gives for it.
#[test]
fn specs_and_architectures_match_the_fixture() {
    let cases = fixture();
    assert_eq!(cases.len(), 5, "the fixture has every case");
    for (name, spec, architecture) in [
        (
            "SigValid",
            "[2; 12] => Conv1d(3, kernel = 3) Tanh => Flatten => 2 Linear",
            SigValid::<f64>::ARCHITECTURE,
        ),
        (
            "SigStride",
            "[2; 11] => Conv1d(3, kernel = 3, stride = 2, dilation = 2) Tanh => MaxPool1d(2) => Flatten => 2 Linear",
            SigStride::<f64>::ARCHITECTURE,
        ),
        (
            "SigSame",
            "[3; 10] => Conv1d(4, kernel = 4, padding = same) Sigmoid => AvgPool1d(3, stride = 2) => GlobalAvgPool1d => 3 Softmax",
            SigSame::<f64>::ARCHITECTURE,
        ),
        (
            "SigDeep",
            "[1; 9] => Conv1d(2, kernel = 3, padding = same) => Conv1d(2, kernel = 2, dilation = 2, padding = same) Tanh => MaxPool1d(3, stride = 1) => GlobalAvgPool1d => 1 Linear",
            SigDeep::<f64>::ARCHITECTURE,
        ),
        (
            "SigWide",
            "[3; 16] => Conv1d(4, kernel = 5, stride = 1) ReLU => MaxPool1d(2) => Conv1d(4, kernel = 3) ReLU => Flatten => 2 Linear",
            SigWide::<f64>::ARCHITECTURE,
        ),
    ] {
        let case = cases
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("the fixture has no case {name}"));
        assert_eq!(case["spec"], spec, "{name}: the spec");
        assert_eq!(case["architecture"], architecture, "{name}: ARCHITECTURE");
    }
}
