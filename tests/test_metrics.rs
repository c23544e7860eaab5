//! Evaluation helpers (`backprop_core::metrics` and the `Network` methods
//! built on them) against values worked out by hand: networks whose output
//! is their input, so every predicted class can be read off the data.

use backprop_core::loss::{HalfSquaredError, MeanSquaredError};
use backprop_core::metrics::{self, EvalError, Labels, argmax, classes, one_hot, predicted_class};
use backprop_core::network;

network! {
    /// Output = input: the predicted class is the argmax of the input.
    struct Identity3: 3 => 3 Linear;
    /// Output = input: a binary classifier on one value.
    struct Identity1: 1 => 1 Linear;
    /// Two parts chained: generic code must work on chains too.
    struct Half: 3 => 3 Linear;
    struct Chained: Half => Identity3;
}

fn identity3() -> Identity3<f64> {
    let mut p = [0.0; 12];
    p[0] = 1.0;
    p[4] = 1.0;
    p[8] = 1.0;
    Identity3::from_params(p)
}

fn identity1() -> Identity1<f64> {
    Identity1::from_params([1.0, 0.0])
}

#[test]
fn argmax_ties_go_to_the_lowest_index_and_nan_never_wins() {
    assert_eq!(argmax(&[3.0, 1.0, 2.0]), Some(0));
    assert_eq!(argmax(&[1.0, 3.0, 2.0]), Some(1));
    assert_eq!(argmax(&[1.0, 2.0, 3.0]), Some(2));
    assert_eq!(argmax(&[2.0, 3.0, 3.0]), Some(1));
    assert_eq!(argmax(&[3.0, 3.0, 3.0]), Some(0));
    // -0.0 == 0.0: a tie, so the lowest index.
    assert_eq!(argmax(&[-0.0, 0.0]), Some(0));
    assert_eq!(argmax(&[0.0, -0.0]), Some(0));
    // NaN anywhere is skipped, even first, even before -infinity.
    assert_eq!(argmax(&[f64::NAN, 1.0, 2.0]), Some(2));
    assert_eq!(argmax(&[f64::NAN, f64::NEG_INFINITY]), Some(1));
    assert_eq!(argmax(&[1.0, f64::NAN, 0.5]), Some(0));
    assert_eq!(argmax(&[f32::NAN, f32::NAN, f32::NAN]), Some(0));
    // Infinities are ordinary values.
    assert_eq!(argmax(&[1e300, f64::INFINITY, f64::MAX]), Some(1));
    assert_eq!(
        argmax(&[f64::NEG_INFINITY, f64::NEG_INFINITY, -1e300]),
        Some(2)
    );
    assert_eq!(argmax::<f64>(&[]), None);
    // Integers work too: PartialOrd is all it needs.
    assert_eq!(argmax(&[3_u8, 9, 9, 1]), Some(1));
}

#[test]
fn one_output_is_a_binary_classifier() {
    assert_eq!(classes(1), 2);
    assert_eq!(classes(2), 2);
    assert_eq!(classes(7), 7);
    assert_eq!(predicted_class(&[0.5_f64]), Some(1));
    assert_eq!(predicted_class(&[0.499_999_999_999_f64]), Some(0));
    assert_eq!(predicted_class(&[f64::INFINITY]), Some(1));
    assert_eq!(predicted_class(&[f64::NAN]), Some(0));
    assert_eq!(predicted_class(&[-3.0_f32]), Some(0));
    // Two values are an argmax again, whatever their scale.
    assert_eq!(predicted_class(&[0.1_f64, 0.2]), Some(1));
    assert_eq!(predicted_class::<f64>(&[]), None);
}

