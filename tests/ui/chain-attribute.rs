backprop_core::network! {
    struct A: 2 => 3 ReLU;
    struct B: 3 => 1 Linear;
    /// A chain runs each part as it was declared.
    #[layout(input_major)]
    #[unroll(full)]
    struct Ab: A => B;
}

fn main() {}
