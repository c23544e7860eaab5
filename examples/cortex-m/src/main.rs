//! Firmware that trains and runs `network!` networks on a microcontroller:
//! Cortex-M cores and RV32 RISC-V cores, under QEMU.
//!
//! It runs the workload in `workload.rs` (the tutorial's 1-4-2-1 network,
//! a 2-8-8-1 XOR network, both also trained in `Q16_16`, two wider dense
//! networks, a digits classifier in `f32` and in int8 from flash, a GRU
//! audio effect that
//! streams a signal one sample at a time and, where the RAM is 64 KiB
//! (`cfg(ram_64k)`, every core but the Cortex-M0), a Conv1d gesture
//! classifier and the GRU's BPTT training, trained with SGD from fixed
//! parameters), prints its
//! report through semihosting and exits 0 only if every check passed; a
//! panic exits 1. The host runs the same file (`examples/cortex_m_host.rs`
//! in the root package) and CI diffs the two reports, which carry every
//! `f32` as its bit pattern. What differs between Arm and RISC-V is in
//! `arch.rs`.
//!
//! Lines starting with `fw:` are the device's own: the RAM budget, the
//! stack that a forward pass and a training step use (measured by painting
//! the stack), and the FPU's mode. The functions in [`probe`] call the
//! generated code out of line so that `scripts/footprint.sh` can measure
//! its size and count its instructions.
//!
//! Build and run under QEMU (needs `qemu-system-arm`, and
//! `qemu-system-riscv32` for RISC-V; `.cargo/config.toml` has the runners):
//!
//! ```text
//! cargo run --release                                    # Cortex-M4F, mps2-an386
//! cargo run --release --target thumbv7m-none-eabi        # Cortex-M3, lm3s6965evb
//! cargo run --release --target thumbv6m-none-eabi        # Cortex-M0, microbit
//! cargo run --release --target thumbv8m.main-none-eabihf # Cortex-M33, mps2-an505
//! cargo run --release --target riscv32imac-unknown-none-elf   # RV32IMAC, virt
//! cargo run --release --target riscv32imafc-unknown-none-elf  # RV32IMAFC, virt
//! ```
#![no_std]
#![no_main]

use core::fmt::{self, Write};
use core::hint::black_box;
use core::sync::atomic::{AtomicUsize, Ordering};

use backprop_core::fixed::Q16_16;
#[cfg(ram_64k)]
use backprop_core::loss::CrossEntropy;
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;

mod arch;
mod hand;
mod workload;

use arch::{debug, hio};

#[cfg(ram_64k)]
use workload::{AMP_LEARNING_RATE, AMP_TRAIN_LEN, GESTURE_LEARNING_RATE, GestureNet};
use workload::{
    AmpNet, AmpNetState, BitsHash, DEEP_LEARNING_RATE, DeepNet, DigitsNet, DigitsNetInt8,
    SEED_INITIAL, SEED_INPUT, SEED_LEARNING_RATE, SEED_TARGET, SeedNet, WIDE_LEARNING_RATE,
    WideNet, XOR_LEARNING_RATE, XorNet,
};

/// The RAM the tutorial's network may take for data: parameters plus one
/// forward trace. Checked at compile time.
const SEED_RAM_BUDGET: usize = 160;
const _: () = assert!(SeedNet::<f32>::PARAM_BYTES + SeedNet::<f32>::TRACE_BYTES <= SEED_RAM_BUDGET);

/// The same budget for the XOR network.
const XOR_RAM_BUDGET: usize = 600;
const _: () = assert!(XorNet::<f32>::PARAM_BYTES + XorNet::<f32>::TRACE_BYTES <= XOR_RAM_BUDGET);

/// Training steps the probe phase runs back to back, for the instruction
/// count of `scripts/footprint.sh`.
const PROBE_STEPS: usize = 8;

/// Calls of each wider network's `forward` and training step, and of their
/// hand-written counterparts, in the probe phase: the first and two in the
/// steady state, which keeps the soft-float cores' instruction traces
/// short.
const WIDE_PROBE_CALLS: usize = 3;

/// The generated methods, called out of line: with LTO everything else is
/// inlined, and these symbols are what the footprint script measures. Each
/// holds exactly one call of a generated method.
pub mod probe {
    #[allow(unused_imports)] // named by the `probes!` expansions
    use super::{DeepNet, WideNet};
    use super::{DigitsNet, DigitsNetInt8, HalfSquaredError, Q16_16, SeedNet, Sgd, XorNet};

    /// The tutorial network's `forward`.
    #[inline(never)]
    #[must_use]
    pub fn seed_forward(net: &SeedNet, input: &[f32; 1]) -> [f32; 1] {
        net.forward(input)
    }

    /// The tutorial network's `train_step` with SGD.
    #[inline(never)]
    pub fn seed_train_step(
        net: &mut SeedNet,
        input: &[f32; 1],
        target: &[f32; 1],
        sgd: &mut Sgd<f32>,
    ) -> f32 {
        net.train_step(input, target, &HalfSquaredError, sgd)
    }

