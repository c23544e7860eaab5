//! Evaluation: predicted classes, accuracy, mean loss, confusion matrices,
//! and one-hot targets. No heap, no panics: bad input is an [`EvalError`]
//! or `None`.
//!
//! # Classes
//!
//! A network with `OUT >= 2` outputs predicts the class of its largest
//! output ([`argmax`]: ties go to the lowest index, and NaN is never
//! chosen unless every output is NaN, in which case the class is 0). A
//! network with one output (a `Sigmoid` probability, trained with
//! `BinaryCrossEntropy`) is a binary classifier: class 1 when the output
//! is at least `0.5`, else class 0 (NaN included). [`predicted_class`]
//! implements both, and [`classes`] says how many classes a width has.
//!
//! Targets can be class indices (`&[usize]`, `&[usize; N]`) or outputs
//! (`&[[T; OUT]]`, `&[[T; OUT]; N]`, one-hot or soft, whose class is
//! their [`predicted_class`]); both implement [`Labels`].
//!
//! # Examples
//!
//! ```
//! use backprop_core::{loss::HalfSquaredError, metrics, network};
//!
//! network! { struct Net: 2 => 3 Linear; }
//!
//! // Outputs x0, x1 and (x0 + x1) / 2.
//! let net = Net::<f64>::from_params([1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.0, 0.0, 0.0]);
//! let inputs = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]];
//! assert_eq!(net.classify(&[1.0, 0.0]), Some(0));
//! // Predicted: 0, 1, 0 (tie of 1.0 with 1.0: the lowest index), 0 (all 0).
//! assert_eq!(net.accuracy(&inputs, &[0, 1, 2, 0]), Ok(0.75));
//! let matrix = net.confusion_matrix::<3, _>(&inputs, &[0, 1, 2, 0])?;
//! assert_eq!(matrix, [[2, 0, 0], [0, 1, 0], [1, 0, 0]]); // rows: true class
//! // One-hot targets work the same way.
//! let one_hot: [[f64; 3]; 4] = [0, 1, 2, 0].map(|c| metrics::one_hot(c).unwrap());
//! assert_eq!(net.accuracy(&inputs, &one_hot), Ok(0.75));
//! // [1, 0, 0.5] against [1, 0, 0]: half the squared error, 0.125.
//! assert_eq!(net.mean_loss(&inputs[..1], &one_hot[..1], &HalfSquaredError), Ok(0.125));
//! // A class index the network does not have is an error, not a panic.
//! assert_eq!(
//!     net.accuracy(&inputs, &[0, 1, 3, 0]),
//!     Err(metrics::EvalError::Class { sample: 2, class: 3 })
//! );
//! # Ok::<(), metrics::EvalError>(())
//! ```

use core::fmt;

use crate::loss::Loss;
use crate::{Network, Scalar};

/// Why an evaluation could not be computed.
///
/// # Examples
///
/// ```
/// use backprop_core::{Network, metrics::EvalError, network};
///
/// network! { struct Net: 1 => 2 Linear; }
///
/// let net = Net::<f32>::default();
/// assert_eq!(net.accuracy(&[], &[0_usize; 0]), Err(EvalError::Empty));
/// let err = net.accuracy(&[[1.0]], &[0, 1]).unwrap_err();
/// assert_eq!(err, EvalError::LengthMismatch { inputs: 1, targets: 2 });
/// assert_eq!(err.to_string(), "1 inputs but 2 targets");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EvalError {
    /// There were no samples.
    Empty,
    /// The inputs and the targets differ in number.
    LengthMismatch {
        /// How many inputs.
        inputs: usize,
        /// How many targets (labels).
        targets: usize,
    },
    /// A sample's label (or, for a confusion matrix, its predicted class)
    /// is not below the number of classes.
    Class {
        /// The sample's index in the slice.
        sample: usize,
        /// The class index that is out of range.
        class: usize,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no samples to evaluate"),
            Self::LengthMismatch { inputs, targets } => {
                write!(f, "{inputs} inputs but {targets} targets")
            }
            Self::Class { sample, class } => {
                write!(f, "sample {sample} has class {class}, out of range")
            }
        }
    }
}

impl core::error::Error for EvalError {}

