//! The [`Network`] trait every generated network implements, and the
//! training algorithms written once on top of it: per-sample SGD, batch and
//! mini-batch gradient descent, and their checked forms.

use core::fmt;

use crate::Scalar;
use crate::loss::Loss;
use crate::optim::{OptimError, Optimizer};

/// A fixed-size network: `IN` inputs, `OUT` outputs, `P` parameters.
///
/// `network!` implements it for every network it declares, and gives each
/// network the same methods as inherent methods, so most code never names
/// this trait. Generic code (training loops, evaluators, serialisers) takes
/// `N: Network<T, IN, OUT, P>` and works on any network.
///
/// The required methods are the generated code; the provided ones are the
/// training algorithms, which all go through one gradient-accumulation path,
/// [`Network::accumulate_gradients`].
///
/// # Examples
///
/// ```
/// use backprop_core::{Network, Scalar, loss::HalfSquaredError, network};
///
/// network! { struct Small: 2 => 3 Tanh => 1 Linear; }
///
/// /// Mean loss over a data set, for any network.
/// fn mean_loss<T: Scalar, N: Network<T, I, O, P>, const I: usize, const O: usize, const P: usize>(
///     net: &N,
///     inputs: &[[T; I]],
///     targets: &[[T; O]],
/// ) -> T {
///     let mut sum = T::ZERO;
///     for (x, t) in inputs.iter().zip(targets) {
///         sum += net.loss(x, t, &HalfSquaredError);
///     }
///     sum / T::from_f64(inputs.len() as f64)
/// }
///
/// let net = Small::<f64>::default();
/// assert_eq!(mean_loss(&net, &[[1.0, 2.0]; 3], &[[2.0]; 3]), 2.0);
/// ```
pub trait Network<T: Scalar, const IN: usize, const OUT: usize, const P: usize>: Copy {
    /// Every value of one forward pass, as the backward pass needs them.
    type Trace;

    /// A network with these parameters, in the documented flat order.
    fn from_params(params: [T; P]) -> Self;

    /// All parameters, in the flat order.
    fn params(&self) -> &[T; P];

    /// All parameters, mutably, in the flat order.
    fn params_mut(&mut self) -> &mut [T; P];

    /// The prediction for one input.
    fn forward(&self, input: &[T; IN]) -> [T; OUT];

    /// One forward pass, keeping every pre-activation and activation.
    fn forward_trace(&self, input: &[T; IN]) -> Self::Trace;

    /// The prediction stored in a trace.
    fn trace_output(trace: &Self::Trace) -> &[T; OUT];

