//! Fixed-point scalars for cores without a floating-point unit:
//! [`Q16_16`] (16 integer bits, 16 fractional bits, in an `i32`) and
//! [`Q8_8`] (8 and 8, in an `i16`).
//!
//! A network computes in them as in a float, `Net::<Q16_16>`, with the
//! same forward pass, backward pass, `train_step`, `try_train_step`, ...
//! Every operation is integer arithmetic, so a fixed-point network gives
//! the same bits on every target, and a core with no FPU (Cortex-M0, M3)
//! runs it without soft-float calls.
//!
//! ```
//! use backprop_core::fixed::Q16_16;
//! use backprop_core::loss::HalfSquaredError;
//! use backprop_core::network;
//! use backprop_core::optim::Sgd;
//!
//! network! {
//!     struct Net: 2 => 4 Tanh => 1 Sigmoid;
//! }
//!
//! let q = Q16_16::from_f64;
//! let mut net = Net::<Q16_16>::with_seed(7);
//! let mut sgd = Sgd::new(q(0.5));
//! let (x, t) = ([q(1.0), q(-0.5)], [q(1.0)]);
//! let before = net.loss(&x, &t, &HalfSquaredError);
//! for _ in 0..20 {
//!     net.train_step(&x, &t, &HalfSquaredError, &mut sgd);
//! }
//! assert!(net.loss(&x, &t, &HalfSquaredError) < before);
//! ```
//!
//! # Arithmetic, overflow and saturation
//!
//! | type | bits | range | resolution (1 LSB) | kind byte |
//! |---|---|---|---|---|
//! | [`Q16_16`] | `i32`, 16.16 | `[-32768, 32768 - 2^-16]` | `2^-16 ~ 1.53e-5` | 3 |
//! | [`Q8_8`] | `i16`, 8.8 | `[-128, 128 - 2^-8]` | `2^-8 ~ 3.91e-3` | 4 |
//!
//! - `+`, `-` and unary `-` saturate at the bounds, never wrap (`-MIN` is
//!   `MAX`).
//! - `*` computes the exact double-width product and rounds it to nearest,
//!   ties up (towards `+inf`), then saturates.
//! - `/` rounds to nearest, ties away from zero, then saturates; `x / 0` is
//!   `MAX` for `x > 0`, `MIN` for `x < 0` and `0` for `x = 0`.
//! - `from_f64` rounds to nearest, ties away from zero, saturates out of
//!   range and takes NaN to 0.
//! - A sum is the same left-to-right chain of saturating additions in
//!   every unroll form and weight layout, so its bits are the same
//!   everywhere (saturation makes the order matter, and the order is the
//!   one written in the generated code).
//!
//! **The saturation rule of the checked steps.** A value *at* a bound
//! (`MIN` or `MAX`) is what a saturated operation leaves, so
//! [`Scalar::is_finite`] is `false` for it, and `true` for every other
//! value. The checked training steps (`try_train_step`, `try_train_batch`,
//! `try_train_epoch`) therefore refuse, with the parameters and the
//! optimizer state left bit for bit as they were, a step whose input,
//! target, loss or gradient is at a bound, or whose update would take a
//! parameter (or a momentum) to a bound. The unchecked steps saturate and
//! go on. [`convert`] and serde refuse such values too.
//!
//! # What is available
//!
//! - **Activations**: `Linear`, `ReLU`, `LeakyReLU`, `ReLU6`, `Hardtanh`
//!   exactly (comparisons and one multiplication); `Sigmoid` and `Tanh`
//!   from one 385-entry table of the sigmoid (770 bytes, step `1/32` on
//!   `[0, 12]`) with linear interpolation, `tanh(x) = 2 s(2x) - 1`;
//!   `Softmax` through a fixed-point `e^x` ([`crate::activation::SoftmaxScalar`]).
//!   Their error bounds, each checked by the tests over the whole input
//!   range (every `Q8_8` value; every `Q16_16` value in `[-16, 16]` and a
//!   sweep beyond):
//!
//!   | activation | `Q16_16` | `Q8_8` |
//!   |---|---|---|
//!   | `Sigmoid` | 1.1 LSB | 0.51 LSB |
//!   | `Tanh` | 1.7 LSB | 0.51 LSB |
//!   | `Softmax` (each probability) | 0.51 LSB | 0.51 LSB |
//!
//!   Their derivatives are `y (1 - y)` and `1 - y^2` in the type's
//!   arithmetic. `SiLU`, `GELU`, `GELU(tanh)`, `ELU` and `Softplus` have no
//!   fixed-point form: they implement `Activation<T>` for floats only, so
//!   naming one in a network used as `Net<Q16_16>` is a compile error
//!   ("`Silu` is not an activation for the scalar type `Q16_16`"), never a
//!   silent approximation.
//! - **Losses**: [`HalfSquaredError`](crate::loss::HalfSquaredError) and
//!   [`MeanSquaredError`](crate::loss::MeanSquaredError). `CrossEntropy`
//!   and `BinaryCrossEntropy` need a logarithm and are for floats: using
//!   one with a fixed-point network is a compile error naming the loss and
//!   the scalar.
//! - **Optimizers**: [`Sgd`](crate::optim::Sgd) with momentum, dampening,
//!   Nesterov and weight decay. [`Adam`](crate::optim::Adam) needs
//!   [`Float`](crate::Float) (a square root, and an epsilon): in `Q16_16`
//!   its default epsilon `1e-8` is below the resolution `1.5e-5` and
//!   rounds to 0, and the second moment `v = g^2` of a gradient below
//!   `2^-8 ~ 0.0039` underflows to 0, so the step `m / (sqrt(v) + eps)`
//!   would divide by zero and saturate; `Q8_8` is worse. `Adam<Q16_16>`
//!   is therefore a compile error rather than an optimizer that saturates
//!   parameters.
//! - **Weights**: a blob records kind byte 3 (`Q16_16`) or 4 (`Q8_8`) and
//!   the raw little-endian integers; a float network refuses it
//!   ([`LoadError::WrongScalar`](crate::LoadError::WrongScalar)) and a
//!   fixed-point network refuses a float blob. [`convert`] turns float
//!   parameters into fixed-point ones (and back), refusing a value out of
//!   range.
//!
//! A transcendental activation without a fixed-point form does not compile
//! for a fixed-point network:
//!
//! ```compile_fail,E0599
//! use backprop_core::fixed::Q16_16;
//!
//! backprop_core::network! {
//!     struct Net: 2 => 4 SiLU => 1 Linear;
//! }
//! let net = Net::<Q16_16>::with_seed(1);
//! let _ = net.forward(&[Q16_16::ONE; 2]);
//! ```
//!
//! Nor does Adam, nor a cross-entropy loss:
//!
//! ```compile_fail,E0277
//! use backprop_core::fixed::Q16_16;
//! use backprop_core::optim::{Adam, Optimizer};
//!
//! let mut adam = Adam::<Q16_16, 1>::new(Q16_16::from_f64(0.01));
//! adam.step(&mut [Q16_16::ONE], &[Q16_16::ONE]);
//! ```
//!
//! ```compile_fail,E0277
//! use backprop_core::fixed::Q16_16;
//! use backprop_core::loss::{BinaryCrossEntropy, Loss};
//!
//! let _ = BinaryCrossEntropy.loss(&[Q16_16::ONE], &[Q16_16::ONE]);
//! ```

