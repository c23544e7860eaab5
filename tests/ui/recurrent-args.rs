backprop_core::network! {
    struct Amp: 1 => 16 LSTM(2) => 1 Linear;
}

fn main() {}
