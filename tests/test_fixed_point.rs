//! The fixed-point scalars `Q16_16` and `Q8_8`: the tutorial's step against
//! the golden file, XOR learned in both, the saturation rule of the checked
//! steps, the weights format's kind bytes, conversion, and the error bounds
//! of the activations over their whole input range, against `f64` values
//! from the standard library.

mod common;

use backprop_core::activation::{Activation, Sigmoid, Softmax, SoftmaxScalar, Tanh};
use backprop_core::fixed::{OutOfRange, Q8_8, Q16_16, convert};
use backprop_core::loss::{HalfSquaredError, MeanSquaredError};
use backprop_core::optim::Sgd;
use backprop_core::weights::{decode, encode, encoded_len};
use backprop_core::{Codec, LoadError, NonFinite, Scalar, TrainError, network};
use common::{golden, numbers};

network! {
    /// The network from the tutorial.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// XOR with a tanh hidden layer.
    pub struct Xor: 2 => 4 Tanh => 1 Sigmoid;
    /// A classifier head, for the softmax.
    pub struct Head: 2 => 3 Softmax;
}

const LSB16: f64 = 1.0 / 65536.0;
const LSB8: f64 = 1.0 / 256.0;

fn q(v: f64) -> Q16_16 {
    Q16_16::from_f64(v)
}

#[test]
fn arithmetic_rounds_and_saturates_as_documented() {
    // Multiplication rounds to nearest, ties up: 3 LSB * 0.5 = 1.5 LSB -> 2.
    let three = Q16_16::from_bits(3);
    assert_eq!((three * q(0.5)).to_bits(), 2);
    assert_eq!((-three * q(0.5)).to_bits(), -1);
    // Division rounds to nearest, ties away from zero.
    assert_eq!((three / q(2.0)).to_bits(), 2);
    assert_eq!((-three / q(2.0)).to_bits(), -2);
    assert_eq!(q(1.0) / Q16_16::ZERO, Q16_16::MAX);
    assert_eq!(q(-1.0) / Q16_16::ZERO, Q16_16::MIN);
    assert_eq!(Q16_16::ZERO / Q16_16::ZERO, Q16_16::ZERO);
    assert_eq!(q(200.0) * q(200.0), Q16_16::MAX);
    assert_eq!(q(-200.0) * q(200.0), Q16_16::MIN);
    assert_eq!(q(-30_000.0) - q(30_000.0), Q16_16::MIN);
    assert_eq!(Q16_16::MIN.abs(), Q16_16::MAX);
    assert_eq!(q(f64::NAN), Q16_16::ZERO);
    assert_eq!(q(1e300), Q16_16::MAX);
    // The bounds are "not finite", everything else is.
    assert!(!Q16_16::MAX.is_finite() && !Q16_16::MIN.is_finite());
    assert!(Q16_16::from_bits(i32::MAX - 1).is_finite() && q(0.0).is_finite());
    assert!(!Q8_8::MAX.is_finite() && Q8_8::from_bits(i16::MAX - 1).is_finite());
    // Q8.8 the same way, on its narrower range.
    let q8 = Q8_8::from_f64;
    assert_eq!(q8(1.5) * q8(-2.0), q8(-3.0));
    assert_eq!(q8(127.0) + q8(1.0), Q8_8::MAX);
    assert_eq!((Q8_8::from_bits(3) * q8(0.5)).to_bits(), 2);
    assert_eq!(q8(0.1).to_bits(), 26);
}

/// The error of `got` against `want`, in units of `lsb`.
fn ulps(got: f64, want: f64, lsb: f64) -> f64 {
    (got - want).abs() / lsb
}

