//! Optimizers: how a gradient becomes a parameter update.
//!
//! ```text
//! Sgd                      w <- w - lr g
//!   .with_weight_decay(d)  g <- g + d w                       (before the rest)
//!   .with_momentum(m)      v <- m v + g;  w <- w - lr v
//!   .nesterov()            v <- m v + g;  w <- w - lr (g + m v)
//! Adam                     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//!                          w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
//! ```
//!
//! These are the conventions of the usual frameworks (PyTorch's `SGD` and
//! `Adam`). Optimizers that keep state hold it in arrays sized by the
//! network's parameter count `P`, which the compiler infers from the network
//! the optimizer is first used with.

use crate::{Float, Scalar};

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

    /// `true` when the step can be taken one parameter at a time:
    /// [`Optimizer::begin_step`], then [`Optimizer::update`] once for each
    /// parameter in any order, gives exactly what [`Optimizer::step`] gives.
    /// A generated network's `train_step` then updates each parameter as soon
    /// as its gradient is known, during the backward pass, with no gradient
    /// array (less memory and fewer passes; on a microcontroller this is
    /// what keeps a training step within a hand-written one's stack).
    const ELEMENTWISE: bool = false;

    /// Prepares one step taken with [`Optimizer::update`] (for instance,
    /// advances a step count). Only called when `ELEMENTWISE` is `true`.
    #[inline]
    fn begin_step(&mut self) {}

    /// Updates parameter `index` (in the flat order) given its gradient.
    /// Only called when `ELEMENTWISE` is `true`; an optimizer that sets it
    /// must implement this.
    #[inline]
    fn update(&mut self, index: usize, param: &mut T, gradient: T) {
        let _ = (index, param, gradient);
    }
}

/// Stochastic gradient descent, the tutorial's update rule, with optional
/// weight decay, momentum and Nesterov momentum.
///
/// `V` is the momentum state: [`NoMomentum`] for plain SGD (no memory at
/// all), or [`Velocity`] once [`Sgd::with_momentum`] is called. `D` says
/// whether weight decay is on: [`NoDecay`], or [`WeightDecay`] once
/// [`Sgd::with_weight_decay`] is called. Both are in the type so that plain
/// SGD's update is exactly `w - lr g`, with no test of a decay that is
/// never set: a generated training step updates each parameter inline,
/// and a test there would have the compiler write the whole backward pass
/// out twice, once for each outcome.
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{Optimizer, Sgd};
///
/// // Plain SGD: w' = w - 0.25 g
/// let mut sgd = Sgd::new(0.25_f64);
/// let mut params = [1.0, 0.5];
/// sgd.step(&mut params, &[-0.5, 2.0]);
/// assert_eq!(params, [1.125, 0.0]);
///
/// // With momentum 0.5: the second step also moves by half the first.
/// let mut sgd = Sgd::new(1.0_f64).with_momentum(0.5);
/// let mut w = [0.0];
/// sgd.step(&mut w, &[1.0]);
/// sgd.step(&mut w, &[1.0]);
/// assert_eq!(w, [-2.5]);
///
/// // Weight decay 0.5 is part of the type: w' = w - 1 (g + 0.5 w).
/// use backprop_core::optim::{NoMomentum, WeightDecay};
/// let mut sgd: Sgd<f64, NoMomentum, WeightDecay> = Sgd::new(1.0).with_weight_decay(0.5);
/// let mut w = [2.0];
/// sgd.step(&mut w, &[1.0]);
/// assert_eq!(w, [0.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd<T, V = NoMomentum, D = NoDecay> {
    learning_rate: T,
    weight_decay: T,
    momentum: T,
    nesterov: bool,
    velocity: V,
    decay: D,
}

/// The state of plain SGD: nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoMomentum;

/// The velocity of SGD with momentum, one value per parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Velocity<T, const P: usize>(pub [T; P]);

/// SGD without weight decay (the default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoDecay;

/// SGD with weight decay, set by [`Sgd::with_weight_decay`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct WeightDecay;

