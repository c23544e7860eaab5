//! The pairings the compile-time loss checks let through: `CrossEntropy`
//! after `Softmax`, `BinaryCrossEntropy` after `Sigmoid`, a squared error
//! after anything. Built and run, so that the compile-fail cases beside it
//! are built too (their errors appear where the step is compiled).
use backprop_core::loss::{BinaryCrossEntropy, CrossEntropy, HalfSquaredError};
use backprop_core::optim::Sgd;

backprop_core::network! {
    pub struct Classes: 2 => 4 ReLU => 3 Softmax;
    pub struct Probability: 2 => 4 ReLU => 1 Sigmoid;
    pub struct Logits: 2 => 4 ReLU => 3 Linear;
}

fn main() {
    let (x, sgd) = ([1.0_f32, 2.0], Sgd::new(0.1));
    let mut classes = Classes::<f32>::with_seed(1);
    let first = classes.train_step(&x, &[0.0, 1.0, 0.0], &CrossEntropy, &mut sgd.clone());
    let second = classes.train_step(&x, &[0.0, 1.0, 0.0], &CrossEntropy, &mut sgd.clone());
    assert!(second < first, "{first} -> {second}");
    let mut p = Probability::<f32>::with_seed(1);
    assert!(p.train_step(&x, &[1.0], &BinaryCrossEntropy, &mut sgd.clone()).is_finite());
    let mut logits = Logits::<f32>::with_seed(1);
    assert!(logits.train_step(&x, &[0.0, 1.0, 0.0], &HalfSquaredError, &mut sgd.clone()).is_finite());
}