    /// The XOR network's `forward`.
    #[inline(never)]
    #[must_use]
    pub fn xor_forward(net: &XorNet, input: &[f32; 2]) -> [f32; 1] {
        net.forward(input)
    }

    /// The XOR network's `train_step` with SGD.
    #[inline(never)]
    pub fn xor_train_step(
        net: &mut XorNet,
        input: &[f32; 2],
        target: &[f32; 1],
        sgd: &mut Sgd<f32>,
    ) -> f32 {
        net.train_step(input, target, &HalfSquaredError, sgd)
    }

    /// The tutorial network's `train_step` in `Q16_16` with SGD.
    #[inline(never)]
    pub fn q16_seed_train_step(
        net: &mut SeedNet<Q16_16>,
        input: &[Q16_16; 1],
        target: &[Q16_16; 1],
        sgd: &mut Sgd<Q16_16>,
    ) -> Q16_16 {
        net.train_step(input, target, &HalfSquaredError, sgd)
    }

    /// The XOR network's `forward` in `Q16_16`.
    #[inline(never)]
    #[must_use]
    pub fn q16_xor_forward(net: &XorNet<Q16_16>, input: &[Q16_16; 2]) -> [Q16_16; 1] {
        net.forward(input)
    }

    /// The XOR network's `train_step` in `Q16_16` with SGD.
    #[inline(never)]
    pub fn q16_xor_train_step(
        net: &mut XorNet<Q16_16>,
        input: &[Q16_16; 2],
        target: &[Q16_16; 1],
        sgd: &mut Sgd<Q16_16>,
    ) -> Q16_16 {
        net.train_step(input, target, &HalfSquaredError, sgd)
    }

    /// The digits classifier's `forward` in `f32`.
    #[inline(never)]
    #[must_use]
    pub fn digits_forward(net: &DigitsNet, input: &[f32; 64]) -> [f32; 10] {
        net.forward(input)
    }

    /// The int8 digits classifier's `forward`: integer arithmetic only.
    #[inline(never)]
    #[must_use]
    pub fn digits_int8_forward(net: &DigitsNetInt8, input: &[i8; 64]) -> [i8; 10] {
        net.forward(input)
    }

    /// Defines the out-of-line `forward` and `train_step` of a network, and
    /// of its hand-written counterpart in `hand.rs`.
    macro_rules! probes {
        ($net:ident, $inputs:literal, $outputs:literal,
         $forward:ident, $train:ident, $hand_forward:ident, $hand_train:ident) => {
            #[doc = concat!("`", stringify!($net), "::forward`.")]
            #[inline(never)]
            #[must_use]
            pub fn $forward(net: &super::$net, input: &[f32; $inputs]) -> [f32; $outputs] {
                net.forward(input)
            }

            #[doc = concat!("`", stringify!($net), "::train_step` with SGD.")]
            #[inline(never)]
            pub fn $train(
                net: &mut super::$net,
                input: &[f32; $inputs],
                target: &[f32; $outputs],
                sgd: &mut Sgd<f32>,
            ) -> f32 {
                net.train_step(input, target, &HalfSquaredError, sgd)
            }

            #[doc = concat!("The hand-written forward pass of `", stringify!($net), "`.")]
            #[inline(never)]
            pub fn $hand_forward(
                params: &[f32; super::$net::<f32>::PARAMS],
                input: &[f32; $inputs],
                output: &mut [f32; $outputs],
            ) {
                crate::hand::$forward(params, input, output);
            }

            #[doc = concat!("The hand-written SGD step of `", stringify!($net), "`.")]
            #[inline(never)]
            pub fn $hand_train(
                params: &mut [f32; super::$net::<f32>::PARAMS],
                input: &[f32; $inputs],
                target: &[f32; $outputs],
                learning_rate: f32,
            ) -> f32 {
                crate::hand::$train(params, input, target, learning_rate)
            }
        };
    }

    probes!(
        WideNet,
        16,
        1,
        wide_forward,
        wide_train_step,
        hand_wide_forward,
        hand_wide_train_step
    );
    probes!(
        DeepNet,
        16,
        4,
        deep_forward,
        deep_train_step,
        hand_deep_forward,
        hand_deep_train_step
    );

    /// The hand-written forward pass of `XorNet`.
    #[inline(never)]
    pub fn hand_xor_forward(
        params: &[f32; super::XorNet::<f32>::PARAMS],
        input: &[f32; 2],
        output: &mut [f32; 1],
    ) {
        crate::hand::xor_forward(params, input, output);
    }

    /// The hand-written SGD step of `XorNet`.
    #[inline(never)]
    pub fn hand_xor_train_step(
        params: &mut [f32; super::XorNet::<f32>::PARAMS],
        input: &[f32; 2],
        target: &[f32; 1],
        learning_rate: f32,
    ) -> f32 {
        crate::hand::xor_train_step(params, input, target, learning_rate)
    }

