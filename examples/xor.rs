//! XOR, the classic problem a single neuron cannot solve: a `2 => 4 Tanh =>
//! 1 Sigmoid` network trained with binary cross-entropy (fused with the
//! sigmoid, so its gradient is simply `p - t`) by full-batch gradient
//! descent from a fixed seed, until it classifies all four inputs. It writes
//! the loss curve to `target/plots/xor_loss.png`.
//!
//! Run it with `cargo run --example xor`.

#[path = "common/mod.rs"]
mod common;
#[path = "report/mod.rs"]
mod report;

use backprop_core::loss::BinaryCrossEntropy;
use backprop_core::network;
use backprop_core::optim::Sgd;
use common::{XOR_INPUTS, XOR_TARGETS};

network! {
    /// Two inputs, four tanh units, one probability.
    pub struct Xor: 2 => 4 Tanh => 1 Sigmoid;
}

fn correct(net: &Xor) -> usize {
    XOR_INPUTS
        .iter()
        .zip(&XOR_TARGETS)
        .filter(|(x, t)| (net.forward(x)[0] > 0.5) == (t[0] > 0.5))
        .count()
}

fn main() {
    let mut net = <Xor>::with_seed(1);
    let mut sgd = Sgd::new(0.5).with_momentum(0.9);
    println!(
        "XOR with {} => 4 Tanh => 1 Sigmoid ({} parameters), binary cross-entropy, batch descent",
        <Xor>::INPUTS,
        <Xor>::PARAMS
    );
    println!("{:>6}  {:>10}  correct", "epoch", "loss");
    let mut epoch = 0;
    let mut losses = Vec::new();
    loop {
        let loss = net.train_batch(&XOR_INPUTS, &XOR_TARGETS, &BinaryCrossEntropy, &mut sgd);
        losses.push(loss);
        epoch += 1;
        if epoch % 50 == 0 || epoch == 1 {
            println!("{epoch:>6}  {loss:>10.6}  {}/4", correct(&net));
        }
        if (correct(&net) == 4 && loss < 0.05) || epoch == 5000 {
            println!("{epoch:>6}  {loss:>10.6}  {}/4", correct(&net));
            break;
        }
    }
    println!();
    for (x, t) in XOR_INPUTS.iter().zip(&XOR_TARGETS) {
        println!(
            "  {} XOR {} = {}   network: {:.4}",
            x[0],
            x[1],
            t[0],
            net.forward(x)[0]
        );
    }
    let accuracy = correct(&net) as f32 / 4.0 * 100.0;
    println!("\naccuracy {accuracy:.0} % after {epoch} epochs");
    if let Err(e) = report::loss_curve(
        "xor_loss",
        "XOR, 2 => 4 Tanh => 1 Sigmoid: loss per epoch",
        "binary cross-entropy, mean of the 4 samples",
        &losses,
    ) {
        println!("no plot: {e}");
    }
    assert_eq!(correct(&net), 4, "XOR was not learned");
}
