backprop_core::network! {
    struct Net: [3; 16] => Conv1d(4, kernel = 3) ReLU => GlobalAvgPool1d;
}

fn main() {}
