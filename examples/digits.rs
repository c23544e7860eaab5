//! Handwritten digits in int8: `64 => 32 ReLU => 10` trained in `f32`,
//! then quantized after training, and the two compared.
//!
//! The data is scikit-learn's 8x8 digits (`examples/data/digits.bin`, see
//! `examples/data/README.md`): 1,797 images, each pixel 0..16, scaled here
//! to `[0, 1]`. Every fifth image tests (359 of them), the others train
//! (1,438): the file is in the order of its writers' forms, so this spreads
//! every writer over both sets. The
//! network trains with a softmax output and cross-entropy (`Digits`);
//! its parameters then go into the same layers with a linear output
//! (`DigitsLogits`: the largest logit is the largest probability), whose
//! activations are all clamps in the quantized domain, so `network!` gave
//! it an int8 copy, `DigitsLogitsInt8`. `quantize` takes the
//! activation ranges over the training images.
//!
//! The example prints the test accuracy of both, how often they agree, and
//! the bytes each takes.
//!
//! Run it with `cargo run --release --example digits`.

use backprop_core::loss::CrossEntropy;
use backprop_core::network;
use backprop_core::optim::Adam;

network! {
    /// The classifier as it trains: probabilities out.
    pub struct Digits: 64 => 32 ReLU => 10 Softmax;
    /// The same layers with the logits out, which quantize to int8.
    pub struct DigitsLogits: 64 => 32 ReLU => 10 Linear;
}

/// The data file: 65 bytes per image, 64 pixels then the digit.
const DATA: &[u8] = include_bytes!("data/digits.bin");

/// The images and digits of one set: the training set (`test = false`),
/// or every fifth image, the test set.
#[must_use]
pub fn split(test: bool) -> (Vec<[f32; 64]>, Vec<usize>) {
    let (images, labels) = images();
    images
        .into_iter()
        .zip(labels)
        .enumerate()
        .filter(|(k, _)| (k % 5 == 4) == test)
        .map(|(_, sample)| sample)
        .unzip()
}

/// Every image scaled to `[0, 1]`, and its digit.
#[must_use]
pub fn images() -> (Vec<[f32; 64]>, Vec<usize>) {
    DATA.chunks_exact(65)
        .map(|record| {
            let pixels = core::array::from_fn(|k| f32::from(record[k]) / 16.0);
            (pixels, usize::from(record[64]))
        })
        .unzip()
}

/// One-hot targets.
#[must_use]
pub fn one_hot(labels: &[usize]) -> Vec<[f32; 10]> {
    labels
        .iter()
        .map(|&l| core::array::from_fn(|k| if k == l { 1.0 } else { 0.0 }))
        .collect()
}

/// Trains the float classifier for `epochs` epochs of shuffled mini-batch
/// Adam; returns it with a linear output.
///
/// # Panics
///
/// If the data is empty or not finite.
pub fn train(images: &[[f32; 64]], labels: &[usize], epochs: u64) -> DigitsLogits {
    let targets = one_hot(labels);
    let mut net = <Digits>::with_seed(3);
    let mut adam = Adam::new(0.005);
    for epoch in 0..epochs {
        net.train_epoch(images, &targets, 16, Some(epoch), &CrossEntropy, &mut adam)
            .expect("finite data");
    }
    DigitsLogits::from_params(*net.params())
}

/// The index of the largest value (the first of equal ones).
#[must_use]
pub fn argmax<T: PartialOrd + Copy, const N: usize>(values: &[T; N]) -> usize {
    let mut best = 0;
    for k in 1..N {
        if values[k] > values[best] {
            best = k;
        }
    }
    best
}

fn main() {
    let (train_x, train_y) = split(false);
    let (test_x, test_y) = split(true);
    let (train_x, test_x, train_y, test_y) = (&train_x[..], &test_x[..], &train_y[..], &test_y[..]);
    println!(
        "8x8 digits: {} training images, {} test images\n",
        train_x.len(),
        test_x.len()
    );
    let float = train(train_x, train_y, 40);
    let int8 = float.quantize(train_x).expect("a calibration set");

    let (mut float_right, mut int8_right, mut agree) = (0, 0, 0);
    for (x, &label) in test_x.iter().zip(test_y) {
        let f = argmax(&float.forward(x));
        let q = argmax(&int8.forward(&x.map(|v| int8.input.quantize(v))));
        float_right += usize::from(f == label);
        int8_right += usize::from(q == label);
        agree += usize::from(f == q);
    }
    let n = test_x.len() as f64;
    println!(
        "test accuracy, f32:  {:.1} %",
        100.0 * float_right as f64 / n
    );
    println!(
        "test accuracy, int8: {:.1} %",
        100.0 * int8_right as f64 / n
    );
    println!("the two agree on {agree} of {} test images\n", test_x.len());
    println!(
        "f32 parameters: {} B ({} parameters)",
        DigitsLogits::<f32>::PARAM_BYTES,
        DigitsLogits::<f32>::PARAMS
    );
    println!(
        "int8 network:   {} B (i8 weights, and per output channel an i32 bias, multiplier and shift; the quantizations)",
        core::mem::size_of::<DigitsLogitsInt8>()
    );
}
