backprop_core::network! {
    struct Net: ;
}

fn main() {}