use core::cmp::Ordering;
use core::fmt;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::activation::{Activation, Sigmoid, SoftmaxScalar, Tanh};
use crate::{Codec, Scalar};

/// Why [`convert`] refused: the parameter at `index` has no faithful value
/// in the target type (out of its range, at a fixed-point bound, infinite
/// or NaN).
///
/// # Examples
///
/// ```
/// use backprop_core::fixed::{OutOfRange, Q8_8, convert};
///
/// let err = convert::<f32, Q8_8, 2>(&[0.5, 300.0]).unwrap_err();
/// assert_eq!(err, OutOfRange { index: 1, value: 300.0 });
/// assert!(err.to_string().contains("300"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutOfRange {
    /// The flat index of the parameter.
    pub index: usize,
    /// Its value, as `f64`.
    pub value: f64,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "parameter {} is {}, which the target scalar type cannot hold",
            self.index, self.value
        )
    }
}

impl core::error::Error for OutOfRange {}

/// The parameters `params` of one scalar type in another, each rounded to
/// nearest: float to fixed point, fixed point to float, or between two
/// fixed-point types. Feed the result to `Net::<B>::from_params`.
///
/// # Errors
///
/// [`OutOfRange`] for the first parameter that is not finite in `A`
/// (a float's NaN or infinity, a fixed-point value at a bound) or whose
/// value `B` cannot hold (it would saturate, or overflow to infinity); no
/// array is returned then.
///
/// # Examples
///
/// ```
/// use backprop_core::fixed::{Q16_16, convert};
/// use backprop_core::network;
///
/// network! {
///     struct Net: 2 => 3 ReLU => 1 Linear;
/// }
///
/// let float = Net::<f32>::with_seed(3);
/// let fixed = Net::<Q16_16>::from_params(convert(float.params())?);
/// let x = [0.5, -0.25];
/// let y = float.forward(&x)[0];
/// let yq = fixed.forward(&x.map(|v| Q16_16::from_f64(v.into())))[0];
/// assert!((y as f64 - yq.to_f64()).abs() < 1e-3);
/// // And back.
/// let again: [f32; 13] = convert(fixed.params())?;
/// assert!(again.iter().zip(float.params()).all(|(a, b)| (a - b).abs() < 1e-4));
/// # Ok::<(), backprop_core::fixed::OutOfRange>(())
/// ```
pub fn convert<A: Scalar, B: Scalar, const P: usize>(
    params: &[A; P],
) -> Result<[B; P], OutOfRange> {
    let mut out = [B::ZERO; P];
    for (index, (o, p)) in out.iter_mut().zip(params).enumerate() {
        let value = p.to_f64();
        let converted = B::from_f64(value);
        if !p.is_finite() || !converted.is_finite() {
            return Err(OutOfRange { index, value });
        }
        *o = converted;
    }
    Ok(out)
}

