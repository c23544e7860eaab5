backprop_core::network! {
    struct Net: [3; 16] => Flatten => 16 GRU => 1 Linear;
}

fn main() {}
