//! An RTIC application that trains a network on samples arriving from an
//! interrupt, shaped like a real sensor firmware: the timer's interrupt
//! handler reads one sample per tick (here from [`workload::sample`], as
//! an ADC driver would read its register) and pushes it into a lock-free
//! single-producer, single-consumer queue; the idle loop takes samples out
//! and trains on each as it comes ([`workload::Learner`]), sleeping
//! (`wfi`) when there is none. Nothing is shared but the queue, so no lock
//! and no critical section is taken, by the application or by the library.
//!
//! Runs on QEMU's lm3s6965evb (Cortex-M3, the board RTIC's examples use),
//! with SysTick as the timer: `cargo run --release` from this directory
//! (`.cargo/config.toml` has the runner; needs `qemu-system-arm` and
//! `rustup target add thumbv7m-none-eabi`). The report goes out through
//! semihosting; CI compares it with the host's (`cargo run --example
//! rtic_host` in the root package) bit for bit, and the firmware exits 0
//! only if no sample was dropped and the network learned.
//!
//! With `--features defmt` the report goes out as defmt frames (over
//! semihosting here), to decode with `defmt-print -e <the ELF>`.
#![no_std]
#![no_main]

use panic_semihosting as _;
// With `defmt`, its frames go out over semihosting.
#[cfg(feature = "defmt")]
use defmt_semihosting as _;

mod workload;

#[rtic::app(device = lm3s6965)]
mod app {
    use core::fmt::Write;

    use cortex_m::peripheral::syst::SystClkSource;
    use cortex_m_semihosting::{debug, hio};
    use heapless::spsc::{Consumer, Producer, Queue};

    use crate::workload::{Learner, SAMPLES, sample};

    /// Room for this many samples between the interrupt and the trainer.
    const QUEUE: usize = 8;
    /// SysTick reload: one sample every 20,000 core clock cycles.
    const TICK: u32 = 20_000;

    #[shared]
    struct Shared {}

    #[local]
    struct Local {
        producer: Producer<'static, f32, QUEUE>,
        consumer: Consumer<'static, f32, QUEUE>,
        learner: Learner,
    }

    #[init(local = [queue: Queue<f32, QUEUE> = Queue::new()])]
    fn init(cx: init::Context) -> (Shared, Local) {
        let mut syst = cx.core.SYST;
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(TICK - 1);
        syst.clear_current();
        syst.enable_interrupt();
        syst.enable_counter();
        let (producer, consumer) = cx.local.queue.split();
        let local = Local {
            producer,
            consumer,
            learner: Learner::new(),
        };
        (Shared {}, local)
    }

    /// The sensor's interrupt: one sample per tick, into the queue. A full
    /// queue (the trainer fell behind) drops the sample and counts it.
    #[task(binds = SysTick, local = [producer, next: u32 = 0, dropped: u32 = 0])]
    fn tick(cx: tick::Context) {
        let n = *cx.local.next;
        if n < SAMPLES {
            if cx.local.producer.enqueue(sample(n)).is_err() {
                *cx.local.dropped += 1;
                hio::hstdout()
                    .map(|mut out| writeln!(out, "dropped sample {n}"))
                    .ok();
                debug::exit(debug::EXIT_FAILURE);
            }
            *cx.local.next = n + 1;
        }
    }

    /// The trainer: one SGD step per sample, then the report.
    #[idle(local = [consumer, learner])]
    fn idle(cx: idle::Context) -> ! {
        let learner = cx.local.learner;
        let mut taken = 0;
        while taken < SAMPLES {
            match cx.local.consumer.dequeue() {
                Some(x) => {
                    learner.push(x);
                    taken += 1;
                }
                None => cortex_m::asm::wfi(),
            }
        }
        let ok = learner.learned();
        report(learner, taken);
        debug::exit(if ok {
            debug::EXIT_SUCCESS
        } else {
            debug::EXIT_FAILURE
        });
        loop {
            cortex_m::asm::wfi();
        }
    }

    /// The learner's report as formatted text over semihosting.
    #[cfg(not(feature = "defmt"))]
    fn report(learner: &Learner, taken: u32) {
        if let Ok(mut out) = hio::hstdout() {
            let _ = learner.report(&mut out);
            let _ = writeln!(out, "fw: {taken} samples from the interrupt, none dropped");
        }
    }

    /// The learner's report through defmt: the same lines with every value
    /// as its bit pattern (defmt formats on the host, from the ELF's
    /// strings; `.ci/rtic.sh` decodes them with `defmt-print`).
    #[cfg(feature = "defmt")]
    fn report(learner: &Learner, taken: u32) {
        use crate::workload::SPAN;
        let span = SPAN as f32;
        let (first, last) = (learner.first / span, learner.last / span);
        defmt::println!("steps {=u32}", learner.steps);
        defmt::println!(
            "mean loss, first {=u32}: {=u32:#010x}",
            SPAN,
            first.to_bits()
        );
        defmt::println!("mean loss, last {=u32}: {=u32:#010x}", SPAN, last.to_bits());
        for (k, p) in learner.net.params().iter().enumerate() {
            defmt::println!("param {=usize}: {=u32:#010x}", k, p.to_bits());
        }
        defmt::println!("fw: {=u32} samples from the interrupt, none dropped", taken);
    }
}
