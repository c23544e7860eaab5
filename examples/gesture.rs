//! Gesture recognition from a 3-axis accelerometer: 64-step windows at a
//! nominal 50 Hz (1.28 s), four gestures, and the convolutional network
//! `[3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16,
//! kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax` trained with
//! cross-entropy and shuffled mini-batches of Adam.
//!
//! The data is synthetic and made here from a seed, so the example needs no
//! download and gives the same numbers on every run:
//!
//! - **shake**: a fast oscillation (3.5 to 8 Hz) on x, a little of it on y,
//!   for part of the window;
//! - **circle**: x and y a cosine and a sine in quadrature (0.8 to 2.2 Hz),
//!   either way round;
//! - **tap**: one or two short, ringing spikes on z;
//! - **tilt**: the device turns by 20 to 57 degrees, so gravity drifts
//!   slowly from z onto x and y.
//!
//! Every window also has gravity (1 g, within 20 degrees of z), a slow
//! sway of the hand on each axis, a small bias per axis and white sensor
//! noise, each drawn at random, as are every gesture's amplitude, phase,
//! time offset and speed. The training and test sets come from different
//! seeds. The example prints the network's summary, the loss and test
//! accuracy per epoch, and the test set's confusion matrix; it plots one
//! window of each gesture to `target/plots/gesture_windows.png` and the
//! training curves to `target/plots/gesture_training.png`.
//!
//! Run it with `cargo run --release --example gesture`.

#[path = "report/mod.rs"]
mod report;

use std::f64::consts::TAU;

use backprop_core::init::SplitMix64;
use backprop_core::loss::CrossEntropy;
use backprop_core::network;
use backprop_core::optim::Adam;

network! {
    /// Four gestures from 64 steps of a 3-axis accelerometer.
    pub struct Gesture: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax;
}

/// The gestures' names, in label order.
pub const GESTURES: [&str; 4] = ["shake", "circle", "tap", "tilt"];
/// The steps in a window.
pub const STEPS: usize = 64;
/// The nominal sample rate, in Hz.
pub const RATE: f64 = 50.0;
/// One window: `window[t]` is the (x, y, z) acceleration at step `t`, in g.
pub type Window = [[f32; 3]; STEPS];

/// A labelled set of windows.
#[derive(Clone, Debug, PartialEq)]
pub struct Data {
    /// The windows.
    pub windows: Vec<Window>,
    /// Each window's gesture, an index into [`GESTURES`].
    pub labels: Vec<usize>,
    /// The same labels one-hot, as the loss takes them.
    pub targets: Vec<[f32; 4]>,
}

/// Random draws for the generator.
struct Draw<'a>(&'a mut SplitMix64);

impl Draw<'_> {
    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.0.next_f64()
    }

    /// A standard normal draw (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.0.next_f64().max(1e-300);
        let u2 = self.0.next_f64();
        (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
    }

    /// -1 or 1, evenly.
    fn sign(&mut self) -> f64 {
        if self.0.next_f64() < 0.5 { -1.0 } else { 1.0 }
    }
}

/// `0` before `from`, `1` after `from + length`, a smooth S-curve between.
fn smoothstep(t: f64, from: f64, length: f64) -> f64 {
    let u = ((t - from) / length).clamp(0.0, 1.0);
    u * u * (3.0 - 2.0 * u)
}

/// `1` over `[from, from + length]`, fading in and out over 4 steps.
fn burst(t: f64, from: f64, length: f64) -> f64 {
    smoothstep(t, from - 4.0, 4.0) * (1.0 - smoothstep(t, from + length, 4.0))
}

