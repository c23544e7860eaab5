//! A scalar that is not a float: a toy Q16.16 fixed-point number, which
//! implements only `Scalar` and `Codec`, works with every runtime piece that
//! needs no transcendental function: the piecewise-linear activations, the
//! squared-error losses, SGD, initialisation and the weights format; and a
//! network of such layers declared with `network!` runs, trains and loads
//! in it.

use core::fmt;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use backprop_core::activation::{Activation, Hardtanh, LeakyRelu, Linear, Relu, Relu6, Softmax};
use backprop_core::init::{Scheme, SplitMix64, init_dense};
use backprop_core::loss::{HalfSquaredError, Loss, MeanSquaredError};
use backprop_core::optim::{Optimizer, Sgd, sgd_step};
use backprop_core::weights::{ArchitectureText, LoadError, decode, encode, encoded_len};
use backprop_core::{Codec, Scalar};

/// Q16.16: `raw / 65536`, with saturating arithmetic; no NaN, no infinity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Q16(i32);

/// Clamps a widened result into `i32`.
fn saturate(v: i64) -> Q16 {
    Q16(i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX }))
}

impl Add for Q16 {
    type Output = Self;
    fn add(self, r: Self) -> Self {
        Q16(self.0.saturating_add(r.0))
    }
}
impl Sub for Q16 {
    type Output = Self;
    fn sub(self, r: Self) -> Self {
        Q16(self.0.saturating_sub(r.0))
    }
}
impl Mul for Q16 {
    type Output = Self;
    fn mul(self, r: Self) -> Self {
        saturate((i64::from(self.0) * i64::from(r.0)) >> 16)
    }
}
impl Div for Q16 {
    type Output = Self;
    fn div(self, r: Self) -> Self {
        match r.0 {
            0 => saturate(i64::from(self.0.signum()) * i64::MAX),
            d => saturate((i64::from(self.0) << 16) / i64::from(d)),
        }
    }
}
impl Neg for Q16 {
    type Output = Self;
    fn neg(self) -> Self {
        Q16(self.0.saturating_neg())
    }
}
macro_rules! assign {
    ($($tr:ident $f:ident $op:tt),*) => {
        $(impl $tr for Q16 {
            fn $f(&mut self, r: Self) {
                *self = *self $op r;
            }
        })*
    };
}
assign!(AddAssign add_assign +, SubAssign sub_assign -, MulAssign mul_assign *, DivAssign div_assign /);

impl fmt::Display for Q16 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}

impl Scalar for Q16 {
    const ZERO: Self = Q16(0);
    const ONE: Self = Q16(1 << 16);
    const EMPTY_SUM: Self = Q16(0);
    const NAME: &'static str = "q16.16";

    #[allow(clippy::cast_possible_truncation)]
    fn from_f64(value: f64) -> Self {
        // `as` saturates, and takes NaN to 0.
        Q16((value * 65536.0).round() as i32)
    }
    fn to_f64(self) -> f64 {
        f64::from(self.0) / 65536.0
    }
    fn abs(self) -> Self {
        Q16(self.0.saturating_abs())
    }
    fn is_finite(self) -> bool {
        true
    }
}

impl Codec for Q16 {
    /// A kind byte of its own, so that no float network loads its blobs:
    /// one of the private range, clear of the runtime's (1 to 4).
    const KIND: u8 = 0xf0;
    const SIZE: usize = 4;

    fn write_le(self, out: &mut [u8]) {
        if let Some(out) = out.first_chunk_mut() {
            *out = self.0.to_le_bytes();
        }
    }
    fn read_le(bytes: &[u8]) -> Option<Self> {
        bytes.first_chunk().map(|b| Q16(i32::from_le_bytes(*b)))
    }
}

fn q(v: f64) -> Q16 {
    Q16::from_f64(v)
}

fn qs<const N: usize>(values: [f64; N]) -> [Q16; N] {
    values.map(q)
}

