//! The two warnings at the end of the tutorial, made visible.
//!
//! 1. The vanishing gradient: the sigmoid's derivative is at most 1/4, and
//!    the chain rule multiplies one such factor per layer, so in a deep
//!    sigmoid network the layers near the input barely learn. The example
//!    prints each layer's gradient norm for a deep sigmoid network and for
//!    the same shape with ReLU.
//! 2. Dying ReLU: a ReLU unit whose pre-activation is negative for every
//!    input outputs 0 and passes no gradient back, so it never recovers. A
//!    too-large learning rate pushes many units there. The example counts
//!    dead units after training with a modest and with a large step.
//!
//! Run it with `cargo run --release --example vanishing_and_dying`.

use backprop_core::init::SplitMix64;
use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::Sgd;

network! {
    /// Six sigmoid layers deep.
    pub struct DeepSigmoid: 8 => 16 Sigmoid => 16 Sigmoid => 16 Sigmoid => 16 Sigmoid => 16 Sigmoid => 16 Sigmoid => 1 Linear;
    /// The same shape with ReLU.
    pub struct DeepRelu: 8 => 16 ReLU => 16 ReLU => 16 ReLU => 16 ReLU => 16 ReLU => 16 ReLU => 1 Linear;
    /// A small ReLU regressor, to watch units die.
    pub struct Regressor: 2 => 32 ReLU => 1 Linear;
}

fn data<const N: usize>(count: usize, seed: u64) -> (Vec<[f32; N]>, Vec<[f32; 1]>) {
    let mut rng = SplitMix64::new(seed);
    let inputs: Vec<[f32; N]> = (0..count)
        .map(|_| core::array::from_fn(|_| (2.0 * rng.next_f64() - 1.0) as f32))
        .collect();
    let targets = inputs
        .iter()
        .map(|x| [x.iter().sum::<f32>().sin()])
        .collect();
    (inputs, targets)
}

/// A bar on a log scale from 1e-4 (empty) to `max` (40 cells).
fn bar(value: f32, max: f32) -> String {
    let (low, high) = (1e-4_f32.log10(), max.log10());
    let cells = ((value.log10() - low) / (high - low) * 40.0)
        .round()
        .clamp(0.0, 40.0) as usize;
    "█".repeat(cells)
}

fn main() {
    println!(
        "1 · The vanishing gradient: gradient norm per layer, input side first (bars on a log scale)"
    );
    let (inputs, targets) = data::<8>(64, 1);
    let sigmoid = <DeepSigmoid>::with_seed(5);
    let relu = <DeepRelu>::with_seed(5);
    let (_, gs) = sigmoid
        .batch_gradients(&inputs, &targets, &HalfSquaredError)
        .expect("a batch");
    let (_, gr) = relu
        .batch_gradients(&inputs, &targets, &HalfSquaredError)
        .expect("a batch");
    let (ns, nr) = (gs.gradient_norms(), gr.gradient_norms());
    let max = ns.iter().chain(&nr).fold(0.0_f32, |m, v| m.max(*v));
    println!(
        "  {:<7} {:>10}  {:<40}  {:>10}",
        "layer", "sigmoid", "", "ReLU"
    );
    for layer in 0..ns.len() {
        println!(
            "  {:<7} {:>10.2e}  {:<40}  {:>10.2e}  {}",
            layer + 1,
            ns[layer],
            bar(ns[layer], max),
            nr[layer],
            bar(nr[layer], max)
        );
    }
    println!(
        "  the first sigmoid layer gets {:.0}x less gradient than the last hidden one; with ReLU, {:.1}x",
        ns[5] / ns[0],
        nr[5] / nr[0]
    );

    println!("\n2 · Dying ReLU: dead units of 32 after 200 epochs of per-sample SGD");
    let (inputs, targets) = data::<2>(128, 2);
    for learning_rate in [0.01_f32, 0.1, 0.5] {
        let mut net = <Regressor>::with_seed(9);
        let before = net.dead_relu_units(&inputs)[0];
        let mut sgd = Sgd::new(learning_rate);
        for epoch in 0..200 {
            let _ = net.train_epoch(
                &inputs,
                &targets,
                1,
                Some(epoch),
                &HalfSquaredError,
                &mut sgd,
            );
        }
        let after = net.dead_relu_units(&inputs)[0];
        let loss = inputs
            .iter()
            .zip(&targets)
            .map(|(x, t)| net.loss(x, t, &HalfSquaredError))
            .sum::<f32>()
            / 128.0;
        println!(
            "  learning rate {learning_rate:>5}: dead before {before:>2}, after {after:>2}   mean loss {loss:.3e}  {}",
            "x".repeat(after)
        );
    }
    println!("  a unit that dies stays dead: no input turns it on, so no gradient reaches it.");
}
