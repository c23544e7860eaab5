//! The host half of the RTIC firmware's bit-identity check.
//!
//! Feeds the same samples to the same learner as the RTIC firmware
//! (`examples/rtic/src/workload.rs`, included here), one training step per
//! sample, and prints the same report. `.ci/rtic.sh` diffs it against the
//! firmware's report under QEMU, where the samples arrive from a timer
//! interrupt: the training must not depend on how they arrived. Exits 1 if
//! the network did not learn.
//!
//! Run it with `cargo run --example rtic_host`.

#[path = "rtic/src/workload.rs"]
mod workload;

fn main() {
    let mut learner = workload::Learner::new();
    for n in 0..workload::SAMPLES {
        learner.push(workload::sample(n));
    }
    let mut report = String::new();
    learner
        .report(&mut report)
        .expect("writing to a String cannot fail");
    print!("{report}");
    if !learner.learned() {
        std::process::exit(1);
    }
}
