//! `#[layout(input_major)]`: the same networks with their weights stored
//! `[in][out]` compute exactly the same bits as in the default `[out][in]`
//! layout (the kernels add in the same order; only the memory order
//! differs), for every pass, in straight-line and loop form; seeds give the
//! same network; the views, bytes, JSON and summary say which layout it is.

use backprop_core::loss::{CrossEntropy, HalfSquaredError};
use backprop_core::optim::{Adam, Sgd};
use backprop_core::{LoadError, Network, network};

network! {
    /// Straight-line layers, elementwise activations.
    pub struct SmallOut: 3 => 5 ReLU => 4 Tanh => 2 Sigmoid;
    /// `SmallOut`, input-major.
    #[layout(input_major)]
    pub struct SmallIn: 3 => 5 ReLU => 4 Tanh => 2 Sigmoid;
    /// `SmallIn` in loop form.
    #[layout(input_major)]
    #[unroll(loops)]
    pub struct SmallInLoops: 3 => 5 ReLU => 4 Tanh => 2 Sigmoid;
    /// Loop layers (over 256 weights each), a straight-line softmax layer.
    pub struct WideOut: 20 => 24 LeakyReLU(0.2) => 16 Linear => 3 Softmax;
    /// `WideOut`, with the default layout written out.
    #[layout(output_major)]
    pub struct WideOutSaid: 20 => 24 LeakyReLU(0.2) => 16 Linear => 3 Softmax;
    /// `WideOut`, input-major.
    #[layout(input_major)]
    pub struct WideIn: 20 => 24 LeakyReLU(0.2) => 16 Linear => 3 Softmax;

    /// Widths that cross the blocks of the across-neuron kernel (32 or 64
    /// sums at a time for f32) and the tiles of the per-row one (8 rows),
    /// with remainders.
    pub struct BroadOut: 40 => 70 Tanh => 33 ReLU => 4 Linear;
    /// `BroadOut`, input-major.
    #[layout(input_major)]
    pub struct BroadIn: 40 => 70 Tanh => 33 ReLU => 4 Linear;

    /// A head for the chains below.
    pub struct Head: 2 => 3 Tanh => 1 Linear;
    /// A chain with an output-major first part.
    pub struct ChainOut: SmallOut => Head;
    /// The same chain with an input-major first part.
    pub struct ChainIn: SmallIn => Head;

    /// The tutorial's network.
    pub struct SeedOut: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// The tutorial's network, input-major.
    #[layout(input_major)]
    pub struct SeedIn: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

const SMALL: [usize; 4] = [3, 5, 4, 2];
const WIDE: [usize; 4] = [20, 24, 16, 3];
const BROAD: [usize; 4] = [40, 70, 33, 4];

/// Output-major flat parameters to input-major ones, layer by layer.
fn to_input_major<T: Copy>(flat: &[T], widths: &[usize]) -> Vec<T> {
    let mut out = Vec::with_capacity(flat.len());
    let mut at = 0;
    for pair in widths.windows(2) {
        let (inputs, outputs) = (pair[0], pair[1]);
        for i in 0..inputs {
            for o in 0..outputs {
                out.push(flat[at + o * inputs + i]);
            }
        }
        at += inputs * outputs;
        out.extend_from_slice(&flat[at..at + outputs]);
        at += outputs;
    }
    assert_eq!(at, flat.len());
    out
}

/// Deterministic values in [-1, 1).
fn values<const N: usize>(seed: u64) -> [f32; N] {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    core::array::from_fn(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        #[allow(clippy::cast_precision_loss)]
        let unit = (state >> 40) as f32 / (1u64 << 24) as f32;
        2.0 * unit - 1.0
    })
}

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

