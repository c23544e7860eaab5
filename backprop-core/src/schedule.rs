//! Learning-rate schedules: step decay, exponential decay, and cosine
//! annealing after a linear warm-up.
//!
//! ```text
//! Constant(lr)                           lr
//! StepDecay::new(lr, size, gamma)        lr * gamma^floor(k / size)
//! Exponential::new(lr, gamma)            lr * gamma^k
//! CosineWithWarmup::new(lr, w, total)    k < w:          lr * (s + (1 - s) * k / w)
//!                                        w <= k < total: min + (lr - min) * (1 + cos(pi * (k - w) / (total - w))) / 2
//!                                        k >= total:     min
//! ```
//!
//! `k` counts from 0 and is whatever the caller steps by: the epoch in
//! [`Fit`](crate::fit::Fit), or the update if you call [`Schedule::apply`]
//! before every batch. A schedule is a pure function of `k`
//! ([`Schedule::learning_rate`]): it keeps no state, so resuming at epoch
//! 40 is `apply(40, ..)`, and the same `k` always gives the same rate.
//!
//! Every rate is computed in `f64` with the pure-Rust [`libm`] (`pow`,
//! `cos`) and converted to the optimizer's scalar once, by
//! [`Scalar::from_f64`], so a schedule gives the same bits on every target.
//!
//! # Against PyTorch
//!
//! The formulas are the closed forms of PyTorch's `StepLR`,
//! `ExponentialLR`, `CosineAnnealingLR`, and `LinearLR` followed by
//! `CosineAnnealingLR` in a `SequentialLR` (milestone at the end of the
//! warm-up), with `k` as PyTorch's `last_epoch` after `k` calls of
//! `scheduler.step()`. The differences:
//!
//! - PyTorch updates the rate recursively (`lr *= gamma`, and a ratio of
//!   cosines for `CosineAnnealingLR`), which can differ from the closed
//!   form in the last bits after many steps; here every rate is the closed
//!   form, so it does not drift.
//! - After `total`, `CosineAnnealingLR` keeps following the cosine, back up
//!   towards the base rate (a period of `2 (total - w)`); [`CosineWithWarmup`]
//!   stays at the minimum instead, as "cosine decay" schedules do.
//! - `LinearLR`'s default start factor is `1/3`, and so is
//!   [`CosineWithWarmup`]'s; `LinearLR` refuses a start factor of 0, this
//!   one allows it (a warm-up that starts from 0, as in Hugging Face's
//!   `get_cosine_schedule_with_warmup`).
//! - `StepLR` divides by `step_size`; a `step_size` of 0 here is taken as 1
//!   rather than an error.
//!
//! # Examples
//!
//! ```
//! use backprop_core::optim::Sgd;
//! use backprop_core::schedule::{LearningRate, Schedule, StepDecay};
//!
//! // Halve the rate every 10 epochs.
//! let schedule = StepDecay::new(0.1, 10, 0.5);
//! let mut sgd = Sgd::new(0.0_f32);
//! for epoch in 0..30 {
//!     let lr: f32 = schedule.apply(epoch, &mut sgd);
//!     assert_eq!(lr, sgd.learning_rate());
//!     // ... train one epoch ...
//! }
//! assert_eq!(sgd.learning_rate(), 0.025);
//! ```

use crate::Scalar;
use crate::optim::{Adam, Sgd};

/// An optimizer whose learning rate can be read and set: what a
/// [`Schedule`] drives, and what [`Fit`](crate::fit::Fit) reports.
///
/// [`Sgd`] and [`Adam`] implement it with their inherent
/// `learning_rate` and `set_learning_rate`; an optimizer of yours
/// implements it in two lines.
///
/// # Examples
///
/// ```
/// use backprop_core::{Scalar, optim::Optimizer, schedule::LearningRate};
///
/// struct SignSgd<T> { lr: T }
///
/// impl<T: Scalar, const P: usize> Optimizer<T, P> for SignSgd<T> {
///     fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
///         for (p, g) in params.iter_mut().zip(gradients) {
///             if *g > T::ZERO { *p -= self.lr } else if *g < T::ZERO { *p += self.lr }
///         }
///     }
/// }
///
/// impl<T: Scalar> LearningRate<T> for SignSgd<T> {
///     fn learning_rate(&self) -> T { self.lr }
///     fn set_learning_rate(&mut self, learning_rate: T) { self.lr = learning_rate }
/// }
///
/// let mut opt = SignSgd { lr: 0.5_f64 };
/// LearningRate::set_learning_rate(&mut opt, 0.25);
/// assert_eq!(opt.learning_rate(), 0.25);
/// ```
pub trait LearningRate<T> {
    /// The learning rate the next step will use.
    fn learning_rate(&self) -> T;

