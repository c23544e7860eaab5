//! Recurrent networks (`H GRU`, `H LSTM`) exported from PyTorch's `nn.GRU`
//! and `nn.LSTM` by `scripts/export_pytorch.py` load into the `network!`
//! the script prints and give PyTorch's outputs at every step.
//!
//! By default this reads the committed fixtures `tests/fixtures/
//! pytorch_export_{gru,rnn_mixed,lstm_f32}.{bpnn,json}`, written by
//! `scripts/export_rnn_fixtures.py` from PyTorch modules with fixed seeds,
//! with PyTorch's float64 outputs for fixed input sequences (rerun that
//! script, which needs PyTorch, after changing a case). With
//! `BACKPROP_EXPORT_DIR` set (as `scripts/test_export.py` does when PyTorch
//! is installed) it reads fresh exports of random modules of the same
//! architectures and the outputs PyTorch computed for them.
//!
//! A case's inputs are `[S][T][IN]`, `inputs[s][t]` the input at step `t`;
//! its outputs `[S][T][OUT]`, from the zero state.

use std::path::PathBuf;

use backprop_core::network;

/// Steps of every fixture's sequences.
const STEPS: usize = 9;

network! {
    /// `pytorch_export_gru`: `nn.GRU(1, 16)`, `nn.Linear(16, 1)`, in f64.
    pub struct ExportedGru: 1 => 16 GRU => 1 Linear;
}

network! {
    /// `pytorch_export_rnn_mixed`: dense layers before, between and after
    /// an LSTM and a GRU without biases, in f64.
    pub struct ExportedMixed: 3 => 6 Tanh => 5 LSTM => 4 ReLU => 3 GRU => 2 Linear;
}

network! {
    /// `pytorch_export_lstm_f32`: two stacked LSTMs and a Softmax, in f32.
    pub struct ExportedLstm: 2 => 8 LSTM => 4 LSTM => 3 Softmax;
}

fn case_dir() -> PathBuf {
    std::env::var_os("BACKPROP_EXPORT_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        PathBuf::from,
    )
}

/// The blob and the case (spec, architecture, dtype, inputs, outputs) of `name`.
fn read_case(name: &str) -> (Vec<u8>, serde_json::Value) {
    let dir = case_dir();
    let blob = std::fs::read(dir.join(format!("{name}.bpnn"))).expect("read the exported blob");
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("read the case");
    (blob, serde_json::from_str(&text).expect("parse the case"))
}

