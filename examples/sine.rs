//! Regression: a `1 => 16 Tanh => 16 Tanh => 1 Linear` network learns
//! `sin(x)` on `[-pi, pi]` by mini-batch Adam with mean squared error, then
//! reports its largest error on a fine grid.
//!
//! Run it with `cargo run --release --example sine`.

use backprop_core::loss::MeanSquaredError;
use backprop_core::network;
use backprop_core::optim::Adam;

network! {
    /// One input, two hidden tanh layers, one linear output.
    pub struct Sine: 1 => 16 Tanh => 16 Tanh => 1 Linear;
}

fn main() {
    use std::f32::consts::PI;
    let n = 256;
    let inputs: Vec<[f32; 1]> = (0..n)
        .map(|k| [-PI + 2.0 * PI * k as f32 / (n - 1) as f32])
        .collect();
    let targets: Vec<[f32; 1]> = inputs.iter().map(|x| [x[0].sin()]).collect();

    let mut net = <Sine>::with_seed(3);
    let mut adam = Adam::new(0.01);
    println!(
        "sin(x) with 1 => 16 Tanh => 16 Tanh => 1 Linear ({} parameters), mini-batches of 16, Adam",
        <Sine>::PARAMS
    );
    println!("{:>6}  {:>12}", "epoch", "mean loss");
    let epochs = 600;
    for epoch in 1..=epochs {
        if epoch == 400 {
            adam.set_learning_rate(0.002);
        }
        let loss = net
            .train_epoch(
                &inputs,
                &targets,
                16,
                Some(epoch),
                &MeanSquaredError,
                &mut adam,
            )
            .expect("finite data");
        if epoch % 100 == 0 || epoch == 1 {
            println!("{epoch:>6}  {loss:>12.3e}");
        }
    }

    let grid = 1001;
    let mut worst = (0.0_f32, 0.0_f32);
    for k in 0..grid {
        let x = -PI + 2.0 * PI * k as f32 / (grid - 1) as f32;
        let error = (net.forward(&[x])[0] - x.sin()).abs();
        if error > worst.0 {
            worst = (error, x);
        }
    }
    println!();
    for x in [-3.0_f32, -1.5, 0.0, 0.5, 1.5, 3.0] {
        println!(
            "  sin({x:>4}) = {:>8.5}   network: {:>8.5}",
            x.sin(),
            net.forward(&[x])[0]
        );
    }
    println!(
        "\nlargest error on {grid} points of [-pi, pi]: {:.4} (at x = {:.3})",
        worst.0, worst.1
    );
    assert!(worst.0 < 0.05, "the fit is too loose");
}