    /// Backpropagates one sample: adds the gradient of every parameter into
    /// `gradients` and returns the sample's loss.
    fn accumulate_gradients<L: Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; OUT],
        loss: &L,
        gradients: &mut Self,
    ) -> T;

    /// The loss of the prediction for `input` against `target`.
    fn loss<L: Loss<T>>(&self, input: &[T; IN], target: &[T; OUT], loss: &L) -> T;

    /// Backpropagates one sample: its loss and the gradient of every
    /// parameter, as a network-shaped value.
    fn backward<L: Loss<T>>(&self, trace: &Self::Trace, target: &[T; OUT], loss: &L) -> (T, Self);

    /// The loss and the gradient of every parameter for one sample.
    #[inline]
    fn loss_and_gradients<L: Loss<T>>(
        &self,
        input: &[T; IN],
        target: &[T; OUT],
        loss: &L,
    ) -> (T, Self) {
        self.backward(&self.forward_trace(input), target, loss)
    }

    /// One SGD-style step on one sample: forward, backward, one update.
    /// Returns the loss before the update.
    #[inline]
    fn train_step<L: Loss<T>, O: Optimizer<T, P>>(
        &mut self,
        input: &[T; IN],
        target: &[T; OUT],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        let (value, gradients) = self.loss_and_gradients(input, target, loss);
        optimizer.step(self.params_mut(), gradients.params());
        value
    }

    /// The mean loss and the mean gradient over a batch.
    ///
    /// # Errors
    ///
    /// [`TrainError::Empty`] for no samples, [`TrainError::LengthMismatch`]
    /// when the slices differ in length.
    fn batch_gradients<L: Loss<T>>(
        &self,
        inputs: &[[T; IN]],
        targets: &[[T; OUT]],
        loss: &L,
    ) -> Result<(T, Self), TrainError> {
        check_batch(inputs.len(), targets.len())?;
        let mut gradients = Self::from_params([T::EMPTY_SUM; P]);
        let total = sum_gradients(self, inputs, targets, loss, &mut gradients);
        let n = count::<T>(inputs.len());
        for g in gradients.params_mut() {
            *g /= n;
        }
        Ok((total / n, gradients))
    }

    /// Batch gradient descent: one update from the mean gradient over all of
    /// `inputs`. Returns the mean loss before the update.
    ///
    /// For empty or mismatched slices it makes no update and returns NaN;
    /// [`Network::try_train_batch`] says why instead.
    fn train_batch<L: Loss<T>, O: Optimizer<T, P>>(
        &mut self,
        inputs: &[[T; IN]],
        targets: &[[T; OUT]],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        if check_batch(inputs.len(), targets.len()).is_err() {
            return T::from_f64(f64::NAN);
        }
        // What `batch_gradients` computes, without moving the gradient array
        // out and back, and with the division by `n` folded into the update
        // when the optimizer works one parameter at a time: fewer passes
        // over memory for large networks, the same bits.
        let mut gradients = Self::from_params([T::EMPTY_SUM; P]);
        let total = sum_gradients(self, inputs, targets, loss, &mut gradients);
        let n = count::<T>(inputs.len());
        step_with_mean(self.params_mut(), gradients.params_mut(), n, optimizer);
        total / n
    }

    /// [`Network::train_step`], but only if the input, the target, the loss
    /// and every gradient are finite, the optimizer's hyperparameters pass
    /// their rules, and the update leaves every parameter and every value
    /// of the optimizer's state finite ([`Optimizer::try_step`]); otherwise
    /// the network and the optimizer are left exactly as they were, bit for
    /// bit. What it commits is bit for bit what [`Network::train_step`]
    /// would have.
    ///
    /// # Errors
    ///
    /// [`TrainError::NonFinite`] naming the first value that was not finite
    /// (an input, the target, the loss, a gradient, then a parameter's
    /// update or its state in the optimizer), or [`TrainError::Optimizer`]
    /// for a hyperparameter that breaks its rule.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{NonFinite, TrainError, loss::HalfSquaredError, network};
    /// use backprop_core::optim::{Adam, OptimError, Sgd};
    ///
    /// network! { struct Net: 2 => 3 ReLU => 1 Linear; }
    ///
    /// // A dead ReLU layer: every gradient but the output bias's is exactly 0.
    /// let mut net = Net::<f32>::from_params([-1.0; 13]);
    /// let before = net;
    ///
    /// // With epsilon 0, Adam would compute 0 / 0 for those parameters.
    /// let mut adam = Adam::new(0.01).with_epsilon(0.0);
    /// let err = net.try_train_step(&[1.0, 2.0], &[10.0], &HalfSquaredError, &mut adam);
    /// assert_eq!(err, Err(TrainError::Optimizer(OptimError::Epsilon)));
    ///
    /// // A valid learning rate whose step overflows for the output bias.
    /// let mut sgd = Sgd::new(f32::MAX);
    /// let err = net.try_train_step(&[1.0, 2.0], &[10.0], &HalfSquaredError, &mut sgd);
    /// assert_eq!(err, Err(TrainError::NonFinite(NonFinite::Update { index: 12 })));
    /// assert_eq!(net, before);
    /// ```
    fn try_train_step<L: Loss<T>, O: Optimizer<T, P>>(
        &mut self,
        input: &[T; IN],
        target: &[T; OUT],
        loss: &L,
        optimizer: &mut O,
    ) -> Result<T, TrainError> {
        check_sample(0, input, target)?;
        let (value, gradients) = self.loss_and_gradients(input, target, loss);
        check_result(value, gradients.params())?;
        optimizer.try_step(self.params_mut(), gradients.params())?;
        Ok(value)
    }

    /// [`Network::train_batch`], but only if every input and target, the
    /// mean loss and every mean gradient are finite, the optimizer's
    /// hyperparameters pass their rules, and the update leaves every
    /// parameter and every value of the optimizer's state finite
    /// ([`Optimizer::try_step`]); otherwise the network and the optimizer
    /// are left exactly as they were, bit for bit. What it commits is bit
    /// for bit what [`Network::train_batch`] would have.
    ///
    /// # Errors
    ///
    /// [`TrainError::Empty`], [`TrainError::LengthMismatch`],
    /// [`TrainError::NonFinite`] naming the first value that was not finite
    /// (as for [`Network::try_train_step`]), or [`TrainError::Optimizer`].
    fn try_train_batch<L: Loss<T>, O: Optimizer<T, P>>(
        &mut self,
        inputs: &[[T; IN]],
        targets: &[[T; OUT]],
        loss: &L,
        optimizer: &mut O,
    ) -> Result<T, TrainError> {
        check_batch(inputs.len(), targets.len())?;
        for (sample, (input, target)) in inputs.iter().zip(targets).enumerate() {
            check_sample(sample, input, target)?;
        }
        let (value, gradients) = self.batch_gradients(inputs, targets, loss)?;
        check_result(value, gradients.params())?;
        optimizer.try_step(self.params_mut(), gradients.params())?;
        Ok(value)
    }

    /// Mini-batch gradient descent: one pass over the data set in batches of
    /// `batch_size` samples (the last may be smaller), one update per batch.
    /// With `shuffle = Some(seed)` the samples are visited in a pseudo-random
    /// order that depends only on the seed and the data set's length (the
    /// same on every target, and no copy of the data is made); with `None`,
    /// in order. Returns the mean loss over the epoch's samples, each
    /// measured before its batch's update.
    ///
    /// A seed gives the same order every time it is passed. For a
    /// different, reproducible order in every epoch from one seed, pass
    /// `Some(Shuffle::new(seed).epoch(k))` in epoch `k` ([`Shuffle`]), as
    /// [`Fit::shuffle`](crate::fit::Fit::shuffle) does.
    ///
    /// Every batch goes through [`Network::try_train_batch`]'s checks,
    /// including the update's ([`Optimizer::try_step`]).
    ///
    /// # Errors
    ///
    /// [`TrainError::Empty`] for no samples or a `batch_size` of 0,
    /// [`TrainError::LengthMismatch`], or, for the first batch refused,
    /// [`TrainError::NonFinite`] (a value that is not finite, the update
    /// included) or [`TrainError::Optimizer`] (then the first batch); the
    /// batches before it have been applied, that one and the rest have
    /// not: the network and the optimizer are bit for bit as the last
    /// applied batch left them.
    fn train_epoch<L: Loss<T>, O: Optimizer<T, P>>(
        &mut self,
        inputs: &[[T; IN]],
        targets: &[[T; OUT]],
        batch_size: usize,
        shuffle: Option<u64>,
        loss: &L,
        optimizer: &mut O,
    ) -> Result<T, TrainError> {
        check_batch(inputs.len(), targets.len())?;
        if batch_size == 0 {
            return Err(TrainError::Empty);
        }
        let mut order = Order::new(inputs.len(), shuffle);
        let mut total = T::EMPTY_SUM;
        let mut start = 0;
        while start < inputs.len() {
            let size = batch_size.min(inputs.len() - start);
            let mut gradients = Self::from_params([T::EMPTY_SUM; P]);
            let mut batch_loss = T::EMPTY_SUM;
            for _ in 0..size {
                let sample = order.next().unwrap_or(0);
                let (input, target) = (&inputs[sample], &targets[sample]);
                check_sample(sample, input, target)?;
                let trace = self.forward_trace(input);
                batch_loss += self.accumulate_gradients(&trace, target, loss, &mut gradients);
            }
            let n = count::<T>(size);
            for g in gradients.params_mut() {
                *g /= n;
            }
            check_result(batch_loss / n, gradients.params())?;
            optimizer.try_step(self.params_mut(), gradients.params())?;
            total += batch_loss;
            start += size;
        }
        Ok(total / count::<T>(inputs.len()))
    }

    /// The class this network predicts for `input`: the index of its
    /// largest output (ties to the lowest, NaN never chosen unless all
    /// are), or for one output, 1 if it is at least `0.5`, else 0
    /// ([`metrics::predicted_class`](crate::metrics::predicted_class)).
    /// `None` only for a network with no outputs.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{Network, network};
    ///
    /// network! { struct Net: 2 => 2 Linear; }
    ///
    /// let swap = Net::<f32>::from_params([0.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    /// assert_eq!(swap.classify(&[3.0, 1.0]), Some(1));
    /// ```
    #[must_use]
    fn classify(&self, input: &[T; IN]) -> Option<usize> {
        crate::metrics::classify(self, input)
    }

    /// The fraction of `inputs` whose predicted class
    /// ([`Network::classify`]) is their label's: class indices (`&[usize]`)
    /// or one-hot targets (`&[[T; OUT]]`). See
    /// [`metrics::accuracy`](crate::metrics::accuracy).
    ///
    /// # Errors
    ///
    /// [`EvalError`](crate::metrics::EvalError): no samples, lengths that
    /// differ, or a class index not below the number of classes.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{Network, network};
    ///
    /// network! { struct Net: 2 => 2 Linear; }
    ///
    /// let swap = Net::<f32>::from_params([0.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    /// let inputs = [[3.0, 1.0], [1.0, 3.0], [0.0, 2.0]];
    /// assert_eq!(swap.accuracy(&inputs, &[1, 0, 1]), Ok(2.0 / 3.0));
    /// assert_eq!(swap.accuracy(&inputs, &[[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), Ok(1.0));
    /// ```
    fn accuracy<Lb: crate::metrics::Labels<T, OUT> + ?Sized>(
        &self,
        inputs: &[[T; IN]],
        labels: &Lb,
    ) -> Result<f64, crate::metrics::EvalError> {
        crate::metrics::accuracy(self, inputs, labels)
    }

    /// The mean loss over a data set, with no update. See
    /// [`metrics::mean_loss`](crate::metrics::mean_loss).
    ///
    /// # Errors
    ///
    /// [`EvalError`](crate::metrics::EvalError): no samples, or lengths
    /// that differ.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{Network, loss::HalfSquaredError, network};
    ///
    /// network! { struct Line: 1 => 1 Linear; }
    ///
    /// let net = Line::<f64>::from_params([1.0, 0.0]);
    /// assert_eq!(net.mean_loss(&[[1.0], [2.0]], &[[2.0], [2.0]], &HalfSquaredError), Ok(0.25));
    /// ```
    fn mean_loss<L: Loss<T>>(
        &self,
        inputs: &[[T; IN]],
        targets: &[[T; OUT]],
        loss: &L,
    ) -> Result<T, crate::metrics::EvalError> {
        crate::metrics::mean_loss(self, inputs, targets, loss)
    }

    /// The `C`-class confusion matrix of a data set: rows are the true
    /// classes, columns the predicted ones. See
    /// [`metrics::confusion_matrix`](crate::metrics::confusion_matrix).
    ///
    /// # Errors
    ///
    /// [`EvalError`](crate::metrics::EvalError): no samples, lengths that
    /// differ, or a label or predicted class not below `C`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::{Network, network};
    ///
    /// network! { struct Net: 2 => 2 Linear; }
    ///
    /// let swap = Net::<f32>::from_params([0.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    /// let inputs = [[3.0, 1.0], [1.0, 3.0], [0.0, 2.0]];
    /// // Predicted 1, 0, 0: sample 0 is class 1 and right, samples 1 and
    /// // 2 are class 1 and 0, one wrong and one right.
    /// assert_eq!(swap.confusion_matrix(&inputs, &[1, 1, 0]), Ok([[1, 0], [1, 1]]));
    /// ```
    fn confusion_matrix<const C: usize, Lb: crate::metrics::Labels<T, OUT> + ?Sized>(
        &self,
        inputs: &[[T; IN]],
        labels: &Lb,
    ) -> Result<[[u32; C]; C], crate::metrics::EvalError> {
        crate::metrics::confusion_matrix(self, inputs, labels)
    }
}

