//! Optimizers: how a gradient becomes a parameter update.

use crate::Scalar;

/// Updates a network's flat parameter array from its gradient.
///
/// `P` is the network's parameter count, so an optimizer that keeps state
/// (momentum, moment estimates) can hold it in fixed arrays of that size.
/// Generated networks call it from `train_step` with the parameters and the
/// gradient in the same flat order.
///
/// # Examples
///
/// A user-defined optimizer that clips each step:
///
/// ```
/// use backprop_core::{Scalar, optim::Optimizer};
///
/// struct ClippedSgd<T> { lr: T, max_step: T }
///
/// impl<T: Scalar, const P: usize> Optimizer<T, P> for ClippedSgd<T> {
///     fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
///         for (p, g) in params.iter_mut().zip(gradients) {
///             let mut d = self.lr * *g;
///             if d > self.max_step { d = self.max_step }
///             if d < -self.max_step { d = -self.max_step }
///             *p -= d;
///         }
///     }
/// }
///
/// let mut params = [1.0_f32, 1.0];
/// ClippedSgd { lr: 1.0, max_step: 0.5 }.step(&mut params, &[0.25, 4.0]);
/// assert_eq!(params, [0.75, 0.5]);
/// ```
pub trait Optimizer<T: Scalar, const P: usize> {
    /// Applies one update to `params` given their `gradients`.
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]);
}

/// Plain stochastic gradient descent, the tutorial's update rule:
///
/// ```text
/// w' = w - learning_rate * dL/dw
/// ```
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{Optimizer, Sgd};
///
/// let mut sgd = Sgd::new(0.25_f64);
/// let mut params = [1.0, 0.5];
/// sgd.step(&mut params, &[-0.5, 2.0]);
/// assert_eq!(params, [1.125, 0.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd<T> {
    learning_rate: T,
}

impl<T: Scalar> Sgd<T> {
    /// Plain SGD with the given learning rate (the tutorial uses 0.25).
    #[must_use]
    pub const fn new(learning_rate: T) -> Self {
        Self { learning_rate }
    }

    /// The learning rate.
    #[must_use]
    pub fn learning_rate(&self) -> T {
        self.learning_rate
    }
}

impl<T: Scalar, const P: usize> Optimizer<T, P> for Sgd<T> {
    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        sgd_step(params, gradients, self.learning_rate);
    }
}

/// `params[i] -= learning_rate * gradients[i]` for every `i`.
///
/// # Examples
///
/// ```
/// let mut w = [1.0_f32, 2.0];
/// backprop_core::optim::sgd_step(&mut w, &[1.0, -1.0], 0.5);
/// assert_eq!(w, [0.5, 2.5]);
/// ```
#[inline]
pub fn sgd_step<T: Scalar, const P: usize>(
    params: &mut [T; P],
    gradients: &[T; P],
    learning_rate: T,
) {
    for (p, g) in params.iter_mut().zip(gradients) {
        *p -= learning_rate * *g;
    }
}
