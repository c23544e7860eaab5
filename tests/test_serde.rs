//! The `serde` feature: networks as named layers in JSON, round trips in
//! `f32` and `f64`, the layout checked against JSON written by hand, and
//! refusals of JSON for another network.

use backprop_core::network;

network! {
    /// The tutorial's network.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A leaky slope and a softmax output.
    pub struct Leaky: 3 => 5 LeakyReLU(0.2) => 2 Softmax;
}

const SEED_PARAMS: [f64; 21] = [
    0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0,
    1.0, 0.5, 1.0,
];

/// The tutorial's network as JSON, written by hand from its layer table.
const SEED_JSON: &str = r#"{
  "architecture": "1 => 4 ReLU => 2 Sigmoid => 1 Linear",
  "layers": [
    {"activation": "ReLU", "weights": [[0.25], [0.5], [0.75], [1.0]], "bias": [1.0, 1.0, 1.0, 1.0]},
    {"activation": "Sigmoid", "weights": [[1.0, 0.75, 0.5, 0.25], [0.0, 0.25, 0.5, 0.75]], "bias": [1.0, 1.0]},
    {"activation": "Linear", "weights": [[1.0, 0.5]], "bias": [1.0]}
  ]
}"#;

#[test]
fn serializes_as_named_layers() {
    let net = SeedNet::<f64>::from_params(SEED_PARAMS);
    let got: serde_json::Value = serde_json::to_value(net).unwrap();
    let want: serde_json::Value = serde_json::from_str(SEED_JSON).unwrap();
    assert_eq!(got, want);
}

#[test]
fn hand_written_json_loads() {
    let net: SeedNet<f64> = serde_json::from_str(SEED_JSON).unwrap();
    assert_eq!(net.params(), &SEED_PARAMS);
    let net: SeedNet<f32> = serde_json::from_str(SEED_JSON).unwrap();
    assert_eq!(
        net.layer2_weights(),
        &[[1.0, 0.75, 0.5, 0.25], [0.0, 0.25, 0.5, 0.75]]
    );
}

#[test]
fn round_trips_in_f32_and_f64() {
    let net = Leaky::<f32>::with_seed(11);
    let text = serde_json::to_string(&net).unwrap();
    let back: Leaky<f32> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, net);
    let net = Leaky::<f64>::with_seed(12);
    let text = serde_json::to_string_pretty(&net).unwrap();
    assert!(text.contains("\"activation\": \"LeakyReLU(0.2)\""));
    let back: Leaky<f64> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, net);
}

#[test]
fn json_for_another_network_is_refused() {
    let err = |json: &str| {
        serde_json::from_str::<SeedNet<f64>>(json)
            .unwrap_err()
            .to_string()
    };
    let other = SEED_JSON.replace("2 Sigmoid", "2 Tanh");
    assert!(
        err(&other).contains("wrong architecture"),
        "{}",
        err(&other)
    );
    let act = SEED_JSON.replace("\"Sigmoid\"", "\"Tanh\"");
    assert!(
        err(&act).contains("wrong activation: found `Tanh`"),
        "{}",
        err(&act)
    );
    let short_row = SEED_JSON.replace("[[1.0, 0.5]]", "[[1.0]]");
    assert!(
        err(&short_row).contains("invalid length"),
        "{}",
        err(&short_row)
    );
    let long_bias = SEED_JSON.replace("\"bias\": [1.0]}", "\"bias\": [1.0, 2.0]}");
    assert!(
        err(&long_bias).contains("invalid length"),
        "{}",
        err(&long_bias)
    );
    let missing = SEED_JSON.replace(", \"bias\": [1.0, 1.0]", "");
    assert!(
        err(&missing).contains("missing field `bias`"),
        "{}",
        err(&missing)
    );
    let extra = SEED_JSON.replace("\"layers\"", "\"extra\": 1, \"layers\"");
    assert!(
        err(&extra).contains("unknown field `extra`"),
        "{}",
        err(&extra)
    );
    assert!(serde_json::from_str::<SeedNet<f64>>("[1, 2]").is_err());
}

network! {
    /// The tutorial's first layer.
    pub struct Front: 1 => 4 ReLU;
    /// The tutorial's other two layers.
    pub struct Back: 4 => 2 Sigmoid => 1 Linear;
    /// The tutorial's network as a chain.
    pub struct SeedChain: Front => Back;
}

/// `SEED_JSON` for the chain: the same layers under the chain's text.
fn seed_chain_json() -> String {
    SEED_JSON.replace(
        "\"1 => 4 ReLU => 2 Sigmoid => 1 Linear\"",
        "\"(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)\"",
    )
}

#[test]
fn a_chain_serializes_as_its_parts_layers() {
    let chain = SeedChain::<f64>::from_params(SEED_PARAMS);
    let got: serde_json::Value = serde_json::to_value(chain).unwrap();
    let want: serde_json::Value = serde_json::from_str(&seed_chain_json()).unwrap();
    assert_eq!(got, want);
    let back: SeedChain<f64> = serde_json::from_str(&seed_chain_json()).unwrap();
    assert_eq!(back.params(), &SEED_PARAMS);
    let net = SeedChain::<f32>::with_seed(3);
    let text = serde_json::to_string(&net).unwrap();
    assert_eq!(serde_json::from_str::<SeedChain<f32>>(&text).unwrap(), net);
}

#[test]
fn a_chain_and_the_whole_network_refuse_each_others_json() {
    let chain_err = serde_json::from_str::<SeedChain<f64>>(SEED_JSON)
        .unwrap_err()
        .to_string();
    assert!(chain_err.contains("wrong architecture"), "{chain_err}");
    let net_err = serde_json::from_str::<SeedNet<f64>>(&seed_chain_json())
        .unwrap_err()
        .to_string();
    assert!(net_err.contains("wrong architecture"), "{net_err}");
}

#[test]
fn a_network_with_a_non_finite_parameter_is_refused_by_name() {
    let mut net = SeedNet::<f32>::with_seed(1);
    net.params_mut()[18] = f32::NAN;
    let error = serde_json::to_string(&net).unwrap_err().to_string();
    assert_eq!(
        error,
        "parameter 18 is NaN (a weight of layer 3), and a network is serialized only with \
         finite parameters: JSON has no NaN or infinity, and would write one as `null`, which \
         does not load back"
    );
    net.params_mut()[18] = 0.5;
    net.params_mut()[5] = f32::NEG_INFINITY;
    let error = serde_json::to_string(&net).unwrap_err().to_string();
    assert!(
        error.starts_with("parameter 5 is -inf (a bias of layer 1)"),
        "{error}"
    );
    // Finite again: it serializes and loads back bit for bit.
    net.params_mut()[5] = 1.0;
    let back: SeedNet<f32> = serde_json::from_str(&serde_json::to_string(&net).unwrap()).unwrap();
    assert_eq!(back, net);
}