/// Adds the gradients of every sample to `gradients`; returns the summed
/// loss. Samples are added in order, so a batch's sums do not depend on the
/// target.
#[inline]
fn sum_gradients<T, N, L, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    inputs: &[[T; IN]],
    targets: &[[T; OUT]],
    loss: &L,
    gradients: &mut N,
) -> T
where
    T: Scalar,
    N: Network<T, IN, OUT, P>,
    L: Loss<T>,
{
    let mut total = T::EMPTY_SUM;
    for (input, target) in inputs.iter().zip(targets) {
        let trace = net.forward_trace(input);
        total += net.accumulate_gradients(&trace, target, loss, gradients);
    }
    total
}

/// One optimizer step with the mean gradient `sums / n`: divided during the
/// update when the optimizer allows it, else divided in place first.
#[inline]
fn step_with_mean<T: Scalar, O: Optimizer<T, P>, const P: usize>(
    params: &mut [T; P],
    sums: &mut [T; P],
    n: T,
    optimizer: &mut O,
) {
    if O::ELEMENTWISE {
        optimizer.begin_step();
        for (index, (p, g)) in params.iter_mut().zip(sums.iter()).enumerate() {
            optimizer.update(index, p, *g / n);
        }
    } else {
        for g in sums.iter_mut() {
            *g /= n;
        }
        optimizer.step(params, sums);
    }
}