#[test]
fn the_toy_scalar_is_exact_where_it_should_be() {
    assert_eq!(q(1.5) * q(-2.0), q(-3.0));
    assert_eq!(q(3.0) / q(4.0), q(0.75));
    assert_eq!(q(0.25).to_f64(), 0.25);
    assert_eq!(Q16::ONE.0, 1 << 16);
    // Saturating, not wrapping.
    assert_eq!(q(30_000.0) * q(30_000.0), Q16(i32::MAX));
    assert_eq!(-Q16(i32::MIN), Q16(i32::MAX));
    assert_eq!(q(1.0) / Q16::ZERO, Q16(i32::MAX));
    assert_eq!(q(1e12), Q16(i32::MAX));
    assert_eq!(q(-2.5).to_string(), "-2.5");
}

#[test]
fn piecewise_linear_activations_and_their_derivatives() {
    for x in [-7.0, -1.0, -0.5, 0.0, 0.25, 1.0, 3.0, 6.0, 9.0] {
        let (x, f) = (q(x), q);
        let xf = x.to_f64();
        assert_eq!(Linear.f(x), x);
        assert_eq!(Linear.df(x, x), Q16::ONE);
        assert_eq!(Relu.f(x), f(xf.max(0.0)));
        let relu_d = if xf > 0.0 { 1.0 } else { 0.0 };
        assert_eq!(Relu.df(x, Relu.f(x)), f(relu_d));
        let leaky = LeakyRelu::new(0.25);
        assert_eq!(leaky.f(x), f(if xf > 0.0 { xf } else { 0.25 * xf }));
        assert_eq!(
            leaky.df(x, leaky.f(x)),
            f(if xf > 0.0 { 1.0 } else { 0.25 })
        );
        assert_eq!(Relu6.f(x), f(xf.clamp(0.0, 6.0)));
        let inside6 = if xf > 0.0 && xf < 6.0 { 1.0 } else { 0.0 };
        assert_eq!(Relu6.df(x, Relu6.f(x)), f(inside6));
        assert_eq!(Hardtanh.f(x), f(xf.clamp(-1.0, 1.0)));
        let inside1 = if xf > -1.0 && xf < 1.0 { 1.0 } else { 0.0 };
        assert_eq!(Hardtanh.df(x, Hardtanh.f(x)), f(inside1));
    }
    // The activations' init schemes are the same for every scalar.
    assert_eq!(<Relu as Activation<Q16>>::INIT, Scheme::He);
    assert_eq!(<Hardtanh as Activation<Q16>>::INIT, Scheme::Glorot);
}

#[test]
fn squared_error_losses_and_their_gradients() {
    let (p, t) = (qs([2.5, -1.0]), qs([3.0, 1.0]));
    // 1/2 (0.25 + 4) and (p - t).
    assert_eq!(HalfSquaredError.loss(&p, &t), q(2.125));
    assert_eq!(HalfSquaredError.gradient(&p, &t), qs([-0.5, -2.0]));
    // 1/2 (0.25 + 4) again, and 2 (p - t) / 2.
    assert_eq!(MeanSquaredError.loss(&p, &t), q(2.125));
    assert_eq!(MeanSquaredError.gradient(&p, &t), qs([-0.5, -2.0]));
    // The chain rule through a ReLU output: the negative unit passes nothing.
    let pre = qs([2.5, -1.0]);
    let out = pre.map(|z| Relu.f(z));
    assert_eq!(
        HalfSquaredError.output_delta(&Relu, &pre, &out, &t),
        qs([-0.5, 0.0])
    );
    // Softmax's Jacobian needs only arithmetic: p (g - p . g).
    let probs = qs([0.25, 0.75]);
    let g = qs([1.0, -1.0]);
    assert_eq!(Softmax.backward(&probs, &g), qs([0.375, -0.375]));
}

