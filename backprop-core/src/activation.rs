//! Activation functions and their derivatives.
//!
//! Each activation a network spec can name (`ReLU`, `Sigmoid`, ...) is a unit
//! struct here implementing [`Activation`]. Generated code calls
//! [`Activation::f`] on every neuron's pre-activation in the forward pass and
//! [`Activation::df`] in the backward pass, so fixing an activation here fixes
//! every network that uses it.
//!
//! ```text
//! Linear:     f(x) = x                         f'(x) = 1
//! ReLU:       f(x) = max(0, x)                 f'(x) = 1 if x > 0, else 0
//! Sigmoid:    f(x) = s(x) = 1 / (1 + e^-x)     f'(x) = f(x) (1 - f(x))
//! Tanh:       f(x) = tanh(x)                   f'(x) = 1 - f(x)^2
//! LeakyReLU:  f(x) = x if x > 0, else s x      f'(x) = 1 if x > 0, else s
//! SiLU:       f(x) = x s(x)                    f'(x) = s(x) (1 + x (1 - s(x)))
//! GELU:       f(x) = x Phi(x)                  f'(x) = Phi(x) + x phi(x)
//!             Phi(x) = (1 + erf(x / sqrt 2)) / 2, phi(x) = e^(-x^2 / 2) / sqrt(2 pi)
//! GELU(tanh): f(x) = x (1 + tanh(u)) / 2       f'(x) = S (1 + 2 x (1 - S) u')
//!             u = sqrt(2 / pi) (x + 0.044715 x^3), S = s(2u) = (1 + tanh(u)) / 2
//! ELU:        f(x) = x if x > 0, else a (e^x - 1)   f'(x) = 1 if x > 0, else a e^x
//! Softplus:   f(x) = x if x > 20, else ln(1 + e^x)  f'(x) = 1 if x > 20, else s(x)
//! ReLU6:      f(x) = min(max(0, x), 6)         f'(x) = 1 if 0 < x < 6, else 0
//! Hardtanh:   f(x) = min(max(-1, x), 1)        f'(x) = 1 if -1 < x < 1, else 0
//! Softmax:    f(z)_i = e^z_i / sum_j e^z_j  (a whole layer; output layer only)
//! ```
//!
//! At a kink the derivative takes the left side, as the tutorial does
//! (`ReLU'(0) = 0`, `ELU'(0) = a`), except that `ReLU6` and `Hardtanh` take
//! 0 at both ends of their interval, as PyTorch's autograd does
//! (`hardtanh_backward`). Every built-in activation's `f` returns NaN for a
//! NaN input; so does every `df` but `Linear`'s, `ReLU`'s and `LeakyReLU`'s.
//!
//! The `f32` forms of the transcendental ones are built from IEEE
//! arithmetic alone ([`crate::fast`]), so they give the same bits on every
//! target, each within the error bound its type states; the `f64` forms go
//! through `libm`.

use crate::{Float, Scalar};

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
/// for every `T: Float` ([`Float`]), since a network is generic over its
/// scalar; or for every `T: Scalar` ([`Scalar`]) if arithmetic and
/// comparisons are all it needs, as for [`Linear`] and [`Relu`], so that it
/// also works with a scalar that is not a float (fixed point).
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
/// use backprop_core::{Float, network};
///
/// #[derive(Clone, Copy, Default)]
/// pub struct Swish;
///
/// // `Sigmoid` needs an exponential, so `Swish` is for floats.
/// impl<T: Float> Activation<T> for Swish {
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
    note = "a layer names a built-in activation by its name alone (`ReLU`), or a type of yours by its path; such a type implements `backprop_core::activation::Activation<T>` for every `T: Float` (or every `T: Scalar`, if arithmetic is all it needs), and `Default` unless the spec gives it arguments"
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