#[test]
fn one_hot_targets() {
    assert_eq!(one_hot::<f64, 4>(0), Some([1.0, 0.0, 0.0, 0.0]));
    assert_eq!(one_hot::<f64, 4>(3), Some([0.0, 0.0, 0.0, 1.0]));
    assert_eq!(one_hot::<f64, 4>(4), None);
    assert_eq!(one_hot::<f32, 2>(usize::MAX), None);
    assert_eq!(one_hot::<f32, 1>(0), Some([0.0]));
    assert_eq!(one_hot::<f32, 1>(1), Some([1.0]));
    assert_eq!(one_hot::<f32, 1>(2), None);
    // Every class round-trips through predicted_class.
    for c in 0..5 {
        assert_eq!(predicted_class(&one_hot::<f64, 5>(c).unwrap()), Some(c));
    }
    for c in 0..2 {
        assert_eq!(predicted_class(&one_hot::<f64, 1>(c).unwrap()), Some(c));
    }
}

#[test]
fn classify_reads_the_largest_output() {
    let net = identity3();
    assert_eq!(net.classify(&[0.1, 0.7, 0.2]), Some(1));
    assert_eq!(net.classify(&[0.5, 0.1, 0.5]), Some(0));
    // A NaN input makes every output NaN (0 * NaN is NaN): class 0.
    assert!(
        net.forward(&[0.0, f64::NAN, 1.0])
            .iter()
            .all(|v| v.is_nan())
    );
    assert_eq!(net.classify(&[0.0, f64::NAN, 1.0]), Some(0));
    assert_eq!(metrics::classify(&net, &[-1.0, -2.0, 0.0]), Some(2));
    let binary = identity1();
    assert_eq!(binary.classify(&[0.75]), Some(1));
    assert_eq!(binary.classify(&[0.25]), Some(0));
}

/// Six samples of three classes; the identity network predicts
/// 0, 1, 2, 2, 0, 1.
const INPUTS: [[f64; 3]; 6] = [
    [0.9, 0.1, 0.0],
    [0.2, 0.5, 0.3],
    [0.0, 0.0, 1.0],
    [0.3, 0.3, 0.4],
    [0.4, 0.4, 0.2], // a tie: class 0
    [0.1, 0.8, 0.1],
];
/// The true classes: 4 of the 6 predictions are right (samples 0, 1, 2, 5).
const LABELS: [usize; 6] = [0, 1, 2, 1, 2, 1];

#[test]
fn accuracy_from_class_indices_and_one_hot_targets() {
    let net = identity3();
    assert_eq!(net.accuracy(&INPUTS, &LABELS), Ok(4.0 / 6.0));
    assert_eq!(net.accuracy(&INPUTS, &LABELS[..]), Ok(4.0 / 6.0));
    assert_eq!(net.accuracy(&INPUTS[..2], &LABELS[..2]), Ok(1.0));
    assert_eq!(net.accuracy(&INPUTS[3..5], &LABELS[3..5]), Ok(0.0));
    let one_hot: [[f64; 3]; 6] = LABELS.map(|c| one_hot(c).unwrap());
    assert_eq!(net.accuracy(&INPUTS, &one_hot), Ok(4.0 / 6.0));
    assert_eq!(net.accuracy(&INPUTS, &one_hot[..]), Ok(4.0 / 6.0));
    // Soft targets count by their largest entry.
    let soft = [[0.6, 0.3, 0.1], [0.1, 0.5, 0.4]];
    assert_eq!(net.accuracy(&INPUTS[..2], &soft), Ok(1.0));
    // The free function is the same computation.
    assert_eq!(metrics::accuracy(&net, &INPUTS, &LABELS), Ok(4.0 / 6.0));
    // A chain of networks is a network like any other: the half layer
    // halves every input, which changes no argmax.
    let mut p = [0.0; 24];
    for i in 0..3 {
        p[i * 4] = 0.5;
    }
    p[12..].copy_from_slice(identity3().params());
    let chained = Chained::<f64>::from_params(p);
    assert_eq!(chained.accuracy(&INPUTS, &LABELS), Ok(4.0 / 6.0));
}

