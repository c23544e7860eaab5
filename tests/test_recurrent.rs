//! Recurrent networks declared with `network!` (`H GRU`, `H LSTM`): every
//! output, final state, loss and parameter gradient against PyTorch's
//! `nn.GRU` / `nn.LSTM` in float64 (`tests/fixtures/recurrent_torch.json`,
//! written by `scripts/recurrent_fixtures.py`) within `1e-9` relative, for
//! sequence-to-sequence and last-step losses; gradients against central
//! differences of the network's own forward pass; streaming against whole
//! sequences bit for bit; and the training methods against the gradients
//! they are built on.

mod common;

use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::{Adam, Optimizer, Sgd};
use backprop_core::recurrent::{LastStep, SequenceTargets};
use backprop_core::{NonFinite, Recurrent, TrainError, network};
use serde_json::Value;

network! {
    /// PyTorch's `GruSmall`.
    struct GruSmall: 1 => 8 GRU => 1 Linear;
    /// PyTorch's `GruStacked`.
    struct GruStacked: 2 => 4 GRU => 3 GRU => 2 Tanh;
    /// PyTorch's `LstmSmall`.
    struct LstmSmall: 1 => 6 LSTM => 1 Linear;
    /// PyTorch's `LstmMixed`: a dense layer between two recurrent ones.
    struct LstmMixed: 3 => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear;
    /// A dense layer before the recurrent one.
    struct DenseFirst: 2 => 3 Tanh => 4 GRU => 2 Sigmoid;
}

const STEPS: usize = 7;

fn case(name: &str) -> Value {
    common::fixture_case("recurrent_torch.json", name)
}

fn floats(v: &Value) -> Vec<f64> {
    common::numbers(v)
}

#[track_caller]
fn close(what: &str, got: &[f64], want: &[f64]) {
    common::assert_near(what, got, want, 1e-9, 1e-12);
}

fn steps<const N: usize>(v: &Value) -> [[f64; N]; STEPS] {
    let rows: Vec<[f64; N]> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| floats(x).try_into().unwrap())
        .collect();
    rows.try_into().unwrap()
}

/// Every check against one PyTorch case; `state` flattens a final state as
/// the fixture lists it (each recurrent layer's `h`, then an LSTM's `c`).
fn against_pytorch<N, const IN: usize, const OUT: usize, const P: usize>(
    name: &str,
    state: impl Fn(&N::State) -> Vec<f64>,
) where
    N: Recurrent<f64, IN, OUT, P> + Copy,
{
    let case = case(name);
    let params: [f64; P] = floats(&case["params"]).try_into().unwrap();
    let net = N::from_params(params);
    for (s, sample) in case["samples"].as_array().unwrap().iter().enumerate() {
        let what = format!("{name} sample {s}");
        let xs = steps::<IN>(&sample["input"]);
        let outputs = net.forward_sequence(&xs);
        close(
            &format!("{what} outputs"),
            outputs.as_flattened(),
            &floats(&sample["outputs"]),
        );
        let mut end = N::State::default();
        let again = net.forward_sequence_from(&mut end, &xs);
        assert_eq!(again, outputs, "{what}: from a zero state");
        let want: Vec<f64> = sample["final_state"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|layer| {
                let mut v = floats(&layer["h"]);
                if layer.get("c").is_some() {
                    v.extend(floats(&layer["c"]));
                }
                v
            })
            .collect();
        close(&format!("{what} final state"), &state(&end), &want);

        let seq = steps::<OUT>(&sample["targets_seq"]);
        let last = LastStep::<f64, OUT>(floats(&sample["target_last"]).try_into().unwrap());
        check_loss(&net, &xs, &seq, &floats(&sample["grads_seq"]), &what, "seq");
        check_loss(
            &net,
            &xs,
            &last,
            &floats(&sample["grads_last"]),
            &what,
            "last",
        );
        let value = |key: &str| sample[key].as_f64().unwrap();
        close(
            &format!("{what} loss_seq"),
            &[net.loss_sequence(&xs, &seq, &HalfSquaredError)],
            &[value("loss_seq")],
        );
        close(
            &format!("{what} loss_last"),
            &[net.loss_sequence(&xs, &last, &HalfSquaredError)],
            &[value("loss_last")],
        );
        if s == 0 {
            central_differences(&net, &xs, &seq, &what);
            central_differences(&net, &xs, &last, &what);
        }
    }
}

