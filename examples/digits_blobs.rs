//! Writes the digits classifier that the Cortex-M firmware runs from flash:
//! `tests/fixtures/digits_f32.bpnn` (the `f32` network) and
//! `tests/fixtures/digits_int8.bpnn` (its int8 copy).
//!
//! Both come from the training of `examples/digits.rs`: the same function,
//! the same 40 epochs on the same 1,438 training images, then
//! `quantize` calibrated on those images. `tests/test_digits_blobs.rs`
//! runs this code again and checks that the committed files are its bytes,
//! so they cannot drift from the training that produced them.
//!
//! Run it with `cargo run --release --example digits_blobs` after a change
//! to the training, the quantization or the weight format.

#[path = "digits.rs"]
#[allow(dead_code)]
mod digits;

/// The epochs of `examples/digits.rs`'s training.
pub const EPOCHS: u64 = 40;

/// Where the blobs are committed, relative to the repository's root.
pub const F32_PATH: &str = "tests/fixtures/digits_f32.bpnn";
/// See [`F32_PATH`].
pub const INT8_PATH: &str = "tests/fixtures/digits_int8.bpnn";

/// Trains the classifier as `examples/digits.rs` does and quantizes it;
/// returns the bytes of the `f32` network and of its int8 copy.
///
/// # Panics
///
/// If the data file is empty (it is committed, with 1,797 images).
#[must_use]
pub fn blobs() -> (Vec<u8>, Vec<u8>) {
    let (train_x, train_y) = digits::split(false);
    let float = digits::train(&train_x, &train_y, EPOCHS);
    let int8 = float.quantize(&train_x).expect("a calibration set");
    (float.to_bytes().to_vec(), int8.to_bytes().to_vec())
}

#[allow(dead_code)] // the test includes this file for `blobs`
fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (float, int8) = blobs();
    for (path, bytes) in [(F32_PATH, &float), (INT8_PATH, &int8)] {
        std::fs::write(root.join(path), bytes).expect("write the blob");
        println!("{path}: {} bytes", bytes.len());
    }
}
