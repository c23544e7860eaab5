backprop_core::network! {
    struct Net: 1 => 4 Relu => 1 Linear;
}

fn main() {}
