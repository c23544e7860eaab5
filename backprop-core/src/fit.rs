//! A small training loop: epochs of mini-batches with a fresh shuffle per
//! epoch, an optional learning-rate schedule, validation, early stopping
//! that restores the best parameters, and a per-epoch callback. No heap:
//! the best parameters are a copy of the network (networks are `Copy`).
//!
//! [`Fit`] is a builder over borrowed data; [`Fit::run`] (or
//! [`Fit::run_with`], with a callback) trains a network with a loss and an
//! optimizer, and returns a [`FitSummary`].
//!
//! # Each epoch `k` (from 0)
//!
//! 1. If a [`Schedule`] was given, the optimizer's learning rate is set to
//!    its rate for `k` ([`Schedule::apply`]).
//! 2. One [`Network::train_epoch`], in batches of [`Fit::batch_size`],
//!    visiting the samples in order, or in the order of
//!    [`Shuffle::epoch`]`(k)` if [`Fit::shuffle`] was given (a different
//!    order every epoch, the same for the same seed).
//! 3. If a validation set was given, its mean loss and accuracy
//!    ([`metrics::mean_loss`], [`metrics::accuracy`] with the validation
//!    targets' classes) are measured; a finite loss lower than every
//!    earlier one is an improvement, and with early stopping the network
//!    is copied aside.
//! 4. The callback gets the [`EpochReport`]; `ControlFlow::Break(())`
//!    stops the run after this epoch.
//! 5. With early stopping ([`Fit::early_stopping`]), the run stops after
//!    `patience` epochs in a row without an improvement (0 counts as 1,
//!    as in Keras).
//!
//! At the end, however the run ended (all epochs, early stopping, or the
//! callback), early stopping puts the best epoch's parameters back in the
//! network, bit for bit. The optimizer is left as the last epoch left it.
//!
//! # Examples
//!
//! ```
//! use core::ops::ControlFlow;
//! use backprop_core::{fit::Fit, loss::CrossEntropy, network, optim::Adam};
//! use backprop_core::schedule::CosineWithWarmup;
//!
//! network! { struct Classifier: 2 => 8 Tanh => 2 Softmax; }
//!
//! // Two separable classes: the sign of x0 + x1.
//! let inputs = [[1.0, 0.5], [0.5, 1.0], [2.0, -1.0], [-1.0, -0.5], [-0.5, -1.0], [-2.0, 1.0]];
//! let targets = [[0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]];
//!
//! let mut net = Classifier::<f32>::with_seed(1);
//! let mut adam = Adam::new(0.05);
//! let mut epochs_seen = 0;
//! let summary = Fit::new(&inputs, &targets)
//!     .batch_size(2)
//!     .epochs(100)
//!     .shuffle(7)
//!     .schedule(CosineWithWarmup::new(0.05, 5, 100))
//!     .validation(&inputs, &targets)
//!     .early_stopping(10)
//!     .run_with(&mut net, &CrossEntropy, &mut adam, |report| {
//!         epochs_seen += 1;
//!         assert_eq!(report.epoch + 1, epochs_seen);
//!         ControlFlow::Continue(())
//!     })?;
//! assert_eq!(summary.epochs, epochs_seen);
//! assert_eq!(net.accuracy(&inputs, &targets), Ok(1.0));
//! let best = summary.best.unwrap();
//! assert_eq!(net.mean_loss(&inputs, &targets, &CrossEntropy), Ok(best.validation.unwrap().loss));
//! # Ok::<(), backprop_core::fit::FitError>(())
//! ```

use core::fmt;
use core::ops::ControlFlow;

use crate::loss::Loss;
use crate::metrics::{self, EvalError};
use crate::optim::Optimizer;
use crate::schedule::{Constant, LearningRate, Schedule};
use crate::{Network, Scalar, Shuffle, TrainError};

/// Borrowed inputs and their targets.
type DataSet<'a, T, const IN: usize, const OUT: usize> = (&'a [[T; IN]], &'a [[T; OUT]]);

