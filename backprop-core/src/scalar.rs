//! The number type a network computes in, in three traits: [`Scalar`]
//! (what every number type has), [`Float`] (what IEEE floats add) and
//! [`Codec`] (how a scalar is stored in a weights blob).

use core::fmt::{Debug, Display};
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A number a network can compute in: what every scalar type has, float or
/// not.
///
/// This is arithmetic, comparisons, the constants `0`, `1` and the
/// [`EMPTY_SUM`](Scalar::EMPTY_SUM) every sum starts from, conversion from
/// and to `f64`, `abs` and `is_finite`. It is all the runtime items need
/// that use no transcendental function: the [`Linear`](crate::activation::Linear),
/// [`Relu`](crate::activation::Relu), [`LeakyRelu`](crate::activation::LeakyRelu),
/// [`Relu6`](crate::activation::Relu6) and
/// [`Hardtanh`](crate::activation::Hardtanh) activations, the squared-error
/// losses, [`Sgd`](crate::optim::Sgd), initialisation, the dense kernels
/// and the [`Network`](crate::Network) trait's training algorithms. What IEEE
/// floats add is [`Float`]; how a scalar is stored in a weights blob is
/// [`Codec`]. `f32` (the default of every generated network) and `f64`
/// implement all three.
///
/// A fixed-point type (no NaN, no infinity, saturating arithmetic) can
/// implement this trait and [`Codec`] without [`Float`].
///
/// # Examples
///
/// ```
/// use backprop_core::Scalar;
///
/// fn half<T: Scalar>(x: T) -> T {
///     x * T::from_f64(0.5)
/// }
/// assert_eq!(half(3.0_f32), 1.5);
/// assert_eq!(half(3.0_f64), 1.5);
/// assert_eq!(f32::ONE + f32::ZERO, 1.0);
///
/// /// A dot product, summed from the identity of addition.
/// fn dot<T: Scalar>(a: &[T], b: &[T]) -> T {
///     let mut sum = T::EMPTY_SUM;
///     for (x, y) in a.iter().zip(b) {
///         sum += *x * *y;
///     }
///     sum
/// }
/// assert_eq!(dot(&[1.0_f64, 2.0], &[3.0, 4.0]), 11.0);
/// // -0.0, not +0.0: the same bits as `(-0.0) * 1.0`, the one term alone.
/// assert!(dot(&[-0.0_f32], &[1.0]).is_sign_negative());
/// ```
pub trait Scalar:
    Copy
    + Default
    + PartialEq
    + PartialOrd
    + Debug
    + Display
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// `0`.
    const ZERO: Self;
    /// `1`.
    const ONE: Self;
    /// The value a sum of no terms starts from, the identity of addition:
    /// `EMPTY_SUM + x == x` bit for bit, for every `x`. Every sum of the
    /// runtime starts from it, so a sum is bit for bit the straight-line
    /// `x0 + x1 + ...` of its terms.
    ///
    /// For IEEE floats it is `-0.0` ([`Float::NEG_ZERO`]), not `0.0`:
    /// `0.0 + -0.0` is `+0.0`, so a sum started from `0.0` would lose the
    /// sign of a `-0.0` result. For a type with one zero (fixed point,
    /// integers) it is [`Scalar::ZERO`].
    const EMPTY_SUM: Self;
    /// A short name of the type, `"f32"` or `"f64"`: what
    /// [`Summary`](crate::Summary) prints.
    const NAME: &'static str;

    /// Converts from `f64`, rounding to nearest (a type with a narrower
    /// range saturates or wraps as it documents).
    fn from_f64(value: f64) -> Self;
    /// Converts to `f64` (exact for `f32` and `f64`).
    fn to_f64(self) -> f64;
    /// The absolute value.
    fn abs(self) -> Self;
    /// `true` unless `self` is infinite or NaN; always `true` for a type
    /// that has neither (fixed point). The checked training steps
    /// (`try_train_step`, `try_train_batch`) refuse what is not finite.
    fn is_finite(self) -> bool;
}

