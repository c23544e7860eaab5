//! The number type a network computes in.

use core::fmt::{Debug, Display};
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A floating-point number a network can be generic over: `f32` (the default
/// of every generated network) and `f64`.
///
/// The arithmetic operators are IEEE 754 `+ - * /`, which every target computes
/// bit for bit alike. The transcendental functions go through the pure-Rust
/// [`libm`] crate, never the platform's C library, so a network gives the same
/// bits on a laptop and on a microcontroller.
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
    /// `-0`, the identity of addition (`-0 + x == x` bit for bit, for every `x`).
    const NEG_ZERO: Self;
    /// `1`.
    const ONE: Self;
    /// A short name of the type, `"f32"` or `"f64"`.
    const NAME: &'static str;

    /// Converts from `f64`, rounding to nearest.
    fn from_f64(value: f64) -> Self;
    /// Converts to `f64` (exact for `f32` and `f64`).
    fn to_f64(self) -> f64;
    /// `e^self`, through `libm`.
    fn exp(self) -> Self;
    /// The natural logarithm, through `libm`.
    fn ln(self) -> Self;
    /// The hyperbolic tangent, through `libm`.
    fn tanh(self) -> Self;
    /// The hyperbolic tangent the [`Tanh`](crate::activation::Tanh)
    /// activation uses: for `f32` the deterministic rational approximation
    /// [`fast::tanh_f32`](crate::fast::tanh_f32) (error below `5e-7`, several
    /// times faster), for `f64` `libm`'s, at full accuracy. The default is
    /// [`Scalar::tanh`].
    #[inline]
    fn fast_tanh(self) -> Self {
        self.tanh()
    }
    /// The square root (IEEE, correctly rounded).
    fn sqrt(self) -> Self;
    /// The absolute value.
    fn abs(self) -> Self;
    /// `true` unless `self` is infinite or NaN.
    fn is_finite(self) -> bool;
}

macro_rules! scalar_impl {
    ($t:ident, $exp:path, $ln:path, $tanh:path, $fast_tanh:path, $sqrt:path, $abs:path) => {
        impl Scalar for $t {
            const ZERO: Self = 0.0;
            const NEG_ZERO: Self = -0.0;
            const ONE: Self = 1.0;
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
            fn fast_tanh(self) -> Self {
                $fast_tanh(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                $sqrt(self)
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
    };
}

scalar_impl!(
    f32,
    libm::expf,
    libm::logf,
    libm::tanhf,
    crate::fast::tanh_f32,
    libm::sqrtf,
    libm::fabsf
);
scalar_impl!(
    f64,
    libm::exp,
    libm::log,
    libm::tanh,
    libm::tanh,
    libm::sqrt,
    libm::fabs
);

#[cfg(test)]
mod tests {
    use super::Scalar;

    #[test]
    fn neg_zero_is_the_additive_identity() {
        for x in [0.0_f32, -0.0, 1.5, -2.0, f32::INFINITY] {
            assert_eq!((f32::NEG_ZERO + x).to_bits(), x.to_bits());
        }
        assert_eq!((f64::NEG_ZERO + 0.0).to_bits(), 0.0_f64.to_bits());
    }

    #[test]
    fn conversions_round_trip() {
        assert_eq!(f32::from_f64(0.25).to_f64(), 0.25);
        assert_eq!(f64::from_f64(0.1), 0.1);
        assert_eq!(<f32 as Scalar>::NAME, "f32");
        assert_eq!(<f64 as Scalar>::NAME, "f64");
    }
}