#[test]
fn binary_accuracy_thresholds_at_one_half() {
    let net = identity1();
    let inputs = [[0.9], [0.1], [0.5], [0.4999], [f64::NAN]];
    // Predicted: 1, 0, 1, 0, 0.
    assert_eq!(net.accuracy(&inputs, &[1, 0, 1, 0, 0]), Ok(1.0));
    assert_eq!(net.accuracy(&inputs, &[0, 0, 0, 0, 0]), Ok(3.0 / 5.0));
    assert_eq!(
        net.accuracy(&inputs, &[[1.0], [0.0], [1.0], [1.0], [1.0]]),
        Ok(3.0 / 5.0)
    );
    // Class 2 does not exist for a binary classifier.
    assert_eq!(
        net.accuracy(&inputs, &[1, 0, 2, 0, 0]),
        Err(EvalError::Class {
            sample: 2,
            class: 2
        })
    );
}

#[test]
fn bad_data_is_an_error_not_a_panic() {
    let net = identity3();
    let no_labels: [usize; 0] = [];
    assert_eq!(net.accuracy(&[], &no_labels), Err(EvalError::Empty));
    assert_eq!(
        net.accuracy(&INPUTS, &LABELS[..5]),
        Err(EvalError::LengthMismatch {
            inputs: 6,
            targets: 5
        })
    );
    assert_eq!(
        net.accuracy(&INPUTS[..2], &[0, 3]),
        Err(EvalError::Class {
            sample: 1,
            class: 3
        })
    );
    assert_eq!(
        net.accuracy(&INPUTS[..2], &[usize::MAX, 0]),
        Err(EvalError::Class {
            sample: 0,
            class: usize::MAX
        })
    );
    assert_eq!(
        net.mean_loss(&[], &[], &HalfSquaredError),
        Err(EvalError::Empty)
    );
    assert_eq!(
        net.mean_loss(&INPUTS, &[[0.0; 3]; 2], &HalfSquaredError),
        Err(EvalError::LengthMismatch {
            inputs: 6,
            targets: 2
        })
    );
    assert_eq!(
        net.confusion_matrix::<3, _>(&INPUTS[..0], &LABELS[..0]),
        Err(EvalError::Empty)
    );
    assert_eq!(
        net.confusion_matrix::<3, _>(&INPUTS, &LABELS[..1]),
        Err(EvalError::LengthMismatch {
            inputs: 6,
            targets: 1
        })
    );
    assert_eq!(
        EvalError::Class {
            sample: 4,
            class: 9
        }
        .to_string(),
        "sample 4 has class 9, out of range"
    );
    assert_eq!(EvalError::Empty.to_string(), "no samples to evaluate");
}

#[test]
fn mean_loss_by_hand() {
    let net = identity3();
    // Errors (0.1, -0.1, 0) and (0.2, 0.5 - 1, 0.3): half squared errors
    // 0.01 and (0.04 + 0.25 + 0.09) / 2 = 0.19; mean 0.1.
    let targets = [[0.8, 0.2, 0.0], [0.0, 1.0, 0.0]];
    let loss = net
        .mean_loss(&INPUTS[..2], &targets, &HalfSquaredError)
        .unwrap();
    assert!((loss - 0.1).abs() < 1e-15, "{loss}");
    // MSE averages over the 3 outputs: 2/3 of the half squared errors.
    let mse = metrics::mean_loss(&net, &INPUTS[..2], &targets, &MeanSquaredError).unwrap();
    assert!((mse - 0.2 / 3.0).abs() < 1e-15, "{mse}");
    // What train_epoch reports before any update (lr 0) is the same mean.
    let mut frozen = net;
    let epoch = frozen
        .train_epoch(
            &INPUTS[..2],
            &targets,
            2,
            None,
            &HalfSquaredError,
            &mut backprop_core::optim::Sgd::new(0.0),
        )
        .unwrap();
    assert_eq!(epoch, loss);
    // NaN goes through: evaluation refuses nothing but the shape.
    let nan = net.mean_loss(&[[f64::NAN, 0.0, 0.0]], &[[0.0; 3]], &HalfSquaredError);
    assert!(nan.unwrap().is_nan());
}

