backprop_core::network! {
    struct A: 2 => 3 ReLU;
    struct Loop: Loop => A;
    struct Ping: A => Pong;
    struct Pong: Ping => A;
}

fn main() {}