impl<T: Float> Activation<T> for Sigmoid {
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

impl<T: Float> Activation<T> for Tanh {
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

/// `(s(x), 1 - s(x))` for the logistic `s`, both from one exponential and
/// both to full relative accuracy: `1 - s(x)` is never computed as a
/// difference, which would lose it for large `x`.
#[inline]
fn sigmoid_pair<T: Float>(x: T) -> (T, T) {
    if x >= T::ZERO {
        let e = (-x).fast_exp();
        let s = T::ONE / (T::ONE + e);
        (s, e * s)
    } else {
        // NaN comes here and stays NaN.
        let e = x.fast_exp();
        let c = T::ONE / (T::ONE + e);
        (e * c, c)
    }
}

/// The sigmoid-weighted linear unit (also called swish), `f(x) = x s(x)`
/// with `s` the logistic sigmoid: PyTorch's `nn.SiLU`.
///
/// Its derivative is `s(x) (1 + x (1 - s(x)))`, with `s(x)` and
/// `1 - s(x)` both from one exponential (so `1 - s(x)` keeps its digits for
/// large `x`). It is smooth: no kink. At the infinities `f` and `f'` take
/// their limits (`f(-inf) = -0`, where PyTorch's `x / (1 + e^-x)` gives
/// NaN); NaN gives NaN. Initialised like the ReLU family (He).
///
/// For `f32` the exponential is [`fast::exp_f32`](crate::fast::exp_f32),
/// as in [`Sigmoid`]: `f` has a relative error below `4e-7` wherever it is
/// at least `2^-119` (`1.5e-36`) in magnitude, which is where `s(x)` is
/// normal, and an absolute error below `6e-43` below it (where `s(x)` is
/// subnormal, its absolute error times `|x|`); `f'` has an absolute error
/// below `3e-7`; checked over the whole `f32` range against the `f64`
/// form. For `f64` the exponential is `libm`'s `exp`: `f` within 4 ulp,
/// `f'` within 4 ulp of the size of its terms, `s(x) (1 + |x (1 - s(x))|)`
/// (it crosses 0 at -1.28).
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Silu};
/// assert_eq!(Silu.f(0.0_f64), 0.0);
/// assert_eq!(Silu.df(0.0_f64, 0.0), 0.5);
/// let y = Silu.f(1.0_f64); // 1 / (1 + e^-1)
/// assert!((y - 0.7310585786300049).abs() < 1e-15);
/// assert!((Silu.df(1.0, y) - 0.9276705118714867).abs() < 1e-15);
/// assert_eq!(Silu.f(f32::NEG_INFINITY), 0.0);
/// assert!(Silu.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Silu;

impl<T: Float> Activation<T> for Silu {
    const NAME: &'static str = "SiLU";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        if x.is_finite() || x.is_nan() {
            x * sigmoid(x)
        } else if x > T::ZERO {
            x
        } else {
            T::NEG_ZERO
        }
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        if x.is_finite() || x.is_nan() {
            let (s, c) = sigmoid_pair(x);
            s * (T::ONE + x * c)
        } else if x > T::ZERO {
            T::ONE
        } else {
            T::ZERO
        }
    }
}

/// The Gaussian error linear unit, `f(x) = x Phi(x)` with `Phi` the
/// standard normal distribution function,
/// `Phi(x) = (1 + erf(x / sqrt 2)) / 2`: PyTorch's `nn.GELU()`
/// (`approximate='none'`).
///
/// Its derivative is `Phi(x) + x phi(x)`, with
/// `phi(x) = e^(-x^2 / 2) / sqrt(2 pi)` the normal density; `df` takes
/// `Phi(x)` as `y / x` from the output (and `1/2` for `|x| < 1e-30`), so
/// it costs one exponential. It is smooth: no kink. Beyond `|x| = 40`
/// (the infinities included) `f` and `f'` are their limits, `x` and 1 on
/// the right, `-0` and 0 on the left; NaN gives NaN. Initialised like the
/// ReLU family (He).
///
/// For `f32`, `f` is [`fast::gelu_f32`](crate::fast::gelu_f32): relative
/// error below `6e-7` wherever the result is at least `f32::MIN_POSITIVE`
/// in magnitude, far out on the negative side too (where PyTorch's `f32`
/// `0.5 x (1 + erf(x / sqrt 2))` is 0 from about -5.9 on), absolute error
/// below `4.3e-45` below it; `f'` has an absolute error below `3e-7`,
/// checked over the whole `f32` range. For `f64`, `f` is
/// `0.5 x erfc(-x / sqrt 2)` through `libm`, corrected for the rounding of
/// `x / sqrt 2` (which `erfc` would amplify to 700 ulp near -38): within 4
/// ulp everywhere, where the `1 + erf` form loses everything (PyTorch's
/// `f64` GELU is 0 at -10, against `-7.6e-23`). `f'` in `f64` is within
/// `4 + x^2 / 2` ulp of the size of its terms, `Phi(x) + |x phi(x)|`: the
/// `x^2 / 2` is `e^(-x^2 / 2)` of a rounded `x^2`.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Gelu};
/// assert_eq!(Gelu.f(0.0_f64), 0.0);
/// assert_eq!(Gelu.df(0.0_f64, 0.0), 0.5);
/// let y = Gelu.f(1.0_f64); // Phi(1)
/// assert!((y - 0.8413447460685429).abs() < 1e-15);
/// assert!((Gelu.df(1.0, y) - 1.0833154705876864).abs() < 1e-15);
/// let z = Gelu.f(-10.0_f32);
/// assert!((z / -7.619_853e-23 - 1.0).abs() < 1e-6);
/// assert!(Gelu.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Gelu;