    /// The gesture classifier's `forward`.
    #[cfg(ram_64k)]
    #[inline(never)]
    #[must_use]
    pub fn gesture_forward(net: &super::GestureNet, input: &[[f32; 3]; 64]) -> [f32; 4] {
        net.forward(input)
    }

    /// The gesture classifier's `train_step` with SGD and cross-entropy.
    #[cfg(ram_64k)]
    #[inline(never)]
    pub fn gesture_train_step(
        net: &mut super::GestureNet,
        input: &[[f32; 3]; 64],
        target: &[f32; 4],
        sgd: &mut Sgd<f32>,
    ) -> f32 {
        net.train_step(input, target, &super::CrossEntropy, sgd)
    }

    /// The audio effect's streaming `step`: one sample through the GRU and
    /// the dense layer, the state updated in place.
    #[inline(never)]
    #[must_use]
    pub fn amp_step(
        net: &super::AmpNet,
        state: &mut super::AmpNetState,
        input: &[f32; 1],
    ) -> [f32; 1] {
        net.step(state, input)
    }

    /// The audio effect's `train_step` on one sequence of
    /// `AMP_TRAIN_LEN` steps: BPTT, then SGD (half squared error per step).
    #[cfg(ram_64k)]
    #[inline(never)]
    pub fn amp_train_step(
        net: &mut super::AmpNet,
        inputs: &[[f32; 1]; super::AMP_TRAIN_LEN],
        targets: &[[f32; 1]; super::AMP_TRAIN_LEN],
        sgd: &mut Sgd<f32>,
    ) -> f32 {
        net.train_step(inputs, targets, &HalfSquaredError, sgd)
    }

    /// Marks the end of the audio effect's training probes in an
    /// instruction trace, and whether they ran. (Three arguments, so that
    /// the linker cannot fold it into another marker.)
    #[inline(never)]
    pub fn end_amp(marker: usize, steps: usize, ran: bool) {
        core::hint::black_box((marker, steps, ran));
    }

    /// Marks the end of the wider networks' probes in an instruction trace.
    #[inline(never)]
    pub fn end_wide(marker: usize) {
        core::hint::black_box(marker);
    }

    /// Marks the end of the gesture classifier's probes in an instruction
    /// trace, and whether they ran. (Two arguments, so that the linker
    /// cannot fold it into [`end_wide`], whose code would be the same.)
    #[inline(never)]
    pub fn end_gesture(marker: usize, ran: bool) {
        core::hint::black_box((marker, ran));
    }

    /// Marks the end of the tutorial network's probes in an instruction
    /// trace.
    #[inline(never)]
    pub fn end(marker: usize) {
        core::hint::black_box(marker);
    }
}

/// The pattern the free stack is painted with.
const PAINT: u32 = 0xDEAD_BEEF;

/// Paints every word of the stack region below the current stack pointer,
/// down to the region's bottom (the end of .bss); returns the stack pointer.
#[inline(always)]
fn paint_stack() -> usize {
    let (bottom, _) = arch::stack_region();
    // SAFETY: the words between the bottom of the stack region and the
    // stack pointer are free stack; nothing else runs (no interrupts).
    unsafe { arch::paint_below_sp(bottom, PAINT) }
}

/// The lowest stack address written since the last paint: the first word
/// up from the bottom of the region that no longer holds the paint. (A word
/// that a frame reserves but never writes, and that happens to be the
/// deepest, is missed; the figures are what the code wrote.)
fn deepest_written() -> usize {
    let (bottom, top) = arch::stack_region();
    let mut addr = bottom;
    // SAFETY: reads plain RAM words inside the stack region.
    while addr < top && unsafe { core::ptr::read_volatile(addr as *const u32) } == PAINT {
        addr += 4;
    }
    addr
}

/// The lowest stack address seen written so far in the run, over every
/// repaint (`usize::MAX` until the first look).
static DEEPEST: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Folds the words written since the last paint into [`DEEPEST`]; returns
/// the run's stack high-water mark so far, in bytes from the top of the
/// stack region. (Loads and stores only: thumbv6m has no atomic `min`, and
/// nothing else runs.)
fn record_high_water() -> usize {
    let deepest = deepest_written().min(DEEPEST.load(Ordering::Relaxed));
    DEEPEST.store(deepest, Ordering::Relaxed);
    arch::stack_region().1 - deepest
}

/// The stack one call used, measured by painting.
#[derive(Clone, Copy)]
struct StackUse {
    /// Bytes below the caller's stack pointer: what the call itself needs.
    call: usize,
    /// The high-water mark of the whole stack during the call, in bytes
    /// from the top of the stack region: the call plus the firmware's
    /// frames above it (startup, `main`, the probe phase).
    high_water: usize,
}

