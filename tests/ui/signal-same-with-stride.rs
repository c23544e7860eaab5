backprop_core::network! {
    struct Net: [3; 16] => Conv1d(4, kernel = 3, stride = 2, padding = same) ReLU => Flatten => 1 Linear;
}

fn main() {}
