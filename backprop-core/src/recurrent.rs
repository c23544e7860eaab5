//! Recurrent networks: a network with a `GRU` or `LSTM` layer runs one time
//! step at a time, carrying a state from step to step.
//!
//! A recurrent network's input is one time step (`1 => 16 GRU => 1 Linear`
//! takes one value per step); dense layers apply at every step, to what the
//! layer before gives at that step. `network!` gives such a network a state
//! struct `NameState` (every recurrent layer's hidden vector, and an
//! LSTM's cell vector; all zero by `Default`) and implements [`Recurrent`]
//! for it, whose methods are also inherent methods of the network:
//!
//! - streaming: [`Recurrent::step`] takes one step's input, updates the
//!   state and returns the step's output; `state.reset()` starts over;
//! - whole sequences of any const length `L`: [`Recurrent::forward_sequence`]
//!   (from the zero state; the same bits as stepping through the sequence
//!   from a reset state), [`Recurrent::loss_sequence`] and
//!   [`Recurrent::loss_and_gradients_sequence`] (backpropagation through
//!   time);
//! - training on sequences: [`Recurrent::train_step`],
//!   [`Recurrent::try_train_step`], [`Recurrent::batch_gradients`],
//!   [`Recurrent::train_batch`], [`Recurrent::try_train_batch`] and
//!   [`Recurrent::train_epoch`], named as a dense network's, where a sample
//!   is a sequence.
//!
//! A sequence's targets are either one target per step (`[[T; OUT]; L]`,
//! sequence to sequence: the loss is the mean over the steps of the
//! per-step loss) or [`LastStep`] (sequence to one: only the last step's
//! output is scored). Both are [`SequenceTargets`].
//!
//! # Examples
//!
//! ```
//! use backprop_core::{loss::HalfSquaredError, network, optim::Sgd, recurrent::LastStep};
//!
//! network! {
//!     /// Sums its inputs, given time to learn it.
//!     pub struct Acc: 1 => 8 GRU => 1 Linear;
//! }
//!
//! let mut net = Acc::<f64>::with_seed(1);
//! let xs = [[0.1], [0.2], [-0.1], [0.3]];
//! let mut sgd = Sgd::new(0.1);
//! let before = net.loss_sequence(&xs, &LastStep([0.5]), &HalfSquaredError);
//! for _ in 0..50 {
//!     net.train_step(&xs, &LastStep([0.5]), &HalfSquaredError, &mut sgd);
//! }
//! assert!(net.loss_sequence(&xs, &LastStep([0.5]), &HalfSquaredError) < before / 10.0);
//!
//! // Streaming gives the same bits as the whole sequence.
//! let mut state = AccState::default();
//! let streamed: Vec<[f64; 1]> = xs.iter().map(|x| net.step(&mut state, x)).collect();
//! assert_eq!(streamed, net.forward_sequence(&xs));
//! ```

use core::fmt::Debug;

use crate::Scalar;
use crate::loss::Loss;
use crate::network::{NonFinite, Order, TrainError, check_batch, check_result, count};
use crate::optim::Optimizer;

/// A GRU layer's state: its hidden vector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GruState<T, const H: usize> {
    /// The hidden state `h`.
    pub h: [T; H],
}

impl<T: Scalar, const H: usize> Default for GruState<T, H> {
    /// All zero, PyTorch's initial state.
    fn default() -> Self {
        Self { h: [T::ZERO; H] }
    }
}

/// An LSTM layer's state: its hidden and cell vectors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LstmState<T, const H: usize> {
    /// The hidden state `h`, the layer's output.
    pub h: [T; H],
    /// The cell state `c`.
    pub c: [T; H],
}

impl<T: Scalar, const H: usize> Default for LstmState<T, H> {
    /// All zero, PyTorch's initial state.
    fn default() -> Self {
        Self {
            h: [T::ZERO; H],
            c: [T::ZERO; H],
        }
    }
}