fn sigmoid_f64(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Every Q16.16 value in [-16, 16] (where the sigmoid and tanh are not yet
/// 0 or 1 to the resolution) and a sweep over the rest of the range with
/// the bounds, against the `f64` functions of the standard library.
#[test]
fn q16_16_sigmoid_and_tanh_within_their_bounds_over_the_whole_range() {
    let (mut worst_s, mut worst_t) = (0.0_f64, 0.0_f64);
    let dense = (-16 << 16)..=(16 << 16);
    let sweep = (i32::MIN..=i32::MAX).step_by(65_537);
    let edges = [i32::MIN, i32::MIN + 1, -1, 0, 1, i32::MAX - 1, i32::MAX];
    for raw in dense.chain(sweep).chain(edges) {
        let x = Q16_16::from_bits(raw);
        let xf = x.to_f64();
        let s = Sigmoid.f(x);
        let t = Tanh.f(x);
        worst_s = worst_s.max(ulps(s.to_f64(), sigmoid_f64(xf), LSB16));
        worst_t = worst_t.max(ulps(t.to_f64(), xf.tanh(), LSB16));
        // Exact symmetries.
        if raw != i32::MIN {
            let neg = Q16_16::from_bits(-raw);
            assert_eq!(Sigmoid.f(neg), Q16_16::ONE - s, "at {xf}");
            assert_eq!(Tanh.f(neg), -t, "at {xf}");
        }
    }
    eprintln!("Q16_16: sigmoid {worst_s} LSB, tanh {worst_t} LSB");
    assert!(worst_s <= 1.1, "sigmoid: {worst_s} LSB");
    assert!(worst_t <= 1.7, "tanh: {worst_t} LSB");
    // The bounds are not loose by more than a factor of two.
    assert!(worst_s > 0.5 && worst_t > 1.0, "{worst_s} {worst_t}");
    // And the tutorial's hidden-layer budget: about 1e-3 absolute.
    assert!(worst_t * LSB16 < 1e-4);
}

/// Every one of the 65,536 Q8.8 values.
#[test]
fn q8_8_sigmoid_and_tanh_within_their_bounds_at_every_value() {
    let (mut worst_s, mut worst_t) = (0.0_f64, 0.0_f64);
    for raw in i16::MIN..=i16::MAX {
        let x = Q8_8::from_bits(raw);
        let xf = x.to_f64();
        worst_s = worst_s.max(ulps(Sigmoid.f(x).to_f64(), sigmoid_f64(xf), LSB8));
        worst_t = worst_t.max(ulps(Tanh.f(x).to_f64(), xf.tanh(), LSB8));
    }
    eprintln!("Q8_8: sigmoid {worst_s} LSB, tanh {worst_t} LSB");
    assert!(worst_s <= 0.51, "sigmoid: {worst_s} LSB");
    assert!(worst_t <= 0.51, "tanh: {worst_t} LSB");
}

/// The derivatives from the output, in the type's arithmetic: within a
/// few LSB of the exact derivative at the same input.
#[test]
fn sigmoid_and_tanh_derivatives_follow_from_their_outputs() {
    for k in -800..=800 {
        let x = q(f64::from(k) / 50.0);
        let xf = x.to_f64();
        let s = sigmoid_f64(xf);
        let ds = Sigmoid.df(x, Sigmoid.f(x)).to_f64();
        assert!(ulps(ds, s * (1.0 - s), LSB16) <= 2.0, "at {xf}");
        let dt = Tanh.df(x, Tanh.f(x)).to_f64();
        assert!(ulps(dt, 1.0 - xf.tanh().powi(2), LSB16) <= 5.0, "at {xf}");
    }
}

fn softmax_f64(z: &[f64]) -> Vec<f64> {
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

fn worst_softmax<T: SoftmaxScalar, const N: usize>(z: [T; N], lsb: f64) -> f64 {
    let want = softmax_f64(&z.map(|v| v.to_f64()));
    let got = Softmax.forward(&z);
    got.iter()
        .zip(&want)
        .map(|(g, w)| ulps(g.to_f64(), *w, lsb))
        .fold(0.0, f64::max)
}

#[test]
fn softmax_within_its_bound() {
    let mut rng = common::Rng(5);
    let mut worst = 0.0_f64;
    for _ in 0..20_000 {
        let z3: [f64; 3] = rng.array(-12.0, 12.0);
        worst = worst.max(worst_softmax(z3.map(q), LSB16));
        let z10: [f64; 10] = rng.array(-30.0, 30.0);
        worst = worst.max(worst_softmax(z10.map(q), LSB16));
    }
    // A dense sweep of two classes, the difference from -24 to 24.
    for raw in ((-24 << 16)..=(24 << 16)).step_by(7) {
        worst = worst.max(worst_softmax([Q16_16::from_bits(raw), Q16_16::ZERO], LSB16));
    }
    // The edges: equal logits, the bounds, a huge spread.
    for z in [
        [Q16_16::ZERO; 3],
        [Q16_16::MAX, Q16_16::MIN, Q16_16::ZERO],
        [Q16_16::MAX; 3],
        [q(1000.0), q(0.0), q(-1000.0)],
    ] {
        worst = worst.max(worst_softmax(z, LSB16));
    }
    assert!(worst <= 0.51, "Q16_16 softmax: {worst} LSB");
    assert_eq!(Softmax.forward(&[Q16_16::ZERO; 4]), [q(0.25); 4]);

    // Q8.8: every difference of two classes, and random triples.
    let mut worst8 = 0.0_f64;
    for raw in i16::MIN..=i16::MAX {
        worst8 = worst8.max(worst_softmax([Q8_8::from_bits(raw), Q8_8::ZERO], LSB8));
        worst8 = worst8.max(worst_softmax([Q8_8::MIN, Q8_8::from_bits(raw)], LSB8));
    }
    for _ in 0..20_000 {
        let z: [f64; 3] = rng.array(-8.0, 8.0);
        worst8 = worst8.max(worst_softmax(z.map(Q8_8::from_f64), LSB8));
    }
    eprintln!("softmax: Q16_16 {worst} LSB, Q8_8 {worst8} LSB");
    assert!(worst8 <= 0.51, "Q8_8 softmax: {worst8} LSB");
}

fn seed<T: Scalar>(g: &serde_json::Value) -> SeedNet<T> {
    let flat = numbers(&g["params_flat"]);
    SeedNet::from_params(core::array::from_fn(|k| T::from_f64(flat[k])))
}

/// The tutorial's step in Q16.16 against the golden file (float64).
///
/// The bound, from the resolution `d = 2^-16`: every parameter and the
/// input are exact in Q16.16 (multiples of 1/4). Each product rounds once
/// (0.5 d) and each sum is exact, so a neuron of the first layer is exact
/// and one of the second is within `0.5 d` per term, `4 * 0.5 d = 2 d`,
/// before the sigmoid, whose error (1.1 d) adds to its slope (below
/// `1/4`) times that: below `1.75 d`. The output sums two of these times
/// weights `|w| <= 1` with two more roundings: below `4.5 d`. The loss
/// `(o - t)^2 / 2` with `|o - t| ~ 0.5`: below `3.5 d`. The gradients and
/// the update multiply these by factors below 6 (the largest activation)
/// and the learning rate 1/4, with a rounding per product: the budget
/// `64 d ~ 1e-3` holds every quantity with room, and is below the 2e-3 the
/// quantities are checked to. A hidden-layer gradient carries the
/// sigmoid's slope `y (1 - y)` at `y ~ 0.9975`, whose `1 - y` is within
/// `1.1 d` of its true `2.5e-3`: within 50 % + 4 LSB.
#[test]
fn q16_16_tutorial_step_matches_golden_within_the_resolution() {
    let g = golden();
    let budget = 64.0 * LSB16;
    assert!(budget <= 2e-3);
    let net = seed::<Q16_16>(&g);
    let x = [q(numbers(&g["input"])[0])];
    let t = [q(numbers(&g["target"])[0])];
    let out = net.forward(&x)[0].to_f64();
    let want_out = numbers(&g["forward"]["o_out"])[0];
    assert!((out - want_out).abs() <= budget, "{out} vs {want_out}");

    let (loss, grads) = net.loss_and_gradients(&x, &t, &HalfSquaredError);
    let want_loss = g["loss"].as_f64().unwrap();
    assert!((loss.to_f64() - want_loss).abs() <= budget, "loss {loss}");
    let want_grads = numbers(&g["grads_flat"]);
    for (k, (got, want)) in grads.params().iter().zip(&want_grads).enumerate() {
        let got = got.to_f64();
        assert!(
            (got - want).abs() <= budget,
            "gradient {k}: {got} vs {want}"
        );
        // And relative to its size, for the small hidden-layer gradients.
        assert!(
            (got - want).abs() <= 0.5 * want.abs() + 4.0 * LSB16,
            "gradient {k}: {got} vs {want}"
        );
    }

    let mut trained = net;
    let lr = q(g["learning_rate"].as_f64().unwrap());
    let before = trained.train_step(&x, &t, &HalfSquaredError, &mut Sgd::new(lr));
    assert_eq!(before, loss);
    let want_params = numbers(&g["updated_params_flat"]);
    for (k, (got, want)) in trained.params().iter().zip(&want_params).enumerate() {
        let got = got.to_f64();
        assert!(
            (got - want).abs() <= budget,
            "parameter {k}: {got} vs {want}"
        );
    }
    // The step moved the parameters: not the seed again.
    assert_ne!(trained.params(), net.params());
}

/// Trains XOR in `T` and returns how many of the 4 it gets right.
fn xor_correct<T: Scalar>(seed: u64, lr: f64, momentum: f64, epochs: usize) -> usize
where
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let data = [
        ([0.0, 0.0], 0.0),
        ([0.0, 1.0], 1.0),
        ([1.0, 0.0], 1.0),
        ([1.0, 1.0], 0.0),
    ];
    let data = data.map(|(x, y)| (x.map(T::from_f64), [T::from_f64(y)]));
    let mut net = Xor::<T>::with_seed(seed);
    let mut sgd = Sgd::new(T::from_f64(lr)).with_momentum(T::from_f64(momentum));
    for _ in 0..epochs {
        for (x, y) in &data {
            net.train_step(x, y, &MeanSquaredError, &mut sgd);
        }
    }
    data.iter()
        .filter(|(x, y)| (net.forward(x)[0].to_f64() > 0.5) == (y[0].to_f64() > 0.5))
        .count()
}

#[test]
fn xor_learns_four_of_four_in_q16_16_and_q8_8() {
    assert_eq!(xor_correct::<Q16_16>(1, 0.5, 0.9, 500), 4);
    assert_eq!(xor_correct::<Q8_8>(1, 0.5, 0.9, 500), 4);
    // The same recipe in f64, as a reference that the recipe works.
    assert_eq!(xor_correct::<f64>(1, 0.5, 0.9, 500), 4);
}

#[test]
fn a_checked_step_refuses_an_update_that_saturates_a_parameter() {
    let g = golden();
    let mut net = seed::<Q16_16>(&g);
    let (x, t) = ([q(2.0)], [q(3.0)]);
    let before = *net.params();
    // A learning rate this large takes some parameter to a bound: the
    // output bias's gradient is about -97, times 30000 is beyond the range.
    // (A learning rate at the bound itself would be refused as one.)
    let mut sgd = Sgd::new(q(30_000.0)).with_momentum(q(0.5));
    let t_far = [q(100.0)];
    let err = net
        .try_train_step(&x, &t_far, &HalfSquaredError, &mut sgd)
        .unwrap_err();
    assert!(
        matches!(err, TrainError::NonFinite(NonFinite::Update { .. })),
        "{err:?}"
    );
    assert_eq!(net.params(), &before, "parameters left as they were");
    assert_eq!(
        sgd.velocity(),
        &[Q16_16::ZERO; 21],
        "velocity left as it was"
    );
    // The unchecked step saturates instead.
    net.train_step(&x, &t_far, &HalfSquaredError, &mut sgd);
    assert!(net.params().iter().any(|p| !p.is_finite()));
    // An input at a bound is refused too.
    let mut net = seed::<Q16_16>(&g);
    let err = net
        .try_train_step(
            &[Q16_16::MAX],
            &t,
            &HalfSquaredError,
            &mut Sgd::new(q(0.25)),
        )
        .unwrap_err();
    assert_eq!(
        err,
        TrainError::NonFinite(NonFinite::Input {
            sample: 0,
            index: 0
        })
    );
    // A normal step goes through.
    assert!(
        net.try_train_step(&x, &t, &HalfSquaredError, &mut Sgd::new(q(0.25)))
            .is_ok()
    );
}

/// A blob made at compile time, loaded at compile time: a `static` in
/// flash.
const XOR_BLOB: [u8; Xor::<Q16_16>::BYTES] =
    Xor::<Q16_16>::from_params([Q16_16::from_bits(1 << 15); 17]).to_bytes();
static STATIC_XOR: Xor<Q16_16> = Xor::<Q16_16>::from_bytes_const(&XOR_BLOB);

#[test]
fn the_weights_format_keeps_fixed_point_blobs_apart() {
    assert_eq!((Q16_16::KIND, Q16_16::SIZE), (3, 4));
    assert_eq!((Q8_8::KIND, Q8_8::SIZE), (4, 2));
    let net = Xor::<Q16_16>::with_seed(4);
    const TEXT: &str = Xor::<Q16_16>::ARCHITECTURE;
    const N16: usize = encoded_len(17, 4, TEXT.len());
    let blob: [u8; N16] = encode(net.params(), TEXT).unwrap();
    assert_eq!(blob[6], 3);
    // The raw integers, little-endian, after the header and the text.
    let first = 20 + TEXT.len();
    assert_eq!(
        blob[first..first + 4],
        net.params()[0].to_bits().to_le_bytes()
    );
    assert_eq!(
        Xor::<Q16_16>::from_bytes(&blob).unwrap().params(),
        net.params()
    );
    // An f32 network of the same length refuses it by its kind byte.
    assert_eq!(
        Xor::<f32>::from_bytes(&blob).unwrap_err(),
        LoadError::WrongScalar {
            expected: 1,
            found: 3
        }
    );
    assert_eq!(
        decode::<f32, 17>(&blob, TEXT),
        Err(LoadError::WrongScalar {
            expected: 1,
            found: 3
        })
    );
    let message = LoadError::WrongScalar {
        expected: 1,
        found: 3,
    }
    .to_string();
    assert!(message.contains("Q16_16"), "{message}");
    // And a Q16.16 network refuses an f32 blob.
    assert_eq!(
        Xor::<Q16_16>::from_bytes(&Xor::<f32>::with_seed(4).to_bytes()).unwrap_err(),
        LoadError::WrongScalar {
            expected: 3,
            found: 1
        }
    );
    // The generated methods write the same bytes, also at compile time.
    assert_eq!(net.to_bytes(), blob);
    assert_eq!(Xor::<Q16_16>::BYTES, N16);
    assert_eq!(
        Xor::<Q16_16>::from_bytes_const(&blob).params(),
        net.params()
    );
    assert_eq!(STATIC_XOR.params(), &[Q16_16::from_bits(1 << 15); 17]);
    assert_eq!(Xor::<Q8_8>::BYTES, encoded_len(17, 2, TEXT.len()));
    // Q8.8 round-trips and is refused by Q16.16.
    let small = Xor::<Q8_8>::with_seed(4);
    const N8: usize = encoded_len(17, 2, TEXT.len());
    let blob8: [u8; N8] = encode(small.params(), TEXT).unwrap();
    assert_eq!(blob8[6], 4);
    assert_eq!(
        Xor::<Q8_8>::from_bytes(&blob8).unwrap().params(),
        small.params()
    );
    assert!(Xor::<Q16_16>::from_bytes(&blob8).is_err());
}

/// The blob `scripts/export_pytorch.py` writes for the tutorial network
/// with `dtype="Q16_16"` (`scripts/test_export.py` checks that side).
#[test]
fn the_exporters_q16_16_blob_is_the_generated_to_bytes() {
    const FIXTURE: &[u8; SeedNet::<Q16_16>::BYTES] = include_bytes!("fixtures/seed_q16_16.bpnn");
    static FROM_FLASH: SeedNet<Q16_16> = SeedNet::<Q16_16>::from_bytes_const(FIXTURE);
    let seeded = seed::<Q16_16>(&golden());
    assert_eq!(seeded.to_bytes(), *FIXTURE);
    assert_eq!(FROM_FLASH.params(), seeded.params());
    assert_eq!(
        SeedNet::<f32>::from_bytes(FIXTURE).unwrap_err(),
        LoadError::WrongScalar {
            expected: 1,
            found: 3
        }
    );
}

#[test]
fn conversion_refuses_what_the_target_cannot_hold() {
    let float = Xor::<f32>::with_seed(9);
    let fixed: [Q16_16; 17] = convert(float.params()).unwrap();
    for (a, b) in fixed.iter().zip(float.params()) {
        assert!((a.to_f64() - f64::from(*b)).abs() <= 0.5 * LSB16);
    }
    let back: [f32; 17] = convert(&fixed).unwrap();
    assert_eq!(convert::<f32, Q16_16, 17>(&back).unwrap(), fixed);
    assert_eq!(
        convert::<f32, Q16_16, 3>(&[0.0, 40_000.0, 1.0]),
        Err(OutOfRange {
            index: 1,
            value: 40_000.0
        })
    );
    assert_eq!(
        convert::<f64, Q8_8, 2>(&[0.5, -128.0]),
        Err(OutOfRange {
            index: 1,
            value: -128.0
        })
    );
    assert!(convert::<f32, Q16_16, 1>(&[f32::NAN]).is_err());
    assert!(convert::<f32, Q16_16, 1>(&[f32::INFINITY]).is_err());
    // A saturated fixed-point parameter has no faithful float value.
    assert_eq!(
        convert::<Q16_16, f32, 2>(&[q(1.0), Q16_16::MAX]),
        Err(OutOfRange {
            index: 1,
            value: Q16_16::MAX.to_f64()
        })
    );
    // Q16.16 to Q8.8 rounds, and refuses what is out of Q8.8's range.
    assert_eq!(
        convert::<Q16_16, Q8_8, 1>(&[q(0.5 + LSB16)]),
        Ok([Q8_8::from_f64(0.5)])
    );
    assert!(convert::<Q16_16, Q8_8, 1>(&[q(200.0)]).is_err());
}

#[test]
fn a_softmax_head_trains_in_fixed_point() {
    let mut net = Head::<Q16_16>::with_seed(2);
    let data = [
        ([q(1.0), q(0.0)], [q(1.0), q(0.0), q(0.0)]),
        ([q(0.0), q(1.0)], [q(0.0), q(1.0), q(0.0)]),
        ([q(-1.0), q(-1.0)], [q(0.0), q(0.0), q(1.0)]),
    ];
    let mut sgd = Sgd::new(q(0.5));
    for _ in 0..300 {
        for (x, y) in &data {
            net.train_step(x, y, &HalfSquaredError, &mut sgd);
        }
    }
    for (x, y) in &data {
        assert_eq!(net.classify(x), y.iter().position(|v| *v == q(1.0)));
    }
}

#[test]
fn serde_writes_exact_values_and_refuses_saturated_ones() {
    let net = Xor::<Q16_16>::with_seed(6);
    let json = serde_json::to_string(&net).unwrap();
    // The exact value of the first weight, as a JSON number.
    assert!(
        json.contains(&net.params()[0].to_f64().to_string()),
        "{json}"
    );
    let back: Xor<Q16_16> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.params(), net.params());
    // A parameter at a bound (saturated) is refused by name when saved.
    let mut params = *net.params();
    params[3] = Q16_16::MAX;
    assert!(serde_json::to_string(&Xor::<Q16_16>::from_params(params)).is_err());
    // A value out of Q8.8's range is refused when loaded.
    let json = serde_json::to_string(&Xor::<f64>::from_params([200.0; 17])).unwrap();
    assert!(serde_json::from_str::<Xor<Q8_8>>(&json).is_err());
}