/// What an IEEE 754 floating-point [`Scalar`] adds: `-0`, NaN, and the
/// transcendental functions of the activations that need them
/// ([`Sigmoid`](crate::activation::Sigmoid), [`Tanh`](crate::activation::Tanh),
/// [`Softmax`](crate::activation::Softmax), [`Silu`](crate::activation::Silu),
/// [`Gelu`](crate::activation::Gelu), [`GeluTanh`](crate::activation::GeluTanh),
/// [`Elu`](crate::activation::Elu), [`Softplus`](crate::activation::Softplus)),
/// of the cross-entropy losses and of [`Adam`](crate::optim::Adam).
///
/// The arithmetic operators are IEEE 754 `+ - * /`, which every target computes
/// bit for bit alike. The transcendental functions go through the pure-Rust
/// [`libm`] crate, never the platform's C library, and the `fast_*` ones for
/// `f32` are built from IEEE arithmetic alone ([`crate::fast`]), so a network
/// gives the same bits on a laptop and on a microcontroller.
///
/// # Examples
///
/// ```
/// use backprop_core::Float;
///
/// /// The logistic sigmoid, for any float.
/// fn logistic<T: Float>(x: T) -> T {
///     T::ONE / (T::ONE + (-x).exp())
/// }
/// assert_eq!(logistic(0.0_f32), 0.5);
/// assert!((logistic(1.0_f64) - 0.7310585786300049).abs() < 1e-15);
/// assert!(logistic(f64::NAN).is_nan());
/// assert_eq!(f32::NEG_ZERO.to_bits(), 0x8000_0000);
/// ```
pub trait Float: Scalar {
    /// `-0`, the identity of addition (`-0 + x == x` bit for bit, for every
    /// `x`); [`Scalar::EMPTY_SUM`] for floats.
    const NEG_ZERO: Self;

    /// `true` if `self` is NaN.
    fn is_nan(self) -> bool;
    /// `e^self`, through `libm`.
    fn exp(self) -> Self;
    /// The natural logarithm, through `libm`.
    fn ln(self) -> Self;
    /// The hyperbolic tangent, through `libm`.
    fn tanh(self) -> Self;
    /// `ln(1 + self)`, accurate near 0, through `libm`.
    fn ln_1p(self) -> Self;
    /// The square root (IEEE, correctly rounded).
    fn sqrt(self) -> Self;
    /// The hyperbolic tangent the [`Tanh`](crate::activation::Tanh)
    /// activation uses: for `f32` the deterministic rational approximation
    /// [`fast::tanh_f32`](crate::fast::tanh_f32) (error below `5e-7`, several
    /// times faster), for `f64` `libm`'s, at full accuracy. The default is
    /// [`Float::tanh`].
    #[inline]
    fn fast_tanh(self) -> Self {
        self.tanh()
    }
    /// `e^self` as the [`Sigmoid`](crate::activation::Sigmoid) and
    /// [`Softmax`](crate::activation::Softmax) activations compute it: for
    /// `f32` the deterministic [`fast::exp_f32`](crate::fast::exp_f32)
    /// (relative error below `2e-7`, and about 180 bytes of code on a
    /// Cortex-M4F against 460 for `libm`'s `expf`), for `f64` `libm`'s, at
    /// full accuracy. The default is [`Float::exp`].
    #[inline]
    fn fast_exp(self) -> Self {
        self.exp()
    }
    /// `e^self - 1`, accurate near 0, as the [`Elu`](crate::activation::Elu)
    /// activation computes it: for `f32` the deterministic
    /// [`fast::expm1_f32`](crate::fast::expm1_f32) (relative error below
    /// `2e-7`), for `f64` `libm`'s `expm1`, at full accuracy. The default
    /// is Kahan's `(u - 1) x / ln(u)` with `u` = [`Float::exp`], a few ulp
    /// from `e^x - 1` everywhere.
    #[inline]
    fn fast_exp_m1(self) -> Self {
        expm1_kahan(self)
    }
    /// `ln(1 + e^self)`, the softplus, as the
    /// [`Softplus`](crate::activation::Softplus) activation computes it
    /// (without its threshold): for `f32` the deterministic
    /// [`fast::softplus_f32`](crate::fast::softplus_f32) (relative error
    /// below `3.2e-7`), for `f64` `max(x, 0) + ln(1 + e^-|x|)` through
    /// `libm`, at full accuracy. The default is the same formula with
    /// [`Float::exp`] and [`Float::ln_1p`].
    #[inline]
    fn fast_softplus(self) -> Self {
        softplus(self)
    }
    /// `self Phi(self)`, the Gaussian error linear unit, with `Phi` the
    /// standard normal distribution function, as the
    /// [`Gelu`](crate::activation::Gelu) activation computes it: for `f32`
    /// the deterministic [`fast::gelu_f32`](crate::fast::gelu_f32)
    /// (relative error below `6e-7`, also far out on the negative side), for
    /// `f64` `0.5 x erfc(-x / sqrt 2)` through `libm`, corrected for the
    /// rounding of `x / sqrt 2` (within 4 ulp). The default is that `f64`
    /// form, rounded to `Self`.
    #[inline]
    fn fast_gelu(self) -> Self {
        Self::from_f64(gelu_f64(self.to_f64()))
    }
}

