//! Loss functions: how far a prediction is from its target, and the gradient
//! that starts the backward pass.
//!
//! ```text
//! HalfSquaredError     L = 1/2 sum_i (p_i - t_i)^2              dL/dp_i = p_i - t_i
//! MeanSquaredError     L = 1/N sum_i (p_i - t_i)^2              dL/dp_i = 2 (p_i - t_i) / N
//! CrossEntropy         L = -sum_i t_i ln p_i                     dL/dp_i = -t_i / p_i
//! BinaryCrossEntropy   L = -sum_i t_i ln p_i + (1 - t_i) ln(1 - p_i)
//! ```
//!
//! With a `Softmax` output, `CrossEntropy` computes the loss from the logits
//! (`ln p_i = z_i - ln sum_j e^z_j`) and the gradient at the logits as
//! `p - t`; with a `Sigmoid` output, `BinaryCrossEntropy` does the same. Both
//! stay finite for finite inputs even when a probability rounds to 0 or 1.

use crate::activation::{Activation, Softmax, log_sum_exp};
use crate::{Float, Scalar};

/// A loss function over a network's output.
///
/// A loss gives the scalar it measures ([`Loss::loss`]) and its gradient with
/// respect to the prediction ([`Loss::gradient`]). The generated backward pass
/// starts from the output layer's pre-activation, and asks the loss for both
/// there: [`Loss::output_loss`] and [`Loss::output_delta`] for an
/// element-wise output activation, [`Loss::softmax_loss`] and
/// [`Loss::softmax_delta`] for a softmax output. Their defaults apply the
/// chain rule; a loss may override them with a fused, numerically better
/// formula.
///
/// # Examples
///
/// A user-defined loss, the absolute error:
///
/// ```
/// use backprop_core::{Scalar, loss::Loss};
///
/// struct AbsoluteError;
///
/// impl<T: Scalar> Loss<T> for AbsoluteError {
///     fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T {
///         let mut sum = T::ZERO;
///         for (p, t) in prediction.iter().zip(target) {
///             sum += (*p - *t).abs();
///         }
///         sum
///     }
///
///     fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N] {
///         let mut g = [T::ZERO; N];
///         for ((g, p), t) in g.iter_mut().zip(prediction).zip(target) {
///             if p > t { *g = T::ONE } else if p < t { *g = -T::ONE }
///         }
///         g
///     }
/// }
///
/// assert_eq!(AbsoluteError.loss(&[1.0_f32, 4.0], &[2.0, 2.0]), 3.0);
/// assert_eq!(AbsoluteError.gradient(&[1.0_f32, 4.0], &[2.0, 2.0]), [-1.0, 1.0]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a loss for the scalar type `{T}`",
    label = "not a loss for `{T}`",
    note = "`CrossEntropy` and `BinaryCrossEntropy` need a logarithm and are for floats (`f32`, `f64`); a fixed-point network (`Q16_16`, `Q8_8`) trains with `HalfSquaredError` or `MeanSquaredError`"
)]
pub trait Loss<T: Scalar> {
    /// The loss of one sample.
    fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T;