    /// Sets the learning rate, checking nothing (the checked training
    /// steps refuse an invalid one when they use it).
    fn set_learning_rate(&mut self, learning_rate: T);
}

impl<T: Scalar, V, D> LearningRate<T> for Sgd<T, V, D> {
    #[inline]
    fn learning_rate(&self) -> T {
        Sgd::learning_rate(self)
    }

    #[inline]
    fn set_learning_rate(&mut self, learning_rate: T) {
        Sgd::set_learning_rate(self, learning_rate);
    }
}

impl<T: Scalar, const P: usize, D> LearningRate<T> for Adam<T, P, D> {
    #[inline]
    fn learning_rate(&self) -> T {
        Adam::learning_rate(self)
    }

    #[inline]
    fn set_learning_rate(&mut self, learning_rate: T) {
        Adam::set_learning_rate(self, learning_rate);
    }
}

impl<T, O: LearningRate<T> + ?Sized> LearningRate<T> for &mut O {
    #[inline]
    fn learning_rate(&self) -> T {
        (**self).learning_rate()
    }

    #[inline]
    fn set_learning_rate(&mut self, learning_rate: T) {
        (**self).set_learning_rate(learning_rate);
    }
}

/// A learning rate as a function of a step count `k` (an epoch, or an
/// update), computed in `f64`.
///
/// # Examples
///
/// A schedule of your own: the inverse square root decay of the
/// Transformer paper, without its warm-up.
///
/// ```
/// use backprop_core::schedule::Schedule;
///
/// struct InverseSqrt(f64);
///
/// impl Schedule for InverseSqrt {
///     fn learning_rate(&self, k: u32) -> f64 {
///         self.0 / (f64::from(k) + 1.0).sqrt()
///     }
/// }
///
/// assert_eq!(InverseSqrt(0.5).learning_rate(3), 0.25);
/// ```
pub trait Schedule {
    /// The learning rate for step `k` (from 0).
    fn learning_rate(&self, k: u32) -> f64;

    /// Sets `optimizer`'s learning rate to the rate for step `k`,
    /// converted to `T` with [`Scalar::from_f64`], and returns it.
    fn apply<T: Scalar, O: LearningRate<T> + ?Sized>(&self, k: u32, optimizer: &mut O) -> T {
        let learning_rate = T::from_f64(self.learning_rate(k));
        optimizer.set_learning_rate(learning_rate);
        learning_rate
    }
}

impl<S: Schedule + ?Sized> Schedule for &S {
    #[inline]
    fn learning_rate(&self, k: u32) -> f64 {
        (**self).learning_rate(k)
    }
}

/// The same learning rate at every step.
///
/// # Examples
///
/// ```
/// use backprop_core::schedule::{Constant, Schedule};
///
/// assert_eq!(Constant(0.01).learning_rate(0), 0.01);
/// assert_eq!(Constant(0.01).learning_rate(u32::MAX), 0.01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constant(pub f64);

impl Schedule for Constant {
    #[inline]
    fn learning_rate(&self, _k: u32) -> f64 {
        self.0
    }
}

/// Step decay, PyTorch's `StepLR`: the base rate times `gamma` once every
/// `step_size` steps, `lr * gamma^floor(k / step_size)`.
///
/// A `step_size` of 0 is taken as 1.
///
/// # Examples
///
/// PyTorch's documented example: 0.05 for epochs 0 to 29, 0.005 for 30 to
/// 59, 0.0005 for 60 to 89.
///
/// ```
/// use backprop_core::schedule::{Schedule, StepDecay};
///
/// let schedule = StepDecay::new(0.05, 30, 0.1);
/// assert_eq!(schedule.learning_rate(0), 0.05);
/// assert_eq!(schedule.learning_rate(29), 0.05);
/// assert!((schedule.learning_rate(30) - 0.005).abs() < 1e-17);
/// assert!((schedule.learning_rate(89) - 0.0005).abs() < 1e-18);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepDecay {
    base: f64,
    step_size: u32,
    gamma: f64,
}

impl StepDecay {
    /// Starts at `base`, multiplied by `gamma` every `step_size` steps.
    #[must_use]
    pub const fn new(base: f64, step_size: u32, gamma: f64) -> Self {
        Self {
            base,
            step_size,
            gamma,
        }
    }
}

