backprop_core::network! {
    struct Net: [2; 10] => Conv1d(4, kernel = 3) Tanh => AvgPool1d(9) => GlobalAvgPool1d => 1 Linear;
}

fn main() {}
