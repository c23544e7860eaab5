//! The int8 digits example (`examples/digits.rs`): the data file is what
//! its README says, and after a short training the int8 network's test
//! accuracy is within one percentage point of the f32 network's, in at
//! most a quarter of the bytes plus 16 per output channel and 256.

#[path = "../examples/digits.rs"]
#[allow(dead_code)]
mod digits;

use digits::{DigitsLogits, DigitsLogitsInt8, argmax, images, split, train};

#[test]
fn the_data_is_1797_labelled_8x8_images() {
    let (images, labels) = images();
    assert_eq!(images.len(), 1_797);
    assert!(images.iter().flatten().all(|p| (0.0..=1.0).contains(p)));
    let mut counts = [0; 10];
    for l in &labels {
        counts[*l] += 1;
    }
    // scikit-learn's digits: between 174 and 183 images of each digit.
    assert!(
        counts.iter().all(|&c| (174..=183).contains(&c)),
        "{counts:?}"
    );
    let (train_x, _) = split(false);
    let (test_x, _) = split(true);
    assert_eq!((train_x.len(), test_x.len()), (1_438, 359));
}

#[test]
fn int8_keeps_the_accuracy_in_a_quarter_of_the_bytes() {
    let (train_x, train_y) = split(false);
    let (test_x, test_y) = split(true);
    let float = train(&train_x, &train_y, 8);
    let int8 = float.quantize(&train_x).unwrap();
    let accuracy = |predict: &dyn Fn(&[f32; 64]) -> usize| {
        let right = test_x
            .iter()
            .zip(&test_y)
            .filter(|(x, l)| predict(x) == **l)
            .count();
        right as f64 / test_x.len() as f64
    };
    let f = accuracy(&|x| argmax(&float.forward(x)));
    let q = accuracy(&|x| argmax(&int8.forward(&x.map(|v| int8.input.quantize(v)))));
    assert!(f > 0.9, "f32 accuracy {f}");
    assert!((f - q).abs() <= 0.01, "f32 {f}, int8 {q}");
    let channels = 32 + 10;
    assert!(
        core::mem::size_of::<DigitsLogitsInt8>()
            <= DigitsLogits::<f32>::PARAM_BYTES / 4 + 16 * channels + 256
    );
}