fn check_loss<N, G, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    xs: &[[f64; IN]; STEPS],
    targets: &G,
    want: &[f64],
    what: &str,
    key: &str,
) where
    N: Recurrent<f64, IN, OUT, P>,
    G: SequenceTargets<f64, OUT, STEPS>,
{
    let (value, gradients) = net.loss_and_gradients_sequence(xs, targets, &HalfSquaredError);
    assert_eq!(
        value.to_bits(),
        net.loss_sequence(xs, targets, &HalfSquaredError).to_bits(),
        "{what}: the loss of loss_and_gradients_sequence is loss_sequence's"
    );
    close(&format!("{what} grads_{key}"), gradients.params(), want);
}

/// Every parameter's gradient against central differences of the
/// network's own loss.
fn central_differences<N, G, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    xs: &[[f64; IN]; STEPS],
    targets: &G,
    what: &str,
) where
    N: Recurrent<f64, IN, OUT, P>,
    G: SequenceTargets<f64, OUT, STEPS>,
{
    let (_, gradients) = net.loss_and_gradients_sequence(xs, targets, &HalfSquaredError);
    for k in 0..P {
        let h = 1e-6;
        let (mut up, mut down) = (*net.params(), *net.params());
        up[k] += h;
        down[k] -= h;
        let numeric = (N::from_params(up).loss_sequence(xs, targets, &HalfSquaredError)
            - N::from_params(down).loss_sequence(xs, targets, &HalfSquaredError))
            / (2.0 * h);
        let analytic = gradients.params()[k];
        assert!(
            (numeric - analytic).abs() <= 1e-7 + 1e-5 * numeric.abs(),
            "{what} parameter {k}: analytic {analytic:e}, numeric {numeric:e}"
        );
    }
}

#[test]
fn a_gru_network_matches_pytorch() {
    against_pytorch::<GruSmall<f64>, 1, 1, { GruSmall::<f64>::PARAMS }>("GruSmall", |s| {
        s.layer1.h.to_vec()
    });
}

#[test]
fn stacked_grus_match_pytorch() {
    against_pytorch::<GruStacked<f64>, 2, 2, { GruStacked::<f64>::PARAMS }>("GruStacked", |s| {
        [&s.layer1.h[..], &s.layer2.h[..]].concat()
    });
}

#[test]
fn an_lstm_network_matches_pytorch() {
    against_pytorch::<LstmSmall<f64>, 1, 1, { LstmSmall::<f64>::PARAMS }>("LstmSmall", |s| {
        [&s.layer1.h[..], &s.layer1.c[..]].concat()
    });
}

#[test]
fn an_lstm_a_dense_layer_and_a_gru_match_pytorch() {
    against_pytorch::<LstmMixed<f64>, 3, 2, { LstmMixed::<f64>::PARAMS }>("LstmMixed", |s| {
        [&s.layer1.h[..], &s.layer1.c[..], &s.layer3.h[..]].concat()
    });
}

/// Inputs and targets from a seed, for the checks without fixtures.
fn data<const N: usize, const L: usize>(seed: u64) -> [[f64; N]; L] {
    let mut rng = backprop_core::init::SplitMix64::new(seed);
    core::array::from_fn(|_| core::array::from_fn(|_| 2.0 * rng.next_f64() - 1.0))
}

#[test]
fn a_dense_layer_before_a_gru_has_exact_gradients() {
    let net = DenseFirst::<f64>::with_seed(3);
    let xs = data::<2, STEPS>(1);
    central_differences(&net, &xs, &data::<2, STEPS>(2), "DenseFirst seq");
    central_differences(&net, &xs, &LastStep([0.3, -0.2]), "DenseFirst last");
}

#[test]
fn streaming_gives_the_bits_of_whole_sequences() {
    let net = LstmMixed::<f32>::with_seed(7);
    let xs: [[f32; 3]; 12] = data::<3, 12>(4).map(|x| x.map(|v| v as f32));
    let whole = net.forward_sequence(&xs);
    let mut state = LstmMixedState::new();
    for (x, want) in xs.iter().zip(&whole) {
        let got = net.step(&mut state, x);
        assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits));
    }
    // A sequence in two halves, the state carried between them.
    let mut carried = LstmMixedState::default();
    let first: [[f32; 3]; 5] = xs[..5].try_into().unwrap();
    let second: [[f32; 3]; 7] = xs[5..].try_into().unwrap();
    let a = net.forward_sequence_from(&mut carried, &first);
    let b = net.forward_sequence_from(&mut carried, &second);
    assert_eq!([&a[..], &b[..]].concat(), whole.to_vec());
    assert_eq!(carried, state);
    // A reset starts over.
    state.reset();
    assert_eq!(state, LstmMixedState::default());
    assert_eq!(net.step(&mut state, &xs[0]), whole[0]);
    // The traced steps of training give the bits of the untraced ones.
    let targets = data::<2, 12>(5).map(|x| x.map(|v| v as f32));
    let mean = whole
        .iter()
        .zip(&targets)
        .map(|(y, t)| 0.5 * y.iter().zip(t).map(|(y, t)| (y - t) * (y - t)).sum::<f32>())
        .sum::<f32>();
    let loss = net.loss_sequence(&xs, &targets, &HalfSquaredError);
    assert!((loss - mean / 12.0).abs() <= 1e-6 * loss.abs());
}

