backprop_core::network! {
    /// `0.1f32` is not read as 0.1 in an `f64` network: the suffix is refused.
    struct Net: 2 => 4 LeakyReLU(0.1f32) => 1 Linear;
}

fn main() {}
