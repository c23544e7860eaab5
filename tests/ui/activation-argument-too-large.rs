backprop_core::network! {
    /// Finite as `f64`, infinite as `f32`.
    struct Net: 2 => 4 LeakyReLU(1e39) => 1 Linear;
}

fn main() {}