    /// The gradient of [`Loss::loss`] with respect to each prediction.
    fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N];

    /// The loss of an output layer with an element-wise `activation`, whose
    /// pre-activation is `pre` and output `prediction`. Defaults to
    /// [`Loss::loss`].
    #[inline]
    fn output_loss<A: Activation<T>, const N: usize>(
        &self,
        activation: &A,
        pre: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> T {
        let _ = (activation, pre);
        self.loss(prediction, target)
    }

    /// The gradient with respect to the output layer's pre-activation `pre`,
    /// whose activation under `activation` is `prediction`.
    ///
    /// The default is the chain rule, `dL/dpre = dL/dprediction * f'(pre)`.
    #[inline]
    fn output_delta<A: Activation<T>, const N: usize>(
        &self,
        activation: &A,
        pre: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> [T; N] {
        chain_rule(
            self.gradient(prediction, target),
            activation,
            pre,
            prediction,
        )
    }

    /// The loss of a softmax output layer with logits `logits` and
    /// probabilities `prediction`. Defaults to [`Loss::loss`].
    #[inline]
    fn softmax_loss<const N: usize>(
        &self,
        logits: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> T {
        let _ = logits;
        self.loss(prediction, target)
    }

    /// The gradient at the logits of a softmax output layer. The default is
    /// the chain rule through the softmax Jacobian,
    /// [`Softmax::backward`](crate::activation::Softmax::backward).
    #[inline]
    fn softmax_delta<const N: usize>(
        &self,
        logits: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> [T; N] {
        let _ = logits;
        Softmax.backward(prediction, &self.gradient(prediction, target))
    }
}

/// `dL/dpre_i = dL/dprediction_i * f'(pre_i)`, in place.
#[inline]
fn chain_rule<T: Scalar, A: Activation<T>, const N: usize>(
    mut gradient: [T; N],
    activation: &A,
    pre: &[T; N],
    prediction: &[T; N],
) -> [T; N] {
    for ((d, z), y) in gradient.iter_mut().zip(pre).zip(prediction) {
        *d *= activation.df(*z, *y);
    }
    gradient
}

/// Half the squared error, summed over the outputs: the tutorial's loss.
///
/// ```text
/// L = 1/2 sum_i (p_i - t_i)^2        dL/dp_i = p_i - t_i
/// ```
///
/// The one half cancels the two of the derivative.
///
/// # Examples
///
/// ```
/// use backprop_core::loss::{HalfSquaredError, Loss};
///
/// let (p, t) = ([2.5_f64], [3.0]);
/// assert_eq!(HalfSquaredError.loss(&p, &t), 0.125);
/// assert_eq!(HalfSquaredError.gradient(&p, &t), [-0.5]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HalfSquaredError;

impl<T: Scalar> Loss<T> for HalfSquaredError {
    #[inline]
    fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T {
        half_squared_error(prediction, target)
    }

    #[inline]
    fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N] {
        let mut g = [T::ZERO; N];
        for ((g, p), t) in g.iter_mut().zip(prediction).zip(target) {
            *g = *p - *t;
        }
        g
    }
}

/// `1/2 sum_i (p_i - t_i)^2`, summed in index order.
///
/// # Examples
///
/// ```
/// let l = backprop_core::loss::half_squared_error(&[1.0_f32, 2.0], &[0.0, 0.0]);
/// assert_eq!(l, 2.5);
/// ```
#[inline]
pub fn half_squared_error<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    squared_error_sum(prediction, target) * T::from_f64(0.5)
}

fn squared_error_sum<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    let mut sum = T::EMPTY_SUM;
    for (p, t) in prediction.iter().zip(target) {
        let e = *p - *t;
        sum += e * e;
    }
    sum
}

/// The mean over the outputs of the squared error.
///
/// ```text
/// L = 1/N sum_i (p_i - t_i)^2        dL/dp_i = 2 (p_i - t_i) / N
/// ```
///
/// # Examples
///
/// ```
/// use backprop_core::loss::{Loss, MeanSquaredError};
///
/// let (p, t) = ([1.0_f64, 3.0], [0.0, 0.0]);
/// assert_eq!(MeanSquaredError.loss(&p, &t), 5.0);
/// assert_eq!(MeanSquaredError.gradient(&p, &t), [1.0, 3.0]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MeanSquaredError;

impl<T: Scalar> Loss<T> for MeanSquaredError {
    #[inline]
    fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T {
        squared_error_sum(prediction, target) / count::<T, N>()
    }

    #[inline]
    fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N] {
        let scale = T::from_f64(2.0) / count::<T, N>();
        let mut g = [T::ZERO; N];
        for ((g, p), t) in g.iter_mut().zip(prediction).zip(target) {
            *g = (*p - *t) * scale;
        }
        g
    }
}

/// `N` as a scalar.
fn count<T: Scalar, const N: usize>() -> T {
    #[allow(clippy::cast_precision_loss)]
    T::from_f64(N as f64)
}