/// `1 / sqrt(2 pi)`.
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

impl<T: Float> Activation<T> for Gelu {
    const NAME: &'static str = "GELU";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        let edge = T::from_f64(40.0);
        if x > edge {
            x
        } else if x < -edge {
            T::NEG_ZERO
        } else {
            x.fast_gelu()
        }
    }

    #[inline]
    fn df(&self, x: T, y: T) -> T {
        let edge = T::from_f64(40.0);
        if x > edge {
            T::ONE
        } else if x < -edge {
            T::ZERO
        } else if x.abs() < T::from_f64(1e-30) {
            // Phi(x) = 1/2 + x phi(0) + ..., which rounds to 1/2; y / x
            // would not, for a subnormal y.
            T::from_f64(0.5)
        } else {
            let phi = (-(x * x) * T::from_f64(0.5)).fast_exp() * T::from_f64(FRAC_1_SQRT_2PI);
            y / x + x * phi
        }
    }
}

/// GELU with PyTorch's tanh approximation,
/// `f(x) = x (1 + tanh(u)) / 2` with `u = sqrt(2 / pi) (x + 0.044715 x^3)`:
/// PyTorch's `nn.GELU(approximate='tanh')`.
///
/// Computed as `x S` with `S = (1 + tanh(u)) / 2 = s(2u)`, `s` the
/// logistic sigmoid, which does not cancel for negative `x` as `1 + tanh`
/// does. Its derivative, the formula's own, is
/// `S (1 + 2 x (1 - S) u')` with `u' = sqrt(2 / pi) (1 + 3 0.044715 x^2)`,
/// `S` and `1 - S` from one exponential. It is smooth: no kink. Beyond
/// `|x| = 30` (the infinities included) `f` and `f'` are their limits, `x`
/// and 1 on the right, `-0` and 0 on the left; NaN gives NaN. Initialised
/// like the ReLU family (He).
///
/// For `f32` the exponential is [`fast::exp_f32`](crate::fast::exp_f32):
/// `f` has a relative error below `6e-7` for `x >= 0`, and for negative `x`
/// below `3e-7 (2 + |2u|)` wherever it is at least `2^-122` (`1.9e-37`) in
/// magnitude, which is where `S` is normal: the
/// rounding of `u` is amplified by `|2u|` where `S` is about `e^(2u)`, as
/// PyTorch's formula amplifies it too, from `1.4e-6` at `x = -1.5` to
/// `2.6e-5` near -10. Below `2^-122` the absolute error is below `5.2e-42`,
/// and the result is 0 from about -10.9. `f'` has an absolute error below
/// `3e-7`. All checked over the whole `f32` range. For `f64` it goes
/// through `libm`'s `exp`, within `4 + (2 + |2u|)` ulp for negative `x`
/// and 4 ulp for positive, `f'` relative to the size of its terms.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, GeluTanh};
/// assert_eq!(GeluTanh.f(0.0_f64), 0.0);
/// assert_eq!(GeluTanh.df(0.0_f64, 0.0), 0.5);
/// let y = GeluTanh.f(1.0_f64);
/// assert!((y - 0.8411919906082768).abs() < 1e-15);
/// assert_eq!(GeluTanh.f(50.0_f32), 50.0);
/// assert!(GeluTanh.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GeluTanh;

