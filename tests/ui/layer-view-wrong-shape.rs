backprop_core::network! {
    struct Net: 2 => 4 ReLU => 1 Linear;
}

fn main() {
    let mut net = Net::<f32>::default();
    // Layer 1 has 4 neurons of 2 inputs: its weights are [[f32; 2]; 4].
    *net.layer1_weights_mut() = [[0.0; 4]; 2];
}
