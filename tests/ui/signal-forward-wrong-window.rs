backprop_core::network! {
    struct Net: [3; 16] => Conv1d(4, kernel = 3) ReLU => Flatten => 1 Linear;
}

fn main() {
    let net = Net::<f32>::default();
    let _ = net.forward(&[[0.0; 3]; 15]);
}