/// `2 sqrt(2 / pi)`, so that `2u = x (K0 + K1 x^2)`.
const GELU_TANH_K0: f64 = 1.595_769_121_605_730_8;
/// `2 sqrt(2 / pi) 0.044715`.
const GELU_TANH_K1: f64 = GELU_TANH_K0 * 0.044_715;

impl<T: Float> Activation<T> for GeluTanh {
    const NAME: &'static str = "GELU(tanh)";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        let edge = T::from_f64(30.0);
        if x > edge {
            x
        } else if x < -edge {
            T::NEG_ZERO
        } else {
            let v = x * (T::from_f64(GELU_TANH_K0) + T::from_f64(GELU_TANH_K1) * (x * x));
            x * sigmoid(v)
        }
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        let edge = T::from_f64(30.0);
        if x > edge {
            T::ONE
        } else if x < -edge {
            T::ZERO
        } else {
            let x2 = x * x;
            let v = x * (T::from_f64(GELU_TANH_K0) + T::from_f64(GELU_TANH_K1) * x2);
            let dv = T::from_f64(GELU_TANH_K0) + T::from_f64(3.0 * GELU_TANH_K1) * x2;
            let (s, c) = sigmoid_pair(v);
            s * (T::ONE + x * c * dv)
        }
    }
}

/// The exponential linear unit: `x` for `x > 0`, else `alpha (e^x - 1)`:
/// PyTorch's `nn.ELU(alpha)`.
///
/// Its derivative is 1 for `x > 0`, else `alpha e^x`; at the kink, 0, it
/// takes the left side, `alpha`, as PyTorch's autograd does. `alpha` is 1
/// unless a spec sets another, as in `ELU(0.5)`. `f(-inf) = -alpha`,
/// `f'(-inf) = 0`; NaN gives NaN. Initialised like the ReLU family (He).
///
/// For `f32`, `e^x - 1` is [`fast::expm1_f32`](crate::fast::expm1_f32)
/// (relative error below `2e-7`, accurate near 0) and `e^x` is
/// [`fast::exp_f32`](crate::fast::exp_f32): with `alpha` rounded to `f32`,
/// `f` and `f'` have a relative error below `2.7e-7` on the negative side
/// (`f'` below `2.9e-45` absolute where `alpha e^x` is subnormal) and are
/// exact on the positive side. For `f64` they are `libm`'s `expm1`
/// and `exp`, within a few ulp.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Elu};
///
/// let elu = Elu::default();
/// assert_eq!(elu.alpha(), 1.0);
/// assert_eq!(elu.f(2.0_f64), 2.0);
/// assert!((elu.f(-1.0_f64) - (-0.6321205588285577)).abs() < 1e-15);
/// let half = Elu::new(0.5);
/// assert_eq!(half.f(f32::NEG_INFINITY), -0.5);
/// assert_eq!(half.df(0.0_f32, 0.0), 0.5);
/// assert_eq!(half.df(1e-30_f32, 1e-30), 1.0);
/// assert!(half.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Elu {
    alpha: f64,
}

impl Elu {
    /// The `alpha` used when a spec names `ELU` without one (PyTorch's
    /// default).
    pub const DEFAULT_ALPHA: f64 = 1.0;

    /// An ELU whose negative side saturates at `-alpha`.
    #[must_use]
    pub const fn new(alpha: f64) -> Self {
        Self { alpha }
    }

    /// The `alpha`: the negative side is `alpha (e^x - 1)`.
    #[must_use]
    pub const fn alpha(&self) -> f64 {
        self.alpha
    }
}

impl Default for Elu {
    fn default() -> Self {
        Self::new(Self::DEFAULT_ALPHA)
    }
}

impl<T: Float> Activation<T> for Elu {
    const NAME: &'static str = "ELU";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        // NaN takes the second branch and stays NaN.
        if x > T::ZERO {
            x
        } else {
            T::from_f64(self.alpha) * x.fast_exp_m1()
        }
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        if x > T::ZERO {
            T::ONE
        } else {
            T::from_f64(self.alpha) * x.fast_exp()
        }
    }
}

