//! Optimizers: how a gradient becomes a parameter update.
//!
//! ```text
//! Sgd                           w <- w - lr g
//!   .with_weight_decay(d)       g <- g + d w                       (before the rest)
//!   .with_momentum(m)           v <- m v + g;  w <- w - lr v
//!   .with_dampening(s)          v <- m v + (1 - s) g               (from the second step)
//!   .nesterov()                 v <- m v + g;  w <- w - lr (g + m v)
//! Adam                          m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//!                               w <- w - (lr / (1 - b1^t)) (m / (sqrt(v) / sqrt(1 - b2^t) + eps))
//!   .with_weight_decay(d)       g <- g + d w                       (before the moments)
//!   .with_decoupled_weight_decay(d)
//!                               w <- w (1 - lr d)                  (AdamW; before the step)
//! ClipGradNorm::new(opt, c)     g <- g min(1, c / (|g| + 1e-6))    (|g|: the whole gradient's norm)
//! ClipGradValue::new(opt, c)    g <- clamp(g, -c, c)
//! ```
//!
//! These are PyTorch's `SGD`, `Adam` and `AdamW`, and its
//! `clip_grad_norm_` and `clip_grad_value_` called before `step()`; the
//! section [Against PyTorch](#against-pytorch) lists every difference.
//! Optimizers that keep state hold it in arrays sized by the network's
//! parameter count `P`, which the compiler infers from the network the
//! optimizer is first used with. Options that cost something are in the
//! optimizer's type ([`Sgd`]'s momentum, dampening and decay, [`Adam`]'s
//! decay), so an optimizer without them computes exactly the plain update,
//! with no test or multiplication for an option that is off.
//!
//! # Against PyTorch
//!
//! `tests/test_optim_torch.rs` trains a `3 => 5 Tanh => 2 Linear` network
//! for 100 steps in `f64` with each option above, one sample per step and
//! whole batches, and follows PyTorch 2.15's trajectories to within
//! `1e-13` relative (the largest difference measured is `2.4e-15`):
//! the update formulas are the same, computed in a slightly different
//! order. What differs:
//!
//! | PyTorch | here |
//! |---|---|
//! | `SGD(lr, momentum, dampening, weight_decay, nesterov)` | `Sgd::new(lr)` with `.with_weight_decay`, `.with_momentum`, `.with_dampening`, `.nesterov()`; the first step's velocity is the gradient, undampened, as in PyTorch |
//! | `Adam(lr, betas, eps, weight_decay)` | `Adam::new(lr)` with `.with_betas`, `.with_epsilon`, `.with_weight_decay` (L2, as PyTorch's) |
//! | `AdamW(lr, betas, eps, weight_decay=0.01)`, `Adam(..., decoupled_weight_decay=True)` | `Adam::new(lr).with_decoupled_weight_decay(d)`, the type [`AdamW`]; the decay has no default and is always written |
//! | `maximize=True` | absent: negate the loss's gradient (a [`Loss`](crate::loss::Loss) of your own) |
//! | `amsgrad=True` | absent |
//! | `foreach`, `fused`, `capturable`, `differentiable` | no meaning here: every update is one fused loop over the parameters, in the flat order |
//! | parameter groups (a learning rate per layer) | absent: one optimizer for all of a network's parameters |
//! | Adam's step: `lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`, with `b^t` by `pow`, and the first moment by `lerp` | the same formula, its two step constants computed once per step, but `b^t` a running product and `m <- b1 m + (1 - b1) g`: the same values, rounded differently (a few ulp) |
//! | `clip_grad_norm_(params, max_norm, norm_type=2.0)`: any `p`-norm, returns the norm, sums tensor by tensor | [`ClipGradNorm`]: the 2-norm only, summed in the flat order; the norm is not returned |
//! | `clip_grad_norm_(..., error_if_nonfinite=True)` | the checked steps (`try_train_step`, ...) refuse a non-finite gradient before clipping |
//! | `clip_grad_value_(params, clip_value)` | [`ClipGradValue`] |
//! | hyperparameter checks: `lr >= 0`, `momentum >= 0`, `weight_decay >= 0`, `0 <= beta < 1`, `eps >= 0`, Nesterov needs momentum and no dampening | the rules in the table below, checked by the `try_` builders and the checked steps, and stricter: momentum and dampening at most 1, epsilon greater than 0, everything finite |
//! | learning-rate schedulers (`StepLR`, ...) | [`schedule`](crate::schedule), which lists its own differences |
//!
//! # Hyperparameters and checked steps
//!
//! Each hyperparameter has a rule, documented on its type and checked by
//! [`Optimizer::check_hyperparameters`]:
//!
//! | hyperparameter | rule |
//! |---|---|
//! | learning rate | finite and not negative |
//! | weight decay | finite and not negative |
//! | momentum, dampening | in `[0, 1]`; Nesterov momentum only with a dampening of 0 |
//! | Adam's `beta1`, `beta2` | in `[0, 1)` |
//! | Adam's `epsilon` | finite and greater than 0 *in the scalar type* |
//! | a clip's maximum norm or value | finite and not negative |
//!
//! The builder methods (`Sgd::new`, `with_momentum`, `Adam::with_betas`,
//! `set_learning_rate`, ...) take any value, check nothing and never panic,
//! so they stay `const` where they are and cost nothing in a training loop;
//! their `try_` forms ([`Sgd::try_new`], [`Adam::try_with_betas`], ...)
//! check the values they are given and return an [`OptimError`]. Whichever
//! was used, the checked training steps (`try_train_step`,
//! `try_train_batch`, `train_epoch`) go through [`Optimizer::try_step`],
//! which refuses an optimizer that breaks a rule
//! ([`TrainError::Optimizer`]) and an update that would make a parameter or
//! a value of the optimizer's state NaN or infinite
//! ([`NonFinite::Update`], [`NonFinite::OptimizerState`]), leaving both
//! exactly as they were. The plain `train_step` and `train_batch` check
//! nothing: they are the fast path.
//!
//! ```
//! use backprop_core::{NonFinite, TrainError, loss::HalfSquaredError, network};
//! use backprop_core::optim::{Adam, OptimError, Sgd};
//!
//! network! { struct Net: 1 => 1 Linear; }
//!
//! // Checked where it is set:
//! assert_eq!(Adam::<f32, 2>::new(0.01).try_with_betas(1.0, 0.999).unwrap_err(), OptimError::Beta1);
//!
//! // Checked where it is used: with beta1 = 1 Adam divides by 1 - 1 = 0.
//! let mut net = Net::<f32>::from_params([0.5, 0.0]);
//! let mut adam = Adam::new(0.01).with_betas(1.0, 0.999);
//! let err = net.try_train_step(&[1.0], &[2.0], &HalfSquaredError, &mut adam);
//! assert_eq!(err, Err(TrainError::Optimizer(OptimError::Beta1)));
//!
//! // Valid hyperparameters, but this step overflows: refused, nothing changes.
//! let mut sgd = Sgd::new(1e38_f32);
//! let err = net.try_train_step(&[1.0], &[10.0], &HalfSquaredError, &mut sgd);
//! assert_eq!(err, Err(TrainError::NonFinite(NonFinite::Update { index: 0 })));
//! assert_eq!(err.unwrap_err().to_string(), "the update of parameter 0 is not finite");
//! assert_eq!(net.params(), &[0.5, 0.0]);
//! ```

use core::fmt;

