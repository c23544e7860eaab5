backprop_core::network! {}

fn main() {}