/// How a [`Scalar`] is stored in the weights format ([`crate::weights`]):
/// its kind byte in the header, and each value as `SIZE` little-endian
/// bytes. A network's `from_bytes` and `load_bytes` need it, and nothing
/// else does.
///
/// # Examples
///
/// ```
/// use backprop_core::Codec;
///
/// let mut out = [0_u8; 4];
/// 1.0_f32.write_le(&mut out);
/// assert_eq!(out, [0x00, 0x00, 0x80, 0x3f]);
/// assert_eq!(f32::read_le(&out), Some(1.0));
/// assert_eq!((f32::KIND, f32::SIZE), (1, 4));
/// assert_eq!((f64::KIND, f64::SIZE), (2, 8));
/// ```
pub trait Codec: Scalar {
    /// The scalar kind byte of the weights format: 1 for `f32`, 2 for
    /// `f64`. A blob of another kind is refused
    /// ([`LoadError::WrongScalar`](crate::LoadError::WrongScalar)), so
    /// every scalar type needs a byte of its own.
    const KIND: u8;
    /// The number of bytes of one value in a blob (`size_of::<Self>()` for
    /// `f32` and `f64`). Not 0.
    const SIZE: usize;
    /// Writes `self` as its little-endian bytes (IEEE 754 for floats) into
    /// the first [`SIZE`](Codec::SIZE) bytes of `out`; writes nothing if
    /// `out` is shorter.
    fn write_le(self, out: &mut [u8]);
    /// Reads a value from its first [`SIZE`](Codec::SIZE) little-endian
    /// bytes, bit for bit (NaN payloads included); `None` if `bytes` is
    /// shorter.
    fn read_le(bytes: &[u8]) -> Option<Self>;
}

/// `e^x - 1` from `e^x` and `ln`, to a few ulp everywhere (Kahan): where
/// `u = e^x` is neither 1 nor `1 + (u - 1)` rounded, `(u - 1) x / ln(u)`
/// cancels the rounding error of `u`.
#[inline]
fn expm1_kahan<T: Float>(x: T) -> T {
    let u = x.exp();
    if u == T::ONE {
        // x is below half an ulp of 1: e^x - 1 is x, correctly rounded.
        return x;
    }
    let um1 = u - T::ONE;
    if um1 == -T::ONE || !u.is_finite() {
        // -1, an infinity or NaN.
        return um1;
    }
    um1 * x / u.ln()
}