use crate::network::{NonFinite, TrainError};
use crate::schedule::LearningRate;
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

    /// [`Optimizer::update`] of the `N` parameters at flat indices
    /// `offset..offset + N`, the gradient of `params[j]` being
    /// `scale * factors[j]`: a row of a layer's weight matrix, whose
    /// gradients are one entry of the layer's error times its input (or the
    /// other way round). Only called when `ELEMENTWISE` is `true`.
    ///
    /// It must give exactly what [`Optimizer::update`] gives on each
    /// parameter in turn, which is what the default does. An optimizer with
    /// per-parameter state can override it to take the row's state as one
    /// slice, so the compiler sees a loop over contiguous values with no
    /// index to check and can vectorise it; the built-in ones do.
    #[inline(always)]
    fn update_row<const N: usize>(
        &mut self,
        offset: usize,
        params: &mut [T; N],
        scale: T,
        factors: &[T; N],
    ) {
        for j in 0..N {
            self.update(offset + j, &mut params[j], scale * factors[j]);
        }
    }

    /// Checks the hyperparameters against the rules of the optimizer's
    /// type (for the built-in ones, the table in the [module
    /// documentation](self)). [`Optimizer::try_step`] refuses to step when
    /// this fails. The default accepts everything.
    ///
    /// # Errors
    ///
    /// The first hyperparameter that breaks its rule.
    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        Ok(())
    }

    /// The flat index of the first parameter whose state in the optimizer
    /// (a velocity, a moment estimate) is NaN or infinite, or `None` if
    /// all of it is finite. The default, right for an optimizer without
    /// state, is `None`.
    fn first_non_finite_state(&self) -> Option<usize> {
        None
    }

    /// [`Optimizer::step`], taken only if the hyperparameters pass
    /// [`Optimizer::check_hyperparameters`] and the step leaves every
    /// parameter and every value of the state finite; otherwise `params`
    /// and the optimizer are left as they were. The checked training steps
    /// (`try_train_step`, `try_train_batch`, `train_epoch`) update through
    /// it.
    ///
    /// The default checks the hyperparameters, takes the step on a copy of
    /// `params` and copies it back only if every new parameter is finite
    /// and [`Optimizer::first_non_finite_state`] is `None`. It cannot undo
    /// what [`Optimizer::step`] did to `self`, so it is exact only for an
    /// optimizer without state: one with state must override it (the
    /// built-in ones do, with no copy of their state; a `Clone` one can
    /// call [`try_step_on_copies`]).
    ///
    /// # Errors
    ///
    /// [`TrainError::Optimizer`] for a hyperparameter that breaks its rule,
    /// [`TrainError::NonFinite`] with [`NonFinite::Update`] for the first
    /// parameter whose update is not finite, or with
    /// [`NonFinite::OptimizerState`] for the first parameter whose state
    /// would not be.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{NonFinite, TrainError, optim::{Optimizer, Sgd}};
    ///
    /// let mut sgd = Sgd::new(1e38_f32);
    /// let mut w = [1.0, 2.0];
    /// assert_eq!(sgd.try_step(&mut w, &[1.0, 0.5]), Ok(()));
    /// assert_eq!(w, [1.0 - 1e38, 2.0 - 0.5e38]);
    /// // 1e38 * 10 overflows: refused, `w` unchanged.
    /// let err = sgd.try_step(&mut w, &[0.0, 10.0]);
    /// assert_eq!(err, Err(TrainError::NonFinite(NonFinite::Update { index: 1 })));
    /// assert_eq!(w, [1.0 - 1e38, 2.0 - 0.5e38]);
    /// ```
    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        self.check_hyperparameters()?;
        let mut new = *params;
        self.step(&mut new, gradients);
        check_step(&new, self.first_non_finite_state())?;
        *params = new;
        Ok(())
    }
}

/// [`Optimizer::try_step`] for an optimizer that is `Clone`: steps a clone
/// of the optimizer and a copy of `params`, and commits both only if the
/// hyperparameters pass [`Optimizer::check_hyperparameters`] and every new
/// parameter and state value is finite. A refused step leaves `optimizer`
/// and `params` exactly as they were, whatever state the optimizer keeps.
/// It needs room for a second optimizer and a second parameter array.
///
/// # Errors
///
/// As [`Optimizer::try_step`].
///
/// # Examples
///
/// A user-defined optimizer with state, made exact on refusal:
///
/// ```
/// use backprop_core::{NonFinite, Scalar, TrainError};
/// use backprop_core::optim::{Optimizer, try_step_on_copies};
///
/// /// Steps by the sum of all gradients so far.
/// #[derive(Clone)]
/// struct Accumulating<T, const P: usize> { lr: T, sums: [T; P] }
///
/// impl<T: Scalar, const P: usize> Optimizer<T, P> for Accumulating<T, P> {
///     fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
///         for ((p, s), g) in params.iter_mut().zip(&mut self.sums).zip(gradients) {
///             *s += *g;
///             *p -= self.lr * *s;
///         }
///     }
///     fn first_non_finite_state(&self) -> Option<usize> {
///         self.sums.iter().position(|s| !s.is_finite())
///     }
///     fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
///         try_step_on_copies(self, params, gradients)
///     }
/// }
///
/// let mut opt = Accumulating { lr: 0.5_f32, sums: [0.0] };
/// let mut w = [1.0];
/// assert_eq!(opt.try_step(&mut w, &[2.0]), Ok(()));
/// assert_eq!((w, opt.sums), ([0.0], [2.0]));
/// assert_eq!(opt.try_step(&mut w, &[f32::MAX]), Ok(()));
/// // Another huge gradient overflows the sum, and with it the step: refused.
/// let err = opt.try_step(&mut w, &[f32::MAX]);
/// assert_eq!(err, Err(TrainError::NonFinite(NonFinite::Update { index: 0 })));
/// assert_eq!((w, opt.sums), ([-0.5 * f32::MAX], [f32::MAX])); // both as they were
/// ```
pub fn try_step_on_copies<T: Scalar, O: Optimizer<T, P> + Clone, const P: usize>(
    optimizer: &mut O,
    params: &mut [T; P],
    gradients: &[T; P],
) -> Result<(), TrainError> {
    optimizer.check_hyperparameters()?;
    let (mut new_optimizer, mut new_params) = (optimizer.clone(), *params);
    new_optimizer.step(&mut new_params, gradients);
    check_step(&new_params, new_optimizer.first_non_finite_state())?;
    (*optimizer, *params) = (new_optimizer, new_params);
    Ok(())
}

/// The refusal for a step that gave `params` and left the state with
/// `non_finite_state`, if any.
fn check_step<T: Scalar>(params: &[T], non_finite_state: Option<usize>) -> Result<(), TrainError> {
    if let Some(index) = params.iter().position(|p| !p.is_finite()) {
        return Err(TrainError::NonFinite(NonFinite::Update { index }));
    }
    if let Some(index) = non_finite_state {
        return Err(TrainError::NonFinite(NonFinite::OptimizerState { index }));
    }
    Ok(())
}

/// Checks what a built-in elementwise optimizer's step would do, one
/// parameter at a time, with no copy of the parameters or the state:
/// `probe(optimizer, index, param, gradient)` runs the real
/// [`Optimizer::update`] on a copy of the parameter, puts the parameter's
/// state back as it was, and returns the new parameter and whether the new
/// state was finite. Nothing is written to `params`.
fn probe_updates<T: Scalar, O, const P: usize>(
    optimizer: &mut O,
    params: &[T; P],
    gradients: &[T; P],
    mut probe: impl FnMut(&mut O, usize, T, T) -> (T, bool),
) -> Result<(), TrainError> {
    for (index, (p, g)) in params.iter().zip(gradients).enumerate() {
        let (new, state_is_finite) = probe(optimizer, index, *p, *g);
        if !new.is_finite() {
            return Err(TrainError::NonFinite(NonFinite::Update { index }));
        }
        if !state_is_finite {
            return Err(TrainError::NonFinite(NonFinite::OptimizerState { index }));
        }
    }
    Ok(())
}

