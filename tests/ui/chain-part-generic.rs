backprop_core::network! {
    struct A: 2 => 3 ReLU;
    struct B: 3 => 1 Linear;
    /// The chain passes its scalar to every part.
    struct Ab: A<f64> => B;
}

fn main() {}
