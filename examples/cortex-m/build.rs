//! Puts the target's memory map on the linker's search path as `memory.x`,
//! which the runtime's `link.x` includes (cortex-m-rt's and riscv-rt's), and
//! rebuilds when it changes.
//!
//! - `memory-arm.x`: the Cortex-M3/M4F boards (mps2-an386, lm3s6965evb),
//!   64 KiB of RAM;
//! - `memory-microbit.x`: the Cortex-M0 board (microbit), 16 KiB of RAM;
//! - `memory-an505.x`: the Cortex-M33 board (mps2-an505), whose memory is
//!   at other addresses, 64 KiB of RAM;
//! - `memory-riscv.x`: QEMU's RISC-V `virt` machine, 64 KiB of RAM.
//!
//! Also sets `cfg(fpu)` on targets with a hardware FPU (`thumb*-eabihf`,
//! RV32 with the F extension): stable Rust does not expose RISC-V's `f` as
//! a `target_feature` cfg; and `cfg(ram_64k)` where the memory map gives
//! 64 KiB of RAM, which the training steps of the gesture classifier and
//! of the GRU audio effect (BPTT over 16 steps) need.
//!
//! No file in this directory may be called `memory.x`: the linker runs here
//! and would find it before the one in `OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let source = if target.starts_with("riscv32") {
        "memory-riscv.x"
    } else if target.starts_with("thumbv8m") {
        "memory-an505.x"
    } else if target.starts_with("thumbv6m") {
        "memory-microbit.x"
    } else {
        "memory-arm.x"
    };
    std::fs::copy(source, out.join("memory.x")).expect("copy the memory map");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo::rustc-check-cfg=cfg(fpu)");
    println!("cargo::rustc-check-cfg=cfg(ram_64k)");
    if source != "memory-microbit.x" {
        println!("cargo::rustc-cfg=ram_64k");
    }
    let riscv_isa = target
        .strip_prefix("riscv32")
        .map(|rest| rest.split('-').next().unwrap_or(""));
    if target.ends_with("eabihf") || riscv_isa.is_some_and(|isa| isa.contains(['f', 'g'])) {
        println!("cargo::rustc-cfg=fpu");
    }
    for file in [
        "memory-arm.x",
        "memory-microbit.x",
        "memory-an505.x",
        "memory-riscv.x",
        "build.rs",
    ] {
        println!("cargo:rerun-if-changed={file}");
    }
}
