//! Window networks (Conv1d, pooling, Flatten) exported from Python
//! (`scripts/export_pytorch.py --window=C,LEN`) load into the `network!`
//! the script prints and give the outputs Python computed for random inputs.
//!
//! By default this reads the committed fixtures `tests/fixtures/
//! pytorch_export_conv{,_global}.{bpnn,json}`, written by the script from
//! fixed random networks with outputs from its own float64 forward pass.
//! With `BACKPROP_EXPORT_DIR` set (as `scripts/test_export.py` does when
//! PyTorch is installed) it reads fresh exports of random `torch.nn`
//! models of the same architectures and the outputs PyTorch computed.
//!
//! A case's inputs are PyTorch's `[C][LEN]`; the network's input is their
//! transpose, time-major `x[t][c]`.

use std::path::PathBuf;

use backprop_core::network;

network! {
    /// `pytorch_export_conv`: both pools, `padding = same` with an even
    /// kernel, and a Flatten before the dense layers.
    pub struct ExportedConv: [3; 20] => Conv1d(6, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(5, kernel = 4, padding = same) Tanh => AvgPool1d(3, stride = 2) => Flatten => 6 ReLU => 3 Softmax;
}

network! {
    /// `pytorch_export_conv_global`: stride, dilation, a pool with its own
    /// stride, a Conv1d without activation and a global average pool.
    pub struct ExportedConvGlobal: [2; 24] => Conv1d(4, kernel = 3, stride = 2) Sigmoid => Conv1d(4, kernel = 3, dilation = 2) LeakyReLU(0.1) => MaxPool1d(3, stride = 2) => Conv1d(3, kernel = 2, dilation = 2, padding = same) Linear => GlobalAvgPool1d => 2 Linear;
}

fn case_dir() -> PathBuf {
    std::env::var_os("BACKPROP_EXPORT_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        PathBuf::from,
    )
}

/// The blob and the case (spec, architecture, window, inputs, outputs) of `name`.
fn read_case(name: &str) -> (Vec<u8>, serde_json::Value) {
    let dir = case_dir();
    let blob = std::fs::read(dir.join(format!("{name}.bpnn"))).expect("read the exported blob");
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("read the case");
    (blob, serde_json::from_str(&text).expect("parse the case"))
}

/// PyTorch's `[C][LEN]` sample as the network's time-major `[[f32; C]; LEN]`.
fn window<const C: usize, const LEN: usize>(sample: &serde_json::Value) -> [[f32; C]; LEN] {
    let rows = sample.as_array().expect("a sample is [C][LEN]");
    assert_eq!(rows.len(), C, "channels");
    let mut x = [[0.0_f32; C]; LEN];
    for (c, row) in rows.iter().enumerate() {
        let row = row.as_array().expect("a channel is [LEN]");
        assert_eq!(row.len(), LEN, "length");
        for (t, v) in row.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation)]
            let v = v.as_f64().expect("a number") as f32;
            x[t][c] = v;
        }
    }
    x
}

/// Every sample's output from `forward` against the case's, within 1e-5
/// (relative, or absolute below 1).
fn check_outputs(
    name: &str,
    case: &serde_json::Value,
    forward: impl Fn(&serde_json::Value) -> Vec<f64>,
) {
    let inputs = case["inputs"].as_array().expect("inputs");
    let outputs = case["outputs"].as_array().expect("outputs");
    assert_eq!(inputs.len(), outputs.len());
    assert!(inputs.len() >= 8, "enough random inputs to mean something");
    for (k, (x, y)) in inputs.iter().zip(outputs).enumerate() {
        let got = forward(x);
        let want: Vec<f64> = y
            .as_array()
            .expect("an output")
            .iter()
            .map(|v| v.as_f64().expect("a number"))
            .collect();
        assert_eq!(got.len(), want.len(), "{name} sample {k}: width");
        for (j, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-5 * w.abs().max(1.0),
                "{name} sample {k} output {j}: got {g:e}, expected {w:e}"
            );
        }
    }
}

#[test]
fn exported_conv_network_matches_python_outputs() {
    let (blob, case) = read_case("pytorch_export_conv");
    assert_eq!(case["architecture"], ExportedConv::<f32>::ARCHITECTURE);
    assert_eq!(case["window"], serde_json::json!([3, 20]));
    assert_eq!(case["dtype"], "f32");
    let net = ExportedConv::<f32>::from_bytes(&blob).expect("the export loads");
    check_outputs("pytorch_export_conv", &case, |x| {
        let input: [[f32; 3]; 20] = window(x);
        net.forward(&input).iter().map(|&v| f64::from(v)).collect()
    });
    // Softmax outputs are probabilities.
    let p = net.forward(&[[0.5, -1.0, 2.0]; 20]);
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
}

#[test]
fn exported_global_pool_network_matches_python_outputs() {
    let (blob, case) = read_case("pytorch_export_conv_global");
    assert_eq!(
        case["architecture"],
        ExportedConvGlobal::<f32>::ARCHITECTURE
    );
    assert_eq!(case["window"], serde_json::json!([2, 24]));
    assert_eq!(case["dtype"], "f32");
    let net = ExportedConvGlobal::<f32>::from_bytes(&blob).expect("the export loads");
    check_outputs("pytorch_export_conv_global", &case, |x| {
        let input: [[f32; 2]; 24] = window(x);
        net.forward(&input).iter().map(|&v| f64::from(v)).collect()
    });
}

#[test]
fn each_blob_loads_only_into_its_own_network() {
    let (conv, _) = read_case("pytorch_export_conv");
    let (global, _) = read_case("pytorch_export_conv_global");
    assert!(ExportedConvGlobal::<f32>::from_bytes(&conv).is_err());
    assert!(ExportedConv::<f32>::from_bytes(&global).is_err());
    assert!(
        ExportedConv::<f64>::from_bytes(&conv).is_err(),
        "an f32 blob is not an f64 network's"
    );
}
