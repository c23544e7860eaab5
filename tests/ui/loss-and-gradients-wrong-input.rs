use backprop_core::loss::HalfSquaredError;

backprop_core::network! {
    struct Net: 2 => 4 ReLU => 1 Linear;
}

fn main() {
    let net = Net::<f32>::default();
    let _ = net.loss_and_gradients(&[0.5, 0.5, 0.5], &[1.0], &HalfSquaredError);
}