/// The softplus, `ln(1 + e^x)`, a smooth ReLU, with PyTorch's threshold:
/// `x` itself for `x > 20`, as PyTorch's `nn.Softplus()` (`beta=1`,
/// `threshold=20`) computes it.
///
/// Its derivative is the logistic sigmoid `s(x) = 1 / (1 + e^-x)`, and 1
/// above the threshold (PyTorch's autograd, again). The function is
/// smooth; the threshold leaves a step of about `2e-9` in `f` at 20,
/// below `f32`'s resolution there. `f(-inf) = 0`, `f(inf) = inf`; NaN
/// gives NaN. Initialised like the ReLU family (He).
///
/// For `f32`, `f` is [`fast::softplus_f32`](crate::fast::softplus_f32):
/// relative error below `3.2e-7` wherever it is at least
/// `f32::MIN_POSITIVE`, absolute error below `2.1e-45` below it; `f'` is
/// the [`Sigmoid`] activation's (relative error below `3e-7`). For `f64`
/// both go through `libm`, within a few ulp.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Softplus};
/// let y = Softplus.f(0.0_f64);
/// assert!((y - core::f64::consts::LN_2).abs() < 1e-16);
/// assert_eq!(Softplus.df(0.0_f64, y), 0.5);
/// assert_eq!(Softplus.f(25.0_f32), 25.0);
/// assert_eq!(Softplus.df(25.0_f32, 25.0), 1.0);
/// assert_eq!(Softplus.f(f32::NEG_INFINITY), 0.0);
/// assert!(Softplus.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Softplus;

impl Softplus {
    /// PyTorch's threshold: above it, `f(x) = x` and `f'(x) = 1`.
    pub const THRESHOLD: f64 = 20.0;
}

impl<T: Float> Activation<T> for Softplus {
    const NAME: &'static str = "Softplus";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        // NaN fails the test and stays NaN.
        if x > T::from_f64(Self::THRESHOLD) {
            x
        } else {
            x.fast_softplus()
        }
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        if x > T::from_f64(Self::THRESHOLD) {
            T::ONE
        } else {
            sigmoid(x)
        }
    }
}

/// The rectified linear unit capped at 6, `f(x) = min(max(0, x), 6)`:
/// PyTorch's `nn.ReLU6`.
///
/// Its derivative is 1 for `0 < x < 6` and 0 elsewhere, both kinks
/// included, as PyTorch's autograd (`hardtanh_backward`) has it. Exact in
/// every type; NaN gives NaN in `f` and in `f'`; `-0` gives `-0`, as in
/// PyTorch. Initialised like the ReLU family (He).
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Relu6};
/// assert_eq!(Relu6.f(-1.0_f32), 0.0);
/// assert_eq!(Relu6.f(2.5_f32), 2.5);
/// assert_eq!(Relu6.f(7.0_f32), 6.0);
/// assert_eq!(Relu6.df(2.5_f32, 2.5), 1.0);
/// assert_eq!(Relu6.df(0.0_f32, 0.0), 0.0);
/// assert_eq!(Relu6.df(6.0_f32, 6.0), 0.0);
/// assert!(Relu6.f(f32::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Relu6;

impl<T: Scalar> Activation<T> for Relu6 {
    const NAME: &'static str = "ReLU6";
    const INIT: crate::init::Scheme = crate::init::Scheme::He;

    #[inline]
    fn f(&self, x: T) -> T {
        clamp(x, T::ZERO, T::from_f64(6.0))
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        inside(x, T::ZERO, T::from_f64(6.0))
    }
}

/// The hard hyperbolic tangent, `f(x) = min(max(-1, x), 1)`: PyTorch's
/// `nn.Hardtanh()` (`min_val=-1`, `max_val=1`).
///
/// Its derivative is 1 for `-1 < x < 1` and 0 elsewhere, both kinks
/// included, as PyTorch's autograd (`hardtanh_backward`) has it. Exact in
/// every type; NaN gives NaN in `f` and in `f'`. Initialised like `Tanh`
/// (Glorot).
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Hardtanh};
/// assert_eq!(Hardtanh.f(-3.0_f64), -1.0);
/// assert_eq!(Hardtanh.f(0.25_f64), 0.25);
/// assert_eq!(Hardtanh.f(3.0_f64), 1.0);
/// assert_eq!(Hardtanh.df(0.25_f64, 0.25), 1.0);
/// assert_eq!(Hardtanh.df(-1.0_f64, -1.0), 0.0);
/// assert_eq!(Hardtanh.df(1.0_f64, 1.0), 0.0);
/// assert!(Hardtanh.df(f64::NAN, f64::NAN).is_nan());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Hardtanh;