/// The index of the largest value: ties go to the lowest index, NaN is
/// never chosen unless every value is NaN (then 0), and `None` only for an
/// empty slice. Infinities compare as usual.
///
/// # Examples
///
/// ```
/// use backprop_core::metrics::argmax;
///
/// assert_eq!(argmax(&[0.1, 0.7, 0.2]), Some(1));
/// assert_eq!(argmax(&[0.5, 0.5, 0.1]), Some(0)); // tie: the lowest index
/// assert_eq!(argmax(&[f32::NAN, -1.0, f32::NAN]), Some(1)); // NaN never wins
/// assert_eq!(argmax(&[f64::NAN, f64::NAN]), Some(0)); // unless all are NaN
/// assert_eq!(argmax::<f32>(&[]), None);
/// ```
#[must_use]
pub fn argmax<T: PartialOrd>(values: &[T]) -> Option<usize> {
    let mut best: Option<(usize, &T)> = None;
    for (index, value) in values.iter().enumerate() {
        // NaN is the value that is not comparable with itself.
        if value.partial_cmp(value).is_none() {
            continue;
        }
        if best.is_none_or(|(_, b)| value > b) {
            best = Some((index, value));
        }
    }
    match best {
        Some((index, _)) => Some(index),
        None if values.is_empty() => None,
        None => Some(0),
    }
}

/// How many classes a network with `outputs` outputs tells apart: 2 for
/// one output (a binary classifier), else `outputs`.
///
/// # Examples
///
/// ```
/// assert_eq!(backprop_core::metrics::classes(1), 2);
/// assert_eq!(backprop_core::metrics::classes(10), 10);
/// ```
#[must_use]
pub const fn classes(outputs: usize) -> usize {
    if outputs == 1 { 2 } else { outputs }
}

/// The class an output (or a one-hot or soft target) stands for: the
/// [`argmax`] for two or more values; for one value, 1 if it is at least
/// `0.5`, else 0 (NaN gives 0). `None` only for an empty slice.
///
/// # Examples
///
/// ```
/// use backprop_core::metrics::predicted_class;
///
/// assert_eq!(predicted_class(&[0.2_f32, 0.8]), Some(1));
/// assert_eq!(predicted_class(&[0.5_f32]), Some(1));
/// assert_eq!(predicted_class(&[0.49_f32]), Some(0));
/// assert_eq!(predicted_class(&[f32::NAN]), Some(0));
/// ```
#[must_use]
pub fn predicted_class<T: Scalar>(output: &[T]) -> Option<usize> {
    match output {
        [p] => Some(usize::from(*p >= T::from_f64(0.5))),
        _ => argmax(output),
    }
}

/// The target of class `class` for a network with `C` outputs, or `None`
/// if `class` is not below [`classes(C)`](classes).
///
/// For `C >= 2`, one-hot: 1 at `class`, 0 elsewhere (the targets of
/// `CrossEntropy`). For `C = 1`, a binary classifier's target: `[0]` for
/// class 0, `[1]` for class 1 (the targets of `BinaryCrossEntropy`), so
/// that [`predicted_class`] of `one_hot(c)` is always `c`.
///
/// # Examples
///
/// ```
/// use backprop_core::metrics::one_hot;
///
/// assert_eq!(one_hot::<f32, 3>(1), Some([0.0, 1.0, 0.0]));
/// assert_eq!(one_hot::<f32, 3>(3), None);
/// assert_eq!(one_hot::<f64, 1>(1), Some([1.0]));
/// assert_eq!(one_hot::<f64, 1>(0), Some([0.0]));
/// // Class-index labels to CrossEntropy targets, with no allocation:
/// let targets: [[f32; 3]; 4] = [2, 0, 1, 2].map(|c| one_hot(c).unwrap_or([0.0; 3]));
/// assert_eq!(targets[0], [0.0, 0.0, 1.0]);
/// ```
#[must_use]
pub fn one_hot<T: Scalar, const C: usize>(class: usize) -> Option<[T; C]> {
    if class >= classes(C) {
        return None;
    }
    let mut target = [T::ZERO; C];
    if C == 1 {
        if class == 1 {
            target[0] = T::ONE;
        }
    } else {
        target[class] = T::ONE;
    }
    Some(target)
}

/// The classes of a data set's samples, for a network with `OUT` outputs
/// of scalar `T`: class indices (`[usize]`, `[usize; N]`) or target
/// outputs (`[[T; OUT]]`, `[[T; OUT]; N]`), whose class is their
/// [`predicted_class`].
///
/// # Examples
///
/// ```
/// use backprop_core::metrics::Labels;
///
/// let indices = [2_usize, 0];
/// assert_eq!(Labels::<f32, 3>::class(&indices, 0), Some(2));
/// let one_hot = [[0.0_f32, 0.0, 1.0], [1.0, 0.0, 0.0]];
/// assert_eq!(one_hot.class(0), Some(2));
/// assert_eq!(one_hot.class(2), None); // no sample 2
/// ```
pub trait Labels<T, const OUT: usize> {
    /// How many samples.
    fn len(&self) -> usize;

