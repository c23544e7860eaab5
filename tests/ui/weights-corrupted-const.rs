//! Weights compiled in from a blob that fails its checksum: the compiler
//! evaluates the checks and refuses the `static`.
backprop_core::network! {
    pub struct Line: 1 => 1 Linear;
}

/// A valid blob of `Line` with one bit of the first parameter flipped.
const DAMAGED: [u8; Line::<f32>::BYTES] = {
    let mut blob = Line::<f32>::from_params([2.0, 1.0]).to_bytes();
    blob[Line::<f32>::BYTES - 8] ^= 1;
    blob
};

static NET: Line = Line::<f32>::from_bytes_const(&DAMAGED);

fn main() {
    let _ = NET.forward(&[1.0]);
}
