backprop_core::network! {
    /// Every generated struct is generic over its scalar type `T`.
    pub struct T: 2 => 3 ReLU => 1 Linear;
}

fn main() {}
