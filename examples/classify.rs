//! Classification: three interleaved spirals, which no straight line
//! separates, learned by a `2 => 32 ReLU => 32 ReLU => 3 Softmax` network
//! with cross-entropy (fused with the softmax: the gradient at the logits is
//! `p - t`) and mini-batch Adam on shuffled batches.
//!
//! Run it with `cargo run --release --example classify`.

#[path = "common/mod.rs"]
mod common;

use backprop_core::loss::CrossEntropy;
use backprop_core::network;
use backprop_core::optim::Adam;

network! {
    /// Two coordinates in, three class probabilities out.
    pub struct Spirals: 2 => 32 ReLU => 32 ReLU => 3 Softmax;
}

fn main() {
    let (inputs, targets) = common::spirals(100, 42);
    let mut net = <Spirals>::with_seed(7);
    let mut adam = Adam::new(0.01);
    println!(
        "3 spirals, {} points; 2 => 32 ReLU => 32 ReLU => 3 Softmax ({} parameters); cross-entropy, Adam, batches of 32",
        inputs.len(),
        <Spirals>::PARAMS
    );
    println!("{:>6}  {:>10}  {:>9}", "epoch", "mean loss", "accuracy");
    for epoch in 1..=400 {
        let loss = net
            .train_epoch(&inputs, &targets, 32, Some(epoch), &CrossEntropy, &mut adam)
            .expect("finite data");
        if epoch % 50 == 0 || epoch == 1 {
            let accuracy = common::accuracy(inputs.iter().map(|x| net.forward(x)), &targets);
            println!("{epoch:>6}  {loss:>10.4}  {:>8.1} %", accuracy * 100.0);
        }
    }
    let accuracy = common::accuracy(inputs.iter().map(|x| net.forward(x)), &targets);
    let dead = net.dead_relu_units(&inputs);
    println!(
        "\ntraining accuracy {:.1} %; dead ReLU units per layer: {dead:?}",
        accuracy * 100.0
    );
    assert!(accuracy > 0.95, "the spirals were not learned");
}
