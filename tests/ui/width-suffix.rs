backprop_core::network! {
    /// Widths are written as plain numbers.
    struct Net: 4f32 => 300u8 ReLU => 1 Linear;
}

fn main() {}
