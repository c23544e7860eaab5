//! The training workload that the Cortex-M firmware runs on the device and
//! `examples/cortex_m_host.rs` runs on the host: one source file, so both run
//! literally the same code.
//!
//! It declares two networks with `network!` as any user would, trains each
//! with SGD from fixed initial parameters, runs inference, checks real
//! properties of the result (the loss falls below a threshold, XOR is
//! classified 4/4), and reports every `f32` it computes as its IEEE 754 bit
//! pattern in hex. A plain text diff of the device's and the host's reports
//! is therefore a bit-for-bit comparison of the two computations.
//!
//! The file needs only `core` and `backprop_core`: no heap, no float
//! formatting (decimals are printed with integer arithmetic), no `std`.

use core::fmt::{self, Display, Write};

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::{Optimizer, Sgd};

network! {
    /// The tutorial's network: 21 parameters.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A larger network that learns XOR: 105 parameters.
    pub struct XorNet: 2 => 8 Tanh => 8 Tanh => 1 Sigmoid;
}

/// The tutorial's starting parameters, in the flat order (per layer the
/// weights as `[out][in]`, then the biases).
pub const SEED_INITIAL: [f32; 21] = [
    0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, // 1 -> 4 ReLU
    1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0, // 4 -> 2 Sigmoid
    1.0, 0.5, 1.0, // 2 -> 1 Linear
];
/// The tutorial's only sample: input 2 ...
pub const SEED_INPUT: [f32; 1] = [2.0];
/// ... and target 3.
pub const SEED_TARGET: [f32; 1] = [3.0];
/// The tutorial's learning rate.
pub const SEED_LEARNING_RATE: f32 = 0.25;
/// How many SGD steps the tutorial's network takes.
pub const SEED_STEPS: usize = 200;
/// After which steps the seed network's parameters are reported.
const SEED_REPORT_AFTER: [usize; 3] = [1, 4, SEED_STEPS];

/// The four XOR samples.
pub const XOR_DATA: [([f32; 2], [f32; 1]); 4] = [
    ([0.0, 0.0], [0.0]),
    ([0.0, 1.0], [1.0]),
    ([1.0, 0.0], [1.0]),
    ([1.0, 1.0], [0.0]),
];
/// The XOR network's learning rate.
pub const XOR_LEARNING_RATE: f32 = 0.5;
/// Passes over the four XOR samples, one SGD step per sample.
pub const XOR_EPOCHS: usize = 300;
/// The seed of the integer generator that draws the XOR network's initial
/// parameters.
pub const XOR_SEED: u32 = 0x2545_F491;

/// The XOR network's initial parameters: uniform in `[-1, 1)` from a
/// xorshift generator. Only integer arithmetic and exact conversions (a
/// 24-bit integer to `f32`, a division by a power of two), so every target
/// draws the same bits.
#[must_use]
pub fn xor_initial() -> XorNet {
    let mut params = [0.0_f32; XorNet::<f32>::PARAMS];
    let mut state = XOR_SEED;
    for p in &mut params {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        #[allow(clippy::cast_precision_loss)] // exact: below 2^24
        let unit = (state >> 8) as f32 / 16_777_216.0;
        *p = 2.0 * unit - 1.0;
    }
    XorNet::from_params(params)
}

/// The sum of the XOR network's losses over the four samples.
#[must_use]
pub fn xor_total_loss(net: &XorNet) -> f32 {
    let mut total = 0.0;
    for (input, target) in &XOR_DATA {
        total += net.loss(input, target, &HalfSquaredError);
    }
    total
}

/// An `f32` shown as its bit pattern, 8 hex digits.
pub struct Bits(pub f32);

impl Display for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0.to_bits())
    }
}

/// An `f32` shown with 6 decimals, by integer arithmetic only (so the
/// firmware carries no float formatting code). For reading; the bits are
/// what is compared.
pub struct Dec(pub f32);

impl Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if !v.is_finite() {
            return f.write_str("non-finite");
        }
        let sign = if v.is_sign_negative() { "-" } else { "" };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let micros = (v.abs() * 1.0e6 + 0.5) as u64;
        write!(f, "{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
    }
}

