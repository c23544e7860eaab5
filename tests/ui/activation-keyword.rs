backprop_core::network! {
    struct Net: 2 => 4 struct;
}

fn main() {}
