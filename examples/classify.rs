//! Classification: three interleaved spirals, which no straight line
//! separates, learned by a `2 => 32 ReLU => 32 ReLU => 3 Softmax` network
//! with cross-entropy (fused with the softmax: the gradient at the logits is
//! `p - t`) and mini-batch Adam on shuffled batches. A progress bar shows
//! the loss on a terminal; the loss curve and the decision regions are
//! written to `target/plots/classify_loss.png` and
//! `target/plots/classify_regions.png`.
//!
//! Run it with `cargo run --release --example classify`.

#[path = "common/mod.rs"]
mod common;
#[path = "report/mod.rs"]
mod report;

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
    let epochs = 400;
    let bar = report::progress(epochs, "training");
    let mut losses = Vec::new();
    for epoch in 1..=epochs {
        let loss = net
            .train_epoch(&inputs, &targets, 32, Some(epoch), &CrossEntropy, &mut adam)
            .expect("finite data");
        losses.push(loss);
        bar.set_message(format!("{loss:.4}"));
        bar.inc(1);
        if epoch % 50 == 0 || epoch == 1 {
            let accuracy = common::accuracy(inputs.iter().map(|x| net.forward(x)), &targets);
            bar.suspend(|| println!("{epoch:>6}  {loss:>10.4}  {:>8.1} %", accuracy * 100.0));
        }
    }
    bar.finish_and_clear();
    let accuracy = common::accuracy(inputs.iter().map(|x| net.forward(x)), &targets);
    let dead = net.dead_relu_units(&inputs);
    println!(
        "\ntraining accuracy {:.1} %; dead ReLU units per layer: {dead:?}",
        accuracy * 100.0
    );
    let points: Vec<([f32; 2], usize)> = inputs
        .iter()
        .zip(&targets)
        .map(|(x, t)| (*x, argmax(t)))
        .collect();
    let plots = report::loss_curve(
        "classify_loss",
        "Three spirals, 2 => 32 ReLU => 32 ReLU => 3 Softmax: loss per epoch",
        "cross-entropy, mean over the epoch",
        &losses,
    )
    .and_then(|_| {
        report::regions(
            "classify_regions",
            "Three spirals: the trained network's decision regions",
            (-1.1, 1.1),
            |x, y| argmax(&net.forward(&[x, y])),
            &points,
        )
    });
    if let Err(e) = plots {
        println!("no plot: {e}");
    }
    assert!(accuracy > 0.95, "the spirals were not learned");
}

/// The index of the largest value: the predicted (or labelled) class.
fn argmax(values: &[f32; 3]) -> usize {
    (1..3).fold(0, |best, k| if values[k] > values[best] { k } else { best })
}
