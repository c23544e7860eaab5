//! What the RTIC firmware computes, shared with the host
//! (`examples/rtic_host.rs` in the root package includes this file), so
//! that CI can compare the two reports bit for bit.
//!
//! A sensor delivers one sample per timer tick: a sum of two sines and a
//! deterministic dither, in `f32`. A small network learns online to
//! predict the next sample from the last [`WINDOW`], one SGD step per
//! sample as it arrives; nothing is stored but the window.

use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;

backprop_core::network! {
    /// Predicts the next sample from the last four.
    pub struct Predictor: 4 => 8 Tanh => 1 Linear;
}

/// Samples the predictor sees at once.
pub const WINDOW: usize = 4;
/// Samples the firmware trains on before it reports.
pub const SAMPLES: u32 = 1_200;
/// The samples at each end of the run whose mean loss the report compares.
pub const SPAN: u32 = 200;
/// The learning rate of the online SGD.
pub const LEARNING_RATE: f32 = 0.05;
/// The seed of the predictor's initial parameters.
pub const SEED: u64 = 2024;

/// The `n`th sample of the sensor: integer arithmetic for the phase and
/// the dither, and a fixed polynomial for the sines, so every target
/// computes the same `f32`.
#[must_use]
pub fn sample(n: u32) -> f32 {
    // Phases in turns, from integers: period 50 and 17 samples.
    let a = (n % 50) as f32 / 50.0;
    let b = (n % 17) as f32 / 17.0;
    // A deterministic dither in [-1/64, 1/64).
    let dither = (((n.wrapping_mul(2_654_435_761)) >> 26) as f32 - 32.0) / 2048.0;
    0.6 * sin_turns(a) + 0.3 * sin_turns(b) + dither
}

/// `sin(2 pi t)` for `t` in `[0, 1)`, to about 1e-3: a parabola per half
/// turn. Plain `f32` arithmetic, the same on every target.
fn sin_turns(t: f32) -> f32 {
    let (half, s) = if t < 0.5 {
        (t * 2.0, 1.0)
    } else {
        (t * 2.0 - 1.0, -1.0)
    };
    // 4 h (1 - h) approximates sin(pi h) on [0, 1].
    let y = 4.0 * half * (1.0 - half);
    s * (0.225 * (y * y - y) + y)
}

/// The learner: the predictor, its optimizer, the window of past samples
/// and the running sums the report reads.
pub struct Learner {
    /// The predictor being trained.
    pub net: Predictor,
    sgd: Sgd<f32>,
    window: [f32; WINDOW],
    seen: u32,
    /// Loss summed over the first [`SPAN`] training steps.
    pub first: f32,
    /// Loss summed over the last [`SPAN`] training steps.
    pub last: f32,
    /// Training steps taken.
    pub steps: u32,
}

impl Learner {
    /// A learner with the seeded predictor and an empty window.
    #[must_use]
    pub fn new() -> Self {
        Self {
            net: Predictor::with_seed(SEED),
            sgd: Sgd::new(LEARNING_RATE),
            window: [0.0; WINDOW],
            seen: 0,
            first: 0.0,
            last: 0.0,
            steps: 0,
        }
    }

    /// Takes the next sample: once the window is full, one training step
    /// that predicts `x` from the window; then `x` enters the window.
    pub fn push(&mut self, x: f32) {
        if self.seen >= WINDOW as u32 {
            let loss = self
                .net
                .train_step(&self.window, &[x], &HalfSquaredError, &mut self.sgd);
            if self.steps < SPAN {
                self.first += loss;
            }
            if self.steps >= SAMPLES - WINDOW as u32 - SPAN {
                self.last += loss;
            }
            self.steps += 1;
        }
        self.window.copy_within(1.., 0);
        self.window[WINDOW - 1] = x;
        self.seen += 1;
    }

    /// The report: the mean losses at both ends, with their bits, and the
    /// bits of every parameter, one line each.
    pub fn report(&self, out: &mut impl core::fmt::Write) -> core::fmt::Result {
        let span = SPAN as f32;
        let (first, last) = (self.first / span, self.last / span);
        writeln!(out, "steps {}", self.steps)?;
        writeln!(
            out,
            "mean loss, first {SPAN}: {first:e} ({:#010x})",
            first.to_bits()
        )?;
        writeln!(
            out,
            "mean loss, last {SPAN}: {last:e} ({:#010x})",
            last.to_bits()
        )?;
        for (k, p) in self.net.params().iter().enumerate() {
            writeln!(out, "param {k}: {:#010x}", p.to_bits())?;
        }
        Ok(())
    }

    /// Whether the run learned: the last span's mean loss is under a
    /// quarter of the first's.
    #[must_use]
    pub fn learned(&self) -> bool {
        self.last * 4.0 < self.first
    }
}

impl Default for Learner {
    fn default() -> Self {
        Self::new()
    }
}
