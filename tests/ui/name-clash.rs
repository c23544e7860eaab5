backprop_core::network! {
    struct Net: 2 => 1 Linear;
    /// Every network also declares its trace type, `NetTrace` here.
    struct NetTrace: 2 => 1 Linear;
    /// The same name twice.
    struct Net: 3 => 1 Linear;
}

fn main() {}