/// One window of `gesture` (an index into [`GESTURES`]), its randomness
/// drawn from `rng`.
///
/// # Panics
///
/// If `gesture` is not below 4.
pub fn window(gesture: usize, rng: &mut SplitMix64) -> Window {
    assert!(gesture < GESTURES.len(), "gesture {gesture} of 4");
    let mut d = Draw(rng);
    // What every window has: gravity within 20 degrees of z, a slow sway
    // of the hand on each axis, a bias per axis, white noise.
    let (tilt, azimuth) = (d.uniform(0.0, 0.35), d.uniform(0.0, TAU));
    let sway: [(f64, f64, f64); 3] = core::array::from_fn(|_| {
        (
            d.uniform(0.02, 0.12),
            d.uniform(0.2, 0.7) * TAU / RATE,
            d.uniform(0.0, TAU),
        )
    });
    let bias: [f64; 3] = core::array::from_fn(|_| 0.03 * d.normal());
    let noise = d.uniform(0.03, 0.12);

    // The gesture's own parameters, drawn before the samples.
    let (amplitude, omega, phase) = match gesture {
        0 => (
            d.uniform(0.5, 1.5),
            d.uniform(3.5, 8.0),
            d.uniform(0.0, TAU),
        ),
        1 => (
            d.uniform(0.3, 0.9),
            d.uniform(0.8, 2.2),
            d.uniform(0.0, TAU),
        ),
        2 => (
            d.uniform(0.8, 2.5),
            d.uniform(8.0, 14.0),
            d.uniform(0.0, TAU),
        ),
        _ => (d.uniform(0.35, 1.0), 0.0, 0.0),
    };
    let omega = omega * TAU / RATE;
    // Shake: on for 32 to 64 steps from a random start, leaking onto y.
    let (start, length, leak) = (
        d.uniform(0.0, 24.0),
        d.uniform(32.0, 64.0),
        d.uniform(-0.3, 0.3),
    );
    // Circle: clockwise or not. Tilt: which way, when and how fast.
    let direction = d.sign();
    let (turn_at, turn_for) = (d.uniform(-10.0, 40.0), d.uniform(15.0, 50.0));
    // Tap: one or two, at random steps, each with its decay and side-kick.
    let taps = if d.0.next_f64() < 0.6 { 1 } else { 2 };
    let tap: [(f64, f64, f64, f64, f64); 2] = core::array::from_fn(|k| {
        let scale = if k == 0 { 1.0 } else { d.uniform(0.4, 1.0) };
        (
            d.uniform(3.0, 58.0),
            amplitude * scale,
            d.uniform(1.0, 2.5),
            d.uniform(-0.2, 0.2),
            d.uniform(-0.2, 0.2),
        )
    });

    core::array::from_fn(|step| {
        let t = step as f64;
        let theta = if gesture == 3 {
            tilt + direction * amplitude * smoothstep(t, turn_at, turn_for)
        } else {
            tilt
        };
        let mut a = [
            theta.sin() * azimuth.cos(),
            theta.sin() * azimuth.sin(),
            theta.cos(),
        ];
        for (axis, (amp, w, p)) in sway.iter().enumerate() {
            a[axis] += amp * (w * t + p).sin() + bias[axis];
        }
        match gesture {
            0 => {
                let on = amplitude * burst(t, start, length);
                a[0] += on * (omega * t + phase).sin();
                a[1] += leak * on * (omega * t + phase + 1.0).sin();
            }
            1 => {
                a[0] += amplitude * (omega * t + phase).cos();
                a[1] += direction * amplitude * (omega * t + phase).sin();
            }
            2 => {
                for &(at, size, decay, kick_x, kick_y) in &tap[..taps] {
                    if t >= at {
                        let ring = size * (-(t - at) / decay).exp() * (omega * (t - at)).cos();
                        a[0] += kick_x * ring;
                        a[1] += kick_y * ring;
                        a[2] -= ring;
                    }
                }
            }
            _ => {}
        }
        a.map(|v| (v + noise * d.normal()) as f32)
    })
}

/// `n` windows from `seed`, the gestures in turn (so each has `n / 4`).
pub fn dataset(n: usize, seed: u64) -> Data {
    let mut rng = SplitMix64::new(seed);
    let labels: Vec<usize> = (0..n).map(|k| k % GESTURES.len()).collect();
    let windows = labels.iter().map(|&g| window(g, &mut rng)).collect();
    let targets = labels
        .iter()
        .map(|&g| core::array::from_fn(|k| if k == g { 1.0 } else { 0.0 }))
        .collect();
    Data {
        windows,
        labels,
        targets,
    }
}

/// The batch size.
pub const BATCH: usize = 8;
/// Adam's learning rate.
pub const LEARNING_RATE: f32 = 0.01;
/// The epoch from which the learning rate is a fifth of [`LEARNING_RATE`],
/// to settle.
pub const SETTLE_FROM: u64 = 26;

