//! The digits classifier that the Cortex-M firmware runs from flash
//! (`tests/fixtures/digits_f32.bpnn`, `tests/fixtures/digits_int8.bpnn`):
//! the committed files are exactly what `examples/digits_blobs.rs`
//! produces, the training of `examples/digits.rs` then its quantization,
//! and they load back into networks that classify the test images.

#[path = "../examples/digits_blobs.rs"]
mod digits_blobs;

const F32_BLOB: &[u8] = include_bytes!("fixtures/digits_f32.bpnn");
const INT8_BLOB: &[u8] = include_bytes!("fixtures/digits_int8.bpnn");

#[test]
fn the_committed_blobs_are_what_the_training_produces() {
    let (float, int8) = digits_blobs::blobs();
    assert!(
        float == F32_BLOB,
        "{} differs from the training's bytes: run `cargo run --release --example digits_blobs`",
        digits_blobs::F32_PATH
    );
    assert!(
        int8 == INT8_BLOB,
        "{} differs from the quantization's bytes: run `cargo run --release --example digits_blobs`",
        digits_blobs::INT8_PATH
    );
}