impl<T: Scalar> Activation<T> for Hardtanh {
    const NAME: &'static str = "Hardtanh";

    #[inline]
    fn f(&self, x: T) -> T {
        clamp(x, -T::ONE, T::ONE)
    }

    #[inline]
    fn df(&self, x: T, _y: T) -> T {
        inside(x, -T::ONE, T::ONE)
    }
}

/// `x` clamped to `[lo, hi]`, NaN passing through and `-0` staying `-0`.
#[inline]
fn clamp<T: Scalar>(x: T, lo: T, hi: T) -> T {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// 1 strictly inside `(lo, hi)`, 0 at the ends and outside, NaN for NaN.
#[inline]
fn inside<T: Scalar>(x: T, lo: T, hi: T) -> T {
    if x > lo && x < hi {
        T::ONE
    } else if is_unordered(x) {
        x
    } else {
        T::ZERO
    }
}

/// `true` for NaN, the one value unequal to itself: what `f32::is_nan` and
/// `f64::is_nan` compute, from `PartialEq` alone, so it needs no [`Float`]
/// (always `false` for a type without NaN).
#[inline]
#[allow(clippy::eq_op)]
fn is_unordered<T: Scalar>(x: T) -> bool {
    x != x
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
/// Its exponentials are [`Float::fast_exp`]: for `f32` the deterministic
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
    pub fn forward<T: SoftmaxScalar, const N: usize>(&self, z: &[T; N]) -> [T; N] {
        softmax(z)
    }

    /// The gradient at the logits from the gradient `g` at the
    /// probabilities `p`: `p_i (g_i - sum_j p_j g_j)`, the Jacobian of
    /// softmax applied to `g`.
    #[inline]
    #[must_use]
    pub fn backward<T: Scalar, const N: usize>(&self, p: &[T; N], g: &[T; N]) -> [T; N] {
        let mut dot = T::EMPTY_SUM;
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
fn max_of<T: Float, const N: usize>(z: &[T; N]) -> T {
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
/// The cross-entropy loss uses it, so it keeps [`Float::exp`] (`libm`, at
/// full accuracy) where [`softmax`] uses the compact [`Float::fast_exp`].
///
/// # Examples
///
/// ```
/// let l = backprop_core::activation::log_sum_exp(&[1000.0_f64, 1000.0]);
/// assert!((l - (1000.0 + 2.0_f64.ln())).abs() < 1e-12);
/// ```
#[inline]
#[must_use]
pub fn log_sum_exp<T: Float, const N: usize>(z: &[T; N]) -> T {
    if N == 0 {
        return T::ZERO;
    }
    let max = max_of(z);
    if !max.is_finite() {
        return max;
    }
    let mut sum = T::EMPTY_SUM;
    for &v in z {
        sum += (v - max).exp();
    }
    max + sum.ln()
}

/// Softmax of `z` in the scalar type's own form
/// ([`SoftmaxScalar::softmax`]): for floats with [`Float::fast_exp`], see
/// [`Softmax`]; for the fixed-point types through a fixed-point `e^x`
/// ([`crate::fixed`]).
///
/// # Examples
///
/// ```
/// let p = backprop_core::activation::softmax(&[0.0_f64, 2.0_f64.ln()]);
/// assert!((p[0] - 1.0 / 3.0).abs() < 1e-15 && (p[1] - 2.0 / 3.0).abs() < 1e-15);
/// ```
#[inline]
#[must_use]
pub fn softmax<T: SoftmaxScalar, const N: usize>(z: &[T; N]) -> [T; N] {
    T::softmax(z)
}

/// A scalar with a softmax: what a network whose last layer is `Softmax`
/// needs of its scalar type. Every [`Float`] has it (with
/// [`Float::fast_exp`], the bits [`softmax`] has always given), and so do
/// the fixed-point types of [`crate::fixed`] (through a fixed-point
/// `e^x`, each probability within 0.51 LSB).
///
/// # Examples
///
/// ```
/// use backprop_core::activation::SoftmaxScalar;
///
/// assert_eq!(f32::softmax(&[0.0, 0.0]), [0.5, 0.5]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`Softmax` has no form for the scalar type `{Self}`",
    label = "no softmax for `{Self}`",
    note = "a `Softmax` layer needs `backprop_core::activation::SoftmaxScalar`, which every `Float` (`f32`, `f64`) and the fixed-point types `Q16_16` and `Q8_8` implement"
)]
pub trait SoftmaxScalar: Scalar {
    /// The probabilities `e^(z_i) / sum_j e^(z_j)` for logits `z`,
    /// computed from `z_i - max_j z_j` so that they are finite for any
    /// logits.
    fn softmax<const N: usize>(z: &[Self; N]) -> [Self; N];
}

impl<T: Float> SoftmaxScalar for T {
    #[inline]
    fn softmax<const N: usize>(z: &[Self; N]) -> [Self; N] {
        float_softmax(z)
    }
}

/// Softmax of `z` for a float, with [`Float::fast_exp`]; see [`Softmax`].
#[inline]
fn float_softmax<T: Float, const N: usize>(z: &[T; N]) -> [T; N] {
    let mut out = [T::ZERO; N];
    if N == 0 {
        return out;
    }
    let max = max_of(z);
    let mut sum = T::EMPTY_SUM;
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
/// [`Float::fast_exp`]; see [`Sigmoid`] for the accuracy.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::sigmoid;
/// assert_eq!(sigmoid(0.0_f32), 0.5);
/// assert_eq!(sigmoid(-1000.0_f64), 0.0);
/// ```
#[inline]
pub fn sigmoid<T: Float>(x: T) -> T {
    // With a vector unit: one exponential, `e^-|x|`. It is `e^-x` for
    // `x >= 0` and `e^x` below, the two exponentials of the branches below,
    // so the results are those branches' bits (at `x = -0.0`, `e^-0` and
    // `e^0` are both 1; a test checks every case). Only the numerator is
    // chosen, with no branch around the exponential, so a layer of sigmoids
    // is vectorised. On a scalar FPU (a Cortex-M4F) the branches are
    // smaller code: the tutorial network's training step took 122 B more
    // in this form.
    #[cfg(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    ))]
    {
        let e = (-x.abs()).fast_exp();
        let numerator = if x >= T::ZERO { T::ONE } else { e };
        numerator / (T::ONE + e)
    }
    #[cfg(not(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    )))]
    {
        if x >= T::ZERO {
            T::ONE / (T::ONE + (-x).fast_exp())
        } else {
            let e = x.fast_exp();
            e / (T::ONE + e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sigmoid in its two-branch form, `1 / (1 + e^-x)` for `x >= 0`
    /// and `e^x / (1 + e^x)` below: what [`sigmoid`]'s one exponential and
    /// select must give, bit for bit.
    fn two_branch<T: Float>(x: T) -> T {
        if x >= T::ZERO {
            T::ONE / (T::ONE + (-x).fast_exp())
        } else {
            let e = x.fast_exp();
            e / (T::ONE + e)
        }
    }

    #[test]
    fn sigmoid_gives_the_two_branch_forms_bits() {
        let same32 = |x: f32| {
            let (a, b) = (sigmoid(x), two_branch(x));
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "{x:e}: {a:e} vs {b:e}"
            );
        };
        // One f32 in every 97: every exponent, both signs, NaNs, infinities.
        for bits in (0..=u32::MAX).step_by(97) {
            same32(f32::from_bits(bits));
        }
        for x in [
            0.0,
            -0.0,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            88.7,
            -104.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            same32(x);
        }
        let mut state = 0x51_u64;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Exponents around 0, where f64's sigmoid is not saturated.
            let x = f64::from_bits((state >> 12) | 0x3c00_0000_0000_0000)
                * if state & 1 == 0 { 1.0 } else { -1.0 };
            let (a, b) = (sigmoid(x), two_branch(x));
            assert_eq!(a.to_bits(), b.to_bits(), "{x:e}");
        }
        assert_eq!(sigmoid(-0.0_f64).to_bits(), 0.5_f64.to_bits());
    }

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
