backprop_core::network! {
    /// Every network is `Clone` already; `Hash` is passed on.
    #[derive(Hash, Clone)]
    struct Net: 2 => 1 Linear;
}

fn main() {}