fn numbers(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array of numbers")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

/// A case's input sequence as `[[f64; IN]; STEPS]`.
fn sequence<const IN: usize>(sample: &serde_json::Value) -> [[f64; IN]; STEPS] {
    let steps = sample.as_array().expect("a sample is [T][IN]");
    assert_eq!(steps.len(), STEPS, "steps");
    let mut x = [[0.0; IN]; STEPS];
    for (t, step) in steps.iter().enumerate() {
        let step = numbers(step);
        assert_eq!(step.len(), IN, "input width");
        x[t].copy_from_slice(&step);
    }
    x
}

/// Every sample's outputs from `run` (one row per step) against the case's,
/// within `tolerance` (relative, or absolute below 1).
fn check_outputs(
    name: &str,
    case: &serde_json::Value,
    tolerance: f64,
    run: impl Fn(&serde_json::Value) -> Vec<Vec<f64>>,
) {
    let inputs = case["inputs"].as_array().expect("inputs");
    let outputs = case["outputs"].as_array().expect("outputs");
    assert_eq!(inputs.len(), outputs.len());
    assert!(inputs.len() >= 4, "enough sequences to mean something");
    for (k, (x, y)) in inputs.iter().zip(outputs).enumerate() {
        let got = run(x);
        let want = y.as_array().expect("a sample's outputs are [T][OUT]");
        assert_eq!(got.len(), want.len(), "{name} sample {k}: steps");
        for (t, (g, w)) in got.iter().zip(want).enumerate() {
            let w = numbers(w);
            assert_eq!(g.len(), w.len(), "{name} sample {k} step {t}: width");
            for (j, (g, w)) in g.iter().zip(&w).enumerate() {
                assert!(
                    (g - w).abs() <= tolerance * w.abs().max(1.0),
                    "{name} sample {k} step {t} output {j}: got {g:e}, expected {w:e}"
                );
            }
        }
    }
}

#[test]
fn exported_gru_matches_pytorch() {
    let (blob, case) = read_case("pytorch_export_gru");
    assert_eq!(case["architecture"], ExportedGru::<f64>::ARCHITECTURE);
    assert_eq!(case["dtype"], "f64");
    let net = ExportedGru::<f64>::from_bytes(&blob).expect("the export loads");
    check_outputs("pytorch_export_gru", &case, 1e-9, |x| {
        let x: [[f64; 1]; STEPS] = sequence(x);
        net.forward_sequence(&x)
            .iter()
            .map(|y| y.to_vec())
            .collect()
    });
}

#[test]
fn exported_mixed_network_matches_pytorch() {
    let (blob, case) = read_case("pytorch_export_rnn_mixed");
    assert_eq!(case["architecture"], ExportedMixed::<f64>::ARCHITECTURE);
    assert_eq!(case["dtype"], "f64");
    let net = ExportedMixed::<f64>::from_bytes(&blob).expect("the export loads");
    check_outputs("pytorch_export_rnn_mixed", &case, 1e-9, |x| {
        let x: [[f64; 3]; STEPS] = sequence(x);
        net.forward_sequence(&x)
            .iter()
            .map(|y| y.to_vec())
            .collect()
    });
}

#[test]
fn exported_f32_lstm_matches_pytorch() {
    let (blob, case) = read_case("pytorch_export_lstm_f32");
    assert_eq!(case["architecture"], ExportedLstm::<f32>::ARCHITECTURE);
    assert_eq!(case["dtype"], "f32");
    let net = ExportedLstm::<f32>::from_bytes(&blob).expect("the export loads");
    check_outputs("pytorch_export_lstm_f32", &case, 1e-5, |x| {
        #[allow(clippy::cast_possible_truncation)]
        let x: [[f32; 2]; STEPS] = sequence::<2>(x).map(|step| step.map(|v| v as f32));
        net.forward_sequence(&x)
            .iter()
            .map(|y| y.iter().map(|&v| f64::from(v)).collect())
            .collect()
    });
}

#[test]
fn each_blob_loads_only_into_its_own_network() {
    let (gru, _) = read_case("pytorch_export_gru");
    let (mixed, _) = read_case("pytorch_export_rnn_mixed");
    let (lstm, _) = read_case("pytorch_export_lstm_f32");
    assert!(ExportedMixed::<f64>::from_bytes(&gru).is_err());
    assert!(ExportedGru::<f64>::from_bytes(&mixed).is_err());
    assert!(ExportedGru::<f32>::from_bytes(&lstm).is_err());
    assert!(
        ExportedGru::<f32>::from_bytes(&gru).is_err(),
        "an f64 blob is not an f32 network's"
    );
    assert!(
        ExportedLstm::<f64>::from_bytes(&lstm).is_err(),
        "an f32 blob is not an f64 network's"
    );
    // A dense network's blob is not a recurrent one's, and the other way round.
    let dense = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pytorch_export.bpnn"),
    )
    .expect("read the dense fixture");
    assert!(ExportedGru::<f32>::from_bytes(&dense).is_err());
    // A blob cut short or with a flipped bit is refused.
    assert!(ExportedGru::<f64>::from_bytes(&gru[..gru.len() - 1]).is_err());
    let mut flipped = gru.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    assert!(ExportedGru::<f64>::from_bytes(&flipped).is_err());
}
