//! `CrossEntropy` after an element-wise output layer (PyTorch users pass
//! logits to `nn.CrossEntropyLoss`): refused when the step is compiled,
//! with the fix, rather than training on a NaN loss.
use backprop_core::loss::CrossEntropy;
use backprop_core::optim::Sgd;

backprop_core::network! {
    pub struct Logits: 2 => 4 ReLU => 3 Linear;
}

fn main() {
    let mut net = Logits::<f32>::with_seed(1);
    net.train_step(&[1.0, 2.0], &[0.0, 1.0, 0.0], &CrossEntropy, &mut Sgd::new(0.1));
}