macro_rules! fixed_type {
    (
        $(#[$doc:meta])*
        $name:ident, $repr:ty, $wide:ty, $frac:literal, $kind:literal, $size:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($repr);

        impl $name {
            /// The number of fractional bits.
            pub const FRAC_BITS: u32 = $frac;
            /// `0`.
            pub const ZERO: Self = Self(0);
            /// `1`.
            pub const ONE: Self = Self(1 << $frac);
            /// The smallest value, a bound: not finite for
            /// [`Scalar::is_finite`] (see the [module docs](self)).
            pub const MIN: Self = Self(<$repr>::MIN);
            /// The largest value, a bound: not finite for
            /// [`Scalar::is_finite`].
            pub const MAX: Self = Self(<$repr>::MAX);
            /// The resolution, one least significant bit: `2^-FRAC_BITS`.
            pub const DELTA: Self = Self(1);

            /// The value whose raw integer is `bits` (`bits / 2^FRAC_BITS`).
            #[inline]
            #[must_use]
            pub const fn from_bits(bits: $repr) -> Self {
                Self(bits)
            }

            /// The raw integer, `self * 2^FRAC_BITS`.
            #[inline]
            #[must_use]
            pub const fn to_bits(self) -> $repr {
                self.0
            }

            /// Rounds `value` to nearest (ties away from zero); saturates
            /// out of range, and takes NaN to 0.
            #[inline]
            #[must_use]
            #[allow(clippy::cast_possible_truncation)]
            pub fn from_f64(value: f64) -> Self {
                // `as` saturates, and takes NaN to 0.
                Self(libm::round(value * f64::from(1_u32 << $frac)) as $repr)
            }

            /// The value as `f64`, exactly.
            #[inline]
            #[must_use]
            pub fn to_f64(self) -> f64 {
                f64::from(self.0) / f64::from(1_u32 << $frac)
            }

            /// The little-endian bytes of the raw integer, as a blob stores
            /// them.
            #[inline]
            #[must_use]
            pub const fn to_le_bytes(self) -> [u8; $size] {
                self.0.to_le_bytes()
            }

            /// The value from the little-endian bytes of its raw integer.
            #[inline]
            #[must_use]
            pub const fn from_le_bytes(bytes: [u8; $size]) -> Self {
                Self(<$repr>::from_le_bytes(bytes))
            }

            /// Narrows a double-width raw value, saturating.
            #[inline]
            #[allow(clippy::cast_possible_truncation)]
            const fn saturate(wide: $wide) -> Self {
                if wide > <$repr>::MAX as $wide {
                    Self::MAX
                } else if wide < <$repr>::MIN as $wide {
                    Self::MIN
                } else {
                    Self(wide as $repr)
                }
            }
        }

        impl fmt::Display for $name {
            /// The exact value, as `f64` prints it (the formatter's
            /// precision applies).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.to_f64(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.to_f64(), f)
            }
        }

        impl Add for $name {
            type Output = Self;
            #[inline]
            fn add(self, rhs: Self) -> Self {
                Self(self.0.saturating_add(rhs.0))
            }
        }

        impl Sub for $name {
            type Output = Self;
            #[inline]
            fn sub(self, rhs: Self) -> Self {
                Self(self.0.saturating_sub(rhs.0))
            }
        }

        impl Mul for $name {
            type Output = Self;
            /// The exact product, rounded to nearest, ties up; saturating.
            #[inline]
            fn mul(self, rhs: Self) -> Self {
                let product = <$wide>::from(self.0) * <$wide>::from(rhs.0);
                Self::saturate((product + (1 << ($frac - 1))) >> $frac)
            }
        }

        impl Div for $name {
            type Output = Self;
            /// The quotient rounded to nearest, ties away from zero;
            /// saturating, and `MAX`, `MIN` or 0 for a zero divisor.
            #[inline]
            fn div(self, rhs: Self) -> Self {
                let (n, d) = (<$wide>::from(self.0) << $frac, <$wide>::from(rhs.0));
                if d == 0 {
                    return match self.0.cmp(&0) {
                        Ordering::Greater => Self::MAX,
                        Ordering::Less => Self::MIN,
                        Ordering::Equal => Self::ZERO,
                    };
                }
                let q = (n.abs() + d.abs() / 2) / d.abs();
                Self::saturate(if (n < 0) != (d < 0) { -q } else { q })
            }
        }

        impl Neg for $name {
            type Output = Self;
            #[inline]
            fn neg(self) -> Self {
                Self(self.0.saturating_neg())
            }
        }

        impl AddAssign for $name {
            #[inline]
            fn add_assign(&mut self, rhs: Self) {
                *self = *self + rhs;
            }
        }

        impl SubAssign for $name {
            #[inline]
            fn sub_assign(&mut self, rhs: Self) {
                *self = *self - rhs;
            }
        }

        impl MulAssign for $name {
            #[inline]
            fn mul_assign(&mut self, rhs: Self) {
                *self = *self * rhs;
            }
        }

        impl DivAssign for $name {
            #[inline]
            fn div_assign(&mut self, rhs: Self) {
                *self = *self / rhs;
            }
        }

        impl Scalar for $name {
            const ZERO: Self = Self(0);
            const ONE: Self = Self(1 << $frac);
            const EMPTY_SUM: Self = Self(0);
            const NAME: &'static str = stringify!($name);

            #[inline]
            fn from_f64(value: f64) -> Self {
                $name::from_f64(value)
            }
            #[inline]
            fn to_f64(self) -> f64 {
                $name::to_f64(self)
            }
            #[inline]
            fn abs(self) -> Self {
                Self(self.0.saturating_abs())
            }
            /// `false` at a bound (`MIN`, `MAX`), where a saturated
            /// result lands; see the [module docs](self).
            #[inline]
            fn is_finite(self) -> bool {
                self.0 != <$repr>::MIN && self.0 != <$repr>::MAX
            }
        }

        impl Codec for $name {
            const KIND: u8 = $kind;
            const SIZE: usize = $size;

            #[inline]
            fn write_le(self, out: &mut [u8]) {
                if let Some(out) = out.first_chunk_mut() {
                    *out = self.to_le_bytes();
                }
            }
            #[inline]
            fn read_le(bytes: &[u8]) -> Option<Self> {
                bytes.first_chunk().map(|b| Self::from_le_bytes(*b))
            }
        }

        impl Activation<$name> for Sigmoid {
            const NAME: &'static str = "Sigmoid";
            const LOGISTIC: bool = true;

            /// From the interpolated table; see the [module docs](self)
            /// for the bound.
            #[inline]
            fn f(&self, x: $name) -> $name {
                $name(sigmoid_raw(to_q16(x.0, $frac), $frac) as $repr)
            }

            #[inline]
            fn df(&self, _x: $name, y: $name) -> $name {
                y * ($name::ONE - y)
            }
        }

        impl Activation<$name> for Tanh {
            const NAME: &'static str = "Tanh";

            /// `2 s(2x) - 1` from the sigmoid's table; see the
            /// [module docs](self) for the bound.
            #[inline]
            fn f(&self, x: $name) -> $name {
                $name(tanh_raw(to_q16(x.0, $frac), $frac) as $repr)
            }

            #[inline]
            fn df(&self, _x: $name, y: $name) -> $name {
                $name::ONE - y * y
            }
        }

        impl SoftmaxScalar for $name {
            /// Through the fixed-point `e^x` of the module, each
            /// probability rounded once; see the [module docs](self).
            #[inline]
            fn softmax<const N: usize>(z: &[Self; N]) -> [Self; N] {
                let mut out = [Self::ZERO; N];
                let Some(max) = z.iter().max() else {
                    return out;
                };
                let mut e = [0_u64; N];
                let mut sum = 0_u64;
                for (e, v) in e.iter_mut().zip(z) {
                    let d = i64::from(max.0) - i64::from(v.0);
                    *e = exp_neg(d << (16 - $frac));
                    sum += *e;
                }
                for (o, e) in out.iter_mut().zip(e) {
                    // 0 <= e <= sum, so the quotient is in [0, ONE].
                    *o = Self::saturate((((e << $frac) + sum / 2) / sum) as $wide);
                }
                out
            }
        }
    };
}

