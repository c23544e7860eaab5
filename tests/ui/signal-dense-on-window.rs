backprop_core::network! {
    struct Net: [3; 32] => Conv1d(8, kernel = 5) ReLU => 4 Softmax;
}

fn main() {}
