use backprop_core::{loss::HalfSquaredError, optim::Sgd};

backprop_core::network! {
    struct Net: 2 => 4 ReLU => 3 Softmax;
}

fn main() {
    let mut net = Net::<f32>::default();
    // Three classes, but a target of two values.
    net.train_step(&[0.5, 0.5], &[1.0, 0.0], &HalfSquaredError, &mut Sgd::new(0.1));
}
