//! The host half of the embedded bit-identity check.
//!
//! Runs the training workload of the Cortex-M firmware
//! (`examples/cortex-m/src/workload.rs`, the same source file, included
//! here) on the host and prints the same report: every `f32` as its bit
//! pattern. CI diffs this output against the firmware's output under QEMU;
//! any difference in a single bit fails the build. Exits 1 if a check of the
//! workload fails.
//!
//! Run it with `cargo run --example cortex_m_host`.

#[path = "cortex-m/src/hand.rs"]
mod hand;
#[path = "cortex-m/src/workload.rs"]
mod workload;

fn main() {
    let mut report = String::new();
    let passed = workload::run(&mut report).expect("writing to a String cannot fail");
    print!("{report}");
    if !passed {
        std::process::exit(1);
    }
}
