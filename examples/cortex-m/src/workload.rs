//! The training workload that the Cortex-M firmware runs on the device and
//! `examples/cortex_m_host.rs` runs on the host: one source file, so both run
//! literally the same code.
//!
//! It declares six networks with `network!` as any user would (four dense
//! ones, a convolutional gesture classifier over a window of a 3-axis
//! signal and a GRU audio effect that streams one sample at a time), trains
//! each with SGD from fixed initial parameters, runs inference, checks real
//! properties of the result (the loss falls below a threshold, XOR is
//! classified 4/4, the hand-written loops of `hand.rs` give the same bits),
//! and reports every `f32` it computes as its IEEE 754 bit pattern in hex. A plain text diff of the device's and the host's reports
//! is therefore a bit-for-bit comparison of the two computations.
//!
//! The file needs only `core`, `backprop_core` and `hand.rs` (as
//! `crate::hand`): no heap, no float
//! formatting (decimals are printed with integer arithmetic), no `std`.

use core::fmt::{self, Display, Write};

use backprop_core::fixed::Q16_16;
use backprop_core::loss::{CrossEntropy, HalfSquaredError, Loss};
use backprop_core::network;
use backprop_core::optim::{Optimizer, Sgd};

network! {
    /// The tutorial's network: 21 parameters.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A larger network that learns XOR: 105 parameters.
    pub struct XorNet: 2 => 8 Tanh => 8 Tanh => 1 Sigmoid;
    /// A wide linear network: 577 parameters.
    pub struct WideNet: 16 => 32 Linear => 1 Linear;
    /// A wide and deep network: 1,732 parameters.
    pub struct DeepNet: 16 => 32 ReLU => 32 ReLU => 4 Linear;
    /// The gesture classifier of the signals section: four classes from 64
    /// steps of three channels, 1,108 parameters.
    pub struct GestureNet: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2)
        => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax;
    /// The audio effect of the recurrent section: one sample in, one out,
    /// 16 GRU units of state in between, 929 parameters.
    pub struct AmpNet: 1 => 16 GRU => 1 Linear;
    /// The digits classifier of the int8 section, with its logits out:
    /// 2,410 parameters, trained in `f32` on the host
    /// (`examples/digits_blobs.rs`); `network!` gives it an int8 copy,
    /// `DigitsNetInt8`.
    pub struct DigitsNet: 64 => 32 ReLU => 10 Linear;
}

use crate::hand;

const _: () = assert!(WideNet::<f32>::PARAMS == hand::WIDE_PARAMS);
const _: () = assert!(DeepNet::<f32>::PARAMS == hand::DEEP_PARAMS);
const _: () = assert!(XorNet::<f32>::PARAMS == hand::XOR_PARAMS);

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

/// A value of the `f32` workloads in `Q16_16`, rounded to nearest (every
/// initial parameter and constant here is a multiple of 2^-16 or close to
/// one, and the conversion is the same on every target).
#[must_use]
pub fn q16(value: f32) -> Q16_16 {
    Q16_16::from_f64(f64::from(value))
}

/// The tutorial network in `Q16_16`: [`SEED_INITIAL`], converted.
#[must_use]
pub fn seed_q16_initial() -> SeedNet<Q16_16> {
    SeedNet::<Q16_16>::from_params(SEED_INITIAL.map(q16))
}

/// The XOR network in `Q16_16`: [`xor_initial`]'s parameters, converted.
#[must_use]
pub fn xor_q16_initial() -> XorNet<Q16_16> {
    XorNet::<Q16_16>::from_params(xor_initial().params().map(q16))
}

/// The four XOR samples in `Q16_16`.
#[must_use]
pub fn xor_q16_data() -> [([Q16_16; 2], [Q16_16; 1]); 4] {
    XOR_DATA.map(|(x, t)| (x.map(q16), t.map(q16)))
}

/// The digits classifier in `f32`, in flash: `tests/fixtures/digits_f32.bpnn`,
/// which `examples/digits_blobs.rs` writes (and `tests/test_digits_blobs.rs`
/// checks).
pub static DIGITS_F32: DigitsNet =
    DigitsNet::<f32>::from_bytes_const(include_bytes!("../../../tests/fixtures/digits_f32.bpnn"));

/// Its int8 copy, quantized on the host from the same training:
/// `tests/fixtures/digits_int8.bpnn`.
pub static DIGITS_INT8: DigitsNetInt8 =
    DigitsNetInt8::from_bytes_const(include_bytes!("../../../tests/fixtures/digits_int8.bpnn"));

/// How many test images of the digits data the workload classifies: one
/// of each digit.
pub const DIGITS_TESTS: usize = 10;

