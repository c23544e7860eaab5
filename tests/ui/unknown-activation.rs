// A misspelt activation, and one in the wrong case: each gets the name it
// most likely meant.
backprop_core::network! {
    struct Typo: 1 => 4 Sigmod => 1 Linear;
    struct WrongCase: 1 => 4 relu => 1 Linear;
    struct Unknown: 1 => 4 Swish => 1 Linear;
}

fn main() {}
