//! `summary()`: the table for the tutorial's network, checked against one
//! written by hand from the tutorial's counts (8 + 10 + 3 = 21 parameters,
//! 84 bytes in `f32`), and the trace size worked out from its widths.

use backprop_core::network;

network! {
    /// The tutorial's network.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A leaky slope and a softmax output.
    pub struct Leaky: 3 => 5 LeakyReLU(0.2) => 2 Softmax;
}

#[test]
fn seed_net_summary_is_the_hand_written_table() {
    let expected = "\
SeedNet<f32>: 1 => 4 ReLU => 2 Sigmoid => 1 Linear
─────────────────────────────────────────────────────
Layer      Inputs  Outputs  Activation         Params
═════════════════════════════════════════════════════
layer1          1        4  ReLU                    8
layer2          4        2  Sigmoid                10
layer3          2        1  Linear                  3
═════════════════════════════════════════════════════
Total params: 21
Parameter bytes: 84 (f32)
Trace bytes: 60";
    // A trace holds the input (1) and every layer's pre-activations and
    // activations (2 * (4 + 2 + 1)): 15 values of 4 bytes.
    assert_eq!(SeedNet::<f32>::summary().to_string(), expected);
    assert_eq!(SeedNet::<f32>::TRACE_BYTES, 60);
}

#[test]
fn summary_totals_follow_the_scalar_and_the_spec() {
    let s = SeedNet::<f64>::summary();
    assert_eq!(s.params(), 21);
    assert_eq!((s.param_bytes, s.trace_bytes), (168, 120));
    assert!(
        s.to_string()
            .ends_with("Parameter bytes: 168 (f64)\nTrace bytes: 120")
    );

    const LEAKY: backprop_core::Summary = Leaky::<f32>::summary();
    assert_eq!(LEAKY.params(), 3 * 5 + 5 + 5 * 2 + 2);
    let text = LEAKY.to_string();
    assert!(text.starts_with("Leaky<f32>: 3 => 5 LeakyReLU(0.2) => 2 Softmax\n"));
    assert!(text.contains("\nlayer1          3        5  LeakyReLU(0.2)         20\n"));
    assert!(text.contains("\nlayer2          5        2  Softmax                12\n"));
    assert!(text.contains("\nTotal params: 32\n"));
}