/// The first test image of each digit in `examples/data/digits.bin` (the
/// test set is every fifth image, as `examples/digits.rs` splits it),
/// 64 pixels 0..16 then the digit, in the order of the digits. Picked out
/// of the file at compile time: only these records are in the firmware.
pub const DIGITS_TEST_IMAGES: [[u8; 65]; DIGITS_TESTS] = {
    const DATA: &[u8] = include_bytes!("../../data/digits.bin");
    let mut images = [[0; 65]; DIGITS_TESTS];
    let mut found = [false; DIGITS_TESTS];
    let mut at = 4 * 65;
    while at + 65 <= DATA.len() {
        let digit = DATA[at + 64] as usize;
        if !found[digit] {
            found[digit] = true;
            let mut i = 0;
            while i < 65 {
                images[digit][i] = DATA[at + i];
                i += 1;
            }
        }
        at += 5 * 65;
    }
    let mut digit = 0;
    while digit < DIGITS_TESTS {
        assert!(found[digit], "a digit without a test image");
        digit += 1;
    }
    images
};

/// Test image `k` scaled to `[0, 1]` as `examples/digits.rs` scales it
/// (exact: a small integer over 16), and its digit.
#[must_use]
pub fn digits_test(k: usize) -> ([f32; 64], usize) {
    let record = &DIGITS_TEST_IMAGES[k];
    (
        core::array::from_fn(|i| f32::from(record[i]) / 16.0),
        usize::from(record[64]),
    )
}

/// Test image `k` quantized to the int8 network's input.
#[must_use]
pub fn digits_test_int8(k: usize) -> [i8; 64] {
    digits_test(k).0.map(|v| DIGITS_INT8.input.quantize(v))
}

/// The index of the largest value (the first of equal ones).
#[must_use]
pub fn argmax<T: PartialOrd + Copy, const N: usize>(values: &[T; N]) -> usize {
    let mut best = 0;
    for k in 1..N {
        if values[k] > values[best] {
            best = k;
        }
    }
    best
}

/// Values uniform in `[-scale, scale)` from a xorshift generator seeded
/// with `seed`. Only integer arithmetic and exact operations (a 24-bit
/// integer to `f32`, a division by a power of two, `scale` a power of two),
/// so every target draws the same bits.
/// Written in place: a network of 1,732 parameters returned by value would
/// take twice its 6,928 bytes of stack on a 16 KiB core.
pub fn fill_uniform(values: &mut [f32], seed: u32, scale: f32) {
    let mut state = seed;
    for v in values {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        #[allow(clippy::cast_precision_loss)] // exact: below 2^24
        let unit = (state >> 8) as f32 / 16_777_216.0;
        *v = (2.0 * unit - 1.0) * scale;
    }
}

/// The XOR network's initial parameters: uniform in `[-1, 1)` (see
/// [`fill_uniform`]).
#[must_use]
pub fn xor_initial() -> XorNet {
    let mut net = XorNet::default();
    fill_uniform(net.params_mut(), XOR_SEED, 1.0);
    net
}

/// The wide networks' samples: how many, and the seed of the first
/// sample's inputs (sample `k` is drawn from `SAMPLE_SEED + k`).
pub const WIDE_SAMPLES: u32 = 8;
/// See [`WIDE_SAMPLES`].
pub const SAMPLE_SEED: u32 = 0x9E37_79B9;
/// Passes over the samples for the 16-32-1 and 16-32-32-4 networks, one
/// SGD step per sample.
pub const WIDE_EPOCHS: usize = 30;
/// The 16-32-1 network's learning rate.
pub const WIDE_LEARNING_RATE: f32 = 0.02;
/// The 16-32-32-4 network's learning rate.
pub const DEEP_LEARNING_RATE: f32 = 0.01;
/// The seeds of the 16-32-1 and 16-32-32-4 networks' initial parameters,
/// uniform in `[-1/4, 1/4)`.
pub const WIDE_SEED: u32 = 0x1234_5679;
/// See [`WIDE_SEED`].
pub const DEEP_SEED: u32 = 0x0BAD_F00D;

/// Sample `k` of the wide networks: 16 inputs in `[-1, 1)`, and the
/// 16-32-1 network's target, a linear function of them.
#[must_use]
pub fn wide_sample(k: u32) -> ([f32; 16], [f32; 1]) {
    let mut x = [0.0; 16];
    fill_uniform(&mut x, SAMPLE_SEED.wrapping_add(k), 1.0);
    (x, [x[0] - 0.5 * x[1] + 0.25 * x[15]])
}

/// Sample `k` of the 16-32-32-4 network: the inputs of [`wide_sample`] and
/// four targets, two of them non-linear in the inputs.
#[must_use]
pub fn deep_sample(k: u32) -> ([f32; 16], [f32; 4]) {
    let (x, _) = wide_sample(k);
    (x, [x[0] * x[1], x[2] - x[3], x[4].max(0.0), 0.5 * x[5]])
}

