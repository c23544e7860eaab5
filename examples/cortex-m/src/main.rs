//! Firmware that trains and runs `network!` networks on a Cortex-M.
//!
//! It runs the workload in `workload.rs` (the tutorial's 1-4-2-1 network and
//! a 2-8-8-1 XOR network, trained with SGD from fixed parameters), prints its
//! report through semihosting and exits 0 only if every check passed; a
//! panic exits 1. The host runs the same file (`examples/cortex_m_host.rs`
//! in the root package) and CI diffs the two reports, which carry every
//! `f32` as its bit pattern.
//!
//! Lines starting with `fw:` are the device's own: the RAM budget, and the
//! stack one training step uses, measured by painting the stack. The
//! functions in [`probe`] call the generated code out of line so that
//! `scripts/footprint.sh` can measure its size and count its instructions.
//!
//! Build and run under QEMU (needs `qemu-system-arm`):
//!
//! ```text
//! cargo run --release                             # Cortex-M4F, mps2-an386
//! cargo run --release --target thumbv7m-none-eabi # Cortex-M3, lm3s6965evb
//! cargo run --release --target thumbv6m-none-eabi # Cortex-M0, microbit
//! ```
#![no_std]
#![no_main]

use core::fmt::{self, Write};
use core::hint::black_box;

use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};
use panic_semihosting as _;

mod workload;

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

/// Bytes of stack painted below the measuring frame.
const PAINT_BYTES: usize = 4096;
/// The paint.
const PAINT: u32 = 0xDEAD_BEEF;

/// The bytes of stack `f` uses: paints `PAINT_BYTES` below the current
/// stack pointer, runs `f`, and finds the deepest word it overwrote.
#[inline(never)]
fn stack_used_by(f: impl FnOnce()) -> usize {
    let sp = cortex_m::register::msp::read() as usize;
    let bottom = sp - PAINT_BYTES;
    for addr in (bottom..sp).step_by(4) {
        // SAFETY: the words below the stack pointer are free stack (memory.x
        // leaves far more than PAINT_BYTES to it), and no other code runs.
        unsafe { core::ptr::write_volatile(addr as *mut u32, PAINT) };
    }
    f();
    let mut deepest = sp;
    for addr in (bottom..sp).step_by(4).rev() {
        // SAFETY: as above; the words are plain RAM.
        if unsafe { core::ptr::read_volatile(addr as *const u32) } != PAINT {
            deepest = addr;
        }
    }
    sp - deepest
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

    let seed_stack = stack_used_by(|| {
        probe::seed_train_step(&mut net, &input, &target, &mut sgd);
    });
    let mut xor = workload::xor_initial();
    let mut xor_sgd = Sgd::new(black_box(workload::XOR_LEARNING_RATE));
    let (xor_input, xor_target) = black_box(workload::XOR_DATA[1]);
    let xor_stack = stack_used_by(|| {
        probe::xor_train_step(&mut xor, &xor_input, &xor_target, &mut xor_sgd);
    });
    black_box(probe::xor_forward(&xor, &xor_input));

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
    writeln!(out, "fw: seed stack_per_train_step={seed_stack}")?;
    writeln!(out, "fw: xor stack_per_train_step={xor_stack}")?;
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
#[cfg(target_abi = "eabihf")]
fn fpu_mode(out: &mut Console) -> Result<bool, fmt::Error> {
    let fpscr = cortex_m::register::fpscr::read();
    let ieee = !fpscr.fz() && !fpscr.dn() && fpscr.rmode().is_nearest();
    writeln!(
        out,
        "fw: fpscr={:08x} flush_to_zero={} default_nan={} round_to_nearest={} \
         subnormal_input_seen={} underflow_seen={}",
        fpscr.bits(),
        fpscr.fz(),
        fpscr.dn(),
        fpscr.rmode().is_nearest(),
        fpscr.idc(),
        fpscr.ufc()
    )?;
    writeln!(
        out,
        "fw: check the FPU computes in IEEE mode: {}",
        if ieee { "ok" } else { "FAILED" }
    )?;
    Ok(ieee)
}

/// Without an FPU, the soft-float routines are IEEE by construction.
#[cfg(not(target_abi = "eabihf"))]
#[allow(clippy::unnecessary_wraps)]
fn fpu_mode(_out: &mut Console) -> Result<bool, fmt::Error> {
    Ok(true)
}

#[entry]
fn main() -> ! {
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