/// Why a hyperparameter was refused: the rule it breaks (the table in the
/// [module documentation](self)).
///
/// Returned by the `try_` constructors and setters of [`Sgd`] and [`Adam`]
/// and by [`Optimizer::check_hyperparameters`]; a checked training step
/// wraps it in [`TrainError::Optimizer`].
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{Adam, OptimError, Sgd};
///
/// assert_eq!(Sgd::try_new(f32::INFINITY), Err(OptimError::LearningRate));
/// assert!(Sgd::try_new(0.1_f32).is_ok());
/// let err = Adam::<f64, 4>::new(0.01).try_with_epsilon(0.0).unwrap_err();
/// assert_eq!(err, OptimError::Epsilon);
/// assert_eq!(err.to_string(), "epsilon must be finite and greater than 0 in the scalar type");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OptimError {
    /// The learning rate is NaN, infinite or negative.
    LearningRate,
    /// The weight decay is NaN, infinite or negative.
    WeightDecay,
    /// The momentum is outside `[0, 1]` (or NaN).
    Momentum,
    /// SGD's dampening is outside `[0, 1]` (or NaN).
    Dampening,
    /// Nesterov momentum with a dampening other than 0 (PyTorch refuses
    /// the same).
    NesterovDampening,
    /// Adam's `beta1` is outside `[0, 1)` (or NaN).
    Beta1,
    /// Adam's `beta2` is outside `[0, 1)` (or NaN).
    Beta2,
    /// Adam's `epsilon` is NaN, infinite, or not greater than 0 as a value
    /// of the scalar type (a value such as `1e-8` that rounds to 0 in a
    /// fixed-point type is refused).
    Epsilon,
    /// [`ClipGradNorm`]'s maximum norm is NaN, infinite or negative.
    MaxNorm,
    /// [`ClipGradValue`]'s clip value is NaN, infinite or negative.
    ClipValue,
    /// A hyperparameter of another optimizer: the rule it breaks, as a
    /// sentence ("the step limit must be positive"), which is what
    /// `Display` prints.
    Other(&'static str),
}

impl fmt::Display for OptimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LearningRate => "the learning rate must be finite and not negative",
            Self::WeightDecay => "the weight decay must be finite and not negative",
            Self::Momentum => "the momentum must be in [0, 1]",
            Self::Dampening => "the dampening must be in [0, 1]",
            Self::NesterovDampening => "Nesterov momentum needs a dampening of 0",
            Self::Beta1 => "beta1 must be in [0, 1)",
            Self::Beta2 => "beta2 must be in [0, 1)",
            Self::Epsilon => "epsilon must be finite and greater than 0 in the scalar type",
            Self::MaxNorm => "the maximum gradient norm must be finite and not negative",
            Self::ClipValue => "the gradient clip value must be finite and not negative",
            Self::Other(rule) => rule,
        })
    }
}

impl core::error::Error for OptimError {}

/// `Ok` if `value` is finite and `>= 0`, else `error`.
fn finite_non_negative<T: Scalar>(value: T, error: OptimError) -> Result<(), OptimError> {
    if value.is_finite() && value >= T::ZERO {
        Ok(())
    } else {
        Err(error)
    }
}

/// `Ok` if `value` is in `[0, 1)`, or `[0, 1]` when `one` is allowed, else
/// `error` (NaN fails every comparison, so it is refused).
fn unit_interval<T: Scalar>(value: T, one: bool, error: OptimError) -> Result<(), OptimError> {
    let below_one = value < T::ONE || (one && value == T::ONE);
    if value >= T::ZERO && below_one {
        Ok(())
    } else {
        Err(error)
    }
}