#[test]
fn confusion_matrix_by_hand() {
    let net = identity3();
    // (true, predicted): (0,0) (1,1) (2,2) (1,2) (2,0) (1,1).
    let matrix = net.confusion_matrix::<3, _>(&INPUTS, &LABELS).unwrap();
    assert_eq!(matrix, [[1, 0, 0], [0, 2, 1], [1, 0, 1]]);
    // Rows sum to each class's count; the diagonal is the accuracy.
    let row_sums: Vec<u32> = matrix.iter().map(|r| r.iter().sum()).collect();
    assert_eq!(row_sums, [1, 3, 2]);
    let diagonal: u32 = (0..3).map(|i| matrix[i][i]).sum();
    assert_eq!(
        f64::from(diagonal) / 6.0,
        net.accuracy(&INPUTS, &LABELS).unwrap()
    );
    // One-hot targets give the same matrix.
    let one_hot: [[f64; 3]; 6] = LABELS.map(|c| one_hot(c).unwrap());
    let from_targets: [[u32; 3]; 3] = metrics::confusion_matrix(&net, &INPUTS, &one_hot).unwrap();
    assert_eq!(from_targets, matrix);
    // More classes than outputs: the extra rows and columns stay 0.
    let wide = net.confusion_matrix::<4, _>(&INPUTS, &LABELS).unwrap();
    assert_eq!(
        wide,
        [[1, 0, 0, 0], [0, 2, 1, 0], [1, 0, 1, 0], [0, 0, 0, 0]]
    );
    // Fewer: a label or a prediction of class 2 is out of range.
    assert_eq!(
        net.confusion_matrix::<2, _>(&INPUTS, &[0, 1, 0, 0, 0, 0]),
        Err(EvalError::Class {
            sample: 2,
            class: 2
        })
    );
    assert_eq!(
        net.confusion_matrix::<2, _>(&INPUTS, &LABELS),
        Err(EvalError::Class {
            sample: 2,
            class: 2
        })
    );
    // A binary classifier's 2 x 2 matrix.
    let binary = identity1();
    let m = binary
        .confusion_matrix::<2, _>(&[[0.9], [0.1], [0.7], [0.2], [0.6]], &[1, 1, 1, 0, 0])
        .unwrap();
    // true 0: predicted 0, 1; true 1: predicted 1, 0, 1.
    assert_eq!(m, [[1, 1], [1, 2]]);
}

#[test]
fn labels_trait_for_slices_and_arrays() {
    let indices = [2_usize, 0, 1];
    assert_eq!(Labels::<f32, 3>::len(&indices), 3);
    assert!(!Labels::<f32, 3>::is_empty(&indices));
    assert_eq!(Labels::<f32, 3>::class(&indices[..], 0), Some(2));
    assert_eq!(Labels::<f32, 3>::class(&indices, 3), None);
    let targets = [[0.0_f32, 1.0], [1.0, 0.0]];
    assert_eq!(targets.class(0), Some(1));
    assert_eq!(targets[..].class(1), Some(0));
    assert_eq!(targets[..].class(2), None);
    let empty: &[[f32; 2]] = &[];
    assert!(Labels::<f32, 2>::is_empty(empty));
}

#[test]
fn works_for_f32_too() {
    let mut p = [0.0_f32; 12];
    p[0] = 1.0;
    p[4] = 1.0;
    p[8] = 1.0;
    let net = Identity3::<f32>::from_params(p);
    let inputs = INPUTS.map(|x| x.map(|v| v as f32));
    assert_eq!(net.accuracy(&inputs, &LABELS), Ok(4.0 / 6.0));
    assert_eq!(
        net.confusion_matrix::<3, _>(&inputs, &LABELS),
        Ok([[1, 0, 0], [0, 2, 1], [1, 0, 1]])
    );
}