fixed_type! {
    /// A signed fixed-point number with 16 integer and 16 fractional bits,
    /// in an `i32`: range `[-32768, 32768 - 2^-16]`, resolution
    /// `2^-16 ~ 1.53e-5`, saturating (the [module docs](self) give the
    /// rules).
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::fixed::Q16_16;
    ///
    /// let q = Q16_16::from_f64;
    /// assert_eq!(q(1.5) * q(-2.0), q(-3.0));
    /// assert_eq!(q(3.0) / q(4.0), q(0.75));
    /// assert_eq!(Q16_16::ONE.to_bits(), 1 << 16);
    /// assert_eq!(q(0.1).to_f64(), 6554.0 / 65536.0);
    /// // Saturating, not wrapping.
    /// assert_eq!(q(30_000.0) + q(30_000.0), Q16_16::MAX);
    /// assert_eq!(-Q16_16::MIN, Q16_16::MAX);
    /// assert_eq!(q(-2.5).to_string(), "-2.5");
    /// ```
    Q16_16, i32, i64, 16, 3, 4
}

fixed_type! {
    /// A signed fixed-point number with 8 integer and 8 fractional bits, in
    /// an `i16`: range `[-128, 128 - 2^-8]`, resolution `2^-8 ~ 3.91e-3`,
    /// saturating (the [module docs](self) give the rules).
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::fixed::Q8_8;
    ///
    /// let q = Q8_8::from_f64;
    /// assert_eq!(q(1.5) * q(-2.0), q(-3.0));
    /// assert_eq!(Q8_8::ONE.to_bits(), 256);
    /// assert_eq!(q(100.0) * q(2.0), Q8_8::MAX);
    /// assert_eq!(q(1000.0), Q8_8::MAX);
    /// ```
    Q8_8, i16, i32, 8, 4, 2
}

