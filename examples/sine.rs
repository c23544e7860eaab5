//! Regression: a `1 => 16 Tanh => 16 Tanh => 1 Linear` network learns
//! `sin(x)` on `[-pi, pi]` by mini-batch Adam with mean squared error, then
//! reports its largest error on a fine grid. A progress bar shows the loss
//! on a terminal; the loss curve and the fitted curve against `sin(x)` are
//! written to `target/plots/sine_loss.png` and `target/plots/sine_fit.png`.
//!
//! Run it with `cargo run --release --example sine`.

#[path = "report/mod.rs"]
mod report;

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
    let bar = report::progress(epochs, "training");
    let mut losses = Vec::new();
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
        losses.push(loss);
        bar.set_message(format!("{loss:.3e}"));
        bar.inc(1);
        if epoch % 100 == 0 || epoch == 1 {
            bar.suspend(|| println!("{epoch:>6}  {loss:>12.3e}"));
        }
    }
    bar.finish_and_clear();

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
    let curve = |f: &dyn Fn(f32) -> f32| -> Vec<(f32, f32)> {
        (0..grid)
            .map(|k| {
                let x = -PI + 2.0 * PI * k as f32 / (grid - 1) as f32;
                (x, f(x))
            })
            .collect()
    };
    let plots = report::loss_curve(
        "sine_loss",
        "sin(x), 1 => 16 Tanh => 16 Tanh => 1 Linear: loss per epoch",
        "mean squared error, mean over the epoch",
        &losses,
    )
    .and_then(|_| {
        report::fit_curve(
            "sine_fit",
            "sin(x) on [-π, π] and the trained network",
            ("sin(x)", &curve(&|x| x.sin())),
            ("network", &curve(&|x| net.forward(&[x])[0])),
        )
    });
    if let Err(e) = plots {
        println!("no plot: {e}");
    }
    assert!(worst.0 < 0.05, "the fit is too loose");
}
