backprop_core::network! {
    struct A: 1 => 4 ReLU;
    struct C: 3 => 1 Linear;
    struct Ac: A => C;
}

fn main() {}