/// Paints the free stack, runs `f`, and measures the stack it used.
#[inline(never)]
fn stack_used_by(f: impl FnOnce()) -> StackUse {
    let (_, top) = arch::stack_region();
    record_high_water();
    let sp = paint_stack();
    f();
    let deepest = deepest_written();
    StackUse {
        call: sp.saturating_sub(deepest),
        high_water: top - deepest,
    }
}

/// Semihosting output, one host call per line rather than per fragment.
struct Console {
    host: hio::HostStream,
    line: [u8; 160],
    len: usize,
}

impl Console {
    fn flush(&mut self) -> fmt::Result {
        let result = self
            .host
            .write_all(&self.line[..self.len])
            .map_err(|()| fmt::Error);
        self.len = 0;
        result
    }
}

impl Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &byte in s.as_bytes() {
            if self.len == self.line.len() {
                self.flush()?;
            }
            self.line[self.len] = byte;
            self.len += 1;
            if byte == b'\n' {
                self.flush()?;
            }
        }
        Ok(())
    }
}

/// The stack of a network's out-of-line calls, generated and hand-written,
/// and whether both computed the same bits.
struct Probed {
    forward: StackUse,
    train: StackUse,
    hand_forward: StackUse,
    hand_train: StackUse,
    same: bool,
}

/// Runs a network's generated `forward` and training step and their
/// hand-written counterparts out of line, `WIDE_PROBE_CALLS` times each
/// from the same start (for the instruction counts), compares their bits,
/// then measures each call's stack. A macro, so that each network's run is
/// a function of its own (one copy of a network on the stack at a time).
macro_rules! probe_network {
    ($name:ident, $net:ident, $init:expr, $sample:expr, $lr:expr,
     $forward:ident, $train:ident, $hand_forward:ident, $hand_train:ident) => {
        #[inline(never)]
        fn $name() -> Probed {
            let (input, target) = black_box($sample);
            let learning_rate = black_box($lr);
            let mut net = $net::default();
            $init(net.params_mut());
            let mut sgd = Sgd::new(learning_rate);
            let (mut library, mut hand) = (BitsHash::new(), BitsHash::new());
            for _ in 0..WIDE_PROBE_CALLS {
                library.add(&probe::$forward(&net, &input));
                library.add(&[probe::$train(&mut net, &input, &target, &mut sgd)]);
            }
            library.add(net.params());
            let forward = stack_used_by(|| {
                black_box(probe::$forward(&net, &input));
            });
            let train = stack_used_by(|| {
                probe::$train(&mut net, &input, &target, &mut sgd);
            });
            // The hand-written loops start from the same parameters, in
            // the same memory.
            let params = net.params_mut();
            $init(params);
            let mut output = [0.0; $net::<f32>::OUTPUTS];
            for _ in 0..WIDE_PROBE_CALLS {
                probe::$hand_forward(params, &input, &mut output);
                hand.add(&output);
                hand.add(&[probe::$hand_train(params, &input, &target, learning_rate)]);
            }
            hand.add(params);
            let hand_forward = stack_used_by(|| {
                probe::$hand_forward(params, &input, &mut output);
                black_box(&output);
            });
            let hand_train = stack_used_by(|| {
                probe::$hand_train(params, &input, &target, learning_rate);
            });
            Probed {
                forward,
                train,
                hand_forward,
                hand_train,
                same: library == hand,
            }
        }
    };
}

probe_network!(
    probe_wide,
    WideNet,
    workload::wide_initial,
    workload::wide_sample(0),
    WIDE_LEARNING_RATE,
    wide_forward,
    wide_train_step,
    hand_wide_forward,
    hand_wide_train_step
);
probe_network!(
    probe_deep,
    DeepNet,
    workload::deep_initial,
    workload::deep_sample(0),
    DEEP_LEARNING_RATE,
    deep_forward,
    deep_train_step,
    hand_deep_forward,
    hand_deep_train_step
);
probe_network!(
    probe_xor,
    XorNet,
    |params: &mut [f32; XorNet::<f32>::PARAMS]| *params = *workload::xor_initial().params(),
    workload::XOR_DATA[1],
    XOR_LEARNING_RATE,
    xor_forward,
    xor_train_step,
    hand_xor_forward,
    hand_xor_train_step
);

