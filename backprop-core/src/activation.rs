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
//! LeakyReLU: f(x) = x if x > 0, else s x   f'(x) = 1 if x > 0, else s
//! Softmax:  f(z)_i = e^z_i / sum_j e^z_j  (a whole layer; output layer only)
//! ```
//!
//! At a kink the derivative takes the left side, as the tutorial does
//! (`ReLU'(0) = 0`).

use crate::Scalar;

/// The built-in activations a spec can name, as the one table that the
/// `network!` macro, this module and the PyTorch exporter share
/// (`backprop-spec/activations.txt`).
///
/// ```
/// use backprop_core::activation::builtins;
///
/// let names: Vec<&str> = builtins().map(|b| b.spelling()).collect();
/// assert!(names.contains(&"LeakyReLU"));
/// ```
pub use backprop_spec::{Builtin, builtins};

/// An element-wise activation function with its derivative.
///
/// A spec names a built-in activation by its name alone (`ReLU`, the
/// table [`builtins`]); implement this trait to add your own, and name it
/// in a spec by its path (`crate::Swish`, `self::acts::Swish`,
/// `my_crate::Swish`). The macro builds its value with `Default`, or with
/// `new(f64, ...)` when the spec gives it arguments (`crate::Scaled(0.5)`),
/// and asks [`Activation::INIT`] how to initialise its layer. Implement it
/// for every `T: Scalar`, since a network is generic over its scalar.
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
///
/// An activation of your own, `x * sigmoid(x)`:
///
/// ```
/// use backprop_core::activation::{Activation, Sigmoid};
/// use backprop_core::init::Scheme;
/// use backprop_core::{Scalar, network};
///
/// #[derive(Clone, Copy, Default)]
/// pub struct Swish;
///
/// impl<T: Scalar> Activation<T> for Swish {
///     const NAME: &'static str = "Swish";
///     const INIT: Scheme = Scheme::He;
///
///     fn f(&self, x: T) -> T {
///         x * Sigmoid.f(x)
///     }
///
///     fn df(&self, x: T, _y: T) -> T {
///         let s = Sigmoid.f(x);
///         s * (T::ONE + x * (T::ONE - s))
///     }
/// }
///
/// network! {
///     struct Net: 2 => 8 self::Swish => 1 Linear;
/// }
///
/// fn main() {
///     let net = Net::<f32>::with_seed(1);
///     assert_eq!(Net::<f32>::ARCHITECTURE, "2 => 8 self::Swish => 1 Linear");
///     assert!(net.forward(&[0.5, -0.5])[0].is_finite());
/// }
/// ```
///
/// The type must be reachable by a path from the module of the
/// `network!` invocation: declare it at module level, not inside a function.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an activation for the scalar type `{T}`",
    label = "not an activation for `{T}`",
    note = "a layer names a built-in activation by its name alone (`ReLU`), or a type of yours by its path; such a type implements `backprop_core::activation::Activation<T>` for every `T: Scalar`, and `Default` unless the spec gives it arguments"
)]
pub trait Activation<T: Scalar> {
    /// The name of the activation as written in a network spec.
    const NAME: &'static str;

    /// `true` when `f` is the logistic sigmoid. Losses such as
    /// [`BinaryCrossEntropy`](crate::loss::BinaryCrossEntropy) then use a
    /// fused, numerically stable formula from the pre-activation.
    const LOGISTIC: bool = false;

    /// How `with_seed` draws the weights of a layer with this activation:
    /// [`Scheme::He`](crate::init::Scheme::He) for the ReLU family,
    /// [`Scheme::Glorot`](crate::init::Scheme::Glorot) (the default) for the
    /// rest.
    const INIT: crate::init::Scheme = crate::init::Scheme::Glorot;

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
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

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
/// large positive `x`, so `f(1000) == 1` and `f(-1000) == 0` rather than NaN,
/// and `f(0) == 0.5` exactly.
///
/// For `f32` the exponential is the deterministic
/// [`fast::exp_f32`](crate::fast::exp_f32) (relative error below `2e-7`, the
/// same bits on every target, less than half the code of `libm`'s `expf` on
/// a microcontroller): the sigmoid's relative error is below `3e-7` (`2e-7`
/// with `expf`) and its absolute error below `1e-7`. For `f64` it is
/// `libm`'s `exp`, at full accuracy.
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
    const LOGISTIC: bool = true;

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

/// The leaky rectified linear unit: `x` for `x > 0`, else `slope * x`.
///
/// Unlike [`Relu`], a unit whose input stays negative still passes a small
/// gradient back, so it cannot "die". The slope is 0.01 unless a spec sets
/// another, as in `LeakyReLU(0.2)`. At 0 the derivative takes the left side
/// (`slope`), as for ReLU.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, LeakyRelu};
///
/// assert_eq!(LeakyRelu::default().f(-2.0_f64), -0.02);
/// let leaky = LeakyRelu::new(0.25);
/// assert_eq!(leaky.f(-2.0_f32), -0.5);
/// assert_eq!(leaky.f(3.0_f32), 3.0);
/// assert_eq!(leaky.df(0.0_f32, 0.0), 0.25);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeakyRelu {
    slope: f64,
}

