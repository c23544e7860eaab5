backprop_core::network! {
    struct Net: 1 => 4.5 ReLU => 1 Linear;
}

fn main() {}
