backprop_core::network! {
    struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

fn main() {
    let net = SeedNet::<f32>::default();
    let _ = net.forward(&[1.0, 2.0]);
}
