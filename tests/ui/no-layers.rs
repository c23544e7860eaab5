backprop_core::network! {
    struct Net: 3;
}

fn main() {}