/// The initial 16-32-1 parameters, into `params`.
pub fn wide_initial(params: &mut [f32; WideNet::<f32>::PARAMS]) {
    fill_uniform(params, WIDE_SEED, 0.25);
}

/// The initial 16-32-32-4 parameters, into `params`.
pub fn deep_initial(params: &mut [f32; DeepNet::<f32>::PARAMS]) {
    fill_uniform(params, DEEP_SEED, 0.25);
}

/// The seed of the gesture classifier's initial parameters, uniform in
/// `[-1/4, 1/4)`.
pub const GESTURE_SEED: u32 = 0x6A09_E667;
/// The seed of its one window, uniform in `[-1, 1)` (time-major, as
/// [`fill_uniform`] fills the window's flat view).
pub const GESTURE_WINDOW_SEED: u32 = 0xBB67_AE85;
/// The class of that window.
pub const GESTURE_CLASS: usize = 2;
/// The gesture classifier's learning rate.
pub const GESTURE_LEARNING_RATE: f32 = 0.25;
/// SGD steps (cross-entropy) the gesture classifier takes on its window.
pub const GESTURE_STEPS: usize = 6;

/// The gesture classifier's initial parameters, into `params`.
pub fn gesture_initial(params: &mut [f32; GestureNet::<f32>::PARAMS]) {
    fill_uniform(params, GESTURE_SEED, 0.25);
}

/// The gesture classifier's window and its one-hot target.
#[must_use]
pub fn gesture_sample() -> ([[f32; 3]; 64], [f32; 4]) {
    let mut window = [[0.0; 3]; 64];
    fill_uniform(window.as_flattened_mut(), GESTURE_WINDOW_SEED, 1.0);
    let mut target = [0.0; 4];
    target[GESTURE_CLASS] = 1.0;
    (window, target)
}

/// The seed of the audio effect's initial parameters, uniform in
/// `[-1/4, 1/4)`: PyTorch's `nn.GRU` draws from `[-1/sqrt(H), 1/sqrt(H)]`,
/// which for 16 units is the same range.
pub const AMP_SEED: u32 = 0x3C6E_F372;
/// How many samples of [`amp_input`] the audio effect streams through
/// `step`, one call per sample.
pub const AMP_STREAM: usize = 64;
/// The length of the sequence of one BPTT training step.
pub const AMP_TRAIN_LEN: usize = 16;
/// BPTT training steps (SGD, half squared error per step) the audio
/// effect takes on its one sequence.
pub const AMP_TRAIN_STEPS: usize = 4;
/// The audio effect's learning rate.
pub const AMP_LEARNING_RATE: f32 = 0.5;

/// The audio effect's initial parameters, into `params`.
pub fn amp_initial(params: &mut [f32; AmpNet::<f32>::PARAMS]) {
    fill_uniform(params, AMP_SEED, 0.25);
}

/// Sample `t` of the audio effect's input signal: a triangle wave of
/// period 16 between -1/2 and 1/2 plus a small sawtooth of period 7. Only
/// integer arithmetic, exact conversions and one rounded `f32` addition, so
/// every target computes the same bits.
#[must_use]
pub fn amp_input(t: usize) -> [f32; 1] {
    #[allow(clippy::cast_precision_loss)] // exact: small integers
    let triangle = (t % 16).abs_diff(8) as f32 / 8.0 - 0.5;
    #[allow(clippy::cast_precision_loss)] // exact: small integers
    let saw = ((t * 3) % 7) as f32 / 32.0;
    [triangle + saw]
}

/// The audio effect's training sequence: the first [`AMP_TRAIN_LEN`]
/// samples of [`amp_input`], and per step the target of an echo, half the
/// sample plus a quarter of the one before (which needs the state).
#[must_use]
pub fn amp_sequence() -> ([[f32; 1]; AMP_TRAIN_LEN], [[f32; 1]; AMP_TRAIN_LEN]) {
    let inputs: [[f32; 1]; AMP_TRAIN_LEN] = core::array::from_fn(amp_input);
    let targets = core::array::from_fn(|t| {
        let before = if t == 0 { 0.0 } else { inputs[t - 1][0] };
        [0.5 * inputs[t][0] + 0.25 * before]
    });
    (inputs, targets)
}

/// A running FNV-1a hash of `f32` bit patterns: how a training run of the
/// generated code and one of the hand-written loops are compared without
/// holding two copies of a network in a small RAM.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BitsHash(pub u64);