impl<T: Scalar> Sgd<T> {
    /// Plain SGD with the given learning rate (the tutorial uses 0.25).
    #[must_use]
    pub const fn new(learning_rate: T) -> Self {
        Self {
            learning_rate,
            weight_decay: T::ZERO,
            momentum: T::ZERO,
            nesterov: false,
            velocity: NoMomentum,
            decay: NoDecay,
        }
    }
}

impl<T: Scalar, D> Sgd<T, NoMomentum, D> {
    /// Adds momentum `momentum` (0.9 is usual); the velocity starts at zero
    /// and has one entry per parameter.
    #[must_use]
    pub fn with_momentum<const P: usize>(self, momentum: T) -> Sgd<T, Velocity<T, P>, D> {
        Sgd {
            learning_rate: self.learning_rate,
            weight_decay: self.weight_decay,
            momentum,
            nesterov: false,
            velocity: Velocity([T::ZERO; P]),
            decay: self.decay,
        }
    }
}

impl<T: Scalar, V, D> Sgd<T, V, D> {
    /// Adds L2 weight decay: each gradient gets `decay * w` added first.
    #[must_use]
    pub fn with_weight_decay(self, decay: T) -> Sgd<T, V, WeightDecay> {
        Sgd {
            learning_rate: self.learning_rate,
            weight_decay: decay,
            momentum: self.momentum,
            nesterov: self.nesterov,
            velocity: self.velocity,
            decay: WeightDecay,
        }
    }

    /// The learning rate.
    #[must_use]
    pub fn learning_rate(&self) -> T {
        self.learning_rate
    }

    /// Changes the learning rate, for a schedule.
    pub fn set_learning_rate(&mut self, learning_rate: T) {
        self.learning_rate = learning_rate;
    }
}

impl<T: Scalar, const P: usize, D> Sgd<T, Velocity<T, P>, D> {
    /// Uses Nesterov momentum: the step is `g + momentum * v` rather than `v`.
    #[must_use]
    pub fn nesterov(mut self) -> Self {
        self.nesterov = true;
        self
    }

    /// The velocity, in the flat parameter order.
    #[must_use]
    pub fn velocity(&self) -> &[T; P] {
        &self.velocity.0
    }
}

impl<T: Scalar, const P: usize> Optimizer<T, P> for Sgd<T, NoMomentum, NoDecay> {
    const ELEMENTWISE: bool = true;

    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        for (index, (p, g)) in params.iter_mut().zip(gradients).enumerate() {
            <Self as Optimizer<T, P>>::update(self, index, p, *g);
        }
    }

    #[inline(always)]
    fn update(&mut self, _index: usize, param: &mut T, gradient: T) {
        *param -= self.learning_rate * gradient;
    }
}

impl<T: Scalar, const P: usize> Optimizer<T, P> for Sgd<T, NoMomentum, WeightDecay> {
    const ELEMENTWISE: bool = true;

    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        for (index, (p, g)) in params.iter_mut().zip(gradients).enumerate() {
            <Self as Optimizer<T, P>>::update(self, index, p, *g);
        }
    }

    #[inline(always)]
    fn update(&mut self, _index: usize, param: &mut T, gradient: T) {
        // Without decay, `g + 0 * w` would turn an infinite weight's step NaN.
        let g = if self.weight_decay == T::ZERO {
            gradient
        } else {
            gradient + self.weight_decay * *param
        };
        *param -= self.learning_rate * g;
    }
}