#[test]
fn sgd_updates_fixed_point_parameters() {
    let mut params = qs([1.0, 2.0, -0.5]);
    let gradients = qs([0.5, -1.0, 0.25]);
    let mut sgd = Sgd::new(q(0.5));
    sgd.step(&mut params, &gradients);
    assert_eq!(params, qs([0.75, 2.5, -0.625]));
    // One parameter at a time, as a generated train_step does.
    let mut w = q(1.0);
    <Sgd<Q16> as Optimizer<Q16, 1>>::update(&mut sgd, 0, &mut w, q(-2.0));
    assert_eq!(w, q(2.0));
    // Momentum 0.5: v = g, then v = 0.5 v + g.
    let mut momentum = Sgd::new(q(0.25)).with_momentum::<1>(q(0.5));
    let mut p = qs([0.0]);
    momentum.step(&mut p, &qs([1.0]));
    momentum.step(&mut p, &qs([1.0]));
    assert_eq!(momentum.velocity(), &qs([1.5]));
    assert_eq!(p, qs([-0.625]));
    let mut decayed = Sgd::new(q(0.5)).with_weight_decay(q(0.5));
    let mut p = qs([2.0]);
    decayed.step(&mut p, &qs([1.0]));
    assert_eq!(p, qs([1.0]));
    let mut p = qs([1.0, 1.0]);
    sgd_step(&mut p, &qs([4.0, -4.0]), q(0.125));
    assert_eq!(p, qs([0.5, 1.5]));
}

#[test]
fn initialisation_draws_what_the_f64_one_draws_rounded() {
    let (mut w, mut b) = ([[Q16::ZERO; 3]; 4], [Q16::ONE; 4]);
    let (mut wf, mut bf) = ([[0.0_f64; 3]; 4], [1.0_f64; 4]);
    init_dense(&mut w, &mut b, Scheme::He, &mut SplitMix64::new(11));
    init_dense(&mut wf, &mut bf, Scheme::He, &mut SplitMix64::new(11));
    assert_eq!(b, [Q16::ZERO; 4]);
    let limit = Scheme::He.limit(3, 4);
    for (row, row_f) in w.iter().zip(&wf) {
        for (v, vf) in row.iter().zip(row_f) {
            assert_eq!(*v, q(*vf));
            // Within the limit, give or take the rounding to 2^-16.
            assert!(v.abs().to_f64() <= limit + 1.0 / 65536.0);
        }
    }
    // Not all the same draw.
    assert_ne!(w[0][0], w[0][1]);
}

#[test]
fn the_weights_format_round_trips_bit_for_bit() {
    const TEXT: &str = "3 => 1 Linear";
    const N: usize = encoded_len(4, 4, TEXT.len());
    let params = [q(1.5), q(-0.25), Q16(i32::MIN), Q16(1)];
    let blob: [u8; N] = encode(&params, TEXT).unwrap();
    assert_eq!(&blob[..4], b"BPNN");
    assert_eq!(blob[6], 0xf0, "the scalar kind byte is Q16's");
    assert_eq!(blob[33..37], (3_i32 << 15).to_le_bytes());
    assert_eq!(decode::<Q16, 4>(&blob, TEXT), Ok(params));
    // Refused as another architecture, and by an f32 reader by its kind.
    assert_eq!(
        decode::<Q16, 4>(&blob, "3 => 1 ReLU"),
        Err(LoadError::WrongArchitecture {
            expected: "3 => 1 ReLU",
            found: ArchitectureText::new(TEXT.as_bytes())
        })
    );
    assert_eq!(
        decode::<f32, 4>(&blob, TEXT),
        Err(LoadError::WrongScalar {
            expected: 1,
            found: 0xf0
        })
    );
    // And a float blob of the same length is refused by Q16.
    let floats: [u8; N] = encode(&[1.5_f32, -0.25, 0.0, 1.0], TEXT).unwrap();
    assert_eq!(
        decode::<Q16, 4>(&floats, TEXT),
        Err(LoadError::WrongScalar {
            expected: 0xf0,
            found: 1
        })
    );
}

backprop_core::network! {
    /// Piecewise-linear layers only: every pass exists for `Q16`.
    struct Pwl: 2 => 3 ReLU => 2 LeakyReLU(0.25) => 1 Linear;
    /// `Sigmoid` needs `exp`: the struct exists for `Q16`, its passes for floats.
    struct Smooth: 2 => 3 Sigmoid => 1 Linear;
}