impl BitsHash {
    /// The empty hash.
    #[must_use]
    pub const fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    /// Adds every value of `values`.
    pub fn add(&mut self, values: &[f32]) {
        for v in values {
            for byte in v.to_bits().to_le_bytes() {
                self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
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

/// Writes `label` and every value of `values` as its raw `i32` bits, 8
/// hex digits each, 8 to a line.
fn report_q16(out: &mut impl Write, label: &str, values: &[Q16_16]) -> fmt::Result {
    for (line, chunk) in values.chunks(8).enumerate() {
        write!(out, "{label} [{:3}]", line * 8)?;
        for v in chunk {
            write!(out, " {}", Raw(*v))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// A `Q16_16` shown as its raw `i32` bits, 8 hex digits.
pub struct Raw(pub Q16_16);

impl Display for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0.to_bits())
    }
}

/// A `Q16_16` shown with 6 decimals by integer arithmetic only, for
/// reading (the raw bits are what is compared).
pub struct DecQ(pub Q16_16);

impl Display for DecQ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = i64::from(self.0.to_bits());
        let sign = if bits < 0 { "-" } else { "" };
        let micros = (bits.unsigned_abs() * 1_000_000 + (1 << 15)) >> 16;
        write!(f, "{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
    }
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

/// Trains every network, runs inference and reports to `out`. Returns
/// whether every check passed.
///
/// # Errors
///
/// Only if writing to `out` fails.
#[allow(dead_code)] // the firmware calls `run_with`
pub fn run(out: &mut impl Write) -> Result<bool, fmt::Error> {
    run_with(out, true)
}

/// [`run`], with the gesture classifier and the audio effect's BPTT
/// training only if `large_ram` (a core with too little RAM for their
/// training steps leaves them out, and the lines they would report, all
/// starting with `gesture`, `amp train`, `check gesture` or `check amp
/// train`; the audio effect's streaming runs everywhere).
///
/// # Errors
///
/// Only if writing to `out` fails.
pub fn run_with(out: &mut impl Write, large_ram: bool) -> Result<bool, fmt::Error> {
    let mut all = true;
    run_seed(out, &mut all)?;
    run_xor(out, &mut all)?;
    run_wide(out, &mut all)?;
    run_deep(out, &mut all)?;
    run_hand_xor(out, &mut all)?;
    run_seed_q16(out, &mut all)?;
    run_xor_q16(out, &mut all)?;
    run_digits(out, &mut all)?;
    if large_ram {
        run_gesture(out, &mut all)?;
    }
    run_amp_stream(out, &mut all)?;
    if large_ram {
        run_amp_train(out, &mut all)?;
    }
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

/// Trains the 16-32-1 network with the generated code, then from the same
/// start with the hand-written loops of `hand.rs`, and reports and checks
/// both.
#[inline(never)]
fn run_wide(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "wide 16-32-1: lr={} epochs={WIDE_EPOCHS} samples={WIDE_SAMPLES}",
        Dec(WIDE_LEARNING_RATE)
    )?;
    let total = |net: &WideNet| {
        let mut total = 0.0;
        for k in 0..WIDE_SAMPLES {
            let (x, t) = wide_sample(k);
            total += net.loss(&x, &t, &HalfSquaredError);
        }
        total
    };
    let mut net = WideNet::default();
    wide_initial(net.params_mut());
    let initial_loss = total(&net);
    let mut sgd = Sgd::new(WIDE_LEARNING_RATE);
    let mut library = BitsHash::new();
    for _ in 0..WIDE_EPOCHS {
        for k in 0..WIDE_SAMPLES {
            let (x, t) = wide_sample(k);
            library.add(&[net.train_step(&x, &t, &HalfSquaredError, &mut sgd)]);
        }
    }
    library.add(net.params());
    let final_loss = total(&net);
    let (x, _) = wide_sample(0);
    let y = net.forward(&x);
    writeln!(
        out,
        "wide total loss {} -> {} ({} -> {}), forward(sample 0) {}",
        Bits(initial_loss),
        Bits(final_loss),
        Dec(initial_loss),
        Dec(final_loss),
        Bits(y[0])
    )?;
    report_bits(out, "wide params", net.params())?;

    let mut params = [0.0; WideNet::<f32>::PARAMS];
    wide_initial(&mut params);
    let mut hand = BitsHash::new();
    for _ in 0..WIDE_EPOCHS {
        for k in 0..WIDE_SAMPLES {
            let (x, t) = wide_sample(k);
            hand.add(&[hand::wide_train_step(
                &mut params,
                &x,
                &t,
                WIDE_LEARNING_RATE,
            )]);
        }
    }
    hand.add(&params);
    let mut hand_y = [0.0_f32];
    hand::wide_forward(&params, &x, &mut hand_y);
    check(
        out,
        all,
        "wide total loss falls to under a tenth",
        final_loss < 0.1 * initial_loss,
    )?;
    check(
        out,
        all,
        "wide hand-written loops give the same bits",
        library == hand && y[0].to_bits() == hand_y[0].to_bits(),
    )
}

/// The 16-32-32-4 network, as [`run_wide`] does the 16-32-1 one. Each
/// training run is a function of its own, so that only one copy of the
/// network (6,928 bytes) is on the stack at a time.
#[inline(never)]
fn run_deep(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "deep 16-32-32-4: lr={} epochs={WIDE_EPOCHS} samples={WIDE_SAMPLES}",
        Dec(DEEP_LEARNING_RATE)
    )?;
    let (library, y, falls) = deep_by_library(out)?;
    let (hand, hand_y) = deep_by_hand();
    check(out, all, "deep total loss falls to under a half", falls)?;
    check(
        out,
        all,
        "deep hand-written loops give the same bits",
        library == hand && y.map(f32::to_bits) == hand_y.map(f32::to_bits),
    )
}

/// The total loss of the 16-32-32-4 network over its samples.
fn deep_total_loss(net: &DeepNet) -> f32 {
    let mut total = 0.0;
    for k in 0..WIDE_SAMPLES {
        let (x, t) = deep_sample(k);
        total += net.loss(&x, &t, &HalfSquaredError);
    }
    total
}

/// Trains the 16-32-32-4 network with the generated code and reports it;
/// returns the hash of its losses and final parameters, its output for
/// sample 0, and whether the total loss fell to under a half.
#[inline(never)]
fn deep_by_library(out: &mut impl Write) -> Result<(BitsHash, [f32; 4], bool), fmt::Error> {
    let mut net = DeepNet::default();
    deep_initial(net.params_mut());
    let initial_loss = deep_total_loss(&net);
    let mut sgd = Sgd::new(DEEP_LEARNING_RATE);
    let mut library = BitsHash::new();
    for _ in 0..WIDE_EPOCHS {
        for k in 0..WIDE_SAMPLES {
            let (x, t) = deep_sample(k);
            library.add(&[net.train_step(&x, &t, &HalfSquaredError, &mut sgd)]);
        }
    }
    library.add(net.params());
    let final_loss = deep_total_loss(&net);
    let y = net.forward(&deep_sample(0).0);
    writeln!(
        out,
        "deep total loss {} -> {} ({} -> {})",
        Bits(initial_loss),
        Bits(final_loss),
        Dec(initial_loss),
        Dec(final_loss),
    )?;
    report_bits(out, "deep forward(sample 0)", &y)?;
    report_bits(out, "deep params", net.params())?;
    Ok((library, y, final_loss < 0.5 * initial_loss))
}

/// The same training with the hand-written loops: the hash of its losses
/// and final parameters, and its output for sample 0.
#[inline(never)]
fn deep_by_hand() -> (BitsHash, [f32; 4]) {
    let mut params = [0.0; DeepNet::<f32>::PARAMS];
    deep_initial(&mut params);
    let mut hand = BitsHash::new();
    for _ in 0..WIDE_EPOCHS {
        for k in 0..WIDE_SAMPLES {
            let (x, t) = deep_sample(k);
            hand.add(&[hand::deep_train_step(
                &mut params,
                &x,
                &t,
                DEEP_LEARNING_RATE,
            )]);
        }
    }
    hand.add(&params);
    let mut y = [0.0; 4];
    hand::deep_forward(&params, &deep_sample(0).0, &mut y);
    (hand, y)
}

/// The XOR network's training, by the generated code and by the
/// hand-written loops, from the same start: the same bits.
fn run_hand_xor(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    let mut net = xor_initial();
    let mut sgd = Sgd::new(XOR_LEARNING_RATE);
    let mut params = *net.params();
    let (mut library, mut hand) = (BitsHash::new(), BitsHash::new());
    for _ in 0..XOR_EPOCHS {
        for (input, target) in &XOR_DATA {
            library.add(&[net.train_step(input, target, &HalfSquaredError, &mut sgd)]);
            hand.add(&[hand::xor_train_step(
                &mut params,
                input,
                target,
                XOR_LEARNING_RATE,
            )]);
        }
    }
    library.add(net.params());
    hand.add(&params);
    let mut same = library == hand;
    for (input, _) in &XOR_DATA {
        let mut y = [0.0_f32];
        hand::xor_forward(&params, input, &mut y);
        same &= y[0].to_bits() == net.forward(input)[0].to_bits();
    }
    check(out, all, "xor hand-written loops give the same bits", same)
}

/// One training step of the gesture classifier, out of line: inlined into
/// [`run_gesture`], its 50 KB of stack would sit beside the frames of the
/// forward passes there rather than reuse them, more than the 64 KiB of RAM
/// a Cortex-M3 has.
#[inline(never)]
fn gesture_step(
    net: &mut GestureNet,
    window: &[[f32; 3]; 64],
    target: &[f32; 4],
    sgd: &mut Sgd<f32>,
) -> f32 {
    net.train_step(window, target, &CrossEntropy, sgd)
}

/// The gesture classifier's forward pass, out of line (see
/// [`gesture_step`]).
#[inline(never)]
fn gesture_forward(net: &GestureNet, window: &[[f32; 3]; 64]) -> [f32; 4] {
    net.forward(window)
}

/// The gesture classifier: its forward pass, then SGD steps with
/// cross-entropy on its one window, reported as bits (outputs, losses and
/// every final parameter). Its own function, so that its network (4,432
/// bytes) and the step's trace are on the stack only while it runs.
#[inline(never)]
fn run_gesture(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "gesture [3; 64] => Conv1d(16, 5) ReLU => MaxPool1d(2) => Conv1d(16, 3) ReLU \
         => GlobalAvgPool1d => 4 Softmax: lr={} steps={GESTURE_STEPS} class={GESTURE_CLASS}",
        Dec(GESTURE_LEARNING_RATE)
    )?;
    let (window, target) = gesture_sample();
    let mut net = GestureNet::default();
    gesture_initial(net.params_mut());
    let before = gesture_forward(&net, &window);
    report_bits(out, "gesture forward before", &before)?;
    let mut sgd = Sgd::new(GESTURE_LEARNING_RATE);
    let mut first_loss = 0.0;
    for step in 1..=GESTURE_STEPS {
        let loss = gesture_step(&mut net, &window, &target, &mut sgd);
        if step == 1 {
            first_loss = loss;
        }
        writeln!(
            out,
            "gesture step {step}: loss before update {} ({})",
            Bits(loss),
            Dec(loss)
        )?;
    }
    report_bits(out, "gesture params", net.params())?;
    let after = gesture_forward(&net, &window);
    let final_loss = CrossEntropy.loss(&after, &target);
    report_bits(out, "gesture forward after", &after)?;
    writeln!(
        out,
        "gesture final loss {} ({})",
        Bits(final_loss),
        Dec(final_loss)
    )?;
    let sum: f32 = before.iter().sum();
    check(
        out,
        all,
        "gesture forward is a distribution",
        (sum - 1.0).abs() < 1e-6 && before.iter().all(|p| *p > 0.0),
    )?;
    check(
        out,
        all,
        "gesture loss falls to under a half",
        final_loss < 0.5 * first_loss,
    )?;
    check(
        out,
        all,
        "gesture window classified as its class",
        after
            .iter()
            .enumerate()
            .all(|(k, p)| k == GESTURE_CLASS || *p < after[GESTURE_CLASS]),
    )
}

/// One streaming step of the audio effect, out of line: what a firmware
/// calls once per sample.
#[inline(never)]
fn amp_step(net: &AmpNet, state: &mut AmpNetState, sample: &[f32; 1]) -> [f32; 1] {
    net.step(state, sample)
}

/// One BPTT training step of the audio effect on its sequence, out of
/// line (see [`gesture_step`]): its traces, one per time step, are on the
/// stack only while it runs.
#[inline(never)]
fn amp_train_step(
    net: &mut AmpNet,
    inputs: &[[f32; 1]; AMP_TRAIN_LEN],
    targets: &[[f32; 1]; AMP_TRAIN_LEN],
    sgd: &mut Sgd<f32>,
) -> f32 {
    net.train_step(inputs, targets, &HalfSquaredError, sgd)
}

/// The outputs of the audio effect over the first [`AMP_STREAM`] samples
/// as one sequence, out of line (its own frame, so that it does not add to
/// the streaming loop's).
#[inline(never)]
fn amp_whole(net: &AmpNet) -> [[f32; 1]; AMP_STREAM] {
    net.forward_sequence(&core::array::from_fn(amp_input))
}

/// The audio effect streaming: [`AMP_STREAM`] samples of [`amp_input`]
/// through `step` from the zero state, every output and the final hidden
/// state reported as bits, checked against the same samples run as one
/// sequence.
#[inline(never)]
fn run_amp_stream(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "amp 1 => 16 GRU => 1 Linear: stream {AMP_STREAM} samples, seed={AMP_SEED:08x}"
    )?;
    let mut net = AmpNet::default();
    amp_initial(net.params_mut());
    let mut state = AmpNetState::default();
    let mut outputs = [0.0; AMP_STREAM];
    for (t, y) in outputs.iter_mut().enumerate() {
        *y = amp_step(&net, &mut state, &amp_input(t))[0];
    }
    report_bits(out, "amp stream output", &outputs)?;
    report_bits(out, "amp stream state", &state.layer1.h)?;
    let mut hash = BitsHash::new();
    hash.add(&outputs);
    hash.add(&state.layer1.h);
    writeln!(out, "amp stream hash {:016x}", hash.0)?;
    let whole = amp_whole(&net);
    check(
        out,
        all,
        "amp streaming gives the bits of the whole sequence",
        whole
            .iter()
            .zip(&outputs)
            .all(|(w, y)| w[0].to_bits() == y.to_bits()),
    )?;
    // The state carries: the last sample from the zero state gives
    // other bits than after the 63 samples before it.
    let fresh = amp_step(
        &net,
        &mut AmpNetState::default(),
        &amp_input(AMP_STREAM - 1),
    )[0];
    check(
        out,
        all,
        "amp streaming carries its state",
        fresh.to_bits() != outputs[AMP_STREAM - 1].to_bits()
            && state.layer1.h.iter().all(|h| h.is_finite() && *h != 0.0),
    )
}

/// The audio effect's BPTT training: [`AMP_TRAIN_STEPS`] steps of SGD on
/// its one sequence of [`AMP_TRAIN_LEN`] steps, each step's loss and every
/// final parameter reported as bits.
#[inline(never)]
fn run_amp_train(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "amp train {AMP_TRAIN_LEN} steps of BPTT: lr={} steps={AMP_TRAIN_STEPS}",
        Dec(AMP_LEARNING_RATE)
    )?;
    let (inputs, targets) = amp_sequence();
    let mut net = AmpNet::default();
    amp_initial(net.params_mut());
    let mut sgd = Sgd::new(AMP_LEARNING_RATE);
    let mut first_loss = 0.0;
    for step in 1..=AMP_TRAIN_STEPS {
        let loss = amp_train_step(&mut net, &inputs, &targets, &mut sgd);
        if step == 1 {
            first_loss = loss;
        }
        writeln!(
            out,
            "amp train step {step}: loss before update {} ({})",
            Bits(loss),
            Dec(loss)
        )?;
    }
    report_bits(out, "amp train params", net.params())?;
    let mut hash = BitsHash::new();
    hash.add(net.params());
    writeln!(out, "amp train params hash {:016x}", hash.0)?;
    let final_loss = net.loss_sequence(&inputs, &targets, &HalfSquaredError);
    writeln!(
        out,
        "amp train final loss {} ({})",
        Bits(final_loss),
        Dec(final_loss)
    )?;
    check(
        out,
        all,
        "amp train loss falls to under two thirds",
        final_loss < 2.0 / 3.0 * first_loss,
    )
}