/// The gesture classifier's out-of-line `forward` and training step,
/// `WIDE_PROBE_CALLS` times each (for the instruction counts), checked
/// against the inlined calls from the same start, then the stack of one
/// call of each. Returns the stack figures and whether the bits agree.
#[cfg(ram_64k)]
#[inline(never)]
fn probe_gesture() -> (StackUse, StackUse, bool) {
    let (window, target) = black_box(workload::gesture_sample());
    let learning_rate = black_box(GESTURE_LEARNING_RATE);
    let mut net = GestureNet::default();
    workload::gesture_initial(net.params_mut());
    let mut sgd = Sgd::new(learning_rate);
    let mut probed = BitsHash::new();
    for _ in 0..WIDE_PROBE_CALLS {
        probed.add(&probe::gesture_forward(&net, &window));
        probed.add(&[probe::gesture_train_step(
            &mut net, &window, &target, &mut sgd,
        )]);
    }
    probed.add(net.params());
    let forward = stack_used_by(|| {
        black_box(probe::gesture_forward(&net, &window));
    });
    let train = stack_used_by(|| {
        probe::gesture_train_step(&mut net, &window, &target, &mut sgd);
    });
    // The same calls inlined, from the same parameters in the same memory.
    workload::gesture_initial(net.params_mut());
    let mut sgd = Sgd::new(learning_rate);
    let mut inlined = BitsHash::new();
    for _ in 0..WIDE_PROBE_CALLS {
        inlined.add(&net.forward(&window));
        inlined.add(&[net.train_step(&window, &target, &CrossEntropy, &mut sgd)]);
    }
    inlined.add(net.params());
    (forward, train, probed == inlined)
}

/// The audio effect's out-of-line streaming step, `WIDE_PROBE_CALLS`
/// samples (for the instruction counts) and then one more whose stack is
/// measured, checked against the inlined calls on the same samples.
/// Returns the stack figures and whether the bits agree.
#[inline(never)]
fn probe_amp_stream() -> (StackUse, bool) {
    let mut net = AmpNet::default();
    workload::amp_initial(net.params_mut());
    let net = black_box(net);
    let mut state = AmpNetState::default();
    let mut probed = BitsHash::new();
    for t in 0..WIDE_PROBE_CALLS {
        probed.add(&probe::amp_step(
            &net,
            &mut state,
            &black_box(workload::amp_input(t)),
        ));
    }
    let input = black_box(workload::amp_input(WIDE_PROBE_CALLS));
    let stack = stack_used_by(|| {
        black_box(probe::amp_step(&net, &mut state, &input));
    });
    probed.add(&state.layer1.h);
    let mut inlined_state = AmpNetState::default();
    let mut inlined = BitsHash::new();
    for t in 0..WIDE_PROBE_CALLS {
        inlined.add(&net.step(&mut inlined_state, &workload::amp_input(t)));
    }
    net.step(&mut inlined_state, &workload::amp_input(WIDE_PROBE_CALLS));
    inlined.add(&inlined_state.layer1.h);
    (stack, probed == inlined)
}

/// The audio effect's out-of-line BPTT training step, `WIDE_PROBE_CALLS`
/// times (for the instruction counts) and once more measuring its stack,
/// checked against the inlined calls from the same start. Returns the
/// stack figures and whether the bits agree.
#[cfg(ram_64k)]
#[inline(never)]
fn probe_amp_train() -> (StackUse, bool) {
    let (inputs, targets) = black_box(workload::amp_sequence());
    let learning_rate = black_box(AMP_LEARNING_RATE);
    let mut net = AmpNet::default();
    workload::amp_initial(net.params_mut());
    let mut sgd = Sgd::new(learning_rate);
    let mut probed = BitsHash::new();
    for _ in 0..WIDE_PROBE_CALLS {
        probed.add(&[probe::amp_train_step(&mut net, &inputs, &targets, &mut sgd)]);
    }
    let stack = stack_used_by(|| {
        probe::amp_train_step(&mut net, &inputs, &targets, &mut sgd);
    });
    probed.add(net.params());
    workload::amp_initial(net.params_mut());
    let mut sgd = Sgd::new(learning_rate);
    let mut inlined = BitsHash::new();
    for _ in 0..WIDE_PROBE_CALLS {
        inlined.add(&[net.train_step(&inputs, &targets, &HalfSquaredError, &mut sgd)]);
    }
    net.train_step(&inputs, &targets, &HalfSquaredError, &mut sgd);
    inlined.add(net.params());
    (stack, probed == inlined)
}

/// The stack of the fixed-point and int8 out-of-line calls, and whether
/// they computed the bits of the inlined ones.
struct IntProbed {
    q16_seed_train: StackUse,
    q16_xor_forward: StackUse,
    q16_xor_train: StackUse,
    digits_forward: StackUse,
    digits_int8_forward: StackUse,
    same: bool,
}

