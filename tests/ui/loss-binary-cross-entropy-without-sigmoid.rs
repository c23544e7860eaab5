//! `BinaryCrossEntropy` after an output layer that is not `Sigmoid`:
//! refused when the step is compiled, with the fix.
use backprop_core::loss::BinaryCrossEntropy;
use backprop_core::optim::Sgd;

backprop_core::network! {
    pub struct Logit: 2 => 4 ReLU => 1 Linear;
}

fn main() {
    let mut net = Logit::<f32>::with_seed(1);
    net.train_step(&[1.0, 2.0], &[1.0], &BinaryCrossEntropy, &mut Sgd::new(0.1));
}