/// A training run's settings, over borrowed training (and validation) data.
///
/// The defaults: one epoch, batches of 32 samples (as Keras), no shuffle
/// (the samples in order), no schedule (the optimizer's learning rate is
/// left alone), no validation, no early stopping. Each setter returns the
/// builder; a `Fit` can [run](Fit::run) any number of times, on any
/// network of the data's shape.
///
/// See the [module documentation](self) for what an epoch does, and an
/// example.
#[derive(Clone, Copy, Debug)]
#[must_use = "a `Fit` does nothing until it is run"]
pub struct Fit<'a, T, const IN: usize, const OUT: usize, S = Constant> {
    inputs: &'a [[T; IN]],
    targets: &'a [[T; OUT]],
    batch_size: usize,
    epochs: u32,
    shuffle: Option<Shuffle>,
    schedule: Option<S>,
    validation: Option<DataSet<'a, T, IN, OUT>>,
    patience: Option<u32>,
}

impl<'a, T: Scalar, const IN: usize, const OUT: usize> Fit<'a, T, IN, OUT> {
    /// Training on `inputs` against `targets`, with the defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{fit::Fit, loss::HalfSquaredError, network, optim::Sgd};
    ///
    /// network! { struct Line: 1 => 1 Linear; }
    ///
    /// let (xs, ys) = ([[0.0], [1.0], [2.0]], [[1.0], [3.0], [5.0]]);
    /// let mut net = Line::<f64>::default();
    /// let summary = Fit::new(&xs, &ys).epochs(500).run(&mut net, &HalfSquaredError, &mut Sgd::new(0.1))?;
    /// assert_eq!(summary.epochs, 500);
    /// assert!((net.forward(&[3.0])[0] - 7.0).abs() < 1e-6);
    /// # Ok::<(), backprop_core::fit::FitError>(())
    /// ```
    pub fn new(inputs: &'a [[T; IN]], targets: &'a [[T; OUT]]) -> Self {
        Self {
            inputs,
            targets,
            batch_size: 32,
            epochs: 1,
            shuffle: None,
            schedule: None,
            validation: None,
            patience: None,
        }
    }
}

impl<'a, T: Scalar, const IN: usize, const OUT: usize, S> Fit<'a, T, IN, OUT, S> {
    /// Samples per update (default 32; the last batch of an epoch may be
    /// smaller). 0 is refused when the run starts ([`TrainError::Empty`]).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// How many epochs at most (default 1).
    pub fn epochs(mut self, epochs: u32) -> Self {
        self.epochs = epochs;
        self
    }

    /// Shuffles every epoch, each in its own order drawn from `seed`
    /// ([`Shuffle::epoch`]).
    pub fn shuffle(mut self, seed: u64) -> Self {
        self.shuffle = Some(Shuffle::new(seed));
        self
    }

