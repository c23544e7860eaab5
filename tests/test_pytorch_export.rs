//! Weights exported from Python (`scripts/export_pytorch.py`) load into the
//! matching `network!` and give the outputs Python computed for random
//! inputs.
//!
//! By default this reads the committed fixture `tests/fixtures/
//! pytorch_export.{bpnn,json}`, written by the script from a fixed random
//! network with outputs from its own float64 forward pass. With
//! `BACKPROP_EXPORT_DIR` set (as `scripts/test_export.py` does when PyTorch
//! is installed) it reads a fresh export of a random `torch.nn.Sequential`
//! and the outputs PyTorch computed instead.

use std::path::PathBuf;

use backprop_core::network;

#[path = "common/mod.rs"]
mod common;

network! {
    /// The fixture's architecture: every activation the exporter supports.
    pub struct Exported: 3 => 8 ReLU => 6 Tanh => 5 LeakyReLU(0.1) => 4 Sigmoid => 4 Linear => 3 Softmax;
}

/// The committed blob, decoded by the compiler.
static COMMITTED: Exported =
    Exported::<f32>::from_bytes_const(include_bytes!("fixtures/pytorch_export.bpnn"));

fn case_dir() -> PathBuf {
    std::env::var_os("BACKPROP_EXPORT_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        PathBuf::from,
    )
}

#[test]
fn exported_network_matches_python_outputs() {
    let dir = case_dir();
    let blob = std::fs::read(dir.join("pytorch_export.bpnn")).expect("read the exported blob");
    let text = std::fs::read_to_string(dir.join("pytorch_export.json")).expect("read the case");
    let case: serde_json::Value = serde_json::from_str(&text).expect("parse the case");

    assert_eq!(case["architecture"], Exported::<f32>::ARCHITECTURE);
    assert_eq!(case["dtype"], "f32");
    let net = Exported::<f32>::from_bytes(&blob).expect("the export loads");

    let inputs = case["inputs"].as_array().expect("inputs");
    let outputs = case["outputs"].as_array().expect("outputs");
    assert_eq!(inputs.len(), outputs.len());
    assert!(inputs.len() >= 8, "enough random inputs to mean something");
    for (k, (x, y)) in inputs.iter().zip(outputs).enumerate() {
        let x = common::numbers(x);
        #[allow(clippy::cast_possible_truncation)]
        let input: [f32; 3] = [x[0] as f32, x[1] as f32, x[2] as f32];
        let got: Vec<f64> = net.forward(&input).iter().map(|&v| f64::from(v)).collect();
        common::assert_close(&format!("sample {k}"), &got, &common::numbers(y), 2e-6);
    }
}

#[test]
fn committed_fixture_loads_the_same_at_compile_time() {
    let blob = include_bytes!("fixtures/pytorch_export.bpnn");
    assert_eq!(blob.len(), <Exported>::BYTES);
    assert_eq!(COMMITTED, Exported::<f32>::from_bytes(blob).unwrap());
    // The softmax outputs of the fixture are probabilities.
    let p = COMMITTED.forward(&[0.5, -1.0, 2.0]);
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
}