/// The tutorial's network in `Q16_16`: its `f32` start converted, SGD on
/// its one sample, every parameter reported as raw bits after the same
/// steps as [`run_seed`].
fn run_seed_q16(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "q16 seed 1-4-2-1: x={} target={} lr={} steps={SEED_STEPS}",
        DecQ(q16(SEED_INPUT[0])),
        DecQ(q16(SEED_TARGET[0])),
        DecQ(q16(SEED_LEARNING_RATE))
    )?;
    let (input, target) = (SEED_INPUT.map(q16), SEED_TARGET.map(q16));
    let mut net = seed_q16_initial();
    report_q16(out, "q16 seed initial", net.params())?;
    let mut sgd = Sgd::new(q16(SEED_LEARNING_RATE));
    let mut initial_loss = Q16_16::ZERO;
    for step in 1..=SEED_STEPS {
        let loss = net.train_step(&input, &target, &HalfSquaredError, &mut sgd);
        if step == 1 {
            initial_loss = loss;
        }
        if SEED_REPORT_AFTER.contains(&step) {
            writeln!(
                out,
                "q16 seed step {step}: loss before update {} ({})",
                Raw(loss),
                DecQ(loss)
            )?;
            report_q16(out, "q16 seed params", net.params())?;
        }
    }
    let prediction = net.forward(&input)[0];
    let final_loss = net.loss(&input, &target, &HalfSquaredError);
    writeln!(
        out,
        "q16 seed forward after: {} ({}), loss {} ({})",
        Raw(prediction),
        DecQ(prediction),
        Raw(final_loss),
        DecQ(final_loss)
    )?;
    check(
        out,
        all,
        "q16 seed first loss is the tutorial's",
        (initial_loss.to_f64() - 0.128).abs() < 1e-3,
    )?;
    check(
        out,
        all,
        "q16 seed loss falls below 1e-4",
        final_loss.to_f64() < 1e-4 && final_loss < initial_loss,
    )?;
    check(
        out,
        all,
        "q16 seed predicts the target",
        (prediction.to_f64() - f64::from(SEED_TARGET[0])).abs() < 0.01,
    )
}

