backprop_core::network! {
    struct Net: 1 => 4 ReLU(0.2) => 1 Linear;
}

fn main() {}