/// `Ok` if `epsilon` is finite and `> 0`.
fn positive_epsilon<T: Scalar>(epsilon: T) -> Result<(), OptimError> {
    if epsilon.is_finite() && epsilon > T::ZERO {
        Ok(())
    } else {
        Err(OptimError::Epsilon)
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
///
/// # Hyperparameters
///
/// The learning rate and the weight decay must be finite and not negative,
/// the momentum in `[0, 1]`. [`Sgd::new`], [`Sgd::with_momentum`],
/// [`Sgd::with_weight_decay`] and [`Sgd::set_learning_rate`] take any value
/// and check nothing (`new` is a `const fn`); their `try_` forms refuse a
/// value that breaks its rule, and the checked training steps refuse an
/// `Sgd` that breaks one ([`TrainError::Optimizer`]):
///
/// ```
/// use backprop_core::optim::{OptimError, Sgd};
///
/// let sgd = Sgd::try_new(0.1_f32)?.try_with_momentum::<4>(0.9)?.try_with_weight_decay(1e-4)?;
/// assert_eq!(sgd.learning_rate(), 0.1);
/// assert_eq!(Sgd::new(0.1_f32).try_with_momentum::<4>(1.5), Err(OptimError::Momentum));
/// assert_eq!(Sgd::new(0.1_f32).try_with_weight_decay(-1.0), Err(OptimError::WeightDecay));
/// # Ok::<(), OptimError>(())
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

    /// [`Sgd::new`], refusing a learning rate that is NaN, infinite or
    /// negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::LearningRate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{OptimError, Sgd};
    ///
    /// assert_eq!(Sgd::try_new(0.25_f64), Ok(Sgd::new(0.25)));
    /// assert_eq!(Sgd::try_new(f64::NAN), Err(OptimError::LearningRate));
    /// assert_eq!(Sgd::try_new(-0.25_f64), Err(OptimError::LearningRate));
    /// ```
    pub fn try_new(learning_rate: T) -> Result<Self, OptimError> {
        finite_non_negative(learning_rate, OptimError::LearningRate)?;
        Ok(Self::new(learning_rate))
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

    /// [`Sgd::with_momentum`], refusing a momentum outside `[0, 1]`.
    ///
    /// # Errors
    ///
    /// [`OptimError::Momentum`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{OptimError, Sgd};
    ///
    /// assert!(Sgd::new(0.1_f32).try_with_momentum::<3>(0.9).is_ok());
    /// assert_eq!(Sgd::new(0.1_f32).try_with_momentum::<3>(f32::NAN), Err(OptimError::Momentum));
    /// ```
    pub fn try_with_momentum<const P: usize>(
        self,
        momentum: T,
    ) -> Result<Sgd<T, Velocity<T, P>, D>, OptimError> {
        unit_interval(momentum, true, OptimError::Momentum)?;
        Ok(self.with_momentum(momentum))
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

    /// [`Sgd::with_weight_decay`], refusing a decay that is NaN, infinite
    /// or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::WeightDecay`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{OptimError, Sgd};
    ///
    /// assert!(Sgd::new(0.1_f32).try_with_weight_decay(1e-4).is_ok());
    /// assert_eq!(
    ///     Sgd::new(0.1_f32).try_with_weight_decay(f32::INFINITY),
    ///     Err(OptimError::WeightDecay)
    /// );
    /// ```
    pub fn try_with_weight_decay(self, decay: T) -> Result<Sgd<T, V, WeightDecay>, OptimError> {
        finite_non_negative(decay, OptimError::WeightDecay)?;
        Ok(self.with_weight_decay(decay))
    }

    /// [`Sgd::set_learning_rate`], refusing (and leaving the learning rate
    /// as it was) a learning rate that is NaN, infinite or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::LearningRate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{OptimError, Sgd};
    ///
    /// let mut sgd = Sgd::new(0.1_f32);
    /// assert_eq!(sgd.try_set_learning_rate(0.05), Ok(()));
    /// assert_eq!(sgd.try_set_learning_rate(f32::INFINITY), Err(OptimError::LearningRate));
    /// assert_eq!(sgd.learning_rate(), 0.05);
    /// ```
    pub fn try_set_learning_rate(&mut self, learning_rate: T) -> Result<(), OptimError> {
        finite_non_negative(learning_rate, OptimError::LearningRate)?;
        self.learning_rate = learning_rate;
        Ok(())
    }

    /// Every hyperparameter against its rule, in the order learning rate,
    /// weight decay, momentum.
    fn check(&self) -> Result<(), OptimError> {
        finite_non_negative(self.learning_rate, OptimError::LearningRate)?;
        finite_non_negative(self.weight_decay, OptimError::WeightDecay)?;
        unit_interval(self.momentum, true, OptimError::Momentum)
    }

    /// [`Optimizer::try_step`] for the variants without state: probes
    /// every update on a copy of its parameter, then steps.
    fn try_step_stateless<const P: usize>(
        &mut self,
        params: &mut [T; P],
        gradients: &[T; P],
    ) -> Result<(), TrainError>
    where
        Self: Optimizer<T, P>,
    {
        self.check()?;
        probe_updates(self, params, gradients, |sgd, index, mut p, g| {
            <Self as Optimizer<T, P>>::update(sgd, index, &mut p, g);
            (p, true)
        })?;
        <Self as Optimizer<T, P>>::step(self, params, gradients);
        Ok(())
    }
}

impl<T: Scalar, const P: usize, D> Sgd<T, Velocity<T, P>, D> {
    /// Dampens the momentum: from the second step on, the velocity takes
    /// `(1 - dampening) g` rather than `g` (`v <- m v + (1 - d) g`). The
    /// first step's velocity is the gradient itself, undampened, as in
    /// PyTorch's `SGD(dampening=d)`, whose velocity starts as a copy of
    /// the first gradient. A dampening of 0 steps as plain momentum does,
    /// bit for bit; plain momentum, without this call, has no dampening in
    /// its type and no multiplication for it.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Optimizer, Sgd};
    ///
    /// let mut sgd = Sgd::new(1.0_f64).with_momentum(0.5).with_dampening(0.5);
    /// let mut w = [0.0];
    /// sgd.step(&mut w, &[1.0]); // v = 1
    /// sgd.step(&mut w, &[1.0]); // v = 0.5 * 1 + 0.5 * 1 = 1
    /// assert_eq!((w, *sgd.velocity()), ([-2.0], [1.0]));
    /// ```
    #[must_use]
    pub fn with_dampening(self, dampening: T) -> Sgd<T, DampenedVelocity<T, P>, D> {
        Sgd {
            learning_rate: self.learning_rate,
            weight_decay: self.weight_decay,
            momentum: self.momentum,
            nesterov: self.nesterov,
            velocity: DampenedVelocity {
                velocity: self.velocity.0,
                dampening,
                scale: T::ONE,
                started: false,
            },
            decay: self.decay,
        }
    }

    /// [`Sgd::with_dampening`], refusing a dampening outside `[0, 1]`, and
    /// any dampening but 0 with Nesterov momentum.
    ///
    /// # Errors
    ///
    /// [`OptimError::Dampening`] or [`OptimError::NesterovDampening`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{OptimError, Sgd};
    ///
    /// let sgd = Sgd::new(0.1_f32).with_momentum::<3>(0.9);
    /// assert!(sgd.try_with_dampening(0.1).is_ok());
    /// assert_eq!(sgd.try_with_dampening(2.0).unwrap_err(), OptimError::Dampening);
    /// let err = sgd.nesterov().try_with_dampening(0.1).unwrap_err();
    /// assert_eq!(err, OptimError::NesterovDampening);
    /// ```
    pub fn try_with_dampening(
        self,
        dampening: T,
    ) -> Result<Sgd<T, DampenedVelocity<T, P>, D>, OptimError> {
        self.check_momentum(dampening)?;
        Ok(self.with_dampening(dampening))
    }
}

impl<T: Scalar, const P: usize, D> Sgd<T, DampenedVelocity<T, P>, D> {
    /// The dampening.
    #[must_use]
    pub fn dampening(&self) -> T {
        self.velocity.dampening
    }
}

/// The methods of every SGD with momentum, on each kind of velocity.
macro_rules! momentum_methods {
    ($($velocity:ident),*) => {$(
        impl<T: Scalar, const P: usize, D> Sgd<T, $velocity<T, P>, D> {
            /// Uses Nesterov momentum: the step is `g + momentum * v` rather
            /// than `v`. As in PyTorch, it needs a dampening of 0 (the
            /// checked steps refuse both together with
            /// [`OptimError::NesterovDampening`]).
            #[must_use]
            pub fn nesterov(mut self) -> Self {
                self.nesterov = true;
                self
            }

            /// The velocity, in the flat parameter order.
            #[must_use]
            pub fn velocity(&self) -> &[T; P] {
                Momentum::velocity(&self.velocity)
            }
        }
    )*};
}
momentum_methods!(Velocity, DampenedVelocity);

impl<T: Scalar, V, D> Sgd<T, V, D> {
    /// The hyperparameters a momentum step reads, copied.
    #[inline(always)]
    fn momentum_step(&self) -> MomentumStep<T> {
        MomentumStep {
            learning_rate: self.learning_rate,
            momentum: self.momentum,
            decay: self.weight_decay,
            nesterov: self.nesterov,
        }
    }

    /// [`Sgd::check`], then the rules of the dampening `dampening`.
    fn check_momentum(&self, dampening: T) -> Result<(), OptimError> {
        self.check()?;
        unit_interval(dampening, true, OptimError::Dampening)?;
        if self.nesterov && dampening != T::ZERO {
            return Err(OptimError::NesterovDampening);
        }
        Ok(())
    }
}

/// The velocity of SGD with dampened momentum, made by
/// [`Sgd::with_dampening`]: one value per parameter, the dampening, and
/// whether the first step (which is not dampened) has been taken.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DampenedVelocity<T, const P: usize> {
    velocity: [T; P],
    dampening: T,
    /// What the gradient is multiplied by as it enters the velocity this
    /// step: 1 on the first step, `1 - dampening` after it.
    scale: T,
    started: bool,
}

/// The state of SGD with momentum: [`Velocity`] or [`DampenedVelocity`].
pub trait Momentum<T, const P: usize>: momentum::Sealed {
    /// What a checked step saves to undo [`Momentum::begin_step`].
    #[doc(hidden)]
    type Saved: Copy;

    /// The velocity, in the flat parameter order.
    #[doc(hidden)]
    fn velocity(&self) -> &[T; P];

    /// The velocity, to update.
    #[doc(hidden)]
    fn velocity_mut(&mut self) -> &mut [T; P];

    /// The dampening (0 for [`Velocity`]).
    #[doc(hidden)]
    fn dampening(&self) -> T;

    /// Prepares one step.
    #[doc(hidden)]
    fn begin_step(&mut self);

    /// What a gradient is multiplied by as it enters the velocity (`None`:
    /// it enters whole), and the velocity, to update: the two at once, so
    /// that a row's update can read one while it writes the other.
    #[doc(hidden)]
    fn split(&mut self) -> (Option<T>, &mut [T; P]);

    /// What [`Momentum::begin_step`] changes.
    #[doc(hidden)]
    fn saved(&self) -> Self::Saved;

    /// Puts back what [`Momentum::saved`] returned.
    #[doc(hidden)]
    fn restore(&mut self, saved: Self::Saved);
}

mod momentum {
    pub trait Sealed {}
    impl<T, const P: usize> Sealed for super::Velocity<T, P> {}
    impl<T, const P: usize> Sealed for super::DampenedVelocity<T, P> {}
}

impl<T: Scalar, const P: usize> Momentum<T, P> for Velocity<T, P> {
    type Saved = ();

    #[inline(always)]
    fn velocity(&self) -> &[T; P] {
        &self.0
    }

    #[inline(always)]
    fn velocity_mut(&mut self) -> &mut [T; P] {
        &mut self.0
    }

    #[inline(always)]
    fn dampening(&self) -> T {
        T::ZERO
    }

    #[inline(always)]
    fn begin_step(&mut self) {}

    #[inline(always)]
    fn split(&mut self) -> (Option<T>, &mut [T; P]) {
        (None, &mut self.0)
    }

    #[inline(always)]
    fn saved(&self) {}

    #[inline(always)]
    fn restore(&mut self, (): ()) {}
}

impl<T: Scalar, const P: usize> Momentum<T, P> for DampenedVelocity<T, P> {
    type Saved = (T, bool);

    #[inline(always)]
    fn velocity(&self) -> &[T; P] {
        &self.velocity
    }

    #[inline(always)]
    fn velocity_mut(&mut self) -> &mut [T; P] {
        &mut self.velocity
    }

    #[inline(always)]
    fn dampening(&self) -> T {
        self.dampening
    }

    #[inline(always)]
    fn begin_step(&mut self) {
        self.scale = if self.started {
            T::ONE - self.dampening
        } else {
            T::ONE
        };
        self.started = true;
    }

    #[inline(always)]
    fn split(&mut self) -> (Option<T>, &mut [T; P]) {
        (Some(self.scale), &mut self.velocity)
    }

    #[inline(always)]
    fn saved(&self) -> (T, bool) {
        (self.scale, self.started)
    }

    #[inline(always)]
    fn restore(&mut self, (scale, started): (T, bool)) {
        (self.scale, self.started) = (scale, started);
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

    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        self.check()
    }

    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        self.try_step_stateless(params, gradients)
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

    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        self.check()
    }

    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        self.try_step_stateless(params, gradients)
    }
}

