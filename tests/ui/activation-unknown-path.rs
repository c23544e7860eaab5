mod acts {
    pub struct NotAnActivation;
}

backprop_core::network! {
    /// A path names a type of your own that implements `Activation`.
    struct Net: 2 => 4 crate::acts::NotAnActivation => 1 Linear;
}

fn main() {}