/// `n` as a scalar.
pub(crate) fn count<T: Scalar>(n: usize) -> T {
    #[allow(clippy::cast_precision_loss)]
    T::from_f64(n as f64)
}

pub(crate) fn check_batch(inputs: usize, targets: usize) -> Result<(), TrainError> {
    if inputs != targets {
        Err(TrainError::LengthMismatch { inputs, targets })
    } else if inputs == 0 {
        Err(TrainError::Empty)
    } else {
        Ok(())
    }
}

fn check_sample<T: Scalar, const IN: usize, const OUT: usize>(
    sample: usize,
    input: &[T; IN],
    target: &[T; OUT],
) -> Result<(), TrainError> {
    if let Some(index) = input.iter().position(|v| !v.is_finite()) {
        return Err(TrainError::NonFinite(NonFinite::Input { sample, index }));
    }
    if let Some(index) = target.iter().position(|v| !v.is_finite()) {
        return Err(TrainError::NonFinite(NonFinite::Target { sample, index }));
    }
    Ok(())
}

pub(crate) fn check_result<T: Scalar>(loss: T, gradients: &[T]) -> Result<(), TrainError> {
    if !loss.is_finite() {
        return Err(TrainError::NonFinite(NonFinite::Loss));
    }
    if let Some(index) = gradients.iter().position(|v| !v.is_finite()) {
        return Err(TrainError::NonFinite(NonFinite::Gradient { index }));
    }
    Ok(())
}