/// Writes `label` and every value of `values` as bits, 8 to a line.
fn report_bits(out: &mut impl Write, label: &str, values: &[f32]) -> fmt::Result {
    for (line, chunk) in values.chunks(8).enumerate() {
        write!(out, "{label} [{:3}]", line * 8)?;
        for v in chunk {
            write!(out, " {}", Bits(*v))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Records one named check and whether it passed.
fn check(out: &mut impl Write, all: &mut bool, name: &str, passed: bool) -> fmt::Result {
    *all &= passed;
    writeln!(
        out,
        "check {name}: {}",
        if passed { "ok" } else { "FAILED" }
    )
}

/// Trains the tutorial's network and the XOR network, runs inference and
/// reports to `out`. Returns whether every check passed.
///
/// # Errors
///
/// Only if writing to `out` fails.
pub fn run(out: &mut impl Write) -> Result<bool, fmt::Error> {
    let mut all = true;
    run_seed(out, &mut all)?;
    run_xor(out, &mut all)?;
    writeln!(out, "result: {}", if all { "PASS" } else { "FAIL" })?;
    Ok(all)
}

/// The tutorial's network: SGD on its one sample.
fn run_seed(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "seed 1-4-2-1: x={} target={} lr={} steps={SEED_STEPS}",
        Dec(SEED_INPUT[0]),
        Dec(SEED_TARGET[0]),
        Dec(SEED_LEARNING_RATE)
    )?;
    let mut net = SeedNet::<f32>::from_params(SEED_INITIAL);
    let mut sgd = Sgd::new(SEED_LEARNING_RATE);
    let first = net.forward(&SEED_INPUT)[0];
    writeln!(out, "seed forward before: {} ({})", Bits(first), Dec(first))?;
    let mut initial_loss = 0.0;
    let mut last_loss = 0.0;
    for step in 1..=SEED_STEPS {
        let loss = net.train_step(&SEED_INPUT, &SEED_TARGET, &HalfSquaredError, &mut sgd);
        if step == 1 {
            initial_loss = loss;
        }
        last_loss = loss;
        if SEED_REPORT_AFTER.contains(&step) {
            writeln!(
                out,
                "seed step {step}: loss before update {} ({})",
                Bits(loss),
                Dec(loss)
            )?;
            report_bits(out, "seed params", net.params())?;
        }
    }
    let prediction = net.forward(&SEED_INPUT)[0];
    let final_loss = net.loss(&SEED_INPUT, &SEED_TARGET, &HalfSquaredError);
    writeln!(
        out,
        "seed forward after: {} ({}), loss {} ({})",
        Bits(prediction),
        Dec(prediction),
        Bits(final_loss),
        Dec(final_loss)
    )?;
    // The tutorial's first loss, rounded there to 0.128.
    check(
        out,
        all,
        "seed first loss is the tutorial's",
        (initial_loss - 0.128).abs() < 5e-4,
    )?;
    check(
        out,
        all,
        "seed loss falls below 1e-6",
        final_loss < 1e-6 && last_loss < initial_loss,
    )?;
    check(
        out,
        all,
        "seed predicts the target",
        (prediction - SEED_TARGET[0]).abs() < 1e-3,
    )
}

/// The XOR network: per-sample SGD, then inference and one batch gradient.
fn run_xor(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "xor 2-8-8-1: lr={} epochs={XOR_EPOCHS} seed={XOR_SEED:08x}",
        Dec(XOR_LEARNING_RATE)
    )?;
    let mut net = xor_initial();
    report_bits(out, "xor initial", net.params())?;
    let mut sgd = Sgd::new(XOR_LEARNING_RATE);
    let initial_loss = xor_total_loss(&net);
    writeln!(
        out,
        "xor epoch 0: total loss {} ({})",
        Bits(initial_loss),
        Dec(initial_loss)
    )?;
    for epoch in 1..=XOR_EPOCHS {
        let mut total = 0.0;
        for (input, target) in &XOR_DATA {
            total += net.train_step(input, target, &HalfSquaredError, &mut sgd);
        }
        if epoch.is_power_of_two() || epoch == XOR_EPOCHS {
            writeln!(
                out,
                "xor epoch {epoch}: total loss before updates {} ({})",
                Bits(total),
                Dec(total)
            )?;
        }
    }
    report_bits(out, "xor params", net.params())?;

    let mut correct = 0;
    for (input, target) in &XOR_DATA {
        let y = net.forward(input)[0];
        let class = if y > 0.5 { 1.0 } else { 0.0 };
        if class == target[0] {
            correct += 1;
        }
        writeln!(
            out,
            "xor infer {} {} -> {} ({}) class {}",
            Dec(input[0]),
            Dec(input[1]),
            Bits(y),
            Dec(y),
            Dec(class)
        )?;
    }
    let final_loss = xor_total_loss(&net);
    writeln!(
        out,
        "xor final: total loss {} ({})",
        Bits(final_loss),
        Dec(final_loss)
    )?;

    // One batch gradient over the four samples, summed by
    // `accumulate_gradients`: the building block of batch training.
    let mut gradients = XorNet::<f32>::default();
    let mut batch_loss = 0.0;
    for (input, target) in &XOR_DATA {
        let trace = net.forward_trace(input);
        batch_loss += net.accumulate_gradients(&trace, target, &HalfSquaredError, &mut gradients);
    }
    report_bits(out, "xor batch gradient", gradients.params())?;
    // The gradient descends: one small step along it lowers the batch loss.
    let mut stepped = net;
    Sgd::new(0.01).step(stepped.params_mut(), gradients.params());
    let stepped_loss = xor_total_loss(&stepped);
    writeln!(
        out,
        "xor batch step: loss {} -> {}",
        Bits(batch_loss),
        Bits(stepped_loss)
    )?;

    check(out, all, "xor classified 4/4", correct == 4)?;
    check(
        out,
        all,
        "xor total loss falls below 0.02",
        final_loss < 0.02 && final_loss < initial_loss,
    )?;
    check(
        out,
        all,
        "xor batch loss agrees with the per-sample losses",
        batch_loss == final_loss,
    )?;
    check(
        out,
        all,
        "xor batch gradient step lowers the loss",
        stepped_loss < batch_loss,
    )?;
    Ok(())
}
