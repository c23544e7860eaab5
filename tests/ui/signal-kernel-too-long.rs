backprop_core::network! {
    struct Net: [3; 32] => Conv1d(8, kernel = 5) ReLU => MaxPool1d(4) => Conv1d(8, kernel = 3, dilation = 4) => Flatten => 1 Linear;
}

fn main() {}