/// Why a checked training step made no update.
///
/// # Examples
///
/// ```
/// use backprop_core::{NonFinite, TrainError, loss::HalfSquaredError, network, optim::Sgd};
///
/// network! { struct Net: 1 => 1 Linear; }
///
/// let mut net = Net::<f32>::from_params([1.0, 0.0]);
/// let mut sgd = Sgd::new(0.1);
/// let err = net.try_train_step(&[f32::NAN], &[1.0], &HalfSquaredError, &mut sgd);
/// assert_eq!(err, Err(TrainError::NonFinite(NonFinite::Input { sample: 0, index: 0 })));
/// assert_eq!(net.params(), &[1.0, 0.0]); // untouched
/// assert_eq!(err.unwrap_err().to_string(), "input 0 of sample 0 is not finite");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrainError {
    /// There were no samples (or a mini-batch size of 0).
    Empty,
    /// The inputs and the targets differ in number.
    LengthMismatch {
        /// How many inputs.
        inputs: usize,
        /// How many targets.
        targets: usize,
    },
    /// A value was NaN or infinite.
    NonFinite(NonFinite),
    /// The optimizer's hyperparameters break a rule of its type
    /// ([`Optimizer::check_hyperparameters`]).
    Optimizer(OptimError),
}

impl From<OptimError> for TrainError {
    fn from(error: OptimError) -> Self {
        Self::Optimizer(error)
    }
}

