// Both bad layers are reported in one compile.
backprop_core::network! {
    struct Net: 2 => 4 Relu => 0 Tanh => 1 Lineer;
}

fn main() {}