/// The `Q16_16` tutorial and XOR networks' and the digits classifiers'
/// out-of-line calls, `WIDE_PROBE_CALLS` times each and once more
/// measuring the stack (for the instruction counts, 4 calls each), checked
/// against the same calls inlined from the same start.
#[inline(never)]
fn probe_int() -> IntProbed {
    const CALLS: usize = WIDE_PROBE_CALLS + 1;
    let q = workload::q16;
    let (input, target) = black_box((SEED_INPUT.map(q), SEED_TARGET.map(q)));
    let start = black_box(workload::seed_q16_initial());
    let learning_rate = black_box(q(SEED_LEARNING_RATE));
    let (mut net, mut sgd) = (start, Sgd::new(learning_rate));
    let mut losses = [Q16_16::ZERO; CALLS];
    for loss in &mut losses[..WIDE_PROBE_CALLS] {
        *loss = probe::q16_seed_train_step(&mut net, &input, &target, &mut sgd);
    }
    let q16_seed_train = stack_used_by(|| {
        losses[WIDE_PROBE_CALLS] = probe::q16_seed_train_step(&mut net, &input, &target, &mut sgd);
    });
    let (mut reference, mut reference_sgd) = (start, Sgd::new(learning_rate));
    let reference_losses: [Q16_16; CALLS] = core::array::from_fn(|_| {
        reference.train_step(&input, &target, &HalfSquaredError, &mut reference_sgd)
    });
    let mut same = net == reference && losses == reference_losses;

    let (input, target) = black_box(workload::xor_q16_data()[1]);
    let start = black_box(workload::xor_q16_initial());
    let learning_rate = black_box(q(XOR_LEARNING_RATE));
    let (mut net, mut sgd) = (start, Sgd::new(learning_rate));
    let mut outputs = [[Q16_16::ZERO; 1]; CALLS];
    for (output, loss) in outputs.iter_mut().zip(&mut losses).take(WIDE_PROBE_CALLS) {
        *output = probe::q16_xor_forward(&net, &input);
        *loss = probe::q16_xor_train_step(&mut net, &input, &target, &mut sgd);
    }
    let q16_xor_forward = stack_used_by(|| {
        outputs[WIDE_PROBE_CALLS] = probe::q16_xor_forward(&net, &input);
    });
    let q16_xor_train = stack_used_by(|| {
        losses[WIDE_PROBE_CALLS] = probe::q16_xor_train_step(&mut net, &input, &target, &mut sgd);
    });
    let (mut reference, mut reference_sgd) = (start, Sgd::new(learning_rate));
    for (output, loss) in outputs.iter().zip(&losses) {
        same &= *output == reference.forward(&input);
        same &=
            *loss == reference.train_step(&input, &target, &HalfSquaredError, &mut reference_sgd);
    }
    same &= net == reference;

    let float = black_box(&workload::DIGITS_F32);
    let int8 = black_box(&workload::DIGITS_INT8);
    let image = black_box(workload::digits_test(3).0);
    let quantized = black_box(workload::digits_test_int8(3));
    let mut logits = [[0.0; 10]; CALLS];
    let mut classes = [[0; 10]; CALLS];
    for (l, c) in logits.iter_mut().zip(&mut classes).take(WIDE_PROBE_CALLS) {
        *l = probe::digits_forward(float, &image);
        *c = probe::digits_int8_forward(int8, &quantized);
    }
    let digits_forward = stack_used_by(|| {
        logits[WIDE_PROBE_CALLS] = probe::digits_forward(float, &image);
    });
    let digits_int8_forward = stack_used_by(|| {
        classes[WIDE_PROBE_CALLS] = probe::digits_int8_forward(int8, &quantized);
    });
    let reference_logits = workload::DIGITS_F32.forward(&workload::digits_test(3).0);
    let reference_int8 = workload::DIGITS_INT8.forward(&workload::digits_test_int8(3));
    same &= logits
        .iter()
        .all(|l| l.map(f32::to_bits) == reference_logits.map(f32::to_bits));
    same &= classes.iter().all(|c| *c == reference_int8);
    IntProbed {
        q16_seed_train,
        q16_xor_forward,
        q16_xor_train,
        digits_forward,
        digits_int8_forward,
        same,
    }
}