/// Which value was not finite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NonFinite {
    /// An input value: which sample of the batch, which entry.
    Input {
        /// The sample's index in the slice.
        sample: usize,
        /// The entry's index in the input.
        index: usize,
    },
    /// A target value: which sample of the batch, which entry.
    Target {
        /// The sample's index in the slice.
        sample: usize,
        /// The entry's index in the target.
        index: usize,
    },
    /// The loss (for a batch, the mean loss).
    Loss,
    /// A gradient, by its index in the flat parameter order.
    Gradient {
        /// The parameter's flat index.
        index: usize,
    },
    /// The value a parameter would take after the optimizer's update (from
    /// finite data, loss and gradients: an overflow, or `0 / 0`), by its
    /// index in the flat parameter order.
    Update {
        /// The parameter's flat index.
        index: usize,
    },
    /// The optimizer's state for a parameter (a velocity, a moment
    /// estimate) after the update, by the parameter's index in the flat
    /// order ([`Optimizer::first_non_finite_state`]).
    OptimizerState {
        /// The parameter's flat index.
        index: usize,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no samples to train on"),
            Self::LengthMismatch { inputs, targets } => {
                write!(f, "{inputs} inputs but {targets} targets")
            }
            Self::NonFinite(NonFinite::Input { sample, index }) => {
                write!(f, "input {index} of sample {sample} is not finite")
            }
            Self::NonFinite(NonFinite::Target { sample, index }) => {
                write!(f, "target {index} of sample {sample} is not finite")
            }
            Self::NonFinite(NonFinite::Loss) => f.write_str("the loss is not finite"),
            Self::NonFinite(NonFinite::Gradient { index }) => {
                write!(f, "the gradient of parameter {index} is not finite")
            }
            Self::NonFinite(NonFinite::Update { index }) => {
                write!(f, "the update of parameter {index} is not finite")
            }
            Self::NonFinite(NonFinite::OptimizerState { index }) => {
                write!(
                    f,
                    "the optimizer's state for parameter {index} is not finite"
                )
            }
            Self::Optimizer(error) => write!(f, "invalid optimizer: {error}"),
        }
    }
}

impl core::error::Error for TrainError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Optimizer(error) => Some(error),
            _ => None,
        }
    }
}

/// The order in which an epoch visits its samples: `0..n`, or a
/// pseudo-random permutation of it drawn from a seed.
///
/// The permutation needs no memory: a four-round Feistel network keyed from
/// the seed is a bijection on `0..2^k` (the smallest even `k` with `2^k >=
/// n`); counting through that range and keeping the images below `n` visits
/// every index exactly once, in at most `4n` steps. It uses only integer
/// arithmetic, so a seed gives the same order on every target.
///
/// # Examples
///
/// ```
/// use backprop_core::Order;
///
/// assert_eq!(Order::new(4, None).collect::<Vec<_>>(), [0, 1, 2, 3]);
/// let mut shuffled: Vec<usize> = Order::new(10, Some(7)).collect();
/// assert_ne!(shuffled, (0..10).collect::<Vec<_>>());
/// shuffled.sort();
/// assert_eq!(shuffled, (0..10).collect::<Vec<_>>());
/// ```
#[derive(Clone, Debug)]
pub struct Order {
    n: u64,
    half_bits: u32,
    keys: Option<[u64; 4]>,
    counter: u64,
    remaining: usize,
}

impl Order {
    /// The visiting order of `n` samples: shuffled from `seed`, or in order.
    #[must_use]
    pub fn new(n: usize, seed: Option<u64>) -> Self {
        let n64 = n as u64;
        let bits = 64 - n64.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let keys = seed.map(|seed| {
            let mut rng = crate::init::SplitMix64::new(seed);
            [
                rng.next_u64(),
                rng.next_u64(),
                rng.next_u64(),
                rng.next_u64(),
            ]
        });
        Self {
            n: n64,
            half_bits,
            keys,
            counter: 0,
            remaining: n,
        }
    }