/// The targets of one sequence of `L` steps: which steps the loss scores,
/// and against what.
pub trait SequenceTargets<T, const OUT: usize, const L: usize> {
    /// How many of the `L` steps have a target: the loss is the mean over
    /// them.
    const SCORED: usize;

    /// The target of step `step`, or `None` if the loss does not score it.
    fn at(&self, step: usize) -> Option<&[T; OUT]>;
}

/// One target per step: sequence to sequence.
impl<T, const OUT: usize, const L: usize> SequenceTargets<T, OUT, L> for [[T; OUT]; L] {
    const SCORED: usize = L;

    fn at(&self, step: usize) -> Option<&[T; OUT]> {
        self.get(step)
    }
}

/// The target of the last step only: sequence to one (a classifier of
/// whole sequences, a regression on what the sequence leads to).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LastStep<T, const OUT: usize>(pub [T; OUT]);

impl<T, const OUT: usize, const L: usize> SequenceTargets<T, OUT, L> for LastStep<T, OUT> {
    const SCORED: usize = if L == 0 { 0 } else { 1 };

    fn at(&self, step: usize) -> Option<&[T; OUT]> {
        (step + 1 == L).then_some(&self.0)
    }
}

/// A recurrent network of `IN` inputs and `OUT` outputs per time step and
/// `P` parameters: what `network!` implements for a network with a `GRU`
/// or `LSTM` layer. See the [module](self) for what each method is for.
///
/// The methods whose names start with `__` are the generated passes the
/// others are written over; they are not part of the API.
pub trait Recurrent<T: Scalar, const IN: usize, const OUT: usize, const P: usize>: Sized {
    /// Every recurrent layer's state; `Default` is all zero.
    type State: Copy + Default + PartialEq + Debug;
    /// The values of one time step that backpropagation through time needs.
    type StepTrace: Copy;

    /// A network with these parameters.
    fn from_params(params: [T; P]) -> Self;
    /// The parameters.
    fn params(&self) -> &[T; P];
    /// The parameters, mutably.
    fn params_mut(&mut self) -> &mut [T; P];

    #[doc(hidden)]
    fn __step(params: &[T; P], state: &mut Self::State, input: &[T; IN]) -> [T; OUT];
    #[doc(hidden)]
    fn __step_trace(params: &[T; P], state: &Self::State, input: &[T; IN]) -> Self::StepTrace;
    #[doc(hidden)]
    fn __next_state(trace: &Self::StepTrace) -> Self::State;
    #[doc(hidden)]
    fn __trace_output(trace: &Self::StepTrace) -> &[T; OUT];
    #[doc(hidden)]
    fn __step_loss<L: Loss<T>>(trace: &Self::StepTrace, target: &[T; OUT], loss: &L) -> T;
    /// Adds one step's gradients into `gradients`: from the loss at this
    /// step (if `target` is given) and from the later steps (`carry`,
    /// which becomes the gradient at the state the step started from).
    #[doc(hidden)]
    fn __step_backward<L: Loss<T>>(
        params: &[T; P],
        trace: &Self::StepTrace,
        target: Option<&[T; OUT]>,
        loss: &L,
        carry: &mut Self::State,
        gradients: &mut [T; P],
    );

    /// One time step: the output for `input` from `state`, which becomes
    /// the state after the step.
    #[inline]
    fn step(&self, state: &mut Self::State, input: &[T; IN]) -> [T; OUT] {
        Self::__step(self.params(), state, input)
    }

    /// The outputs of every step of `inputs` from the zero state: the same
    /// bits as [`Recurrent::step`] through them from `State::default()`.
    #[inline]
    #[must_use]
    fn forward_sequence<const L: usize>(&self, inputs: &[[T; IN]; L]) -> [[T; OUT]; L] {
        let mut state = Self::State::default();
        self.forward_sequence_from(&mut state, inputs)
    }