/// A raw fixed-point value with `frac` fractional bits as a Q16.16 raw
/// value (exact for `frac <= 16`, saturating beyond `i32`).
#[inline]
fn to_q16(raw: impl Into<i32>, frac: u32) -> i32 {
    raw.into().saturating_mul(1 << (16 - frac))
}

/// The sigmoid's table: entry `i` is `s(i / 32) - 1/2` in units of
/// `2^-17`, for `i` in `0..=384` (`x` in `[0, 12]`), raised by half the
/// chord error of linear interpolation there, `h^2 |s''| / 16`, so that the
/// interpolant's error is balanced around zero. Computed at compile time
/// in `f64` (IEEE arithmetic, the same on every host).
static SIGMOID_TABLE: [u16; SIGMOID_NODES] = sigmoid_table();

/// The number of table nodes: `[0, 12]` in steps of `1/32`.
const SIGMOID_NODES: usize = 385;
/// `log2` of the table's step in Q16.16 units (`1/32` is `2^11` LSB).
const SIGMOID_STEP_BITS: u32 = 11;

/// `e^-x` for `0 <= x <= 1` by its Taylor series (to well below `f64`'s
/// rounding).
const fn exp_neg_small(x: f64) -> f64 {
    let (mut term, mut sum, mut k) = (1.0, 1.0, 1.0);
    while k < 30.0 {
        term *= -x / k;
        sum += term;
        k += 1.0;
    }
    sum
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
const fn sigmoid_table() -> [u16; SIGMOID_NODES] {
    const H: f64 = 1.0 / 32.0;
    let step = exp_neg_small(H);
    let mut table = [0_u16; SIGMOID_NODES];
    let (mut i, mut e) = (0, 1.0);
    while i < SIGMOID_NODES {
        // e = e^(-i/32), by repeated multiplication: relative error below
        // 1e-13 at the last node.
        let s = 1.0 / (1.0 + e);
        let curvature = s * (1.0 - s) * (2.0 * s - 1.0);
        let value = (s - 0.5 + H * H * curvature / 16.0) * 131_072.0;
        assert!(value >= 0.0 && value < 65_535.5);
        table[i] = (value + 0.5) as u16;
        e *= step;
        i += 1;
    }
    table
}

/// `s(|x|) - 1/2` for a Q16.16 magnitude, in units of `2^-28`, from the
/// table by linear interpolation; `2^27` from 12 on.
#[inline]
fn sigmoid_excess(magnitude: u32) -> u32 {
    let i = (magnitude >> SIGMOID_STEP_BITS) as usize;
    let t = magnitude & ((1 << SIGMOID_STEP_BITS) - 1);
    match (SIGMOID_TABLE.get(i), SIGMOID_TABLE.get(i + 1)) {
        (Some(&lo), Some(&hi)) => {
            u32::from(lo) * ((1 << SIGMOID_STEP_BITS) - t) + u32::from(hi) * t
        }
        _ => 1 << 27,
    }
}

/// `v / 2^shift` rounded to nearest, ties up.
#[inline]
const fn round_shift(v: u32, shift: u32) -> u32 {
    (v + (1 << (shift - 1))) >> shift
}

/// The sigmoid of a Q16.16 raw value, as a raw value with `frac`
/// fractional bits: `1/2 +- round(s(|x|) - 1/2)`, so `s(-x) = 1 - s(x)`
/// exactly.
#[inline]
#[allow(clippy::cast_possible_wrap)]
fn sigmoid_raw(x: i32, frac: u32) -> i32 {
    let excess = round_shift(sigmoid_excess(x.unsigned_abs()), 28 - frac) as i32;
    let half = 1 << (frac - 1);
    if x < 0 { half - excess } else { half + excess }
}

/// `tanh` of a Q16.16 raw value as a raw value with `frac` fractional
/// bits: `tanh(x) = 2 (s(2x) - 1/2)`, odd exactly.
#[inline]
#[allow(clippy::cast_possible_wrap)]
fn tanh_raw(x: i32, frac: u32) -> i32 {
    let doubled = x.unsigned_abs().saturating_mul(2);
    let magnitude = round_shift(sigmoid_excess(doubled), 27 - frac) as i32;
    if x < 0 { -magnitude } else { magnitude }
}

/// `2^31`, one in the units of [`exp_neg`].
const EXP_ONE: u64 = 1 << 31;

/// `e^-n` for `n` in `0..=22`, in units of `2^-31` (0 from `e^-22` on).
static EXP_INTEGER: [u64; 23] = exp_table(1.0);
/// `e^(-j/16)` for `j` in `0..16`, in units of `2^-31`.
static EXP_SIXTEENTHS: [u64; 16] = exp_table(1.0 / 16.0);

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
const fn exp_table<const N: usize>(step: f64) -> [u64; N] {
    let factor = exp_neg_small(step);
    let mut table = [0_u64; N];
    let (mut i, mut e) = (0, 1.0);
    while i < N {
        table[i] = (e * EXP_ONE as f64 + 0.5) as u64;
        e *= factor;
        i += 1;
    }
    table
}

/// `a b / 2^31`, rounded to nearest, for `a, b <= 2^31`.
#[inline]
const fn mul31(a: u64, b: u64) -> u64 {
    (a * b + (1 << 30)) >> 31
}

/// `e^-d` for a Q16.16 raw `d >= 0`, in units of `2^-31` (absolute error
/// below `2^-26`): `e^-n e^(-j/16) e^-r` with `n` the integer part, `j`
/// the next four bits, both from tables, and `e^-r`, `r < 1/16`, by its
/// Taylor polynomial of degree 4 in Horner form.
#[inline]
#[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
fn exp_neg(d: i64) -> u64 {
    let d = d.max(0) as u64;
    let Some(&whole) = EXP_INTEGER.get((d >> 16) as usize) else {
        return 0;
    };
    let sixteenths = EXP_SIXTEENTHS[((d >> 12) & 0xf) as usize];
    // r in units of 2^-31: below 2^27.
    let r = (d & 0xfff) << 15;
    let h = EXP_ONE - r / 4;
    let h = EXP_ONE - mul31(r, h) / 3;
    let h = EXP_ONE - mul31(r, h) / 2;
    let h = EXP_ONE - mul31(r, h);
    mul31(mul31(whole, sixteenths), h)
}

#[cfg(feature = "serde")]
mod serde_support {
    use super::{Q8_8, Q16_16};
    use crate::Scalar;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    macro_rules! serde_fixed {
        ($name:ident) => {
            /// As its exact value, a number (`f64`), so the JSON of a
            /// fixed-point network reads like a float one's.
            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_f64(self.to_f64())
                }
            }

            /// From a number, rounded to nearest; a value out of range
            /// (one that would saturate) is an error.
            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = f64::deserialize(deserializer)?;
                    let fixed = $name::from_f64(value);
                    if fixed.is_finite() && value.is_finite() {
                        Ok(fixed)
                    } else {
                        Err(D::Error::custom(format_args!(
                            "{value} is out of the range of {}",
                            stringify!($name)
                        )))
                    }
                }
            }
        };
    }

    serde_fixed!(Q16_16);
    serde_fixed!(Q8_8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_hold_their_end_points() {
        assert_eq!(SIGMOID_TABLE[0], 0);
        // s(12) - 1/2 = 0.4999939, in units of 2^-17.
        assert_eq!(SIGMOID_TABLE[384], 65535);
        assert_eq!(EXP_INTEGER[0], EXP_ONE);
        assert_eq!(EXP_SIXTEENTHS[0], EXP_ONE);
        assert_eq!(exp_neg(0), EXP_ONE);
        assert_eq!(exp_neg(i64::MAX), 0);
    }

    #[test]
    fn exp_neg_is_within_its_bound() {
        let mut d = 0_i64;
        while d < 23 << 16 {
            let want = libm::exp(-(d as f64) / 65536.0) * EXP_ONE as f64;
            let got = exp_neg(d) as f64;
            assert!((got - want).abs() < 32.0, "{d}: {got} vs {want}");
            d += 7;
        }
    }
}