    /// The Feistel permutation of `x` in `0..2^(2 half_bits)`.
    fn permute(&self, x: u64, keys: &[u64; 4]) -> u64 {
        let mask = (1_u64 << self.half_bits) - 1;
        let (mut left, mut right) = (x >> self.half_bits, x & mask);
        for key in keys {
            let mut z = (right ^ key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z ^= z >> 32;
            (left, right) = (right, left ^ (z & mask));
        }
        (left << self.half_bits) | right
    }
}

impl Iterator for Order {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let Some(keys) = self.keys else {
            self.counter += 1;
            return usize::try_from(self.counter - 1).ok();
        };
        loop {
            let value = self.permute(self.counter, &keys);
            self.counter += 1;
            if value < self.n {
                return usize::try_from(value).ok();
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Order {}

/// One seed for a whole training run that gives every epoch its own
/// shuffled order, deterministically.
///
/// [`Network::train_epoch`] with `Some(seed)` visits the samples in the
/// same order every time it is given that seed. `Shuffle::new(seed)` turns
/// one seed into one per epoch: [`Shuffle::epoch`]`(k)` is the `k + 1`-th
/// output of [`SplitMix64`](crate::init::SplitMix64) started from `seed`,
/// computed directly (no state to advance, so epoch 40 of a resumed run is
/// `epoch(40)`), and the same on every target. Pass it to `train_epoch`;
/// [`Fit::shuffle`](crate::fit::Fit::shuffle) does this for you.
///
/// # Examples
///
/// ```
/// use backprop_core::{Order, Shuffle, init::SplitMix64};
///
/// let shuffle = Shuffle::new(7);
/// let first: Vec<usize> = shuffle.order(10, 0).collect();
/// let second: Vec<usize> = shuffle.order(10, 1).collect();
/// assert_ne!(first, second);
/// assert_eq!(first, Order::new(10, Some(shuffle.epoch(0))).collect::<Vec<_>>());
/// // The per-epoch seeds are SplitMix64's stream from the one seed.
/// let mut rng = SplitMix64::new(7);
/// assert_eq!([shuffle.epoch(0), shuffle.epoch(1)], [rng.next_u64(), rng.next_u64()]);
/// ```
///
/// With `train_epoch`:
///
/// ```
/// use backprop_core::{Shuffle, loss::HalfSquaredError, network, optim::Sgd};
///
/// network! { struct Line: 1 => 1 Linear; }
///
/// let (xs, ys) = ([[0.0], [1.0], [2.0], [3.0]], [[1.0], [3.0], [5.0], [7.0]]);
/// let mut net = Line::<f64>::default();
/// let mut sgd = Sgd::new(0.05);
/// let shuffle = Shuffle::new(42);
/// for epoch in 0..200 {
///     net.train_epoch(&xs, &ys, 2, Some(shuffle.epoch(epoch)), &HalfSquaredError, &mut sgd)?;
/// }
/// assert!((net.forward(&[4.0])[0] - 9.0).abs() < 1e-3);
/// # Ok::<(), backprop_core::TrainError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shuffle {
    seed: u64,
}

impl Shuffle {
    /// The per-epoch orders drawn from `seed`.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self { seed }
    }

    /// The seed the run was started from.
    #[must_use]
    pub const fn seed(&self) -> u64 {
        self.seed
    }

    /// The shuffle seed of epoch `epoch` (from 0), for
    /// [`Network::train_epoch`]: the `epoch + 1`-th output of
    /// [`SplitMix64::new(seed)`](crate::init::SplitMix64::new).
    #[must_use]
    pub fn epoch(&self, epoch: u32) -> u64 {
        // SplitMix64's state after `epoch` outputs is `seed + epoch * gamma`.
        let state = self
            .seed
            .wrapping_add(u64::from(epoch).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        crate::init::SplitMix64::new(state).next_u64()
    }

    /// The order in which epoch `epoch` visits `n` samples.
    #[must_use]
    pub fn order(&self, n: usize, epoch: u32) -> Order {
        Order::new(n, Some(self.epoch(epoch)))
    }
}

#[cfg(test)]
mod tests {
    use super::Order;

    #[test]
    fn every_shuffle_is_a_permutation() {
        for n in [1_usize, 2, 3, 7, 8, 9, 100, 1000] {
            for seed in 0..20 {
                let mut seen = [false; 1000];
                let mut count = 0;
                for i in Order::new(n, Some(seed)) {
                    assert!(!seen[i], "n={n} seed={seed}: {i} twice");
                    seen[i] = true;
                    count += 1;
                }
                assert_eq!(count, n);
            }
        }
    }

    #[test]
    fn seeds_give_different_orders() {
        let a = Order::new(50, Some(1));
        let b = Order::new(50, Some(2));
        assert!(a.zip(b).any(|(x, y)| x != y));
        assert_eq!(Order::new(0, Some(3)).next(), None);
        // Even for a handful of samples, many seeds give many orders.
        let mut firsts = [0_usize; 6];
        for seed in 0..600 {
            firsts[Order::new(6, Some(seed)).next().unwrap()] += 1;
        }
        assert!(firsts.iter().all(|&c| c > 50), "{firsts:?}");
    }
}