impl<T: Scalar, const P: usize, V: Momentum<T, P>, D> Optimizer<T, P> for Sgd<T, V, D> {
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
        self.velocity.begin_step();
    }

    #[inline]
    fn update(&mut self, index: usize, param: &mut T, gradient: T) {
        let step = self.momentum_step();
        let (entering, velocity) = self.velocity.split();
        let Some(v) = velocity.get_mut(index) else {
            return;
        };
        match entering {
            None => step.one(param, v, gradient, |g| g),
            Some(s) => step.one(param, v, gradient, |g| s * g),
        }
    }

    /// One loop over the row's parameters and their slice of the velocity,
    /// with the same arithmetic as [`Optimizer::update`].
    #[inline]
    fn update_row<const N: usize>(
        &mut self,
        offset: usize,
        params: &mut [T; N],
        scale: T,
        factors: &[T; N],
    ) {
        let step = self.momentum_step();
        let (entering, velocity) = self.velocity.split();
        let Some(velocity) = row_mut::<T, N>(velocity, offset) else {
            return;
        };
        match entering {
            None => step.row(params, velocity, scale, factors, |g| g),
            Some(s) => step.row(params, velocity, scale, factors, |g| s * g),
        }
    }

    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        self.check_momentum(self.velocity.dampening())
    }

    fn first_non_finite_state(&self) -> Option<usize> {
        self.velocity.velocity().iter().position(|v| !v.is_finite())
    }

    /// Probes every update with the real [`Optimizer::update`] on a copy of
    /// its parameter, putting that parameter's velocity back after each
    /// (and what [`Optimizer::begin_step`] changed, at the end); steps only
    /// if all are finite. No copy of the parameters or the velocity is
    /// made.
    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        self.check_momentum(self.velocity.dampening())?;
        let saved = self.velocity.saved();
        <Self as Optimizer<T, P>>::begin_step(self);
        let probed = probe_updates(self, params, gradients, |sgd, index, mut p, g| {
            let Some(&saved) = sgd.velocity.velocity().get(index) else {
                return (p, true);
            };
            <Self as Optimizer<T, P>>::update(sgd, index, &mut p, g);
            let new = core::mem::replace(&mut sgd.velocity.velocity_mut()[index], saved);
            (p, new.is_finite())
        });
        self.velocity.restore(saved);
        probed?;
        <Self as Optimizer<T, P>>::step(self, params, gradients);
        Ok(())
    }
}

/// The hyperparameters of one step of SGD with momentum, copied out of the
/// optimizer so that a row's loop reads them from registers.
#[derive(Clone, Copy)]
struct MomentumStep<T> {
    learning_rate: T,
    momentum: T,
    decay: T,
    nesterov: bool,
}

impl<T: Scalar> MomentumStep<T> {
    /// [`Optimizer::update`] of SGD with momentum over one row, `enter`
    /// giving the part of a gradient that enters the velocity.
    #[inline(always)]
    fn row<const N: usize>(
        self,
        params: &mut [T; N],
        velocity: &mut [T; N],
        scale: T,
        factors: &[T; N],
        enter: impl Fn(T) -> T,
    ) {
        for ((param, factor), v) in params.iter_mut().zip(factors).zip(velocity) {
            self.one(param, v, scale * *factor, &enter);
        }
    }

    /// The update of one parameter and its velocity.
    #[inline(always)]
    fn one(self, param: &mut T, v: &mut T, gradient: T, enter: impl Fn(T) -> T) {
        let g = gradient + self.decay * *param;
        *v = self.momentum * *v + enter(g);
        let update = if self.nesterov {
            g + self.momentum * *v
        } else {
            *v
        };
        *param -= self.learning_rate * update;
    }
}

/// The `N` values of `state` from `offset` on, or `None` past its end.
#[inline(always)]
fn row_mut<T, const N: usize>(state: &mut [T], offset: usize) -> Option<&mut [T; N]> {
    state.get_mut(offset..)?.first_chunk_mut::<N>()
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
/// Defaults: `beta1 = 0.9`, `beta2 = 0.999`, `epsilon = 1e-8`, no weight
/// decay. The state (two arrays of `P` values and the step count) lives
/// inside the value; no heap.
///
/// `D` says how weight decay is applied, as [`Sgd`]'s does: [`NoDecay`]
/// (the default), [`WeightDecay`] once [`Adam::with_weight_decay`] is
/// called (L2: `g <- g + d w` before the moments, PyTorch's
/// `Adam(weight_decay=d)`), or [`DecoupledWeightDecay`] once
/// [`Adam::with_decoupled_weight_decay`] is called (`w <- w (1 - lr d)`
/// before the step, PyTorch's `AdamW(weight_decay=d)`; the type is also
/// named [`AdamW`]).
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
///
/// # Hyperparameters
///
/// The learning rate and the weight decay must be finite and not negative,
/// `beta1` and `beta2` in `[0, 1)` (at 1, the bias correction divides by
/// `1 - 1^t = 0`), and `epsilon` finite and greater than 0 as a value of
/// `T` (at 0, a gradient of exactly 0 gives `0 / 0`). [`Adam::new`],
/// [`Adam::with_betas`], [`Adam::with_epsilon`],
/// [`Adam::with_weight_decay`], [`Adam::with_decoupled_weight_decay`] and
/// [`Adam::set_learning_rate`] take any value and check nothing; their
/// `try_` forms refuse a value that breaks its rule, and the checked
/// training steps refuse an `Adam` that breaks one
/// ([`TrainError::Optimizer`]):
///
/// ```
/// use backprop_core::optim::{Adam, OptimError};
///
/// let adam = Adam::<f32, 8>::try_new(1e-3)?.try_with_betas(0.8, 0.99)?.try_with_epsilon(1e-7)?;
/// assert_eq!(adam.learning_rate(), 1e-3);
/// assert_eq!(Adam::<f32, 8>::new(1e-3).try_with_betas(0.9, 1.0), Err(OptimError::Beta2));
/// // 1e-50 is positive as an f64, but rounds to 0 as an f32.
/// assert!(Adam::<f64, 8>::new(1e-3).try_with_epsilon(1e-50).is_ok());
/// let tiny = 1e-50_f64 as f32;
/// assert_eq!(tiny, 0.0);
/// assert_eq!(Adam::<f32, 8>::new(1e-3).try_with_epsilon(tiny), Err(OptimError::Epsilon));
/// # Ok::<(), OptimError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adam<T, const P: usize, D = NoDecay> {
    learning_rate: T,
    beta1: T,
    beta2: T,
    epsilon: T,
    weight_decay: T,
    /// `1 - learning_rate * weight_decay`, what decoupled decay multiplies
    /// each weight by, computed once per step.
    decay_factor: T,
    beta1_power: T,
    beta2_power: T,
    /// `learning_rate / (1 - beta1^t)`, PyTorch's `step_size`, computed
    /// once per step.
    step_size: T,
    /// `sqrt(1 - beta2^t)`, computed once per step.
    bias_correction2_sqrt: T,
    steps: u64,
    m: [T; P],
    v: [T; P],
    decay: D,
}

/// AdamW (Loshchilov and Hutter): [`Adam`] with decoupled weight decay,
/// made by [`Adam::with_decoupled_weight_decay`]. Each step first shrinks
/// every weight, `w <- w (1 - lr d)`, then takes Adam's step from the
/// gradient alone, as PyTorch's `AdamW` does.
///
/// PyTorch's `AdamW` decays by `0.01` unless told otherwise; here the decay
/// is always written out.
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{Adam, AdamW, Optimizer};
///
/// // A zero gradient: Adam's step is 0, only the decay acts.
/// let mut adamw: AdamW<f64, 1> = Adam::new(0.1).with_decoupled_weight_decay(0.5);
/// let mut w = [2.0];
/// adamw.step(&mut w, &[0.0]);
/// assert_eq!(w, [2.0 * (1.0 - 0.1 * 0.5)]);
/// ```
pub type AdamW<T, const P: usize> = Adam<T, P, DecoupledWeightDecay>;

