//! Weights compiled in from a blob of another network's size: a type error,
//! since `from_bytes_const` takes exactly `BYTES` bytes.
backprop_core::network! {
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

static NET: SeedNet = SeedNet::<f32>::from_bytes_const(&[0; 100]);

fn main() {
    let _ = NET.forward(&[1.0]);
}
