//! What differs between the Arm and the RISC-V builds, and nothing else:
//! semihosting, the stack region and how to paint it, the floating-point
//! status register, and on RISC-V the panic handler. The entry point is
//! chosen in `main.rs` (`cortex_m_rt::entry` or `riscv_rt::entry`).
//!
//! Both semihosting crates have the same API (`hio::hstdout`,
//! `HostStream::write_all`, `debug::exit`), re-exported here as `hio` and
//! `debug`.

#[cfg(target_arch = "arm")]
pub use cortex_m_semihosting::{debug, hio};
#[cfg(target_arch = "riscv32")]
pub use riscv_semihosting::{debug, hio};

// Arm: panic-semihosting prints the message and exits 1.
#[cfg(target_arch = "arm")]
use panic_semihosting as _;

/// RISC-V: prints the panic message through semihosting and exits 1, as
/// panic-semihosting does on Arm (without this, a panic would hang until
/// CI's `timeout`).
#[cfg(target_arch = "riscv32")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::fmt::Write;
    if let Ok(mut host) = hio::hstderr() {
        let _ = writeln!(host, "{info}");
    }
    debug::exit(debug::EXIT_FAILURE);
    #[allow(clippy::empty_loop)]
    loop {}
}

// The stack region from the runtimes' linker scripts (`link.x`): the stack
// starts at the top, `_stack_start`, and grows down to the end of .bss and
// the (empty) heap: `_stack_end` in cortex-m-rt, `__estack` in riscv-rt.
// Only their addresses are taken; they are not values.
unsafe extern "C" {
    static _stack_start: u32;
    #[cfg(target_arch = "arm")]
    static _stack_end: u32;
    #[cfg(target_arch = "riscv32")]
    static __estack: u32;
}

/// The stack region, `(lowest address, top)`: the stack starts at the top
/// and may grow down to the lowest address.
#[must_use]
pub fn stack_region() -> (usize, usize) {
    #[cfg(target_arch = "arm")]
    let bottom = &raw const _stack_end as usize;
    #[cfg(target_arch = "riscv32")]
    let bottom = &raw const __estack as usize;
    (bottom, &raw const _stack_start as usize)
}

/// Writes `pattern` to every word from `bottom` (4-byte aligned) up to the
/// stack pointer, and returns the stack pointer.
///
/// In assembly so that it reads the stack pointer and writes below it in
/// one place: a stack pointer read in Rust may be taken before the
/// function's prologue pushes its registers, and painting up to it would
/// overwrite them. The loop itself uses no stack.
///
/// # Safety
///
/// `bottom..sp` must be free stack: nothing else may run meanwhile
/// (no interrupts are enabled in this firmware).
#[inline(always)]
pub unsafe fn paint_below_sp(bottom: usize, pattern: u32) -> usize {
    let sp: usize;
    // SAFETY: the caller's contract; writes only below the stack pointer.
    // Thumb-1 instructions only (the M0 has no others).
    #[cfg(target_arch = "arm")]
    unsafe {
        core::arch::asm!(
            "mov {sp}, sp",
            "2:",
            "cmp {p}, {sp}",
            "bhs 3f",
            "str {v}, [{p}]",
            "adds {p}, #4",
            "b 2b",
            "3:",
            p = inout(reg) bottom => _,
            v = in(reg) pattern,
            sp = out(reg) sp,
            options(nostack),
        );
    }
    // SAFETY: as above.
    #[cfg(target_arch = "riscv32")]
    unsafe {
        core::arch::asm!(
            "mv {sp}, sp",
            "2:",
            "bgeu {p}, {sp}, 3f",
            "sw {v}, 0({p})",
            "addi {p}, {p}, 4",
            "j 2b",
            "3:",
            p = inout(reg) bottom => _,
            v = in(reg) pattern,
            sp = out(reg) sp,
            options(nostack),
        );
    }
    sp
}

/// The floating-point unit's rounding and special modes, where the core has
/// one; `None` where floats are computed in software (IEEE by construction).
pub struct FpuMode {
    /// The status register's raw bits (Arm `FPSCR`, RISC-V `fcsr`).
    pub bits: u32,
    /// Round to nearest, ties to even.
    pub round_to_nearest: bool,
    /// Subnormal results and inputs flushed to zero (Arm only; RISC-V's F
    /// extension has no such mode).
    pub flush_to_zero: bool,
    /// NaN results replaced by the default NaN (Arm's `DN`). RISC-V always
    /// returns the canonical NaN, which matters only for NaN payloads: the
    /// workload has no NaN.
    pub default_nan: bool,
    /// A subnormal value met (Arm's sticky `IDC`; on RISC-V: not recorded).
    pub subnormal_seen: bool,
    /// An underflow occurred (sticky: Arm's `UFC`, RISC-V's `UF`).
    pub underflow_seen: bool,
}

/// The FPU's mode on an Arm core with an FPU (M4F, M33). `cfg(fpu)` comes
/// from build.rs.
#[cfg(all(target_arch = "arm", fpu))]
#[must_use]
pub fn fpu_mode() -> Option<FpuMode> {
    let fpscr = cortex_m::register::fpscr::read();
    Some(FpuMode {
        bits: fpscr.bits(),
        round_to_nearest: fpscr.rmode().is_nearest(),
        flush_to_zero: fpscr.fz(),
        default_nan: fpscr.dn(),
        subnormal_seen: fpscr.idc(),
        underflow_seen: fpscr.ufc(),
    })
}

/// The FPU's mode on a RISC-V core with the F extension: `fcsr`, whose
/// `frm` (bits 7:5) is 0 for round to nearest even, and whose sticky flags
/// are bits 4:0 (`UF` is bit 1).
#[cfg(all(target_arch = "riscv32", fpu))]
#[must_use]
pub fn fpu_mode() -> Option<FpuMode> {
    let fcsr: u32;
    // SAFETY: reads the floating-point control and status register, which
    // riscv-rt's start code enabled (mstatus.FS) on a core with an FPU.
    unsafe {
        core::arch::asm!("csrr {}, fcsr", out(reg) fcsr, options(nomem, nostack, preserves_flags));
    }
    Some(FpuMode {
        bits: fcsr,
        round_to_nearest: (fcsr >> 5) & 0b111 == 0,
        flush_to_zero: false,
        default_nan: false,
        subnormal_seen: false,
        underflow_seen: fcsr & 0b10 != 0,
    })
}

/// No FPU: floats are computed by IEEE-exact software routines.
#[cfg(not(fpu))]
#[must_use]
pub fn fpu_mode() -> Option<FpuMode> {
    None
}