    /// Sets the optimizer's learning rate from `schedule` before each epoch,
    /// counted from 0.
    pub fn schedule<S2: Schedule>(self, schedule: S2) -> Fit<'a, T, IN, OUT, S2> {
        Fit {
            inputs: self.inputs,
            targets: self.targets,
            batch_size: self.batch_size,
            epochs: self.epochs,
            shuffle: self.shuffle,
            schedule: Some(schedule),
            validation: self.validation,
            patience: self.patience,
        }
    }

    /// Measures the mean loss and the accuracy on these samples after each
    /// epoch (the accuracy against the targets' classes,
    /// [`metrics::predicted_class`]).
    pub fn validation(mut self, inputs: &'a [[T; IN]], targets: &'a [[T; OUT]]) -> Self {
        self.validation = Some((inputs, targets));
        self
    }

    /// Stops after `patience` epochs in a row whose validation loss is not
    /// lower than the best so far (0 counts as 1), and puts the best
    /// epoch's parameters back at the end. Needs a
    /// [validation set](Fit::validation).
    pub fn early_stopping(mut self, patience: u32) -> Self {
        self.patience = Some(patience);
        self
    }

    /// Trains `net`. See [`Fit::run_with`].
    ///
    /// # Errors
    ///
    /// As [`Fit::run_with`].
    pub fn run<N, L, Opt, const P: usize>(
        &self,
        net: &mut N,
        loss: &L,
        optimizer: &mut Opt,
    ) -> Result<FitSummary<T>, FitError>
    where
        N: Network<T, IN, OUT, P>,
        L: Loss<T>,
        Opt: Optimizer<T, P> + LearningRate<T>,
        S: Schedule,
    {
        self.run_with(net, loss, optimizer, |_| ControlFlow::Continue(()))
    }

    /// Trains `net`, calling `callback` after every epoch with its report;
    /// `ControlFlow::Break(())` stops the run there.
    ///
    /// # Errors
    ///
    /// Before any training: [`FitError::Validation`] for an empty or
    /// mismatched validation set, [`FitError::NoValidation`] for early
    /// stopping without one. During the run: [`FitError::Train`] with the
    /// epoch whose [`Network::train_epoch`] failed (no samples, mismatched
    /// slices, a batch size of 0, a value that is not finite, an invalid
    /// learning rate from the schedule): the network and the optimizer are
    /// as that epoch's last applied batch left them, and the best
    /// parameters are not restored.
    ///
    /// # Examples
    ///
    /// Stopping from the callback once the training loss is small enough:
    ///
    /// ```
    /// use core::ops::ControlFlow;
    /// use backprop_core::{fit::{Fit, Stop}, loss::HalfSquaredError, network, optim::Sgd};
    ///
    /// network! { struct Line: 1 => 1 Linear; }
    ///
    /// let (xs, ys) = ([[0.0], [1.0], [2.0]], [[1.0], [3.0], [5.0]]);
    /// let mut net = Line::<f64>::default();
    /// let summary = Fit::new(&xs, &ys).epochs(10_000).run_with(
    ///     &mut net,
    ///     &HalfSquaredError,
    ///     &mut Sgd::new(0.1),
    ///     |report| if report.train_loss < 1e-6 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) },
    /// )?;
    /// assert_eq!(summary.stop, Stop::Callback);
    /// assert!(summary.epochs < 10_000);
    /// assert!(summary.last.unwrap().train_loss < 1e-6);
    /// # Ok::<(), backprop_core::fit::FitError>(())
    /// ```
    pub fn run_with<N, L, Opt, F, const P: usize>(
        &self,
        net: &mut N,
        loss: &L,
        optimizer: &mut Opt,
        mut callback: F,
    ) -> Result<FitSummary<T>, FitError>
    where
        N: Network<T, IN, OUT, P>,
        L: Loss<T>,
        Opt: Optimizer<T, P> + LearningRate<T>,
        S: Schedule,
        F: FnMut(&EpochReport<T>) -> ControlFlow<()>,
    {
        if let Some((inputs, targets)) = self.validation {
            check_validation(inputs.len(), targets.len())?;
        } else if self.patience.is_some() {
            return Err(FitError::NoValidation);
        }
        let mut summary = FitSummary {
            epochs: 0,
            stop: Stop::Completed,
            last: None,
            best: None,
            restored: false,
        };
        let mut best_net: Option<N> = None;
        let mut since_best = 0_u32;
        for epoch in 0..self.epochs {
            if let Some(schedule) = &self.schedule {
                schedule.apply(epoch, optimizer);
            }
            let learning_rate = optimizer.learning_rate();
            let train_loss = net
                .train_epoch(
                    self.inputs,
                    self.targets,
                    self.batch_size,
                    self.shuffle.map(|shuffle| shuffle.epoch(epoch)),
                    loss,
                    optimizer,
                )
                .map_err(|error| FitError::Train { epoch, error })?;
            let validation = match self.validation {
                Some((inputs, targets)) => Some(Validation {
                    loss: metrics::mean_loss(net, inputs, targets, loss)?,
                    accuracy: metrics::accuracy(net, inputs, targets)?,
                }),
                None => None,
            };
            let improved = validation.is_some_and(|v| {
                v.loss.is_finite()
                    && summary
                        .best
                        .and_then(|best| best.validation)
                        .is_none_or(|best| v.loss < best.loss)
            });
            let report = EpochReport {
                epoch,
                learning_rate,
                train_loss,
                validation,
                improved,
            };
            summary.epochs = epoch + 1;
            summary.last = Some(report);
            if improved {
                summary.best = Some(report);
                since_best = 0;
                if self.patience.is_some() {
                    best_net = Some(*net);
                }
            } else {
                since_best = since_best.saturating_add(1);
            }
            if callback(&report).is_break() {
                summary.stop = Stop::Callback;
                break;
            }
            if self
                .patience
                .is_some_and(|patience| since_best >= patience.max(1))
            {
                summary.stop = Stop::EarlyStopping;
                break;
            }
        }
        if let Some(best) = best_net {
            *net = best;
            summary.restored = true;
        }
        Ok(summary)
    }
}

