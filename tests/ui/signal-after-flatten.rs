backprop_core::network! {
    struct Net: [3; 16] => Flatten => Conv1d(4, kernel = 3) ReLU => 1 Linear;
}

fn main() {}
