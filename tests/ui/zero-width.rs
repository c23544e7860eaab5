backprop_core::network! {
    struct Net: 1 => 0 ReLU => 1 Linear;
}

fn main() {}