    /// `true` if there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class of sample `sample`, or `None` if there is no such sample.
    fn class(&self, sample: usize) -> Option<usize>;
}

impl<T, const OUT: usize> Labels<T, OUT> for [usize] {
    fn len(&self) -> usize {
        <[usize]>::len(self)
    }

    fn class(&self, sample: usize) -> Option<usize> {
        self.get(sample).copied()
    }
}

impl<T, const OUT: usize, const N: usize> Labels<T, OUT> for [usize; N] {
    fn len(&self) -> usize {
        N
    }

    fn class(&self, sample: usize) -> Option<usize> {
        self.get(sample).copied()
    }
}

impl<T: Scalar, const OUT: usize> Labels<T, OUT> for [[T; OUT]] {
    fn len(&self) -> usize {
        <[[T; OUT]]>::len(self)
    }

    fn class(&self, sample: usize) -> Option<usize> {
        predicted_class(self.get(sample)?)
    }
}

impl<T: Scalar, const OUT: usize, const N: usize> Labels<T, OUT> for [[T; OUT]; N] {
    fn len(&self) -> usize {
        N
    }

    fn class(&self, sample: usize) -> Option<usize> {
        predicted_class(self.get(sample)?)
    }
}

/// `Ok` for as many targets as inputs, and at least one.
fn check_lengths(inputs: usize, targets: usize) -> Result<(), EvalError> {
    if inputs != targets {
        Err(EvalError::LengthMismatch { inputs, targets })
    } else if inputs == 0 {
        Err(EvalError::Empty)
    } else {
        Ok(())
    }
}

/// The class of every sample, in order, each as `(true, predicted)`,
/// calling `visit` for each; stops at the first label that is not below
/// `classes`.
fn for_each_class<T, N, L, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    inputs: &[[T; IN]],
    labels: &L,
    classes: usize,
    mut visit: impl FnMut(usize, usize, usize) -> Result<(), EvalError>,
) -> Result<(), EvalError>
where
    T: Scalar,
    N: Network<T, IN, OUT, P>,
    L: Labels<T, OUT> + ?Sized,
{
    check_lengths(inputs.len(), labels.len())?;
    for (sample, input) in inputs.iter().enumerate() {
        let class = labels.class(sample).unwrap_or(usize::MAX);
        if class >= classes {
            return Err(EvalError::Class { sample, class });
        }
        let predicted = predicted_class(&net.forward(input)).unwrap_or(0);
        visit(sample, class, predicted)?;
    }
    Ok(())
}

/// The class `net` predicts for `input` ([`predicted_class`] of its
/// output); `None` only for a network with no outputs.
///
/// # Examples
///
/// ```
/// use backprop_core::{metrics, network};
///
/// network! { struct Net: 1 => 2 Linear; }
///
/// let net = Net::<f32>::from_params([1.0, -1.0, 0.0, 0.0]);
/// assert_eq!(metrics::classify(&net, &[2.0]), Some(0));
/// assert_eq!(metrics::classify(&net, &[-2.0]), Some(1));
/// ```
#[must_use]
pub fn classify<T, N, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    input: &[T; IN],
) -> Option<usize>
where
    T: Scalar,
    N: Network<T, IN, OUT, P>,
{
    predicted_class(&net.forward(input))
}

/// The fraction of samples whose predicted class is their label's, in
/// `[0, 1]`.
///
/// # Errors
///
/// [`EvalError::Empty`], [`EvalError::LengthMismatch`], or
/// [`EvalError::Class`] for the first label not below
/// [`classes(OUT)`](classes).
///
/// # Examples
///
/// ```
/// use backprop_core::{metrics, network};
///
/// network! { struct Binary: 1 => 1 Sigmoid; }
///
/// // p(class 1) = sigmoid(x): class 1 for x >= 0.
/// let net = Binary::<f64>::from_params([1.0, 0.0]);
/// let inputs = [[-2.0], [-1.0], [1.0], [2.0]];
/// assert_eq!(metrics::accuracy(&net, &inputs, &[0, 0, 1, 1]), Ok(1.0));
/// assert_eq!(metrics::accuracy(&net, &inputs, &[[0.0], [1.0], [1.0], [1.0]]), Ok(0.75));
/// ```
pub fn accuracy<T, N, L, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    inputs: &[[T; IN]],
    labels: &L,
) -> Result<f64, EvalError>
where
    T: Scalar,
    N: Network<T, IN, OUT, P>,
    L: Labels<T, OUT> + ?Sized,
{
    let mut correct = 0_usize;
    for_each_class(net, inputs, labels, classes(OUT), |_, class, predicted| {
        correct += usize::from(class == predicted);
        Ok(())
    })?;
    #[allow(clippy::cast_precision_loss)]
    Ok(correct as f64 / inputs.len() as f64)
}

