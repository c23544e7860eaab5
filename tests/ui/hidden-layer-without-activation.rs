backprop_core::network! {
    struct Net: 2 => 4 => 1 Linear;
}

fn main() {}
