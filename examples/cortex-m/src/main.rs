//! Firmware that trains and runs `network!` networks on a microcontroller:
//! Cortex-M cores and RV32 RISC-V cores, under QEMU.
//!
//! It runs the workload in `workload.rs` (the tutorial's 1-4-2-1 network and
//! a 2-8-8-1 XOR network, trained with SGD from fixed parameters), prints its
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

use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;

mod arch;
mod hand;
mod workload;

use arch::{debug, hio};

use workload::{SEED_INITIAL, SEED_INPUT, SEED_LEARNING_RATE, SEED_TARGET, SeedNet, XorNet};

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

/// The generated methods, called out of line: with LTO everything else is
/// inlined, and these symbols are what the footprint script measures. Each
/// holds exactly one call of a generated method.
pub mod probe {
    use super::{HalfSquaredError, SeedNet, Sgd, XorNet};

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

    /// Marks the end of the probe phase in an instruction trace.
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
    let mut xor = workload::xor_initial();
    let mut xor_sgd = Sgd::new(black_box(workload::XOR_LEARNING_RATE));
    let (xor_input, xor_target) = black_box(workload::XOR_DATA[1]);
    let xor_forward = stack_used_by(|| {
        black_box(probe::xor_forward(&xor, &xor_input));
    });
    let xor_train = stack_used_by(|| {
        probe::xor_train_step(&mut xor, &xor_input, &xor_target, &mut xor_sgd);
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
    for (name, usage) in [
        ("seed forward", seed_forward),
        ("seed train_step", seed_train),
        ("xor forward", xor_forward),
        ("xor train_step", xor_train),
    ] {
        writeln!(
            out,
            "fw: stack {name} call={} high_water={}",
            usage.call, usage.high_water
        )?;
    }
    writeln!(
        out,
        "fw: check out-of-line calls match inlined ones: {}",
        if same { "ok" } else { "FAILED" }
    )?;
    Ok(same)
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
            let workload = workload::run(&mut out);
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