    /// The outputs of every step of `inputs` from `state`, which becomes the
    /// state after the last step.
    #[inline]
    fn forward_sequence_from<const L: usize>(
        &self,
        state: &mut Self::State,
        inputs: &[[T; IN]; L],
    ) -> [[T; OUT]; L] {
        let mut outputs = [[T::ZERO; OUT]; L];
        for (output, input) in outputs.iter_mut().zip(inputs) {
            *output = Self::__step(self.params(), state, input);
        }
        outputs
    }

    /// The loss of one sequence from the zero state: the mean of the
    /// per-step loss over the steps `targets` scores (NaN if it scores
    /// none).
    #[must_use]
    fn loss_sequence<const L: usize, G, Lo>(
        &self,
        inputs: &[[T; IN]; L],
        targets: &G,
        loss: &Lo,
    ) -> T
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
    {
        let mut state = Self::State::default();
        let mut total = T::EMPTY_SUM;
        for (step, input) in inputs.iter().enumerate() {
            let trace = Self::__step_trace(self.params(), &state, input);
            if let Some(target) = targets.at(step) {
                total += Self::__step_loss(&trace, target, loss);
            }
            state = Self::__next_state(&trace);
        }
        total / count::<T>(G::SCORED)
    }

    /// The loss of one sequence ([`Recurrent::loss_sequence`]) and its
    /// gradient with respect to every parameter, by backpropagation through
    /// time from the last step to the first. The steps' traces are kept on
    /// the stack: `L * size_of::<StepTrace>()` bytes.
    #[must_use]
    fn loss_and_gradients_sequence<const L: usize, G, Lo>(
        &self,
        inputs: &[[T; IN]; L],
        targets: &G,
        loss: &Lo,
    ) -> (T, Self)
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
    {
        let mut gradients = [T::EMPTY_SUM; P];
        let value = sequence_gradients::<T, Self, G, Lo, IN, OUT, P, L>(
            self.params(),
            inputs,
            targets,
            loss,
            &mut gradients,
        );
        (value, Self::from_params(gradients))
    }

    /// One training step on one sequence: backpropagation through time,
    /// then one update by `optimizer`. Returns the loss before the update.
    fn train_step<const L: usize, G, Lo, O>(
        &mut self,
        inputs: &[[T; IN]; L],
        targets: &G,
        loss: &Lo,
        optimizer: &mut O,
    ) -> T
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
        O: Optimizer<T, P>,
    {
        let (value, gradients) = self.loss_and_gradients_sequence(inputs, targets, loss);
        optimizer.step(self.params_mut(), gradients.params());
        value
    }

    /// [`Recurrent::train_step`], made only if every input and scored
    /// target, the loss, every gradient, the optimizer's hyperparameters
    /// and every updated parameter and optimizer state are fine; otherwise
    /// nothing changes, neither the network nor the optimizer, bit for bit.
    ///
    /// # Errors
    ///
    /// [`TrainError::NonFinite`] naming the first value that was not
    /// finite (an input's `index` is `step * IN + i`, a target's
    /// `step * OUT + o`), or [`TrainError::Optimizer`].
    fn try_train_step<const L: usize, G, Lo, O>(
        &mut self,
        inputs: &[[T; IN]; L],
        targets: &G,
        loss: &Lo,
        optimizer: &mut O,
    ) -> Result<T, TrainError>
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
        O: Optimizer<T, P>,
    {
        check_sequence::<T, G, IN, OUT, L>(0, inputs, targets)?;
        let (value, gradients) = self.loss_and_gradients_sequence(inputs, targets, loss);
        check_result(value, gradients.params())?;
        optimizer.try_step(self.params_mut(), gradients.params())?;
        Ok(value)
    }

