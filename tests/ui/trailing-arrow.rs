backprop_core::network! {
    struct Net: 2 => 4 ReLU => 1 Linear =>;
}

fn main() {}