/// The validation set's lengths, checked before any training.
fn check_validation(inputs: usize, targets: usize) -> Result<(), FitError> {
    if inputs != targets {
        Err(FitError::Validation(EvalError::LengthMismatch {
            inputs,
            targets,
        }))
    } else if inputs == 0 {
        Err(FitError::Validation(EvalError::Empty))
    } else {
        Ok(())
    }
}

/// What one epoch of a [`Fit`] did, as its callback sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct EpochReport<T> {
    /// The epoch, from 0.
    pub epoch: u32,
    /// The learning rate the epoch trained with (the schedule's, if any).
    pub learning_rate: T,
    /// The epoch's mean training loss, each sample measured before its
    /// batch's update ([`Network::train_epoch`]).
    pub train_loss: T,
    /// The validation set's loss and accuracy after the epoch, if one was
    /// given.
    pub validation: Option<Validation<T>>,
    /// `true` if the validation loss is finite and lower than every
    /// earlier epoch's (always `false` without a validation set).
    pub improved: bool,
}

/// A validation set's mean loss and accuracy after an epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Validation<T> {
    /// The mean loss ([`metrics::mean_loss`]).
    pub loss: T,
    /// The fraction of samples classified as their target's class
    /// ([`metrics::accuracy`]; meaningful for classifiers only).
    pub accuracy: f64,
}

/// Why a [`Fit`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stop {
    /// Every epoch ran.
    Completed,
    /// The validation loss stopped improving for `patience` epochs.
    EarlyStopping,
    /// The callback returned `ControlFlow::Break`.
    Callback,
}

/// What a [`Fit`] run did.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct FitSummary<T> {
    /// How many epochs ran.
    pub epochs: u32,
    /// Why the run stopped.
    pub stop: Stop,
    /// The last epoch's report (`None` for a run of 0 epochs).
    pub last: Option<EpochReport<T>>,
    /// The report of the epoch with the lowest finite validation loss (the
    /// first of equals), if a validation set was given and any loss was
    /// finite.
    pub best: Option<EpochReport<T>>,
    /// `true` if early stopping put the best epoch's parameters back in
    /// the network.
    pub restored: bool,
}

/// Why a [`Fit`] could not run, or stopped with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FitError {
    /// An epoch's [`Network::train_epoch`] failed.
    Train {
        /// The epoch, from 0.
        epoch: u32,
        /// Why.
        error: TrainError,
    },
    /// The validation set is empty, or its inputs and targets differ in
    /// number.
    Validation(EvalError),
    /// Early stopping was asked for without a validation set.
    NoValidation,
}

impl From<EvalError> for FitError {
    fn from(error: EvalError) -> Self {
        Self::Validation(error)
    }
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Train { epoch, error } => write!(f, "epoch {epoch}: {error}"),
            Self::Validation(error) => write!(f, "validation set: {error}"),
            Self::NoValidation => f.write_str("early stopping needs a validation set"),
        }
    }
}

impl core::error::Error for FitError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Train { error, .. } => Some(error),
            Self::Validation(error) => Some(error),
            Self::NoValidation => None,
        }
    }
}