/// Decoupled weight decay, AdamW's: set by
/// [`Adam::with_decoupled_weight_decay`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DecoupledWeightDecay;

/// How [`Adam`] applies its weight decay: implemented by [`NoDecay`],
/// [`WeightDecay`] and [`DecoupledWeightDecay`] only.
pub trait AdamDecay: Copy + sealed::Sealed {
    /// The gradient the moments take, from the raw `gradient`, the
    /// parameter before the step and the decay.
    #[doc(hidden)]
    fn gradient<T: Scalar>(weight_decay: T, param: T, gradient: T) -> T;

    /// The parameter Adam's step is taken from: `param`, or `param` times
    /// the step's decay factor.
    #[doc(hidden)]
    fn shrink<T: Scalar>(decay_factor: T, param: T) -> T;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::NoDecay {}
    impl Sealed for super::WeightDecay {}
    impl Sealed for super::DecoupledWeightDecay {}
}

impl AdamDecay for NoDecay {
    #[inline(always)]
    fn gradient<T: Scalar>(_: T, _: T, gradient: T) -> T {
        gradient
    }

    #[inline(always)]
    fn shrink<T: Scalar>(_: T, param: T) -> T {
        param
    }
}

impl AdamDecay for WeightDecay {
    #[inline(always)]
    fn gradient<T: Scalar>(weight_decay: T, param: T, gradient: T) -> T {
        // As for SGD: without decay, `g + 0 * w` would turn an infinite
        // weight's gradient NaN.
        if weight_decay == T::ZERO {
            gradient
        } else {
            gradient + weight_decay * param
        }
    }

    #[inline(always)]
    fn shrink<T: Scalar>(_: T, param: T) -> T {
        param
    }
}

impl AdamDecay for DecoupledWeightDecay {
    #[inline(always)]
    fn gradient<T: Scalar>(_: T, _: T, gradient: T) -> T {
        gradient
    }

    #[inline(always)]
    fn shrink<T: Scalar>(decay_factor: T, param: T) -> T {
        param * decay_factor
    }
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
            weight_decay: T::ZERO,
            decay_factor: T::ONE,
            beta1_power: T::ONE,
            beta2_power: T::ONE,
            step_size: T::ZERO,
            bias_correction2_sqrt: T::ONE,
            steps: 0,
            m: [T::ZERO; P],
            v: [T::ZERO; P],
            decay: NoDecay,
        }
    }

    /// [`Adam::new`], refusing a learning rate that is NaN, infinite or
    /// negative, and a scalar type in which the default epsilon, `1e-8`,
    /// rounds to 0.
    ///
    /// # Errors
    ///
    /// [`OptimError::LearningRate`] or [`OptimError::Epsilon`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, OptimError};
    ///
    /// assert_eq!(Adam::<f32, 3>::try_new(0.01), Ok(Adam::new(0.01)));
    /// assert_eq!(Adam::<f32, 3>::try_new(f32::INFINITY), Err(OptimError::LearningRate));
    /// ```
    pub fn try_new(learning_rate: T) -> Result<Self, OptimError> {
        finite_non_negative(learning_rate, OptimError::LearningRate)?;
        let adam = Self::new(learning_rate);
        positive_epsilon(adam.epsilon)?;
        Ok(adam)
    }

    /// Adds L2 weight decay, PyTorch's `Adam(weight_decay=decay)`: each
    /// gradient gets `decay * w` added before it enters the moments, so the
    /// decay is scaled by Adam's per-parameter step like the gradient.
    /// For decay that is not, see [`Adam::with_decoupled_weight_decay`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, Optimizer};
    ///
    /// // With a zero gradient, the decay alone makes Adam's first step,
    /// // about the learning rate in size, towards 0.
    /// let mut adam = Adam::new(0.1_f64).with_weight_decay(0.01);
    /// let mut w = [2.0];
    /// adam.step(&mut w, &[0.0]);
    /// assert!((w[0] - 1.9).abs() < 1e-6);
    /// ```
    #[must_use]
    pub fn with_weight_decay(self, decay: T) -> Adam<T, P, WeightDecay> {
        self.with_decay(decay, WeightDecay)
    }

    /// [`Adam::with_weight_decay`], refusing a decay that is NaN, infinite
    /// or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::WeightDecay`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, OptimError};
    ///
    /// assert!(Adam::<f32, 3>::new(0.01).try_with_weight_decay(1e-4).is_ok());
    /// assert_eq!(Adam::<f32, 3>::new(0.01).try_with_weight_decay(-1.0), Err(OptimError::WeightDecay));
    /// ```
    pub fn try_with_weight_decay(self, decay: T) -> Result<Adam<T, P, WeightDecay>, OptimError> {
        finite_non_negative(decay, OptimError::WeightDecay)?;
        Ok(self.with_weight_decay(decay))
    }

    /// Makes this Adam an [`AdamW`]: decoupled weight decay, PyTorch's
    /// `AdamW(weight_decay=decay)` (and `Adam(weight_decay=decay,
    /// decoupled_weight_decay=True)`). Each step first multiplies every
    /// weight by `1 - lr * decay`, with the learning rate of that step,
    /// then takes Adam's step from the gradient alone.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, AdamW};
    ///
    /// let adamw: AdamW<f32, 4> = Adam::new(1e-3).with_decoupled_weight_decay(1e-2);
    /// assert_eq!(adamw.weight_decay(), 1e-2);
    /// ```
    #[must_use]
    pub fn with_decoupled_weight_decay(self, decay: T) -> AdamW<T, P> {
        self.with_decay(decay, DecoupledWeightDecay)
    }

    /// [`Adam::with_decoupled_weight_decay`], refusing a decay that is NaN,
    /// infinite or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::WeightDecay`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, OptimError};
    ///
    /// let adam = Adam::<f32, 3>::new(0.01);
    /// assert!(adam.try_with_decoupled_weight_decay(0.01).is_ok());
    /// assert_eq!(adam.try_with_decoupled_weight_decay(f32::NAN), Err(OptimError::WeightDecay));
    /// ```
    pub fn try_with_decoupled_weight_decay(self, decay: T) -> Result<AdamW<T, P>, OptimError> {
        finite_non_negative(decay, OptimError::WeightDecay)?;
        Ok(self.with_decoupled_weight_decay(decay))
    }

    /// The same optimizer with the decay `decay` applied as `kind` says.
    fn with_decay<D>(self, decay: T, kind: D) -> Adam<T, P, D> {
        Adam {
            learning_rate: self.learning_rate,
            beta1: self.beta1,
            beta2: self.beta2,
            epsilon: self.epsilon,
            weight_decay: decay,
            decay_factor: self.decay_factor,
            beta1_power: self.beta1_power,
            beta2_power: self.beta2_power,
            step_size: self.step_size,
            bias_correction2_sqrt: self.bias_correction2_sqrt,
            steps: self.steps,
            m: self.m,
            v: self.v,
            decay: kind,
        }
    }
}

impl<T: Scalar, const P: usize, D> Adam<T, P, D> {
    /// [`Adam::with_betas`], refusing a `beta1` or a `beta2` outside
    /// `[0, 1)`.
    ///
    /// # Errors
    ///
    /// [`OptimError::Beta1`] or [`OptimError::Beta2`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, OptimError};
    ///
    /// assert!(Adam::<f64, 3>::new(0.01).try_with_betas(0.0, 0.5).is_ok());
    /// assert_eq!(Adam::<f64, 3>::new(0.01).try_with_betas(1.0, 0.5), Err(OptimError::Beta1));
    /// assert_eq!(Adam::<f64, 3>::new(0.01).try_with_betas(0.9, -0.1), Err(OptimError::Beta2));
    /// ```
    pub fn try_with_betas(self, beta1: T, beta2: T) -> Result<Self, OptimError> {
        unit_interval(beta1, false, OptimError::Beta1)?;
        unit_interval(beta2, false, OptimError::Beta2)?;
        Ok(self.with_betas(beta1, beta2))
    }

