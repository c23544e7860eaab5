backprop_core::network! {
    /// Weights are `input_major` or `output_major`; nothing else.
    #[layout(column_major)]
    struct Net: 1 => 4 ReLU => 1 Linear;
}

fn main() {}
