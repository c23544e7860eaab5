backprop_core::network! {
    struct Amp: 1 => 16 GRU;
}

fn main() {}
