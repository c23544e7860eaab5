backprop_core::network! {
    struct: 2 => 4 ReLU => 1 Linear;
}

fn main() {}