impl<T: Scalar, const P: usize, D> Optimizer<T, P> for Sgd<T, Velocity<T, P>, D> {
    const ELEMENTWISE: bool = true;

    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        for (index, (p, g)) in params.iter_mut().zip(gradients).enumerate() {
            <Self as Optimizer<T, P>>::update(self, index, p, *g);
        }
    }

    #[inline]
    fn update(&mut self, index: usize, param: &mut T, gradient: T) {
        let Some(v) = self.velocity.0.get_mut(index) else {
            return;
        };
        let g = gradient + self.weight_decay * *param;
        *v = self.momentum * *v + g;
        let update = if self.nesterov {
            g + self.momentum * *v
        } else {
            *v
        };
        *param -= self.learning_rate * update;
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

/// Adam: per-parameter steps scaled by running estimates of the gradient's
/// first and second moments, with bias correction.
///
/// Defaults: `beta1 = 0.9`, `beta2 = 0.999`, `epsilon = 1e-8`. The state
/// (two arrays of `P` values and the step count) lives inside the value; no
/// heap.
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{Adam, Optimizer};
///
/// // Adam's first step moves every parameter by about the learning rate,
/// // whatever the gradient's scale.
/// let mut adam = Adam::new(0.1_f64);
/// let mut w = [1.0, 1.0];
/// adam.step(&mut w, &[1000.0, -0.001]);
/// assert!((w[0] - 0.9).abs() < 1e-9 && (w[1] - 1.1).abs() < 1e-4);
/// assert_eq!(adam.steps(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adam<T, const P: usize> {
    learning_rate: T,
    beta1: T,
    beta2: T,
    epsilon: T,
    beta1_power: T,
    beta2_power: T,
    steps: u64,
    m: [T; P],
    v: [T; P],
}

impl<T: Scalar, const P: usize> Adam<T, P> {
    /// Adam with the given learning rate and the default betas and epsilon.
    #[must_use]
    pub fn new(learning_rate: T) -> Self {
        Self {
            learning_rate,
            beta1: T::from_f64(0.9),
            beta2: T::from_f64(0.999),
            epsilon: T::from_f64(1e-8),
            beta1_power: T::ONE,
            beta2_power: T::ONE,
            steps: 0,
            m: [T::ZERO; P],
            v: [T::ZERO; P],
        }
    }

    /// Sets the decay rates of the first and second moment estimates.
    #[must_use]
    pub fn with_betas(mut self, beta1: T, beta2: T) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// Sets the term added to the denominator for stability.
    #[must_use]
    pub fn with_epsilon(mut self, epsilon: T) -> Self {
        self.epsilon = epsilon;
        self
    }

    /// The learning rate.
    #[must_use]
    pub fn learning_rate(&self) -> T {
        self.learning_rate
    }

    /// Changes the learning rate, for a schedule.
    pub fn set_learning_rate(&mut self, learning_rate: T) {
        self.learning_rate = learning_rate;
    }

    /// How many steps have been taken.
    #[must_use]
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The first moment estimates, in the flat parameter order.
    #[must_use]
    pub fn first_moments(&self) -> &[T; P] {
        &self.m
    }

    /// The second moment estimates, in the flat parameter order.
    #[must_use]
    pub fn second_moments(&self) -> &[T; P] {
        &self.v
    }
}

impl<T: Float, const P: usize> Optimizer<T, P> for Adam<T, P> {
    const ELEMENTWISE: bool = true;

    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        <Self as Optimizer<T, P>>::begin_step(self);
        for (index, (p, g)) in params.iter_mut().zip(gradients).enumerate() {
            <Self as Optimizer<T, P>>::update(self, index, p, *g);
        }
    }

    #[inline]
    fn begin_step(&mut self) {
        self.steps += 1;
        self.beta1_power *= self.beta1;
        self.beta2_power *= self.beta2;
    }

    #[inline]
    fn update(&mut self, index: usize, param: &mut T, gradient: T) {
        let (Some(m), Some(v)) = (self.m.get_mut(index), self.v.get_mut(index)) else {
            return;
        };
        *m = self.beta1 * *m + (T::ONE - self.beta1) * gradient;
        *v = self.beta2 * *v + (T::ONE - self.beta2) * gradient * gradient;
        let m_hat = *m / (T::ONE - self.beta1_power);
        let v_hat = *v / (T::ONE - self.beta2_power);
        *param -= self.learning_rate * m_hat / (v_hat.sqrt() + self.epsilon);
    }
}
