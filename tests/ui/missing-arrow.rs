backprop_core::network! {
    struct Net: 1 => 4 ReLU 2 Sigmoid => 1 Linear;
}

fn main() {}
