backprop_core::network! {
    /// The generated code names the primitive types.
    struct f32: 2 => 1 Linear;
    /// The generated methods are generic over a loss `L` and an optimizer `O`.
    struct O: 2 => 1 Linear;
}

fn main() {}