impl LeakyRelu {
    /// The slope used when a spec names `LeakyReLU` without one.
    pub const DEFAULT_SLOPE: f64 = 0.01;

    /// A leaky ReLU with the given slope for negative inputs.
    #[must_use]
    pub const fn new(slope: f64) -> Self {
        Self { slope }
    }

    /// The slope for negative inputs.
    #[must_use]
    pub const fn slope(&self) -> f64 {
        self.slope
    }
}

impl Default for LeakyRelu {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SLOPE)
    }
}

impl<T: Scalar> Activation<T> for LeakyRelu {
    const NAME: &'static str = "LeakyReLU";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        // NaN takes the second branch and stays NaN.
        if x > T::ZERO {
            x
        } else {
            T::from_f64(self.slope) * x
        }
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        if x > T::ZERO {
            T::ONE
        } else {
            T::from_f64(self.slope)
        }
    }
}

/// Softmax over a whole layer: `f(z)_i = e^(z_i) / sum_j e^(z_j)`, the
/// output layer of a classifier, whose outputs are then probabilities that
/// sum to 1.
///
/// It is not element-wise, so it is not an [`Activation`]; a spec may only
/// name it on the last layer. It subtracts the largest logit before
/// exponentiating, so it is finite for any finite logits (`[1000, 0, -1000]`
/// gives `[1, 0, 0]`). With [`CrossEntropy`](crate::loss::CrossEntropy) the
/// backward pass uses the fused gradient `p - t`.
///
/// Its exponentials are [`Scalar::fast_exp`]: for `f32` the deterministic
/// [`fast::exp_f32`](crate::fast::exp_f32) (relative error below `2e-7`),
/// for `f64` `libm`'s `exp`. The loss side, [`log_sum_exp`], stays on
/// `libm`.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::Softmax;
///
/// let p = Softmax.forward(&[1000.0_f32, 0.0, -1000.0]);
/// assert_eq!(p, [1.0, 0.0, 0.0]);
/// let q = Softmax.forward(&[0.0_f64, 0.0]);
/// assert_eq!(q, [0.5, 0.5]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Softmax;

impl Softmax {
    /// The name as written in a network spec.
    pub const NAME: &'static str = "Softmax";

    /// The probabilities for logits `z`.
    #[inline]
    #[must_use]
    pub fn forward<T: Scalar, const N: usize>(&self, z: &[T; N]) -> [T; N] {
        softmax(z)
    }

    /// The gradient at the logits from the gradient `g` at the
    /// probabilities `p`: `p_i (g_i - sum_j p_j g_j)`, the Jacobian of
    /// softmax applied to `g`.
    #[inline]
    #[must_use]
    pub fn backward<T: Scalar, const N: usize>(&self, p: &[T; N], g: &[T; N]) -> [T; N] {
        let mut dot = T::NEG_ZERO;
        for (p, g) in p.iter().zip(g) {
            dot += *p * *g;
        }
        let mut out = [T::ZERO; N];
        for ((o, p), g) in out.iter_mut().zip(p).zip(g) {
            *o = *p * (*g - dot);
        }
        out
    }
}

/// The largest element, or NaN if any element is NaN.
#[inline]
fn max_of<T: Scalar, const N: usize>(z: &[T; N]) -> T {
    let mut max = z[0];
    for &v in z {
        if v > max || v.is_nan() {
            max = v;
        }
    }
    max
}

/// `ln(sum_j e^(z_j))`, computed as `m + ln(sum_j e^(z_j - m))` with `m` the
/// largest logit, so it is finite for finite logits.
///
/// The cross-entropy loss uses it, so it keeps [`Scalar::exp`] (`libm`, at
/// full accuracy) where [`softmax`] uses the compact [`Scalar::fast_exp`].
///
/// # Examples
///
/// ```
/// let l = backprop_core::activation::log_sum_exp(&[1000.0_f64, 1000.0]);
/// assert!((l - (1000.0 + 2.0_f64.ln())).abs() < 1e-12);
/// ```
#[inline]
#[must_use]
pub fn log_sum_exp<T: Scalar, const N: usize>(z: &[T; N]) -> T {
    if N == 0 {
        return T::ZERO;
    }
    let max = max_of(z);
    if !max.is_finite() {
        return max;
    }
    let mut sum = T::NEG_ZERO;
    for &v in z {
        sum += (v - max).exp();
    }
    max + sum.ln()
}