/// Cross-entropy, `-sum_i t_i ln p_i`, for a classifier with a `Softmax`
/// output. Targets may be one-hot or any probabilities.
///
/// With a softmax output the loss is computed from the logits, `t_i (lse(z) -
/// z_i)`, and the gradient at the logits is `p_i sum_j t_j - t_i` (`p - t`
/// for targets that sum to 1): no logarithm of a probability that rounded to
/// 0, so no infinity. Terms with `t_i = 0` contribute nothing.
///
/// A network whose last layer is element-wise (`=> 3 Linear`, as PyTorch
/// users feed logits to `nn.CrossEntropyLoss`) gives no distribution to
/// take the logarithm of, and would train on a NaN loss: training it with
/// `CrossEntropy` is a compile error (when the step is built, `cargo build`,
/// not `cargo check`) whose message says to end the network in `Softmax`.
///
/// # Examples
///
/// ```
/// use backprop_core::loss::{CrossEntropy, Loss};
///
/// let (p, t) = ([0.25_f64, 0.75], [0.0, 1.0]);
/// assert!((CrossEntropy.loss(&p, &t) - 0.75_f64.ln().abs()).abs() < 1e-15);
/// // From logits that would round a probability to 0, still finite:
/// let logits = [1000.0_f32, 0.0, -1000.0];
/// let probs = backprop_core::activation::softmax(&logits);
/// let l = CrossEntropy.softmax_loss(&logits, &probs, &[0.0, 0.0, 1.0]);
/// assert_eq!(l, 2000.0);
/// assert_eq!(CrossEntropy.softmax_delta(&logits, &probs, &[0.0, 0.0, 1.0]), [1.0, 0.0, -1.0]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CrossEntropy;

/// The pairings of a loss and an output activation that would train on
/// NaN, refused when the code that pairs them is compiled: each const
/// depends on the activation `A`, so it is evaluated for the pairs a
/// program uses, and its panic is the compile error.
struct Refuse<T, A>(core::marker::PhantomData<(T, A)>);

impl<T: Scalar, A: Activation<T>> Refuse<T, A> {
    /// `CrossEntropy` after an element-wise output layer.
    const CROSS_ENTROPY: () = panic!(
        "`CrossEntropy` takes the probabilities of a `Softmax` output layer: end the network \
         in `Softmax` (`=> N Softmax`); the loss is then computed from its logits, as \
         PyTorch's `nn.CrossEntropyLoss` computes it from the logits it is given. For one \
         probability per output, end in `Sigmoid` and use `BinaryCrossEntropy`"
    );
    /// `BinaryCrossEntropy` after an element-wise output layer other than
    /// `Sigmoid`.
    const BINARY_CROSS_ENTROPY: () = assert!(
        A::LOGISTIC,
        "`BinaryCrossEntropy` takes the probabilities of a `Sigmoid` output layer: end the \
         network in `Sigmoid` (`=> 1 Sigmoid`); the loss is then computed from its logits, \
         as PyTorch's `nn.BCEWithLogitsLoss` computes it"
    );
}

