backprop_core::network! {
    struct Amp: 1 => 16 GRU => 4 Tanh;
    struct Head: 4 => 1 Linear;
    struct Both: Amp => Head;
}

fn main() {}
