backprop_core::network! {
    struct A: 2 => 3 ReLU;
    /// `String` is not a network declared with `network!`.
    struct WithString: A => String;
}

fn main() {}