/// The probe phase: the out-of-line generated methods, their stack use and
/// RAM; returns whether its checks passed.
fn probe_phase(out: &mut Console) -> Result<bool, fmt::Error> {
    let input = black_box(SEED_INPUT);
    let target = black_box(SEED_TARGET);
    let mut net = SeedNet::from_params(black_box(SEED_INITIAL));
    let mut sgd = Sgd::new(black_box(SEED_LEARNING_RATE));
    let mut reference = net;
    let mut reference_sgd = sgd;
    for _ in 0..PROBE_STEPS {
        probe::seed_train_step(&mut net, &input, &target, &mut sgd);
    }
    probe::end(PROBE_STEPS);
    let wide = probe_wide();
    let deep = probe_deep();
    let xor = probe_xor();
    let amp_stream = probe_amp_stream();
    let int = probe_int();
    probe::end_wide(WIDE_PROBE_CALLS);
    // After `end_wide`: on soft float the training steps below are
    // millions of instructions each, too long for the single-step trace of
    // the others; the audio effect's before the gesture classifier's, the
    // longer of the two.
    #[cfg(ram_64k)]
    let amp_train = probe_amp_train();
    probe::end_amp(WIDE_PROBE_CALLS, workload::AMP_TRAIN_LEN, cfg!(ram_64k));
    #[cfg(ram_64k)]
    let gesture = probe_gesture();
    probe::end_gesture(WIDE_PROBE_CALLS, cfg!(ram_64k));
    let prediction = probe::seed_forward(&net, &input);

    // The out-of-line calls compute what the inlined ones do.
    for _ in 0..PROBE_STEPS {
        reference.train_step(&input, &target, &HalfSquaredError, &mut reference_sgd);
    }
    let same = net == reference && prediction == reference.forward(&input);

    // The stack of one forward pass and of one training step, each
    // measured on its own (painted afresh before it).
    let seed_forward = stack_used_by(|| {
        black_box(probe::seed_forward(&net, &input));
    });
    let seed_train = stack_used_by(|| {
        probe::seed_train_step(&mut net, &input, &target, &mut sgd);
    });

    writeln!(
        out,
        "fw: seed ram param_bytes={} trace_bytes={} budget={SEED_RAM_BUDGET}",
        SeedNet::<f32>::PARAM_BYTES,
        SeedNet::<f32>::TRACE_BYTES
    )?;
    writeln!(
        out,
        "fw: xor ram param_bytes={} trace_bytes={} budget={XOR_RAM_BUDGET}",
        XorNet::<f32>::PARAM_BYTES,
        XorNet::<f32>::TRACE_BYTES
    )?;
    #[cfg(ram_64k)]
    writeln!(
        out,
        "fw: gesture ram param_bytes={} trace_bytes={}",
        GestureNet::<f32>::PARAM_BYTES,
        GestureNet::<f32>::TRACE_BYTES
    )?;
    #[cfg(not(ram_64k))]
    writeln!(
        out,
        "fw: gesture not run: its training step needs more than this board's 16 KiB of RAM"
    )?;
    writeln!(
        out,
        "fw: amp ram param_bytes={} trace_bytes={} state_bytes={}",
        AmpNet::<f32>::PARAM_BYTES,
        AmpNet::<f32>::TRACE_BYTES,
        core::mem::size_of::<AmpNetState>()
    )?;
    #[cfg(not(ram_64k))]
    writeln!(
        out,
        "fw: amp train not run: its BPTT step needs more than this board's 16 KiB of RAM"
    )?;
    let mut passed = same;
    #[cfg(ram_64k)]
    let gesture_stack = [
        (
            "gesture forward",
            gesture.0,
            GestureNet::<f32>::FORWARD_STACK_BOUND,
        ),
        (
            "gesture train_step",
            gesture.1,
            GestureNet::<f32>::TRAIN_STACK_BOUND,
        ),
    ];
    #[cfg(not(ram_64k))]
    let gesture_stack = [];
    let dense_stack = [
        (
            "seed forward",
            seed_forward,
            SeedNet::<f32>::FORWARD_STACK_BOUND,
        ),
        (
            "seed train_step",
            seed_train,
            SeedNet::<f32>::TRAIN_STACK_BOUND,
        ),
        (
            "xor forward",
            xor.forward,
            XorNet::<f32>::FORWARD_STACK_BOUND,
        ),
        (
            "xor train_step",
            xor.train,
            XorNet::<f32>::TRAIN_STACK_BOUND,
        ),
        (
            "wide forward",
            wide.forward,
            WideNet::<f32>::FORWARD_STACK_BOUND,
        ),
        (
            "wide train_step",
            wide.train,
            WideNet::<f32>::TRAIN_STACK_BOUND,
        ),
        (
            "deep forward",
            deep.forward,
            DeepNet::<f32>::FORWARD_STACK_BOUND,
        ),
        (
            "deep train_step",
            deep.train,
            DeepNet::<f32>::TRAIN_STACK_BOUND,
        ),
    ];
    for (name, usage, bound) in dense_stack.into_iter().chain(gesture_stack) {
        let within = usage.call <= bound;
        passed &= within;
        writeln!(
            out,
            "fw: stack {name} call={} high_water={} bound={bound} {}",
            usage.call,
            usage.high_water,
            if within { "ok" } else { "OVER THE BOUND" }
        )?;
    }
    #[cfg(ram_64k)]
    let amp_train_stack = [("amp train_step", amp_train.0)];
    #[cfg(not(ram_64k))]
    let amp_train_stack = [];
    // Recurrent networks have no stack bounds: the figures are reported.
    for (name, usage) in [("amp step", amp_stream.0)]
        .into_iter()
        .chain(amp_train_stack)
    {
        writeln!(
            out,
            "fw: stack {name} call={} high_water={}",
            usage.call, usage.high_water
        )?;
    }
    for (name, usage) in [
        ("xor hand forward", xor.hand_forward),
        ("xor hand train_step", xor.hand_train),
        ("wide hand forward", wide.hand_forward),
        ("wide hand train_step", wide.hand_train),
        ("deep hand forward", deep.hand_forward),
        ("deep hand train_step", deep.hand_train),
    ] {
        writeln!(
            out,
            "fw: stack {name} call={} high_water={}",
            usage.call, usage.high_water
        )?;
    }
    writeln!(
        out,
        "fw: q16 seed ram param_bytes={} trace_bytes={}",
        SeedNet::<Q16_16>::PARAM_BYTES,
        SeedNet::<Q16_16>::TRACE_BYTES
    )?;
    writeln!(
        out,
        "fw: q16 xor ram param_bytes={} trace_bytes={}",
        XorNet::<Q16_16>::PARAM_BYTES,
        XorNet::<Q16_16>::TRACE_BYTES
    )?;
    writeln!(
        out,
        "fw: digits flash f32_bytes={} int8_bytes={}",
        core::mem::size_of::<DigitsNet>(),
        core::mem::size_of::<DigitsNetInt8>()
    )?;
    for (name, usage) in [
        ("q16 seed train_step", int.q16_seed_train),
        ("q16 xor forward", int.q16_xor_forward),
        ("q16 xor train_step", int.q16_xor_train),
        ("digits f32 forward", int.digits_forward),
        ("digits int8 forward", int.digits_int8_forward),
    ] {
        writeln!(
            out,
            "fw: stack {name} call={} high_water={}",
            usage.call, usage.high_water
        )?;
    }
    writeln!(
        out,
        "fw: check out-of-line fixed-point and int8 calls match inlined ones: {}",
        if int.same { "ok" } else { "FAILED" }
    )?;
    passed &= int.same;
    let hand_same = wide.same && deep.same && xor.same;
    #[cfg(ram_64k)]
    {
        writeln!(
            out,
            "fw: check out-of-line gesture calls match inlined ones: {}",
            if gesture.2 { "ok" } else { "FAILED" }
        )?;
        passed &= gesture.2;
    }
    #[cfg(ram_64k)]
    let amp_same = amp_stream.1 && amp_train.1;
    #[cfg(not(ram_64k))]
    let amp_same = amp_stream.1;
    writeln!(
        out,
        "fw: check out-of-line amp calls match inlined ones: {}",
        if amp_same { "ok" } else { "FAILED" }
    )?;
    passed &= amp_same;
    writeln!(
        out,
        "fw: check out-of-line calls match inlined ones: {}",
        if same { "ok" } else { "FAILED" }
    )?;
    writeln!(
        out,
        "fw: check out-of-line hand-written loops give the same bits: {}",
        if hand_same { "ok" } else { "FAILED" }
    )?;
    Ok(passed && hand_same)
}