    /// The mean loss and the mean gradient over a batch of sequences.
    ///
    /// # Errors
    ///
    /// [`TrainError::Empty`] for no sequences,
    /// [`TrainError::LengthMismatch`] when the slices differ in length.
    fn batch_gradients<const L: usize, G, Lo>(
        &self,
        inputs: &[[[T; IN]; L]],
        targets: &[G],
        loss: &Lo,
    ) -> Result<(T, Self), TrainError>
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
    {
        check_batch(inputs.len(), targets.len())?;
        let samples = inputs.iter().zip(targets).enumerate();
        let (sum, gradients) = batch_mean(self, samples.map(|(k, (x, t))| (k, x, t)), loss, false)?;
        Ok((sum / count::<T>(inputs.len()), Self::from_params(gradients)))
    }

    /// One update from the mean gradient over a batch of sequences. Returns
    /// the mean loss before the update; for an empty batch or slices of
    /// different lengths makes no update and returns NaN.
    fn train_batch<const L: usize, G, Lo, O>(
        &mut self,
        inputs: &[[[T; IN]; L]],
        targets: &[G],
        loss: &Lo,
        optimizer: &mut O,
    ) -> T
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
        O: Optimizer<T, P>,
    {
        match self.batch_gradients(inputs, targets, loss) {
            Ok((value, gradients)) => {
                optimizer.step(self.params_mut(), gradients.params());
                value
            }
            Err(_) => T::from_f64(f64::NAN),
        }
    }

    /// [`Recurrent::train_batch`] with [`Recurrent::try_train_step`]'s
    /// checks over every sequence; otherwise nothing changes.
    ///
    /// # Errors
    ///
    /// [`TrainError::Empty`], [`TrainError::LengthMismatch`],
    /// [`TrainError::NonFinite`] or [`TrainError::Optimizer`].
    fn try_train_batch<const L: usize, G, Lo, O>(
        &mut self,
        inputs: &[[[T; IN]; L]],
        targets: &[G],
        loss: &Lo,
        optimizer: &mut O,
    ) -> Result<T, TrainError>
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
        O: Optimizer<T, P>,
    {
        check_batch(inputs.len(), targets.len())?;
        for (sample, (input, target)) in inputs.iter().zip(targets).enumerate() {
            check_sequence::<T, G, IN, OUT, L>(sample, input, target)?;
        }
        let (value, gradients) = self.batch_gradients(inputs, targets, loss)?;
        check_result(value, gradients.params())?;
        optimizer.try_step(self.params_mut(), gradients.params())?;
        Ok(value)
    }

    /// One pass over a data set of sequences in batches of `batch_size`
    /// (the last may be smaller), one checked update per batch
    /// ([`Recurrent::try_train_batch`]), visited in order or shuffled from
    /// `shuffle`'s seed as [`Network::train_epoch`](crate::Network::train_epoch)
    /// does. Returns the mean loss over the epoch's sequences.
    ///
    /// # Errors
    ///
    /// For no sequences, a batch size of 0, slices of different lengths, or
    /// a batch with a value that is not finite (earlier batches stay
    /// applied).
    fn train_epoch<const L: usize, G, Lo, O>(
        &mut self,
        inputs: &[[[T; IN]; L]],
        targets: &[G],
        batch_size: usize,
        shuffle: Option<u64>,
        loss: &Lo,
        optimizer: &mut O,
    ) -> Result<T, TrainError>
    where
        G: SequenceTargets<T, OUT, L>,
        Lo: Loss<T>,
        O: Optimizer<T, P>,
    {
        check_batch(inputs.len(), targets.len())?;
        if batch_size == 0 {
            return Err(TrainError::Empty);
        }
        let mut order = Order::new(inputs.len(), shuffle);
        let mut total = T::EMPTY_SUM;
        let mut start = 0;
        while start < inputs.len() {
            let size = batch_size.min(inputs.len() - start);
            let batch = (0..size).map(|_| {
                let sample = order.next().unwrap_or(0);
                (sample, &inputs[sample], &targets[sample])
            });
            let (batch_loss, gradients) = batch_mean(self, batch, loss, true)?;
            check_result(batch_loss / count::<T>(size), &gradients)?;
            optimizer.try_step(self.params_mut(), &gradients)?;
            total += batch_loss;
            start += size;
        }
        Ok(total / count::<T>(inputs.len()))
    }
}

