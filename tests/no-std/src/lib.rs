//! A `#![no_std]` crate that uses `network!` as firmware would. CI builds it
//! for `thumbv7em-none-eabihf`, a target with no `std` and no allocator, so
//! any use of either in the runtime or in generated code fails the build.
#![no_std]
#![forbid(unsafe_code)]

use backprop_core::fit::{Fit, FitError};
use backprop_core::loss::{CrossEntropy, HalfSquaredError};
use backprop_core::metrics::{self, EvalError};
use backprop_core::network;
use backprop_core::optim::{Adam, ClipGradNorm, ClipGradValue, Sgd};
use backprop_core::schedule::CosineWithWarmup;

network! {
    /// The tutorial's network.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A larger one whose first layer takes the loop form.
    pub struct Larger: 16 => 32 Tanh => 1 Sigmoid;
    /// A classifier for the toolbox below.
    pub struct Classifier: 2 => 4 Tanh => 2 Softmax;
}

/// Trains the tutorial's network for `steps` SGD steps on its sample and
/// returns the final loss.
#[must_use]
pub fn train_seed(steps: usize) -> f32 {
    let mut net = SeedNet::<f32>::from_params([
        0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0,
        1.0, 1.0, 0.5, 1.0,
    ]);
    let mut sgd = Sgd::new(0.25);
    for _ in 0..steps {
        net.train_step(&[2.0], &[3.0], &HalfSquaredError, &mut sgd);
    }
    net.loss(&[2.0], &[3.0], &HalfSquaredError)
}

/// One training step of the larger network from all-zero parameters.
#[must_use]
pub fn train_larger(input: &[f32; 16]) -> f32 {
    let mut net = Larger::<f32>::default();
    net.train_step(input, &[1.0], &HalfSquaredError, &mut Sgd::new(0.1))
}

/// Why [`fit_classifier`] failed.
#[derive(Debug)]
pub enum ToolboxError {
    /// The fit loop refused the data or a step.
    Fit(FitError),
    /// An evaluation helper refused the data.
    Eval(EvalError),
}

/// What a firmware would use to train a classifier on the device: the fit
/// loop with a schedule, validation and early stopping, AdamW with the
/// gradient clipped by norm, then clipped SGD with dampened momentum for a
/// few epochs more, and the evaluation helpers. Returns the accuracy and
/// the confusion matrix on the training samples.
///
/// # Errors
///
/// When the data is empty or a class is not 0 or 1.
pub fn fit_classifier(
    inputs: &[[f32; 2]; 8],
    classes: &[usize; 8],
) -> Result<(f64, [[u32; 2]; 2]), ToolboxError> {
    let mut targets = [[0.0_f32; 2]; 8];
    for (sample, (target, &class)) in targets.iter_mut().zip(classes).enumerate() {
        let error = ToolboxError::Eval(EvalError::Class { sample, class });
        *target = metrics::one_hot(class).ok_or(error)?;
    }
    let mut net = Classifier::<f32>::with_seed(3);
    let adamw = Adam::new(0.05).with_decoupled_weight_decay(0.01);
    let mut optimizer = ClipGradNorm::new(adamw, 5.0);
    Fit::new(inputs, &targets)
        .batch_size(4)
        .epochs(150)
        .shuffle(11)
        .schedule(CosineWithWarmup::new(0.05, 5, 150))
        .validation(inputs, &targets)
        .early_stopping(30)
        .run(&mut net, &CrossEntropy, &mut optimizer)
        .map_err(ToolboxError::Fit)?;
    let sgd = Sgd::new(0.01).with_momentum(0.9).with_dampening(0.1);
    let mut sgd = ClipGradValue::new(sgd, 1.0);
    Fit::new(inputs, &targets)
        .batch_size(8)
        .epochs(5)
        .run(&mut net, &CrossEntropy, &mut sgd)
        .map_err(ToolboxError::Fit)?;
    let accuracy = net.accuracy(inputs, classes).map_err(ToolboxError::Eval)?;
    net.mean_loss(inputs, &targets, &CrossEntropy)
        .map_err(ToolboxError::Eval)?;
    let matrix = net
        .confusion_matrix(inputs, classes)
        .map_err(ToolboxError::Eval)?;
    Ok((accuracy, matrix))
}

#[cfg(test)]
mod tests {
    #[test]
    fn trains_without_std() {
        assert!(super::train_seed(30) < 1e-6);
        assert!((super::train_larger(&[0.5; 16]) - 0.125).abs() < 1e-7);
    }

    #[test]
    fn the_toolbox_separates_two_classes() {
        // The class is the sign of x0 + x1.
        let inputs = [
            [1.0, 0.5],
            [0.5, 1.0],
            [2.0, -1.0],
            [0.2, 0.1],
            [-1.0, -0.5],
            [-0.5, -1.0],
            [-2.0, 1.0],
            [-0.1, -0.3],
        ];
        let classes = [1, 1, 1, 1, 0, 0, 0, 0];
        let (accuracy, matrix) = super::fit_classifier(&inputs, &classes).unwrap();
        assert_eq!(accuracy, 1.0);
        assert_eq!(matrix, [[4, 0], [0, 4]]);
        let bad = super::fit_classifier(&inputs, &[0, 1, 2, 1, 0, 0, 0, 0]);
        let class = backprop_core::metrics::EvalError::Class {
            sample: 2,
            class: 2,
        };
        assert!(matches!(bad, Err(super::ToolboxError::Eval(e)) if e == class));
    }
}

network! {
    /// The digits classifier of the int8 example, for its int8 copy.
    pub struct Digits: 64 => 32 ReLU => 10 Linear;
}

/// The int8 digits classifier's forward pass, out of line:
/// `scripts/int8-no-float.sh` disassembles it for the Cortex-M0 and fails
/// on any call of a floating-point routine.
#[inline(never)]
#[must_use]
pub fn digits_int8(net: &DigitsInt8, input: &[i8; 64]) -> [i8; 10] {
    net.forward(input)
}