/// On a core with an FPU: the floating-point mode the run used, which must
/// be the host's (IEEE: round to nearest, subnormals kept, NaNs propagated).
/// Also reports whether any subnormal or underflowing value occurred.
/// Without an FPU, the soft-float routines are IEEE by construction.
fn fpu_mode(out: &mut Console) -> Result<bool, fmt::Error> {
    let Some(mode) = arch::fpu_mode() else {
        return Ok(true);
    };
    let ieee = !mode.flush_to_zero && !mode.default_nan && mode.round_to_nearest;
    writeln!(
        out,
        "fw: fpu status={:08x} flush_to_zero={} default_nan={} round_to_nearest={} \
         subnormal_input_seen={} underflow_seen={}",
        mode.bits,
        mode.flush_to_zero,
        mode.default_nan,
        mode.round_to_nearest,
        mode.subnormal_seen,
        mode.underflow_seen
    )?;
    writeln!(
        out,
        "fw: check the FPU computes in IEEE mode: {}",
        if ieee { "ok" } else { "FAILED" }
    )?;
    Ok(ieee)
}

#[cfg_attr(target_arch = "arm", cortex_m_rt::entry)]
#[cfg_attr(target_arch = "riscv32", riscv_rt::entry)]
fn main() -> ! {
    // Paint the whole free stack before anything runs, so that the end of
    // the run can report its high-water mark (each measurement of the probe
    // phase records the marks so far before it repaints).
    black_box(paint_stack());
    let passed = match hio::hstdout() {
        Ok(host) => {
            let mut out = Console {
                host,
                line: [0; 160],
                len: 0,
            };
            // The probe phase first, so that an instruction trace of it
            // stays short.
            let probes = probe_phase(&mut out);
            let workload = workload::run_with(&mut out, cfg!(ram_64k));
            let fpu = fpu_mode(&mut out);
            match (probes, workload, fpu) {
                (Ok(probes), Ok(workload), Ok(fpu)) => {
                    let passed = probes && workload && fpu;
                    let (bottom, top) = arch::stack_region();
                    let _ = writeln!(
                        out,
                        "fw: stack run high_water={} region={}",
                        record_high_water(),
                        top - bottom
                    );
                    let _ = writeln!(out, "fw: exit {}", if passed { 0 } else { 1 });
                    passed
                }
                _ => false,
            }
        }
        Err(()) => false,
    };
    debug::exit(if passed {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    #[allow(clippy::empty_loop)]
    loop {}
}