/// Runs every pass on the output-major `a` and the input-major `b`, both
/// holding the same network, and asserts equal bits (parameters compared
/// after rearranging `a`'s with `to_b`).
fn same_bits<A, B, L, const IN: usize, const OUT: usize, const P: usize>(
    mut a: A,
    mut b: B,
    to_b: &dyn Fn(&[f32]) -> Vec<f32>,
    loss: &L,
) where
    A: Network<f32, IN, OUT, P>,
    B: Network<f32, IN, OUT, P>,
    L: backprop_core::loss::Loss<f32>,
{
    let inputs: Vec<[f32; IN]> = (0..6).map(|k| values(10 + k)).collect();
    let targets: Vec<[f32; OUT]> = (0..6)
        .map(|k| {
            // Non-negative, summing to one: fine for every loss used here.
            let mut t = values::<OUT>(20 + k).map(f32::abs);
            let sum: f32 = t.iter().sum();
            t.iter_mut().for_each(|v| *v /= sum);
            t
        })
        .collect();
    let transposed = |net: &A| bits(&to_b(net.params()));
    assert_eq!(
        transposed(&a),
        bits(b.params()),
        "the same network to start"
    );

    for x in &inputs {
        assert_eq!(bits(&a.forward(x)), bits(&b.forward(x)), "forward");
    }
    let (la, ga) = a.loss_and_gradients(&inputs[0], &targets[0], loss);
    let (lb, gb) = b.loss_and_gradients(&inputs[0], &targets[0], loss);
    assert_eq!(la.to_bits(), lb.to_bits(), "loss");
    assert_eq!(transposed(&ga), bits(gb.params()), "gradients");

    let (mut sa, mut sb) = (Sgd::new(0.05), Sgd::new(0.05));
    let (mut ma, mut mb) = (
        Sgd::new(0.05).with_momentum(0.9),
        Sgd::new(0.05).with_momentum(0.9),
    );
    let (mut aa, mut ab) = (Adam::new(0.01), Adam::new(0.01));
    for (x, t) in inputs.iter().zip(&targets) {
        let la = a.train_step(x, t, loss, &mut sa);
        let lb = b.train_step(x, t, loss, &mut sb);
        assert_eq!(la.to_bits(), lb.to_bits(), "train_step loss");
        a.train_step(x, t, loss, &mut ma);
        b.train_step(x, t, loss, &mut mb);
        a.train_step(x, t, loss, &mut aa);
        b.train_step(x, t, loss, &mut ab);
        assert_eq!(
            transposed(&a),
            bits(b.params()),
            "after SGD, momentum, Adam"
        );
    }
    let la = a.train_batch(&inputs, &targets, loss, &mut sa);
    let lb = b.train_batch(&inputs, &targets, loss, &mut sb);
    assert_eq!(la.to_bits(), lb.to_bits(), "train_batch loss");
    assert_eq!(transposed(&a), bits(b.params()), "after train_batch");
}

#[test]
fn straight_line_layers_give_the_same_bits_in_either_layout() {
    let flat = values::<{ SmallOut::<f32>::PARAMS }>(1).map(|v| 0.8 * v);
    let a = SmallOut::from_params(flat);
    let im: [f32; SmallIn::<f32>::PARAMS] = to_input_major(&flat, &SMALL).try_into().unwrap();
    let to_b = |p: &[f32]| to_input_major(p, &SMALL);
    same_bits(a, SmallIn::from_params(im), &to_b, &HalfSquaredError);
    same_bits(a, SmallInLoops::from_params(im), &to_b, &HalfSquaredError);
}

#[test]
fn loop_layers_and_softmax_give_the_same_bits_in_either_layout() {
    let flat = values::<{ WideOut::<f32>::PARAMS }>(2).map(|v| 0.3 * v);
    let im: [f32; WideIn::<f32>::PARAMS] = to_input_major(&flat, &WIDE).try_into().unwrap();
    same_bits(
        WideOut::from_params(flat),
        WideIn::from_params(im),
        &|p| to_input_major(p, &WIDE),
        &CrossEntropy,
    );
    // `#[layout(output_major)]` says the default out loud.
    assert_eq!(
        WideOut::<f32>::ARCHITECTURE,
        WideOutSaid::<f32>::ARCHITECTURE
    );
    let said = WideOutSaid::from_params(flat);
    assert_eq!(said.params(), WideOut::from_params(flat).params());
}

#[test]
fn layers_wider_than_a_block_give_the_same_bits_in_either_layout() {
    let flat = values::<{ BroadOut::<f32>::PARAMS }>(5).map(|v| 0.2 * v);
    let im: [f32; BroadIn::<f32>::PARAMS] = to_input_major(&flat, &BROAD).try_into().unwrap();
    same_bits(
        BroadOut::from_params(flat),
        BroadIn::from_params(im),
        &|p| to_input_major(p, &BROAD),
        &HalfSquaredError,
    );
}

#[test]
fn a_seed_gives_the_same_network_in_either_layout() {
    for seed in [0, 1, 99] {
        let (a, b) = (
            WideOut::<f32>::with_seed(seed),
            WideIn::<f32>::with_seed(seed),
        );
        assert_eq!(to_input_major(a.params(), &WIDE), b.params().to_vec());
        let (a, b) = (
            SmallOut::<f64>::with_seed(seed),
            SmallIn::<f64>::with_seed(seed),
        );
        assert_eq!(to_input_major(a.params(), &SMALL), b.params().to_vec());
    }
}

