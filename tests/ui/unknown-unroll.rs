backprop_core::network! {
    #[unroll(some)]
    struct Net: 1 => 4 ReLU => 1 Linear;
}

fn main() {}
