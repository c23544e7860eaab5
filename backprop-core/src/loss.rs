//! Loss functions: how far a prediction is from its target, and the gradient
//! that starts the backward pass.

use crate::Scalar;
use crate::activation::Activation;

/// A loss function over a network's output.
///
/// A loss gives the scalar it measures ([`Loss::loss`]) and its gradient with
/// respect to the prediction ([`Loss::gradient`]). The generated backward pass
/// asks for [`Loss::output_delta`], the gradient with respect to the output
/// layer's pre-activation; its default applies the chain rule through the
/// output activation, and a loss may override it with a fused, numerically
/// better formula.
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
pub trait Loss<T: Scalar> {
    /// The loss of one sample.
    fn loss<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> T;

    /// The gradient of [`Loss::loss`] with respect to each prediction.
    fn gradient<const N: usize>(&self, prediction: &[T; N], target: &[T; N]) -> [T; N];

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
        let mut delta = self.gradient(prediction, target);
        for ((d, z), y) in delta.iter_mut().zip(pre).zip(prediction) {
            *d *= activation.df(*z, *y);
        }
        delta
    }
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
    let mut sum = T::NEG_ZERO;
    for (p, t) in prediction.iter().zip(target) {
        let e = *p - *t;
        sum += e * e;
    }
    sum * T::from_f64(0.5)
}