#[test]
fn views_are_in_out_and_index_the_flat_order() {
    let flat = values::<{ SmallOut::<f32>::PARAMS }>(3);
    let a = SmallOut::from_params(flat);
    let b = SmallIn::from_params(to_input_major(&flat, &SMALL).try_into().unwrap());
    // The view types say the layout: [[T; OUT]; IN] against [[T; IN]; OUT].
    let wb: &[[f32; 4]; 5] = b.layer2_weights();
    let wa: &[[f32; 5]; 4] = a.layer2_weights();
    for i in 0..5 {
        for o in 0..4 {
            assert_eq!(wb[i][o], wa[o][i]);
            // Layer 2's weights start after layer 1's 3 * 5 + 5 parameters.
            assert_eq!(b.params()[20 + i * 4 + o], wa[o][i]);
        }
    }
    assert_eq!(a.layer2_bias(), b.layer2_bias());
    let mut c = b;
    c.layer1_weights_mut()[2][4] = 7.0;
    assert_eq!(c.params()[2 * 5 + 4], 7.0);
}

#[test]
fn bytes_record_the_layout_and_refuse_the_other_one() {
    assert_eq!(
        SmallIn::<f32>::ARCHITECTURE,
        format!("#[layout(input_major)] {}", SmallOut::<f32>::ARCHITECTURE)
    );
    assert_ne!(SmallIn::<f32>::FINGERPRINT, SmallOut::<f32>::FINGERPRINT);
    let b = SmallIn::<f32>::with_seed(5);
    assert_eq!(SmallIn::<f32>::from_bytes(&b.to_bytes()), Ok(b));
    let a = SmallOut::<f32>::with_seed(5);
    assert!(matches!(
        SmallIn::<f32>::from_bytes(&a.to_bytes()),
        Err(LoadError::WrongArchitecture { .. })
    ));
    assert!(matches!(
        SmallOut::<f32>::from_bytes(&b.to_bytes()),
        Err(LoadError::WrongArchitecture { .. })
    ));
}

#[test]
fn an_input_major_blob_from_the_python_exporter_loads() {
    // tests/fixtures/seed_input_major_f32.bpnn is what
    // scripts/export_pytorch.py writes for the tutorial's network with
    // layout="input_major" (scripts/test_export.py checks that side).
    let blob = include_bytes!("fixtures/seed_input_major_f32.bpnn");
    let tutorial = SeedOut::<f32>::from_params([
        0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, // 1 -> 4 ReLU
        1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0, // 4 -> 2 Sigmoid
        1.0, 0.5, 1.0, // 2 -> 1 Linear
    ]);
    let net = SeedIn::<f32>::from_bytes(blob).expect("the exporter's blob loads");
    // The second layer's weights, transposed: input 0 feeds both neurons.
    assert_eq!(
        net.layer2_weights(),
        &[[1.0, 0.0], [0.75, 0.25], [0.5, 0.5], [0.25, 0.75]]
    );
    assert_eq!(
        net.forward(&[2.0])[0].to_bits(),
        tutorial.forward(&[2.0])[0].to_bits()
    );
    assert_eq!(net.to_bytes().as_slice(), blob.as_slice());
    assert!(matches!(
        SeedOut::<f32>::from_bytes(blob),
        Err(LoadError::WrongArchitecture { .. })
    ));
}

#[test]
fn summary_and_json_show_the_layout() {
    let text = SmallIn::<f32>::summary().to_string();
    assert!(
        text.ends_with("Weights stored [in][out] (#[layout(input_major)])"),
        "{text}"
    );
    assert!(!SmallOut::<f32>::summary().to_string().contains("[in][out]"));

    let flat = values::<{ SmallOut::<f32>::PARAMS }>(4);
    let b = SmallIn::from_params(to_input_major(&flat, &SMALL).try_into().unwrap());
    let json: serde_json::Value = serde_json::to_value(b).unwrap();
    // Rows are inputs: 3 rows of 5 in layer 1.
    let rows = json["layers"][0]["weights"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].as_array().unwrap().len(), 5);
    assert_eq!(
        rows[2][4].as_f64().unwrap(),
        f64::from(b.layer1_weights()[2][4])
    );
    let back: SmallIn<f32> = serde_json::from_value(json).unwrap();
    assert_eq!(back, b);
}

#[test]
fn chains_mix_layouts_with_the_same_bits() {
    let flat = values::<{ SmallOut::<f32>::PARAMS }>(6).map(|v| 0.8 * v);
    let head = values::<{ Head::<f32>::PARAMS }>(7);
    let im = to_input_major(&flat, &SMALL);
    let params_out: Vec<f32> = flat.iter().chain(&head).copied().collect();
    let params_in: Vec<f32> = im.iter().chain(&head).copied().collect();
    let a = ChainOut::from_params(params_out.try_into().unwrap());
    let b = ChainIn::from_params(params_in.try_into().unwrap());
    // Only the first part is input-major.
    let n = SmallOut::<f32>::PARAMS;
    let to_b = |p: &[f32]| {
        let mut v = to_input_major(&p[..n], &SMALL);
        v.extend_from_slice(&p[n..]);
        v
    };
    same_bits(a, b, &to_b, &HalfSquaredError);
}