/// The mean loss over a data set, summed in order in `T` and divided by the
/// number of samples (as [`Network::train_epoch`] averages). Nothing is
/// refused: a NaN input gives a NaN mean.
///
/// # Errors
///
/// [`EvalError::Empty`] or [`EvalError::LengthMismatch`].
///
/// # Examples
///
/// ```
/// use backprop_core::{loss::HalfSquaredError, metrics, network};
///
/// network! { struct Line: 1 => 1 Linear; }
///
/// let net = Line::<f64>::from_params([2.0, 0.0]); // y = 2x
/// // Errors 0, 1 and 2: half squared errors 0, 0.5 and 2.
/// let loss = metrics::mean_loss(&net, &[[1.0], [1.0], [1.0]], &[[2.0], [3.0], [4.0]], &HalfSquaredError);
/// assert_eq!(loss, Ok(2.5 / 3.0));
/// ```
pub fn mean_loss<T, N, L, const IN: usize, const OUT: usize, const P: usize>(
    net: &N,
    inputs: &[[T; IN]],
    targets: &[[T; OUT]],
    loss: &L,
) -> Result<T, EvalError>
where
    T: Scalar,
    N: Network<T, IN, OUT, P>,
    L: Loss<T>,
{
    check_lengths(inputs.len(), targets.len())?;
    let mut total = T::EMPTY_SUM;
    for (input, target) in inputs.iter().zip(targets) {
        total += net.loss(input, target, loss);
    }
    #[allow(clippy::cast_precision_loss)]
    Ok(total / T::from_f64(inputs.len() as f64))
}

/// The confusion matrix over `C` classes: `matrix[true][predicted]` counts
/// the samples of class `true` (rows) that were predicted as `predicted`
/// (columns). The diagonal holds the correct predictions; a row sums to
/// the number of samples of its class. Counts saturate at `u32::MAX`.
///
/// `C` is usually [`classes(OUT)`](classes), but may be larger (the extra
/// classes then get no predictions) or smaller (a prediction not below `C`
/// is an error).
///
/// # Errors
///
/// [`EvalError::Empty`], [`EvalError::LengthMismatch`], or
/// [`EvalError::Class`] for the first sample whose label, or else whose
/// predicted class, is not below `C`.
///
/// # Examples
///
/// ```
/// use backprop_core::{metrics, network};
///
/// network! { struct Binary: 1 => 1 Sigmoid; }
///
/// let net = Binary::<f64>::from_params([1.0, 0.0]); // class 1 for x >= 0
/// let inputs = [[-2.0], [-1.0], [1.0], [2.0], [3.0]];
/// let matrix: [[u32; 2]; 2] = metrics::confusion_matrix(&net, &inputs, &[0, 1, 1, 0, 1])?;
/// // true 0: one predicted 0, one predicted 1; true 1: one 0, two 1.
/// assert_eq!(matrix, [[1, 1], [1, 2]]);
/// # Ok::<(), metrics::EvalError>(())
/// ```
pub fn confusion_matrix<
    const C: usize,
    T,
    N,
    L,
    const IN: usize,
    const OUT: usize,
    const P: usize,
>(
    net: &N,
    inputs: &[[T; IN]],
    labels: &L,
) -> Result<[[u32; C]; C], EvalError>
where
    T: Scalar,
    N: Network<T, IN, OUT, P>,
    L: Labels<T, OUT> + ?Sized,
{
    let mut matrix = [[0_u32; C]; C];
    for_each_class(net, inputs, labels, C, |sample, class, predicted| {
        let Some(cell) = matrix.get_mut(class).and_then(|row| row.get_mut(predicted)) else {
            return Err(EvalError::Class {
                sample,
                class: predicted,
            });
        };
        *cell = cell.saturating_add(1);
        Ok(())
    })?;
    Ok(matrix)
}