/// `Pwl`'s forward pass written out by hand in the flat order of its
/// parameters (`[out][in]` weights, then biases, layer by layer), summing
/// each neuron from its bias as the generated code does.
fn pwl_by_hand(p: &[Q16; 20], x: [Q16; 2]) -> Q16 {
    let layer = |w_at: usize, inputs: &[Q16], outputs: usize, act: &dyn Fn(Q16) -> Q16| {
        let b_at = w_at + inputs.len() * outputs;
        (0..outputs)
            .map(|o| {
                let mut sum = p[b_at + o];
                for (i, x) in inputs.iter().enumerate() {
                    sum += p[w_at + o * inputs.len() + i] * *x;
                }
                act(sum)
            })
            .collect::<Vec<_>>()
    };
    let relu = |z: Q16| if z > Q16::ZERO { z } else { Q16::ZERO };
    let leaky = |z: Q16| if z > Q16::ZERO { z } else { z * q(0.25) };
    let h1 = layer(0, &x, 3, &relu);
    let h2 = layer(9, &h1, 2, &leaky);
    layer(17, &h2, 1, &|z| z)[0]
}

#[test]
fn a_network_of_piecewise_linear_layers_runs_in_fixed_point() {
    let params: [Q16; 20] = core::array::from_fn(|k| q(0.125 * (k as f64 % 7.0) - 0.3));
    let net = Pwl::<Q16>::from_params(params);
    for x in [[0.5, -1.0], [2.0, 0.25], [-1.5, -0.75], [0.0, 0.0]] {
        let x = qs(x);
        assert_eq!(net.forward(&x), [pwl_by_hand(&params, x)], "at {x:?}");
    }
    // Seeded initialisation works too, and gives the f64 draws rounded.
    let seeded = Pwl::<Q16>::with_seed(7);
    let reference = Pwl::<f64>::with_seed(7);
    for (got, want) in seeded.params().iter().zip(reference.params()) {
        assert!(
            (got.to_f64() - want).abs() <= 1.0 / 65536.0,
            "{got:?} vs {want}"
        );
    }
    assert_eq!(Smooth::<Q16>::PARAMS, 13);
    assert_eq!(Smooth::<Q16>::default().params(), &[Q16::ZERO; 13]);
}

#[test]
fn a_fixed_point_network_learns_with_sgd() {
    // y = x0 - 0.5 x1 + 0.25, which the network can represent.
    let data: Vec<([Q16; 2], [Q16; 1])> = (0..16)
        .map(|k| {
            let (a, b) = (f64::from(k % 4) * 0.25 - 0.4, f64::from(k / 4) * 0.25 - 0.3);
            (qs([a, b]), qs([a - 0.5 * b + 0.25]))
        })
        .collect();
    let mut net = Pwl::<Q16>::with_seed(3);
    let mean_loss = |net: &Pwl<Q16>| {
        data.iter()
            .map(|(x, y)| net.loss(x, y, &HalfSquaredError).to_f64())
            .sum::<f64>()
            / 16.0
    };
    let before = mean_loss(&net);
    let mut sgd = Sgd::new(q(0.125));
    for _ in 0..200 {
        for (x, y) in &data {
            net.train_step(x, y, &HalfSquaredError, &mut sgd);
        }
    }
    let after = mean_loss(&net);
    assert!(after < before / 20.0 && after < 1e-3, "{before} -> {after}");
    // The fused training step and the gradient array agree bit for bit.
    let (x, y) = &data[5];
    let mut fused = net;
    let mut stepped = net;
    fused.train_step(x, y, &HalfSquaredError, &mut Sgd::new(q(0.125)));
    let (_, grads) = stepped.loss_and_gradients(x, y, &HalfSquaredError);
    Optimizer::<Q16, 20>::step(
        &mut Sgd::new(q(0.125)),
        stepped.params_mut(),
        grads.params(),
    );
    assert_eq!(fused.params(), stepped.params());
}

#[test]
fn a_fixed_point_network_loads_only_its_own_blobs() {
    let net = Pwl::<Q16>::with_seed(11);
    const N: usize = encoded_len(20, 4, Pwl::<Q16>::ARCHITECTURE.len());
    let blob: [u8; N] = encode(net.params(), Pwl::<Q16>::ARCHITECTURE).unwrap();
    assert_eq!(
        Pwl::<Q16>::from_bytes(&blob).unwrap().params(),
        net.params()
    );
    assert!(Pwl::<f32>::from_bytes(&blob).is_err());
    assert!(Pwl::<Q16>::from_bytes(&Pwl::<f32>::with_seed(11).to_bytes()).is_err());
}