/// The XOR network in `Q16_16`: its `f32` start converted, the same
/// per-sample SGD as [`run_xor`], every parameter reported as raw bits.
fn run_xor_q16(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "q16 xor 2-8-8-1: lr={} epochs={XOR_EPOCHS} seed={XOR_SEED:08x}",
        DecQ(q16(XOR_LEARNING_RATE))
    )?;
    let data = xor_q16_data();
    let total_loss = |net: &XorNet<Q16_16>| {
        data.iter().fold(Q16_16::ZERO, |sum, (x, t)| {
            sum + net.loss(x, t, &HalfSquaredError)
        })
    };
    let mut net = xor_q16_initial();
    report_q16(out, "q16 xor initial", net.params())?;
    let initial_loss = total_loss(&net);
    writeln!(
        out,
        "q16 xor epoch 0: total loss {} ({})",
        Raw(initial_loss),
        DecQ(initial_loss)
    )?;
    let mut sgd = Sgd::new(q16(XOR_LEARNING_RATE));
    for epoch in 1..=XOR_EPOCHS {
        let mut total = Q16_16::ZERO;
        for (input, target) in &data {
            total += net.train_step(input, target, &HalfSquaredError, &mut sgd);
        }
        if epoch.is_power_of_two() || epoch == XOR_EPOCHS {
            writeln!(
                out,
                "q16 xor epoch {epoch}: total loss before updates {} ({})",
                Raw(total),
                DecQ(total)
            )?;
        }
    }
    report_q16(out, "q16 xor params", net.params())?;
    let half = q16(0.5);
    let mut correct = 0;
    for (input, target) in &data {
        let y = net.forward(input)[0];
        let class = if y > half { Q16_16::ONE } else { Q16_16::ZERO };
        correct += usize::from(class == target[0]);
        writeln!(
            out,
            "q16 xor infer {} {} -> {} ({}) class {}",
            DecQ(input[0]),
            DecQ(input[1]),
            Raw(y),
            DecQ(y),
            DecQ(class)
        )?;
    }
    let final_loss = total_loss(&net);
    writeln!(
        out,
        "q16 xor final: total loss {} ({})",
        Raw(final_loss),
        DecQ(final_loss)
    )?;
    check(out, all, "q16 xor classified 4/4", correct == 4)?;
    check(
        out,
        all,
        "q16 xor total loss falls below 0.02",
        final_loss.to_f64() < 0.02 && final_loss < initial_loss,
    )
}