/// Softmax of `z`, with [`Scalar::fast_exp`]; see [`Softmax`].
///
/// # Examples
///
/// ```
/// let p = backprop_core::activation::softmax(&[0.0_f64, 2.0_f64.ln()]);
/// assert!((p[0] - 1.0 / 3.0).abs() < 1e-15 && (p[1] - 2.0 / 3.0).abs() < 1e-15);
/// ```
#[inline]
#[must_use]
pub fn softmax<T: Scalar, const N: usize>(z: &[T; N]) -> [T; N] {
    let mut out = [T::ZERO; N];
    if N == 0 {
        return out;
    }
    let max = max_of(z);
    let mut sum = T::NEG_ZERO;
    for (o, &v) in out.iter_mut().zip(z) {
        *o = (v - max).fast_exp();
        sum += *o;
    }
    for o in &mut out {
        *o /= sum;
    }
    out
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
/// overflows: for `x < 0` it computes `e^x / (1 + e^x)`. The exponential is
/// [`Scalar::fast_exp`]; see [`Sigmoid`] for the accuracy.
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
        T::ONE / (T::ONE + (-x).fast_exp())
    } else {
        let e = x.fast_exp();
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
        check_derivative(&LeakyRelu::default());
        check_derivative(&LeakyRelu::new(0.3));
    }

    #[test]
    fn softmax_backward_matches_finite_differences() {
        let z = [0.3, -1.2, 2.0, 0.0];
        let g = [0.5, -1.0, 0.25, 2.0];
        let p = softmax(&z);
        let analytic = Softmax.backward(&p, &g);
        for k in 0..4 {
            let h = 1e-6;
            let (mut up, mut down) = (z, z);
            up[k] += h;
            down[k] -= h;
            let dot = |q: [f64; 4]| q.iter().zip(&g).map(|(a, b)| a * b).sum::<f64>();
            let numeric = (dot(softmax(&up)) - dot(softmax(&down))) / (2.0 * h);
            assert!(
                (numeric - analytic[k]).abs() < 1e-8,
                "{k}: {} vs {numeric}",
                analytic[k]
            );
        }
    }

    #[test]
    fn softmax_is_stable_at_extremes() {
        let p = softmax(&[1000.0_f32, 0.0, -1000.0]);
        assert_eq!(p, [1.0, 0.0, 0.0]);
        let q = softmax(&[-1000.0_f32, -1000.0]);
        assert_eq!(q, [0.5, 0.5]);
        assert!((log_sum_exp(&[1000.0_f32, 0.0, -1000.0]) - 1000.0).abs() < 1e-3);
        assert!(softmax(&[f32::NAN, 0.0])[1].is_nan());
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
    fn f32_sigmoid_within_its_stated_bound() {
        // Every 1/256 of [-110, 110], subnormal results below -87 included;
        // the reference is the f64 sigmoid.
        let mut x = -110.0_f32;
        while x <= 110.0 {
            let got = f64::from(Sigmoid.f(x));
            let want = Sigmoid.f(f64::from(x));
            let err = (got - want).abs();
            assert!(err < 1e-7, "sigmoid({x}) = {got:e}, f64 says {want:e}");
            if want >= f64::from(f32::MIN_POSITIVE) {
                assert!(
                    err < 3e-7 * want,
                    "sigmoid({x}) = {got:e}, f64 says {want:e}"
                );
            }
            x += 1.0 / 256.0;
        }
        assert_eq!(sigmoid(0.0_f32), 0.5);
        assert_eq!(sigmoid(-0.0_f32), 0.5);
        assert_eq!(Sigmoid.f(1000.0_f32), 1.0);
        assert_eq!(Sigmoid.f(-1000.0_f32).to_bits(), 0);
        assert_eq!(Sigmoid.f(f32::INFINITY), 1.0);
        assert_eq!(Sigmoid.f(f32::NEG_INFINITY).to_bits(), 0);
        assert!(Sigmoid.f(f32::NAN).is_nan());
    }

    #[test]
    fn relu_kink_takes_the_left_side() {
        assert_eq!(Relu.df(0.0_f64, 0.0), 0.0);
        assert_eq!(Relu.df(-0.0_f64, 0.0), 0.0);
    }
}
