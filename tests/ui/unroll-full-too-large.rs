backprop_core::network! {
    /// 64 x 128 = 8,192 weights in the first layer: too many to unroll.
    #[unroll(full)]
    pub struct Wide: 64 => 128 ReLU => 10 Linear;
}

fn main() {}