#[test]
fn train_step_is_the_gradient_and_one_update() {
    let xs = data::<3, 9>(8);
    let targets = data::<2, 9>(9);
    for adam in [false, true] {
        let mut net = LstmMixed::<f64>::with_seed(11);
        let (value, gradients) = net.loss_and_gradients_sequence(&xs, &targets, &HalfSquaredError);
        let mut expected = *net.params();
        let (mut sgd, mut adam_opt) = (Sgd::new(0.05), Adam::new(0.01));
        let (mut sgd2, mut adam2) = (sgd, adam_opt);
        if adam {
            adam2.step(&mut expected, gradients.params());
            let got = net.train_step(&xs, &targets, &HalfSquaredError, &mut adam_opt);
            assert_eq!(got.to_bits(), value.to_bits());
        } else {
            sgd2.step(&mut expected, gradients.params());
            let got = net.train_step(&xs, &targets, &HalfSquaredError, &mut sgd);
            assert_eq!(got.to_bits(), value.to_bits());
        }
        assert_eq!(net.params(), &expected);
    }
}

#[test]
fn a_refused_step_changes_nothing() {
    let mut net = GruSmall::<f64>::with_seed(2);
    let before = net;
    let mut adam = Adam::new(0.01);
    let mut xs = data::<1, 6>(3);
    let targets = data::<1, 6>(4);
    net.train_step(&xs, &targets, &HalfSquaredError, &mut adam);
    let (trained, state) = (net, adam);
    xs[4][0] = f64::NAN;
    let err = net.try_train_step(&xs, &targets, &HalfSquaredError, &mut adam);
    assert_eq!(
        err,
        Err(TrainError::NonFinite(NonFinite::Input {
            sample: 0,
            index: 4
        }))
    );
    assert_eq!(net, trained);
    assert_eq!(adam, state);
    xs[4][0] = 0.5;
    let last = LastStep([f64::INFINITY]);
    let err = net.try_train_step(&xs, &last, &HalfSquaredError, &mut adam);
    assert_eq!(
        err,
        Err(TrainError::NonFinite(NonFinite::Target {
            sample: 0,
            index: 5
        }))
    );
    assert_eq!((net, adam), (trained, state));
    // A finite step is taken, and is train_step's.
    let mut other = (trained, state);
    let value = net
        .try_train_step(&xs, &targets, &HalfSquaredError, &mut adam)
        .unwrap();
    let want = other
        .0
        .train_step(&xs, &targets, &HalfSquaredError, &mut other.1);
    assert_eq!(value.to_bits(), want.to_bits());
    assert_eq!(net, other.0);
    assert_ne!(net, before);
}

#[test]
fn a_batch_is_the_mean_of_its_sequences() {
    let net = GruStacked::<f64>::with_seed(5);
    let inputs = [data::<2, 5>(1), data::<2, 5>(2), data::<2, 5>(3)];
    let targets = [
        LastStep([0.1, 0.2]),
        LastStep([-0.3, 0.0]),
        LastStep([0.5, -0.5]),
    ];
    let (value, mean) = net
        .batch_gradients(&inputs, &targets, &HalfSquaredError)
        .unwrap();
    let mut sums = [0.0; GruStacked::<f64>::PARAMS];
    let mut total = 0.0;
    for (x, t) in inputs.iter().zip(&targets) {
        let (v, g) = net.loss_and_gradients_sequence(x, t, &HalfSquaredError);
        total += v;
        for (s, g) in sums.iter_mut().zip(g.params()) {
            *s += g;
        }
    }
    assert!((value - total / 3.0).abs() <= 1e-15);
    for (m, s) in mean.params().iter().zip(sums) {
        assert!((m - s / 3.0).abs() <= 1e-15 * (1.0 + s.abs()));
    }
    assert_eq!(
        net.batch_gradients(&inputs, &targets[..2], &HalfSquaredError),
        Err(TrainError::LengthMismatch {
            inputs: 3,
            targets: 2
        })
    );
    let mut trained = net;
    let mut sgd = Sgd::new(0.1);
    let v = trained.train_batch(&inputs, &targets, &HalfSquaredError, &mut sgd);
    assert_eq!(v.to_bits(), value.to_bits());
    let mut expected = *net.params();
    Sgd::new(0.1).step(&mut expected, mean.params());
    assert_eq!(trained.params(), &expected);
}