/// Backpropagation through time over one sequence: adds the gradient of
/// the sequence's mean loss into `gradients` (which the caller zeroes) and
/// returns the loss.
fn sequence_gradients<
    T,
    N,
    G,
    Lo,
    const IN: usize,
    const OUT: usize,
    const P: usize,
    const L: usize,
>(
    params: &[T; P],
    inputs: &[[T; IN]; L],
    targets: &G,
    loss: &Lo,
    gradients: &mut [T; P],
) -> T
where
    T: Scalar,
    N: Recurrent<T, IN, OUT, P>,
    G: SequenceTargets<T, OUT, L>,
    Lo: Loss<T>,
{
    let Some(first) = inputs.first() else {
        return T::from_f64(f64::NAN);
    };
    let mut traces = [N::__step_trace(params, &N::State::default(), first); L];
    let mut total = T::EMPTY_SUM;
    for step in 0..L {
        if step > 0 {
            let state = N::__next_state(&traces[step - 1]);
            traces[step] = N::__step_trace(params, &state, &inputs[step]);
        }
        if let Some(target) = targets.at(step) {
            total += N::__step_loss(&traces[step], target, loss);
        }
    }
    let mut carry = N::State::default();
    for step in (0..L).rev() {
        N::__step_backward(
            params,
            &traces[step],
            targets.at(step),
            loss,
            &mut carry,
            gradients,
        );
    }
    let n = count::<T>(G::SCORED);
    if G::SCORED != 1 {
        for g in gradients.iter_mut() {
            *g /= n;
        }
    }
    total / n
}

/// The summed loss and the mean gradient over the sequences `samples`
/// gives (each with its index, for the errors), each checked first if
/// `check`.
fn batch_mean<'a, T, N, G, Lo, const IN: usize, const OUT: usize, const P: usize, const L: usize>(
    net: &N,
    samples: impl Iterator<Item = (usize, &'a [[T; IN]; L], &'a G)>,
    loss: &Lo,
    check: bool,
) -> Result<(T, [T; P]), TrainError>
where
    T: Scalar + 'a,
    N: Recurrent<T, IN, OUT, P>,
    G: SequenceTargets<T, OUT, L> + 'a,
    Lo: Loss<T>,
{
    let (mut sums, mut total, mut n) = ([T::EMPTY_SUM; P], T::EMPTY_SUM, 0);
    for (sample, input, target) in samples {
        if check {
            check_sequence::<T, G, IN, OUT, L>(sample, input, target)?;
        }
        let (value, gradients) = net.loss_and_gradients_sequence(input, target, loss);
        total += value;
        for (s, g) in sums.iter_mut().zip(gradients.params()) {
            *s += *g;
        }
        n += 1;
    }
    let n = count::<T>(n);
    for s in &mut sums {
        *s /= n;
    }
    Ok((total, sums))
}

/// Every input and scored target of sequence `sample` finite.
fn check_sequence<T, G, const IN: usize, const OUT: usize, const L: usize>(
    sample: usize,
    inputs: &[[T; IN]; L],
    targets: &G,
) -> Result<(), TrainError>
where
    T: Scalar,
    G: SequenceTargets<T, OUT, L>,
{
    for (step, input) in inputs.iter().enumerate() {
        if let Some(i) = input.iter().position(|v| !v.is_finite()) {
            let index = step * IN + i;
            return Err(TrainError::NonFinite(NonFinite::Input { sample, index }));
        }
    }
    for step in 0..L {
        if let Some(o) = targets
            .at(step)
            .and_then(|t| t.iter().position(|v| !v.is_finite()))
        {
            let index = step * OUT + o;
            return Err(TrainError::NonFinite(NonFinite::Target { sample, index }));
        }
    }
    Ok(())
}