/// `epochs` epochs of Adam ([`LEARNING_RATE`], a fifth of it from epoch
/// [`SETTLE_FROM`] on) in batches of [`BATCH`] on `data`, shuffled anew
/// each epoch, from weights drawn from `seed`. After
/// each epoch `each` sees its number (from 1), its mean training loss and
/// the network.
///
/// # Panics
///
/// If `data` is empty or a batch is not finite.
pub fn train(
    data: &Data,
    epochs: u64,
    seed: u64,
    mut each: impl FnMut(u64, f32, &Gesture),
) -> Gesture {
    let mut net = <Gesture>::with_seed(seed);
    let mut adam = Adam::new(LEARNING_RATE);
    for epoch in 1..=epochs {
        if epoch == SETTLE_FROM {
            adam.set_learning_rate(LEARNING_RATE / 5.0);
        }
        let loss = net
            .train_epoch(
                &data.windows,
                &data.targets,
                BATCH,
                Some(seed ^ epoch),
                &CrossEntropy,
                &mut adam,
            )
            .expect("finite data");
        each(epoch, loss, &net);
    }
    net
}

fn main() {
    let (train_set, test_set) = (dataset(800, 1), dataset(400, 2));
    println!(
        "4 gestures, 3-axis windows of {STEPS} steps at {RATE} Hz; {} training windows (seed 1), {} test windows (seed 2)",
        train_set.windows.len(),
        test_set.windows.len()
    );
    println!(
        "cross-entropy, Adam ({LEARNING_RATE}, a fifth of it from epoch {SETTLE_FROM}), batches of {BATCH} shuffled each epoch\n"
    );
    println!("{}", <Gesture>::summary());

    let epochs = 40;
    println!(
        "{:>6}  {:>10}  {:>9}  {:>13}",
        "epoch", "mean loss", "test loss", "test accuracy"
    );
    let bar = report::progress(epochs, "training");
    let (mut losses, mut test_losses, mut accuracies) = (Vec::new(), Vec::new(), Vec::new());
    let started = std::time::Instant::now();
    let net = train(&train_set, epochs, 7, |epoch, loss, net| {
        let test_loss = net
            .mean_loss(&test_set.windows, &test_set.targets, &CrossEntropy)
            .expect("a test set");
        let accuracy = net
            .accuracy(&test_set.windows, test_set.labels.as_slice())
            .expect("a test set");
        bar.set_message(format!("{loss:.4}"));
        bar.inc(1);
        bar.suspend(|| {
            println!(
                "{epoch:>6}  {loss:>10.4}  {test_loss:>9.4}  {:>11.1} %",
                accuracy * 100.0
            );
        });
        losses.push(loss);
        test_losses.push(test_loss);
        accuracies.push(accuracy);
    });
    let seconds = started.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let accuracy = accuracies.last().copied().unwrap_or(0.0);
    println!(
        "\ntest accuracy {:.1} % after {epochs} epochs ({seconds:.1} s of training and testing)",
        accuracy * 100.0
    );
    let matrix = net
        .confusion_matrix::<4, _>(&test_set.windows, test_set.labels.as_slice())
        .expect("a test set");
    println!("\nconfusion matrix of the test set (rows: true gesture, columns: predicted)");
    print!("{:>8}", "");
    for name in GESTURES {
        print!("{name:>8}");
    }
    println!();
    for (name, row) in GESTURES.iter().zip(&matrix) {
        print!("{name:>8}");
        for count in row {
            print!("{count:>8}");
        }
        println!();
    }
    println!();

    let examples: Vec<(&str, &[[f32; 3]])> = GESTURES
        .iter()
        .enumerate()
        .map(|(g, name)| (*name, &test_set.windows[g][..]))
        .collect();
    let plots = report::windows(
        "gesture_windows",
        "One test window of each gesture (3-axis accelerometer, 50 Hz)",
        &examples,
        ["x", "y", "z"],
        1.0 / RATE as f32,
        "acceleration (g)",
    )
    .and_then(|_| {
        report::loss_and_accuracy(
            "gesture_training",
            "Gesture network: loss and test accuracy per epoch",
            &losses,
            &test_losses,
            &accuracies,
            1.0 / GESTURES.len() as f64,
        )
    });
    if let Err(e) = plots {
        println!("no plot: {e}");
    }
    assert!(accuracy > 0.9, "the gestures were not learned");
}
