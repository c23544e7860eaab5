const HIDDEN: usize = 4;

backprop_core::network! {
    struct Net: 1 => HIDDEN ReLU => 1 Linear;
}

fn main() {}