    /// [`Adam::with_epsilon`], refusing an epsilon that is NaN, infinite,
    /// or not greater than 0.
    ///
    /// # Errors
    ///
    /// [`OptimError::Epsilon`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, OptimError};
    ///
    /// assert!(Adam::<f32, 3>::new(0.01).try_with_epsilon(1e-6).is_ok());
    /// assert_eq!(Adam::<f32, 3>::new(0.01).try_with_epsilon(0.0), Err(OptimError::Epsilon));
    /// ```
    pub fn try_with_epsilon(self, epsilon: T) -> Result<Self, OptimError> {
        positive_epsilon(epsilon)?;
        Ok(self.with_epsilon(epsilon))
    }

    /// [`Adam::set_learning_rate`], refusing (and leaving the learning rate
    /// as it was) a learning rate that is NaN, infinite or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::LearningRate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{Adam, OptimError};
    ///
    /// let mut adam = Adam::<f32, 3>::new(0.01);
    /// assert_eq!(adam.try_set_learning_rate(f32::NAN), Err(OptimError::LearningRate));
    /// assert_eq!(adam.learning_rate(), 0.01);
    /// ```
    pub fn try_set_learning_rate(&mut self, learning_rate: T) -> Result<(), OptimError> {
        finite_non_negative(learning_rate, OptimError::LearningRate)?;
        self.learning_rate = learning_rate;
        Ok(())
    }

    /// Every hyperparameter against its rule, in the order learning rate,
    /// `beta1`, `beta2`, epsilon, weight decay.
    fn check(&self) -> Result<(), OptimError> {
        finite_non_negative(self.learning_rate, OptimError::LearningRate)?;
        unit_interval(self.beta1, false, OptimError::Beta1)?;
        unit_interval(self.beta2, false, OptimError::Beta2)?;
        positive_epsilon(self.epsilon)?;
        finite_non_negative(self.weight_decay, OptimError::WeightDecay)
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

    /// The weight decay (0 unless [`Adam::with_weight_decay`] or
    /// [`Adam::with_decoupled_weight_decay`] set one).
    #[must_use]
    pub fn weight_decay(&self) -> T {
        self.weight_decay
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

impl<T: Float, const P: usize, D> Adam<T, P, D> {
    /// What one step of every parameter reads, copied.
    #[inline(always)]
    fn constants(&self) -> AdamStep<T> {
        AdamStep {
            beta1: self.beta1,
            beta2: self.beta2,
            epsilon: self.epsilon,
            weight_decay: self.weight_decay,
            decay_factor: self.decay_factor,
            step_size: self.step_size,
            bias_correction2_sqrt: self.bias_correction2_sqrt,
        }
    }
}

/// The values one step of Adam reads for every parameter, copied out of
/// the optimizer so that its loops keep them in registers.
#[derive(Clone, Copy)]
struct AdamStep<T> {
    beta1: T,
    beta2: T,
    epsilon: T,
    weight_decay: T,
    decay_factor: T,
    step_size: T,
    bias_correction2_sqrt: T,
}

impl<T: Float> AdamStep<T> {
    /// The update of one parameter and its moments, in PyTorch's order:
    /// `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`, then
    /// `p -= step_size * (m / (sqrt(v) / sqrt(1 - b2^t) + eps))`.
    #[inline(always)]
    fn one<D: AdamDecay>(self, param: &mut T, gradient: T, m: &mut T, v: &mut T) {
        let gradient = D::gradient(self.weight_decay, *param, gradient);
        let p = D::shrink(self.decay_factor, *param);
        *m = self.beta1 * *m + (T::ONE - self.beta1) * gradient;
        *v = self.beta2 * *v + (T::ONE - self.beta2) * gradient * gradient;
        let denominator = v.sqrt() / self.bias_correction2_sqrt + self.epsilon;
        *param = p - self.step_size * (*m / denominator);
    }
}

impl<T: Float, const P: usize, D: AdamDecay> Optimizer<T, P> for Adam<T, P, D> {
    const ELEMENTWISE: bool = true;

    /// One pass over the parameters, their gradients and both moments.
    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        <Self as Optimizer<T, P>>::begin_step(self);
        let step = self.constants();
        let moments = self.m.iter_mut().zip(self.v.iter_mut());
        for ((p, g), (m, v)) in params.iter_mut().zip(gradients).zip(moments) {
            step.one::<D>(p, *g, m, v);
        }
    }

    #[inline]
    fn begin_step(&mut self) {
        self.steps += 1;
        self.beta1_power *= self.beta1;
        self.beta2_power *= self.beta2;
        self.decay_factor = T::ONE - self.learning_rate * self.weight_decay;
        self.step_size = self.learning_rate / (T::ONE - self.beta1_power);
        self.bias_correction2_sqrt = (T::ONE - self.beta2_power).sqrt();
    }

    #[inline]
    fn update(&mut self, index: usize, param: &mut T, gradient: T) {
        let step = self.constants();
        let (Some(m), Some(v)) = (self.m.get_mut(index), self.v.get_mut(index)) else {
            return;
        };
        step.one::<D>(param, gradient, m, v);
    }

    /// One loop over the row's parameters and their slices of both moments.
    #[inline]
    fn update_row<const N: usize>(
        &mut self,
        offset: usize,
        params: &mut [T; N],
        scale: T,
        factors: &[T; N],
    ) {
        let step = self.constants();
        let (Some(m), Some(v)) = (
            row_mut::<T, N>(&mut self.m, offset),
            row_mut::<T, N>(&mut self.v, offset),
        ) else {
            return;
        };
        let moments = m.iter_mut().zip(v.iter_mut());
        for ((p, f), (m, v)) in params.iter_mut().zip(factors).zip(moments) {
            step.one::<D>(p, scale * *f, m, v);
        }
    }

    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        self.check()
    }

    fn first_non_finite_state(&self) -> Option<usize> {
        let finite = |(m, v): (&T, &T)| m.is_finite() && v.is_finite();
        self.m.iter().zip(&self.v).position(|mv| !finite(mv))
    }

    /// Probes the step with the real [`Optimizer::begin_step`] and
    /// [`Optimizer::update`], on a copy of each parameter, putting each
    /// parameter's moments back after its update and the step count, the
    /// powers of the betas and the decay factor back at the end; then, if
    /// every new parameter and moment was finite, takes the step. No copy
    /// of the parameters or the moments is made.
    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        self.check()?;
        let saved = (
            self.steps,
            self.beta1_power,
            self.beta2_power,
            self.decay_factor,
            self.step_size,
            self.bias_correction2_sqrt,
        );
        <Self as Optimizer<T, P>>::begin_step(self);
        let probed = probe_updates(self, params, gradients, |adam, index, mut p, g| {
            let (Some(&m), Some(&v)) = (adam.m.get(index), adam.v.get(index)) else {
                return (p, true);
            };
            <Self as Optimizer<T, P>>::update(adam, index, &mut p, g);
            let new_m = core::mem::replace(&mut adam.m[index], m);
            let new_v = core::mem::replace(&mut adam.v[index], v);
            (p, new_m.is_finite() && new_v.is_finite())
        });
        (
            self.steps,
            self.beta1_power,
            self.beta2_power,
            self.decay_factor,
            self.step_size,
            self.bias_correction2_sqrt,
        ) = saved;
        probed?;
        <Self as Optimizer<T, P>>::step(self, params, gradients);
        Ok(())
    }
}

/// Clips the gradient by its norm before `O` steps, as PyTorch's
/// `torch.nn.utils.clip_grad_norm_(parameters, max_norm)` does before
/// `optimizer.step()`: with `n` the Euclidean norm of the whole gradient
/// (every parameter of the network), every gradient is multiplied by
/// `min(1, max_norm / (n + 1e-6))`.
///
/// The norm needs the whole gradient, so this optimizer is not
/// elementwise: a `train_step` through it computes the gradient array
/// first, and each step keeps a second copy of it on the stack.
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{ClipGradNorm, Optimizer, Sgd};
///
/// let mut clipped = ClipGradNorm::new(Sgd::new(1.0_f64), 1.0);
/// let mut w = [0.0, 0.0];
/// // The gradient (3, 4) has norm 5: it is scaled to about (0.6, 0.8).
/// clipped.step(&mut w, &[3.0, 4.0]);
/// let scale = 1.0 / (5.0 + 1e-6);
/// assert_eq!(w, [-3.0 * scale, -4.0 * scale]);
/// // A gradient with a norm below 1 is left as it is.
/// clipped.step(&mut w, &[0.5, 0.0]);
/// assert_eq!(w[0], -3.0 * scale - 0.5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipGradNorm<T, O> {
    optimizer: O,
    max_norm: T,
}