impl<T: Float> Loss<T> for CrossEntropy {
    /// Refused at compile time: an element-wise output layer gives no
    /// probability distribution (see [`CrossEntropy`]).
    #[inline]
    fn output_loss<A: Activation<T>, const N: usize>(
        &self,
        _activation: &A,
        _pre: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> T {
        let () = Refuse::<T, A>::CROSS_ENTROPY;
        self.loss(prediction, target)
    }

    /// Refused at compile time, as [`Loss::output_loss`] is.
    #[inline]
    fn output_delta<A: Activation<T>, const N: usize>(
        &self,
        _activation: &A,
        _pre: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> [T; N] {
        let () = Refuse::<T, A>::CROSS_ENTROPY;
        self.gradient(prediction, target)
    }

    #[inline]
    fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T {
        let mut sum = T::EMPTY_SUM;
        for (p, t) in prediction.iter().zip(target) {
            if *t != T::ZERO {
                sum -= *t * p.ln();
            }
        }
        sum
    }

    #[inline]
    fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N] {
        let mut g = [T::ZERO; N];
        for ((g, p), t) in g.iter_mut().zip(prediction).zip(target) {
            if *t != T::ZERO {
                *g = -*t / *p;
            }
        }
        g
    }

    #[inline]
    fn softmax_loss<const N: usize>(
        &self,
        logits: &[T; N],
        _prediction: &[T; N],
        target: &[T; N],
    ) -> T {
        let lse = log_sum_exp(logits);
        let mut sum = T::EMPTY_SUM;
        for (z, t) in logits.iter().zip(target) {
            if *t != T::ZERO {
                sum += *t * (lse - *z);
            }
        }
        sum
    }

    #[inline]
    fn softmax_delta<const N: usize>(
        &self,
        _logits: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> [T; N] {
        let mut total = T::EMPTY_SUM;
        for t in target {
            total += *t;
        }
        let mut delta = [T::ZERO; N];
        for ((d, p), t) in delta.iter_mut().zip(prediction).zip(target) {
            *d = *p * total - *t;
        }
        delta
    }
}

/// Binary cross-entropy, `-sum_i t_i ln p_i + (1 - t_i) ln(1 - p_i)`, for
/// outputs that are each a probability, usually from a `Sigmoid` layer.
///
/// With a sigmoid output the loss is computed from the pre-activation `z`
/// as `max(z, 0) - z t + ln(1 + e^-|z|)` and the gradient at `z` is
/// `p - t`: finite even where `p` rounds to 0 or 1. After any other
/// element-wise output layer (`Linear` logits, as for PyTorch's
/// `nn.BCEWithLogitsLoss`) it is a compile error when the step is built,
/// whose message says to end the network in `Sigmoid`.
///
/// # Examples
///
/// ```
/// use backprop_core::activation::{Activation, Sigmoid};
/// use backprop_core::loss::{BinaryCrossEntropy, Loss};
///
/// let (p, t) = ([0.5_f64], [1.0]);
/// assert!((BinaryCrossEntropy.loss(&p, &t) - 2.0_f64.ln()).abs() < 1e-15);
/// // A confident wrong answer: p = sigmoid(-100) rounds to 0 in f32.
/// let z = [-100.0_f32];
/// let p = [Sigmoid.f(z[0])];
/// let l = BinaryCrossEntropy.output_loss(&Sigmoid, &z, &p, &[1.0]);
/// assert_eq!(l, 100.0);
/// assert_eq!(BinaryCrossEntropy.output_delta(&Sigmoid, &z, &p, &[1.0]), [-1.0]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BinaryCrossEntropy;

impl<T: Float> Loss<T> for BinaryCrossEntropy {
    #[inline]
    fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T {
        let mut sum = T::EMPTY_SUM;
        for (p, t) in prediction.iter().zip(target) {
            let q = T::ONE - *t;
            if *t != T::ZERO {
                sum -= *t * p.ln();
            }
            if q != T::ZERO {
                sum -= q * (T::ONE - *p).ln();
            }
        }
        sum
    }

    #[inline]
    fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N] {
        let mut g = [T::ZERO; N];
        for ((g, p), t) in g.iter_mut().zip(prediction).zip(target) {
            *g = (*p - *t) / (*p * (T::ONE - *p));
        }
        g
    }

    #[inline]
    fn output_loss<A: Activation<T>, const N: usize>(
        &self,
        activation: &A,
        pre: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> T {
        let _ = (activation, prediction);
        let () = Refuse::<T, A>::BINARY_CROSS_ENTROPY;
        let mut sum = T::EMPTY_SUM;
        for (z, t) in pre.iter().zip(target) {
            let positive = if *z > T::ZERO { *z } else { T::ZERO };
            sum += positive - *z * *t + (-z.abs()).exp().ln_1p();
        }
        sum
    }

    #[inline]
    fn output_delta<A: Activation<T>, const N: usize>(
        &self,
        activation: &A,
        pre: &[T; N],
        prediction: &[T; N],
        target: &[T; N],
    ) -> [T; N] {
        let _ = (activation, pre);
        let () = Refuse::<T, A>::BINARY_CROSS_ENTROPY;
        let mut delta = [T::ZERO; N];
        for ((d, p), t) in delta.iter_mut().zip(prediction).zip(target) {
            *d = *p - *t;
        }
        delta
    }
}
