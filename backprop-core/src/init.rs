//! Deterministic, seeded initialisation.
//!
//! ```text
//! He      (ReLU, LeakyReLU):                w ~ U(-sqrt(6 / fan_in), sqrt(6 / fan_in))
//! Glorot  (Sigmoid, Tanh, Linear, Softmax): w ~ U(-sqrt(6 / (fan_in + fan_out)), ...)
//! biases: 0
//! ```
//!
//! Random numbers come from [`SplitMix64`] and are turned into weights with
//! `f64` arithmetic that is exact or correctly rounded on every target, so a
//! seed gives the same parameters on a laptop and on a microcontroller.
//! Generated networks expose this as `Net::<f32>::with_seed(seed)` (or
//! `Net::<f64>::with_seed(seed)`).

use crate::Scalar;

/// SplitMix64: a small, fast, well-mixed 64-bit generator, enough for
/// initialisation and shuffling (not for cryptography).
///
/// # Examples
///
/// ```
/// use backprop_core::init::SplitMix64;
///
/// let mut a = SplitMix64::new(42);
/// let mut b = SplitMix64::new(42);
/// assert_eq!(a.next_u64(), b.next_u64());
/// let u = a.next_f64();
/// assert!((0.0..1.0).contains(&u));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started from `seed`.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let bits = (self.next_u64() >> 11) as f64;
        bits * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// How a layer's weights are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// He (Kaiming) uniform, for the ReLU family.
    He,
    /// Glorot (Xavier) uniform, for sigmoid, tanh, linear and softmax layers.
    Glorot,
}

impl Scheme {
    /// The half-width of the uniform distribution for a layer.
    #[must_use]
    pub fn limit(self, fan_in: usize, fan_out: usize) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let fan = match self {
            Self::He => fan_in as f64,
            Self::Glorot => (fan_in + fan_out) as f64,
        };
        libm::sqrt(6.0 / fan)
    }
}

/// Fills `weights` from `rng` under `scheme` and zeroes `bias`.
///
/// # Examples
///
/// ```
/// use backprop_core::init::{Scheme, SplitMix64, init_dense};
///
/// let mut w = [[0.0_f32; 4]; 3];
/// let mut b = [1.0_f32; 3];
/// init_dense(&mut w, &mut b, Scheme::He, &mut SplitMix64::new(1));
/// let limit = Scheme::He.limit(4, 3) as f32;
/// assert!(w.as_flattened().iter().all(|v| v.abs() <= limit));
/// assert_eq!(b, [0.0; 3]);
/// ```
pub fn init_dense<T: Scalar, const IN: usize, const OUT: usize>(
    weights: &mut [[T; IN]; OUT],
    bias: &mut [T; OUT],
    scheme: Scheme,
    rng: &mut SplitMix64,
) {
    crate::__private::dense::init::<T, crate::__private::OutputMajor, IN, OUT>(
        weights, bias, scheme, rng,
    );
}

/// One draw, uniform in `[-limit, limit)`, computed in `f64` and then
/// rounded to `T` (the same value on every target).
pub(crate) fn uniform<T: Scalar>(rng: &mut SplitMix64, limit: f64) -> T {
    T::from_f64((2.0 * rng.next_f64() - 1.0) * limit)
}
