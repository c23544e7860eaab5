backprop_core::network! {
    struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

fn main() {
    // 21 parameters expected; 20 given.
    let _ = SeedNet::from_params([0.5_f32; 20]);
}