impl<T: Scalar, O> ClipGradNorm<T, O> {
    /// `optimizer`, stepping from the gradient clipped to a norm of about
    /// `max_norm` at most.
    #[must_use]
    pub const fn new(optimizer: O, max_norm: T) -> Self {
        Self {
            optimizer,
            max_norm,
        }
    }

    /// [`ClipGradNorm::new`], refusing a maximum norm that is NaN,
    /// infinite or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::MaxNorm`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{ClipGradNorm, OptimError, Sgd};
    ///
    /// assert!(ClipGradNorm::try_new(Sgd::new(0.1_f32), 1.0).is_ok());
    /// assert_eq!(ClipGradNorm::try_new(Sgd::new(0.1_f32), -1.0), Err(OptimError::MaxNorm));
    /// ```
    pub fn try_new(optimizer: O, max_norm: T) -> Result<Self, OptimError> {
        finite_non_negative(max_norm, OptimError::MaxNorm)?;
        Ok(Self::new(optimizer, max_norm))
    }

    /// The largest norm a gradient is stepped with (give or take the
    /// `1e-6` PyTorch adds to the norm).
    #[must_use]
    pub fn max_norm(&self) -> T {
        self.max_norm
    }
}

/// What both clips have: the optimizer they wrap.
macro_rules! wrapped_optimizer {
    ($($clip:ident),*) => {$(
        impl<T, O> $clip<T, O> {
            /// The optimizer that takes the clipped steps.
            #[must_use]
            pub fn optimizer(&self) -> &O {
                &self.optimizer
            }

            /// The optimizer that takes the clipped steps, to change it (its
            /// learning rate, say).
            pub fn optimizer_mut(&mut self) -> &mut O {
                &mut self.optimizer
            }

            /// The optimizer, unwrapped.
            #[must_use]
            pub fn into_inner(self) -> O {
                self.optimizer
            }
        }

        impl<T, O: LearningRate<T>> LearningRate<T> for $clip<T, O> {
            #[inline]
            fn learning_rate(&self) -> T {
                self.optimizer.learning_rate()
            }

            #[inline]
            fn set_learning_rate(&mut self, learning_rate: T) {
                self.optimizer.set_learning_rate(learning_rate);
            }
        }
    )*};
}
wrapped_optimizer!(ClipGradNorm, ClipGradValue);

impl<T: Float, O> ClipGradNorm<T, O> {
    /// `gradients`, clipped: multiplied by `min(1, max_norm / (n + 1e-6))`
    /// where `n` is their Euclidean norm, summed in the flat order.
    fn clip<const P: usize>(&self, gradients: &[T; P]) -> [T; P] {
        let mut squares = T::EMPTY_SUM;
        for g in gradients {
            squares += *g * *g;
        }
        let coefficient = self.max_norm / (squares.sqrt() + T::from_f64(1e-6));
        let coefficient = if coefficient < T::ONE {
            coefficient
        } else {
            T::ONE
        };
        gradients.map(|g| g * coefficient)
    }
}

impl<T: Float, O: Optimizer<T, P>, const P: usize> Optimizer<T, P> for ClipGradNorm<T, O> {
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        let clipped = self.clip(gradients);
        self.optimizer.step(params, &clipped);
    }

    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        finite_non_negative(self.max_norm, OptimError::MaxNorm)?;
        self.optimizer.check_hyperparameters()
    }

    fn first_non_finite_state(&self) -> Option<usize> {
        self.optimizer.first_non_finite_state()
    }

    /// Checks the maximum norm, then [`Optimizer::try_step`] of the
    /// optimizer with the clipped gradient.
    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        finite_non_negative(self.max_norm, OptimError::MaxNorm)?;
        let clipped = self.clip(gradients);
        self.optimizer.try_step(params, &clipped)
    }
}

/// Clamps every gradient into `[-clip_value, clip_value]` before `O`
/// steps, as PyTorch's `torch.nn.utils.clip_grad_value_(parameters,
/// clip_value)` does before `optimizer.step()`. A NaN gradient stays NaN.
///
/// The clamp needs nothing but the one gradient, so this optimizer is
/// elementwise when `O` is: a `train_step` through a clipped [`Sgd`] or
/// [`Adam`] still updates each parameter during the backward pass.
///
/// # Examples
///
/// ```
/// use backprop_core::optim::{ClipGradValue, Optimizer, Sgd};
///
/// let mut clipped = ClipGradValue::new(Sgd::new(1.0_f32), 0.5);
/// let mut w = [0.0, 0.0, 0.0];
/// clipped.step(&mut w, &[2.0, -0.25, -3.0]);
/// assert_eq!(w, [-0.5, 0.25, 0.5]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipGradValue<T, O> {
    optimizer: O,
    clip_value: T,
}

impl<T: Scalar, O> ClipGradValue<T, O> {
    /// `optimizer`, stepping from gradients clamped into
    /// `[-clip_value, clip_value]`.
    #[must_use]
    pub const fn new(optimizer: O, clip_value: T) -> Self {
        Self {
            optimizer,
            clip_value,
        }
    }

    /// [`ClipGradValue::new`], refusing a clip value that is NaN, infinite
    /// or negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::ClipValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::optim::{ClipGradValue, OptimError, Sgd};
    ///
    /// assert!(ClipGradValue::try_new(Sgd::new(0.1_f32), 0.5).is_ok());
    /// assert_eq!(ClipGradValue::try_new(Sgd::new(0.1_f32), f32::NAN), Err(OptimError::ClipValue));
    /// ```
    pub fn try_new(optimizer: O, clip_value: T) -> Result<Self, OptimError> {
        finite_non_negative(clip_value, OptimError::ClipValue)?;
        Ok(Self::new(optimizer, clip_value))
    }

    /// The largest magnitude a gradient is stepped with.
    #[must_use]
    pub fn clip_value(&self) -> T {
        self.clip_value
    }

    /// `gradient` clamped into `[-clip_value, clip_value]`; NaN stays NaN.
    #[inline(always)]
    fn clamp(&self, gradient: T) -> T {
        if gradient > self.clip_value {
            self.clip_value
        } else if gradient < -self.clip_value {
            -self.clip_value
        } else {
            gradient
        }
    }
}

impl<T: Scalar, O: Optimizer<T, P>, const P: usize> Optimizer<T, P> for ClipGradValue<T, O> {
    const ELEMENTWISE: bool = O::ELEMENTWISE;

    #[inline]
    fn step(&mut self, params: &mut [T; P], gradients: &[T; P]) {
        let clipped = gradients.map(|g| self.clamp(g));
        self.optimizer.step(params, &clipped);
    }

    #[inline]
    fn begin_step(&mut self) {
        self.optimizer.begin_step();
    }

    #[inline]
    fn update(&mut self, index: usize, param: &mut T, gradient: T) {
        let gradient = self.clamp(gradient);
        self.optimizer.update(index, param, gradient);
    }

    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        finite_non_negative(self.clip_value, OptimError::ClipValue)?;
        self.optimizer.check_hyperparameters()
    }

    fn first_non_finite_state(&self) -> Option<usize> {
        self.optimizer.first_non_finite_state()
    }

    /// Checks the clip value, then [`Optimizer::try_step`] of the
    /// optimizer with the clamped gradient.
    fn try_step(&mut self, params: &mut [T; P], gradients: &[T; P]) -> Result<(), TrainError> {
        finite_non_negative(self.clip_value, OptimError::ClipValue)?;
        let clipped = gradients.map(|g| self.clamp(g));
        self.optimizer.try_step(params, &clipped)
    }
}