/// The digits classifier from flash: [`DIGITS_TESTS`] test images through
/// the `f32` network and through its int8 copy (integer arithmetic only),
/// every output reported bit for bit with the predicted digits.
fn run_digits(out: &mut impl Write, all: &mut bool) -> fmt::Result {
    writeln!(
        out,
        "digits 64 => 32 ReLU => 10 Linear: f32 {} B, int8 {} B, {DIGITS_TESTS} test images",
        DigitsNet::<f32>::BYTES,
        DigitsNetInt8::BYTES
    )?;
    let (mut float_right, mut int8_right, mut agree) = (0, 0, 0);
    for k in 0..DIGITS_TESTS {
        let (image, label) = digits_test(k);
        let logits = DIGITS_F32.forward(&image);
        let quantized = digits_test_int8(k);
        let int8 = DIGITS_INT8.forward(&quantized);
        let (f, q) = (argmax(&logits), argmax(&int8));
        write!(out, "digits {k} f32 out")?;
        for v in logits {
            write!(out, " {}", Bits(v))?;
        }
        writeln!(out)?;
        write!(out, "digits {k} int8 out")?;
        for v in int8 {
            write!(out, " {:02x}", v.to_le_bytes()[0])?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "digits {k}: label {label}, f32 class {f}, int8 class {q}"
        )?;
        float_right += usize::from(f == label);
        int8_right += usize::from(q == label);
        agree += usize::from(f == q);
    }
    writeln!(
        out,
        "digits right: f32 {float_right}/{DIGITS_TESTS}, int8 {int8_right}/{DIGITS_TESTS}, \
         agree {agree}/{DIGITS_TESTS}"
    )?;
    // The test accuracy of examples/digits.rs is above 90 % for both.
    check(
        out,
        all,
        "digits f32 classifies at least 9 of 10",
        float_right >= DIGITS_TESTS - 1,
    )?;
    check(
        out,
        all,
        "digits int8 classifies at least 9 of 10",
        int8_right >= DIGITS_TESTS - 1,
    )?;
    check(
        out,
        all,
        "digits int8 agrees with f32 on at least 9 of 10",
        agree >= DIGITS_TESTS - 1,
    )
}
