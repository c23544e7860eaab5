backprop_core::network! {
    struct Classifier: 2 => 8 Softmax => 3 Linear;
}

fn main() {}
