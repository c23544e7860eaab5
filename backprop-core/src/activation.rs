//! Activation functions and their derivatives.
//!
//! Each activation a network spec can name (`ReLU`, `Sigmoid`, ...) is a unit
//! struct here implementing [`Activation`]. Generated code calls
//! [`Activation::f`] on every neuron's pre-activation in the forward pass and
//! [`Activation::df`] in the backward pass, so fixing an activation here fixes
//! every network that uses it.
//!
//! ```text
//! Linear:   f(x) = x                       f'(x) = 1
//! ReLU:     f(x) = max(0, x)               f'(x) = 1 if x > 0, else 0
//! Sigmoid:  f(x) = 1 / (1 + e^-x)          f'(x) = f(x) (1 - f(x))
//! Tanh:     f(x) = tanh(x)                 f'(x) = 1 - f(x)^2
//! ```
//!
//! At a kink the derivative takes the left side, as the tutorial does
//! (`ReLU'(0) = 0`).

use crate::Scalar;

/// An element-wise activation function with its derivative.
///
/// Implement it to add your own; the `network!` macro names the built-in ones.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Sigmoid};
///
/// let y = Sigmoid.f(0.0_f64);
/// assert_eq!(y, 0.5);
/// assert_eq!(Sigmoid.df(0.0, y), 0.25);
/// ```
pub trait Activation<T: Scalar> {
    /// The name of the activation as written in a network spec.
    const NAME: &'static str;

    /// The activation of one neuron: `f(x)`.
    fn f(&self, x: T) -> T;

    /// The derivative `f'(x)`, given both `x` and `y = f(x)` so that
    /// activations whose derivative is cheapest from their output (sigmoid,
    /// tanh) can use it.
    fn df(&self, x: T, y: T) -> T;
}

/// The identity, `f(x) = x`: the usual output of a regression network.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Linear};
/// assert_eq!(Linear.f(-2.5_f32), -2.5);
/// assert_eq!(Linear.df(-2.5_f32, -2.5), 1.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Linear;

impl<T: Scalar> Activation<T> for Linear {
    const NAME: &'static str = "Linear";

    #[inline]
    fn f(&self, x: T) -> T {
        x
    }

    #[inline]
    fn df(&self, _x: T, _y: T) -> T {
        T::ONE
    }
}

/// The rectified linear unit, `f(x) = max(0, x)`.
///
/// Its derivative is 1 for `x > 0` and 0 for `x <= 0`, the tutorial's
/// convention. A NaN input gives NaN, so bad data is never hidden.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Relu};
/// assert_eq!(Relu.f(1.5_f32), 1.5);
/// assert_eq!(Relu.f(-1.5_f32), 0.0);
/// assert_eq!(Relu.df(0.0_f32, 0.0), 0.0);
/// assert_eq!(Relu.df(1e-30_f32, 1e-30), 1.0);
/// assert!(Relu.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Relu;

impl<T: Scalar> Activation<T> for Relu {
    const NAME: &'static str = "ReLU";

    #[inline]
    fn f(&self, x: T) -> T {
        relu(x)
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        if x > T::ZERO { T::ONE } else { T::ZERO }
    }
}

/// The logistic sigmoid, `f(x) = 1 / (1 + e^-x)`.
///
/// Finite and correct for every finite input: it never evaluates `e^x` for a
/// large positive `x`, so `f(1000) == 1` and `f(-1000) == 0` rather than NaN.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Sigmoid};
/// assert_eq!(Sigmoid.f(1000.0_f32), 1.0);
/// assert_eq!(Sigmoid.f(-1000.0_f32), 0.0);
/// let y = Sigmoid.f(6.0_f64);
/// assert!((y - 0.9975273768433653).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sigmoid;

impl<T: Scalar> Activation<T> for Sigmoid {
    const NAME: &'static str = "Sigmoid";

    #[inline]
    fn f(&self, x: T) -> T {
        sigmoid(x)
    }

    #[inline]
    fn df(&self, _x: T, y: T) -> T {
        y * (T::ONE - y)
    }
}

/// The hyperbolic tangent, `f(x) = tanh(x)`.
///
/// For `f32` it is the deterministic rational approximation
/// [`fast::tanh_f32`](crate::fast::tanh_f32): absolute and relative error
/// below `5e-7` over the whole `f32` range (at most 8 ulp from `libm`'s
/// `tanhf`), the same bits on every target, and several times faster than a
/// `tanhf` call. For `f64` it is `libm`'s `tanh`, at full accuracy.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Tanh};
/// assert_eq!(Tanh.f(0.0_f64), 0.0);
/// assert_eq!(Tanh.f(1000.0_f64), 1.0);
/// assert_eq!(Tanh.df(0.0_f64, 0.0), 1.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tanh;

impl<T: Scalar> Activation<T> for Tanh {
    const NAME: &'static str = "Tanh";

    #[inline]
    fn f(&self, x: T) -> T {
        x.fast_tanh()
    }

    #[inline]
    fn df(&self, _x: T, y: T) -> T {
        T::ONE - y * y
    }
}

/// `max(0, x)`, propagating NaN.
///
/// # Examples
///
/// ```
/// assert_eq!(backprop_core::activation::relu(-3.0_f32), 0.0);
/// assert_eq!(backprop_core::activation::relu(3.0_f32), 3.0);
/// ```
#[inline]
pub fn relu<T: Scalar>(x: T) -> T {
    // `x <= 0` is false for NaN, so NaN passes through.
    if x <= T::ZERO { T::ZERO } else { x }
}

/// The logistic sigmoid `1 / (1 + e^-x)`, evaluated so that it never
/// overflows: for `x < 0` it computes `e^x / (1 + e^x)`.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::sigmoid;
/// assert_eq!(sigmoid(0.0_f32), 0.5);
/// assert_eq!(sigmoid(-1000.0_f64), 0.0);
/// ```
#[inline]
pub fn sigmoid<T: Scalar>(x: T) -> T {
    if x >= T::ZERO {
        T::ONE / (T::ONE + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::ONE + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn central_difference(f: impl Fn(f64) -> f64, x: f64) -> f64 {
        let h = 1e-6;
        (f(x + h) - f(x - h)) / (2.0 * h)
    }

    fn check_derivative<A: Activation<f64>>(a: &A) {
        for &x in &[-3.0, -0.7, -0.01, 0.01, 0.3, 1.0, 2.5, 6.0] {
            let numeric = central_difference(|x| a.f(x), x);
            let analytic = a.df(x, a.f(x));
            assert!(
                (numeric - analytic).abs() < 1e-8,
                "{} at {x}: {analytic} vs {numeric}",
                A::NAME
            );
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        check_derivative(&Linear);
        check_derivative(&Relu);
        check_derivative(&Sigmoid);
        check_derivative(&Tanh);
    }

    #[test]
    fn extremes_are_finite() {
        for x in [-1000.0_f32, -88.0, 88.0, 1000.0, f32::MAX, f32::MIN] {
            for y in [Sigmoid.f(x), Tanh.f(x), Relu.f(x)] {
                assert!(y.is_finite(), "{x} -> {y}");
            }
            let s = Sigmoid.f(x);
            assert!(Sigmoid.df(x, s).is_finite());
        }
        assert_eq!(Sigmoid.f(-1000.0_f64), 0.0);
        assert_eq!(Sigmoid.f(1000.0_f64), 1.0);
    }

    #[test]
    fn relu_kink_takes_the_left_side() {
        assert_eq!(Relu.df(0.0_f64, 0.0), 0.0);
        assert_eq!(Relu.df(-0.0_f64, 0.0), 0.0);
    }
}
