backprop_core::network! {
    struct Amp: 1 => 16 GRU => 1 Linear;
}

fn main() {}