#[test]
fn an_lstm_learns_to_remember_the_first_value() {
    // Sequence to one: the target is the first input, read at the end.
    let mut net = LstmSmall::<f32>::with_seed(1);
    let inputs: Vec<[[f32; 1]; 6]> = (0..64)
        .map(|k| data::<1, 6>(100 + k).map(|x| x.map(|v| v as f32)))
        .collect();
    let targets: Vec<LastStep<f32, 1>> = inputs.iter().map(|x| LastStep(x[0])).collect();
    let mut adam = Adam::new(0.02);
    let first = net
        .train_epoch(&inputs, &targets, 8, Some(1), &HalfSquaredError, &mut adam)
        .unwrap();
    let mut last = first;
    for epoch in 0..150 {
        last = net
            .train_epoch(
                &inputs,
                &targets,
                8,
                Some(epoch),
                &HalfSquaredError,
                &mut adam,
            )
            .unwrap();
    }
    assert!(
        last < first / 10.0,
        "epoch loss {first} -> {last}: the LSTM did not learn to remember"
    );
}

#[test]
fn the_summary_and_the_views_show_pytorchs_tensors() {
    let text = LstmMixed::<f32>::summary().to_string();
    assert!(
        text.starts_with("LstmMixed<f32>: 3 => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear"),
        "{text}"
    );
    assert_eq!(
        LstmMixed::<f32>::ARCHITECTURE,
        "3 => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear"
    );
    // LSTM 5 over 3: 4 * 5 * (3 + 5 + 2) = 200; dense 5 -> 4: 24; GRU 2 over
    // 4: 3 * 2 * (4 + 2 + 2) = 48; dense 2 -> 2: 6.
    assert_eq!(LstmMixed::<f32>::PARAMS, 200 + 24 + 48 + 6);
    let mut net = LstmMixed::<f64>::default();
    net.layer1_weight_ih_mut()[19][2] = 1.0; // o gate, unit 4, input 2
    net.layer1_weight_hh_mut()[0][4] = 2.0;
    net.layer1_bias_ih_mut()[0] = 3.0;
    net.layer1_bias_hh_mut()[19] = 4.0;
    net.layer3_weight_hh_mut()[5][1] = 5.0; // n gate, unit 1, from unit 1
    let p = net.params();
    assert_eq!(p[19 * 3 + 2], 1.0);
    assert_eq!(p[60 + 4], 2.0);
    assert_eq!(p[60 + 100], 3.0);
    assert_eq!(p[60 + 100 + 20 + 19], 4.0);
    assert_eq!(p[200 + 24 + 24 + 5 * 2 + 1], 5.0);
    assert_eq!(net.layer1_weight_ih().len(), 20);
    assert_eq!(net.layer3_bias_hh().len(), 6);
}

#[test]
fn with_seed_draws_as_pytorch_does() {
    // Every recurrent parameter uniform in [-1/sqrt(H), 1/sqrt(H)), the same
    // on every call.
    let net = GruSmall::<f64>::with_seed(9);
    assert_eq!(net, GruSmall::<f64>::with_seed(9));
    let limit = 1.0 / 8_f64.sqrt();
    let cell = &net.params()[..3 * 8 * (1 + 8 + 2)];
    assert!(cell.iter().all(|v| v.abs() < limit));
    let spread = cell.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    assert!(spread > 0.9 * limit, "{spread}");
    assert_ne!(net, GruSmall::<f64>::with_seed(10));
}

network! {
    /// `LstmMixed` with its dense weights stored `[in][out]`.
    #[layout(input_major)]
    struct LstmMixedInputMajor: 3 => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear;
}