/// `ln(1 + e^x)` as `max(x, 0) + ln(1 + e^-|x|)`, which neither overflows
/// nor loses its relative accuracy for very negative `x`.
#[inline]
fn softplus<T: Float>(x: T) -> T {
    if x > T::ZERO {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// `x Phi(x) = 0.5 x erfc(-x / sqrt 2)`: through `erfc`, not `1 + erf`,
/// so that it keeps its digits for negative `x`.
///
/// For `x` in `(-40, -1)` it also corrects for the rounding of
/// `z = -x / sqrt 2`, which `erfc(z) ~ e^(-z^2)` would amplify `2 z^2`
/// times (about 700 ulp near -38): with `e` the part of `-x / sqrt 2` that
/// `z` lost (exact from Dekker's product, without fused multiply-add),
/// `erfc(z + e) = erfc(z) - e 2/sqrt(pi) e^(-z^2)` to well below an ulp.
#[inline]
fn gelu_f64(x: f64) -> f64 {
    /// `1/sqrt 2 - FRAC_1_SQRT_2`.
    const FRAC_1_SQRT_2_LO: f64 = -4.833_646_656_726_457e-17;
    let z = -x * core::f64::consts::FRAC_1_SQRT_2;
    let mut erfc = libm::erfc(z);
    if x < -1.0 && x > -40.0 {
        let e = product_error(-x, core::f64::consts::FRAC_1_SQRT_2, z) + -x * FRAC_1_SQRT_2_LO;
        erfc -= e * core::f64::consts::FRAC_2_SQRT_PI * libm::exp(-z * z);
    }
    0.5 * x * erfc
}

/// `a b - p` exactly, for `p` the rounded product of `a` and `b` (Dekker's
/// algorithm: Veltkamp's split into 26-bit halves, whose products are
/// exact). For `|a|, |b|` below about `1e300`.
#[inline]
fn product_error(a: f64, b: f64, p: f64) -> f64 {
    fn split(v: f64) -> (f64, f64) {
        let c = 134_217_729.0 * v;
        let hi = c - (c - v);
        (hi, v - hi)
    }
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    ((ah * bh - p) + ah * bl + al * bh) + al * bl
}

macro_rules! scalar_impl {
    ($t:ident, $kind:literal, $exp:path, $ln:path, $ln_1p:path, $tanh:path, $fast_tanh:path, $fast_exp:path, $fast_exp_m1:path, $fast_softplus:path, $fast_gelu:path, $sqrt:path, $abs:path) => {
        impl Scalar for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const EMPTY_SUM: Self = -0.0;
            const NAME: &'static str = stringify!($t);

            #[inline]
            #[allow(clippy::cast_possible_truncation)]
            fn from_f64(value: f64) -> Self {
                value as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            #[inline]
            fn abs(self) -> Self {
                $abs(self)
            }
            #[inline]
            fn is_finite(self) -> bool {
                $t::is_finite(self)
            }
        }

        impl Float for $t {
            const NEG_ZERO: Self = -0.0;

            #[inline]
            fn is_nan(self) -> bool {
                $t::is_nan(self)
            }
            #[inline]
            fn exp(self) -> Self {
                $exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                $ln(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                $tanh(self)
            }
            #[inline]
            fn ln_1p(self) -> Self {
                $ln_1p(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                $sqrt(self)
            }
            #[inline]
            fn fast_tanh(self) -> Self {
                $fast_tanh(self)
            }
            #[inline]
            fn fast_exp(self) -> Self {
                $fast_exp(self)
            }
            #[inline]
            fn fast_exp_m1(self) -> Self {
                $fast_exp_m1(self)
            }
            #[inline]
            fn fast_softplus(self) -> Self {
                $fast_softplus(self)
            }
            #[inline]
            fn fast_gelu(self) -> Self {
                $fast_gelu(self)
            }
        }

        impl Codec for $t {
            const KIND: u8 = $kind;
            const SIZE: usize = core::mem::size_of::<$t>();

            #[inline]
            fn write_le(self, out: &mut [u8]) {
                if let Some(out) = out.first_chunk_mut() {
                    *out = self.to_le_bytes();
                }
            }
            #[inline]
            fn read_le(bytes: &[u8]) -> Option<Self> {
                bytes.first_chunk().map(|b| $t::from_le_bytes(*b))
            }
        }
    };
}

scalar_impl!(
    f32,
    1,
    libm::expf,
    libm::logf,
    libm::log1pf,
    libm::tanhf,
    crate::fast::tanh_f32,
    crate::fast::exp_f32,
    crate::fast::expm1_f32,
    crate::fast::softplus_f32,
    crate::fast::gelu_f32,
    sqrt::f32,
    libm::fabsf
);
scalar_impl!(
    f64,
    2,
    libm::exp,
    libm::log,
    libm::log1p,
    libm::tanh,
    libm::tanh,
    libm::exp,
    libm::expm1,
    softplus::<f64>,
    gelu_f64,
    sqrt::f64,
    libm::fabs
);

/// The square roots of [`Float::sqrt`]: both are IEEE square roots,
/// correctly rounded, so they give the same bits on every target, with the
/// `std` feature or without.
///
/// Without it they are `libm`'s. With it, they are the standard library's,
/// which the compiler knows as the square root instruction: it can then
/// vectorise a loop that takes square roots, such as Adam's step, where
/// `libm`'s (on x86-64 a single instruction behind an opaque call) keeps
/// each loop scalar. tests/test_sqrt.rs checks the two agree bit for bit.
#[cfg(feature = "std")]
mod sqrt {
    /// The square root of an `f32`.
    #[inline]
    pub fn f32(x: f32) -> f32 {
        std::primitive::f32::sqrt(x)
    }

    /// The square root of an `f64`.
    #[inline]
    pub fn f64(x: f64) -> f64 {
        std::primitive::f64::sqrt(x)
    }
}

/// `libm`'s square roots, without the `std` feature.
#[cfg(not(feature = "std"))]
mod sqrt {
    pub use libm::{sqrt as f64, sqrtf as f32};
}

#[cfg(test)]
mod tests {
    use super::{Codec, Float, Scalar};

    #[test]
    fn the_generic_defaults_are_accurate() {
        // The forms a Scalar gets from the default methods, here for f64,
        // against libm.
        let mut x = -40.0_f64;
        while x <= 40.0 {
            let want = libm::expm1(x);
            let got = super::expm1_kahan(x);
            assert!(
                (got - want).abs() <= 4.0 * f64::EPSILON * want.abs(),
                "{x}: {got} vs {want}"
            );
            let want = libm::log1p(libm::exp(x));
            let got = super::softplus(x);
            assert!(
                (got - want).abs() <= 4.0 * f64::EPSILON * want,
                "{x}: {got} vs {want}"
            );
            x += 0.0137;
        }
        for x in [0.0_f64, -0.0, 1e-20, -1e-300] {
            assert_eq!(super::expm1_kahan(x).to_bits(), x.to_bits());
        }
        assert_eq!(super::expm1_kahan(-1000.0_f64), -1.0);
        assert_eq!(super::expm1_kahan(1000.0_f64), f64::INFINITY);
        assert!(super::expm1_kahan(f64::NAN).is_nan());
        assert_eq!(super::softplus(1000.0_f64), 1000.0);
        assert_eq!(super::softplus(-1000.0_f64), 0.0);
    }

    #[test]
    fn product_error_is_exact() {
        // (1 + 2^-30)^2 = 1 + 2^-29 + 2^-60: the last term is the error.
        let a = 1.0 + 2.0_f64.powi(-30);
        assert_eq!(super::product_error(a, a, a * a), 2.0_f64.powi(-60));
        // 3 * 0.1: 0.1 is 0.1000000000000000055511151231257827, so the
        // product is 0.3000000000000000166533453693773481, and the rounded
        // product 0.3000000000000000444089209850062616.
        let (x, y) = (3.0, 0.1);
        assert_eq!(
            super::product_error(x, y, x * y),
            -2.775_557_561_562_891_4e-17
        );
        assert_eq!(super::product_error(2.0, 0.5, 1.0), 0.0);
    }

    #[test]
    fn neg_zero_is_the_additive_identity() {
        for x in [0.0_f32, -0.0, 1.5, -2.0, f32::INFINITY] {
            assert_eq!((f32::NEG_ZERO + x).to_bits(), x.to_bits());
            assert_eq!((f32::EMPTY_SUM + x).to_bits(), x.to_bits());
        }
        assert_eq!((f64::NEG_ZERO + 0.0).to_bits(), 0.0_f64.to_bits());
        assert_eq!(f64::EMPTY_SUM.to_bits(), f64::NEG_ZERO.to_bits());
        assert_eq!(f32::EMPTY_SUM.to_bits(), f32::NEG_ZERO.to_bits());
    }

    #[test]
    fn conversions_round_trip() {
        assert_eq!(f32::from_f64(0.25).to_f64(), 0.25);
        assert_eq!(f64::from_f64(0.1), 0.1);
        assert_eq!(<f32 as Scalar>::NAME, "f32");
        assert_eq!(<f64 as Scalar>::NAME, "f64");
    }

    #[test]
    fn little_endian_bytes_round_trip_bit_for_bit() {
        let mut out = [0_u8; 8];
        1.0_f32.write_le(&mut out);
        assert_eq!(out[..4], [0x00, 0x00, 0x80, 0x3f]);
        assert_eq!(f32::read_le(&out), Some(1.0));
        (-2.0_f64).write_le(&mut out);
        assert_eq!(out, [0, 0, 0, 0, 0, 0, 0, 0xc0]);
        assert_eq!(f64::read_le(&out), Some(-2.0));
        let nan = f32::from_bits(0x7fc0_1234);
        nan.write_le(&mut out);
        assert_eq!(f32::read_le(&out).map(f32::to_bits), Some(0x7fc0_1234));
        assert_eq!(f64::read_le(&out[..7]), None);
        let mut short = [9_u8; 3];
        1.0_f32.write_le(&mut short);
        assert_eq!(short, [9, 9, 9]);
        assert_eq!((<f32 as Codec>::KIND, <f64 as Codec>::KIND), (1, 2));
        assert_eq!((f32::SIZE, f64::SIZE), (size_of::<f32>(), size_of::<f64>()));
    }
}