impl Schedule for StepDecay {
    fn learning_rate(&self, k: u32) -> f64 {
        let decays = k / self.step_size.max(1);
        self.base * libm::pow(self.gamma, f64::from(decays))
    }
}

/// Exponential decay, PyTorch's `ExponentialLR`: `lr * gamma^k`.
///
/// # Examples
///
/// ```
/// use backprop_core::schedule::{Exponential, Schedule};
///
/// let schedule = Exponential::new(1.0, 0.5);
/// assert_eq!(schedule.learning_rate(0), 1.0);
/// assert_eq!(schedule.learning_rate(3), 0.125);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exponential {
    base: f64,
    gamma: f64,
}

impl Exponential {
    /// Starts at `base`, multiplied by `gamma` at every step.
    #[must_use]
    pub const fn new(base: f64, gamma: f64) -> Self {
        Self { base, gamma }
    }
}

impl Schedule for Exponential {
    fn learning_rate(&self, k: u32) -> f64 {
        self.base * libm::pow(self.gamma, f64::from(k))
    }
}

/// Cosine annealing after a linear warm-up: PyTorch's `LinearLR` for the
/// first `warmup` steps, then `CosineAnnealingLR` with `T_max = total -
/// warmup`, then the minimum.
///
/// For steps `k < warmup`, `base * (s + (1 - s) * k / warmup)` with the
/// start factor `s` (default `1/3`, as `LinearLR`'s; see
/// [`CosineWithWarmup::with_start_factor`]). For `warmup <= k < total`,
/// `min + (base - min) * (1 + cos(pi * (k - warmup) / (total - warmup))) /
/// 2`: `base` at `k = warmup`, falling to `min` (default 0,
/// [`CosineWithWarmup::with_min`]). From `k = total` on, `min` (PyTorch's
/// cosine would rise again; see the [module documentation](self)). With
/// `warmup = 0` it is plain `CosineAnnealingLR(T_max = total)`; with `total
/// <= warmup`, the rate drops to `min` right after the warm-up.
///
/// # Examples
///
/// ```
/// use backprop_core::schedule::{CosineWithWarmup, Schedule};
///
/// // Two warm-up epochs from half the rate, then 4 epochs of cosine.
/// let schedule = CosineWithWarmup::new(1.0, 2, 6).with_start_factor(0.5).with_min(0.0);
/// let rates: Vec<f64> = (0..8).map(|k| schedule.learning_rate(k)).collect();
/// assert_eq!(rates[..3], [0.5, 0.75, 1.0]);
/// assert!((rates[3] - (1.0 + core::f64::consts::FRAC_1_SQRT_2) / 2.0).abs() < 1e-15);
/// assert_eq!(rates[4], 0.5);
/// assert_eq!(rates[6..], [0.0, 0.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CosineWithWarmup {
    base: f64,
    min: f64,
    warmup: u32,
    total: u32,
    start_factor: f64,
}

impl CosineWithWarmup {
    /// Warms up linearly for `warmup` steps to `base`, then anneals to the
    /// minimum (0) at step `total` (counted from 0, warm-up included).
    #[must_use]
    pub const fn new(base: f64, warmup: u32, total: u32) -> Self {
        Self {
            base,
            min: 0.0,
            warmup,
            total,
            start_factor: 1.0 / 3.0,
        }
    }

    /// The rate the cosine falls to, PyTorch's `eta_min` (default 0).
    #[must_use]
    pub const fn with_min(mut self, min: f64) -> Self {
        self.min = min;
        self
    }

    /// The fraction of `base` the warm-up starts from at step 0, PyTorch's
    /// `start_factor` (default `1/3`; 0 starts from a rate of 0).
    #[must_use]
    pub const fn with_start_factor(mut self, start_factor: f64) -> Self {
        self.start_factor = start_factor;
        self
    }
}

impl Schedule for CosineWithWarmup {
    fn learning_rate(&self, k: u32) -> f64 {
        if k < self.warmup {
            let s = self.start_factor;
            return self.base * (s + (1.0 - s) * f64::from(k) / f64::from(self.warmup));
        }
        if k >= self.total {
            return self.min;
        }
        let t = f64::from(k - self.warmup);
        let t_max = f64::from(self.total - self.warmup);
        let cosine = libm::cos(core::f64::consts::PI * t / t_max);
        self.min + (self.base - self.min) * (1.0 + cosine) / 2.0
    }
}