#[test]
fn the_input_major_layout_moves_only_the_dense_weights_and_keeps_every_bit() {
    let net = LstmMixed::<f32>::with_seed(21);
    let mut other = LstmMixedInputMajor::<f32>::default();
    // The recurrent layers are stored as PyTorch's tensors in both.
    *other.layer1_weight_ih_mut() = *net.layer1_weight_ih();
    *other.layer1_weight_hh_mut() = *net.layer1_weight_hh();
    *other.layer1_bias_ih_mut() = *net.layer1_bias_ih();
    *other.layer1_bias_hh_mut() = *net.layer1_bias_hh();
    *other.layer3_weight_ih_mut() = *net.layer3_weight_ih();
    *other.layer3_weight_hh_mut() = *net.layer3_weight_hh();
    *other.layer3_bias_ih_mut() = *net.layer3_bias_ih();
    *other.layer3_bias_hh_mut() = *net.layer3_bias_hh();
    for i in 0..5 {
        for o in 0..4 {
            other.layer2_weights_mut()[i][o] = net.layer2_weights()[o][i];
        }
    }
    *other.layer2_bias_mut() = *net.layer2_bias();
    for i in 0..2 {
        for o in 0..2 {
            other.layer4_weights_mut()[i][o] = net.layer4_weights()[o][i];
        }
    }
    *other.layer4_bias_mut() = *net.layer4_bias();
    let xs: [[f32; 3]; 10] = data::<3, 10>(31).map(|x| x.map(|v| v as f32));
    let ys: [[f32; 2]; 10] = data::<2, 10>(32).map(|x| x.map(|v| v as f32));
    let bits =
        |v: &[[f32; 2]]| -> Vec<u32> { v.as_flattened().iter().map(|x| x.to_bits()).collect() };
    assert_eq!(
        bits(&net.forward_sequence(&xs)),
        bits(&other.forward_sequence(&xs))
    );
    let (a, ga) = net.loss_and_gradients_sequence(&xs, &ys, &HalfSquaredError);
    let (b, gb) = other.loss_and_gradients_sequence(&xs, &ys, &HalfSquaredError);
    assert_eq!(a.to_bits(), b.to_bits());
    assert_eq!(ga.layer3_weight_hh(), gb.layer3_weight_hh());
    assert_eq!(ga.layer1_bias_ih(), gb.layer1_bias_ih());
    for i in 0..5 {
        for o in 0..4 {
            assert_eq!(
                ga.layer2_weights()[o][i].to_bits(),
                gb.layer2_weights()[i][o].to_bits()
            );
        }
    }
}

#[test]
fn weights_blobs_round_trip_and_refuse_another_network() {
    let net = LstmMixed::<f32>::with_seed(4);
    let blob = net.to_bytes();
    assert_eq!(LstmMixed::<f32>::from_bytes(&blob), Ok(net));
    assert!(LstmMixedInputMajor::<f32>::from_bytes(&blob).is_err());
    assert!(LstmMixed::<f64>::from_bytes(&blob).is_err());
    let mut bad = blob;
    bad[40] ^= 1;
    assert!(LstmMixed::<f32>::from_bytes(&bad).is_err());
}

#[test]
fn a_gru_streams_and_trains_in_q16_16() {
    use backprop_core::fixed::{Q16_16, convert};
    let float = GruSmall::<f64>::with_seed(6);
    let mut fixed = GruSmall::<Q16_16>::from_params(convert(float.params()).unwrap());
    let q = Q16_16::from_f64;
    let xs = data::<1, 12>(7);
    let ys = data::<1, 12>(8).map(|y| y.map(|v| 0.5 * v));
    let (xq, yq) = (xs.map(|x| x.map(q)), ys.map(|y| y.map(q)));
    // The fixed-point outputs follow the float ones within a few table
    // steps of the activations, carried through twelve steps.
    let (float_out, fixed_out) = (float.forward_sequence(&xs), fixed.forward_sequence(&xq));
    for (f, x) in float_out.iter().zip(&fixed_out) {
        assert!(
            (f[0] - x[0].to_f64()).abs() < 2e-3,
            "{} against {}",
            f[0],
            x[0].to_f64()
        );
    }
    let mut state = GruSmallState::<Q16_16>::default();
    for (x, want) in xq.iter().zip(&fixed_out) {
        assert_eq!(fixed.step(&mut state, x), *want);
    }
    let mut sgd = Sgd::new(q(0.2));
    let first = fixed.loss_sequence(&xq, &yq, &HalfSquaredError).to_f64();
    for _ in 0..40 {
        fixed
            .try_train_step(&xq, &yq, &HalfSquaredError, &mut sgd)
            .unwrap();
    }
    let last = fixed.loss_sequence(&xq, &yq, &HalfSquaredError).to_f64();
    assert!(last < first / 2.0, "{first} -> {last}");
}
