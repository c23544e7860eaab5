//! Zero heap, proven on the host: a counting global allocator shows that
//! the generated networks' forward, backward, gradient and training methods,
//! batch gradients summed over a slice, and the whole Cortex-M workload
//! allocate nothing.
//!
//! The allocator counts only on the thread that asked for it and only
//! inside the measured closure, so the test harness's own allocations (its
//! threads, its output) do not count. A control test checks that the
//! counter does see a real allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt;
use std::hint::black_box;

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::{Optimizer, Sgd};

#[path = "../examples/cortex-m/src/hand.rs"]
mod hand;
#[path = "../examples/cortex-m/src/workload.rs"]
mod workload;

/// The system allocator, counting the allocations of the thread that is
/// measuring.
struct Counting;

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let measuring = MEASURING.try_with(Cell::get).unwrap_or(false);
    if measuring {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counting touches only const-initialised thread-locals, which never
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    MEASURING.with(|m| m.set(true));
    black_box(f());
    MEASURING.with(|m| m.set(false));
    ALLOCATIONS.with(Cell::get)
}

network! {
    /// The tutorial's network (straight-line code).
    struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A first layer of 512 weights, above the unroll limit: the loop form.
    struct Wide: 16 => 32 Tanh => 1 Sigmoid;
}

/// Asserts that every computing method of a network allocates nothing, for
/// one sample and for a batch whose gradients are summed over a slice.
macro_rules! assert_no_allocations {
    ($net:expr, $samples:expr) => {{
        let mut net = $net;
        let samples = $samples;
        let (input, target) = samples[0];
        let loss = HalfSquaredError;
        let mut sgd = Sgd::new(0.1);
        let name = stringify!($net);

        let trace = net.forward_trace(&input);
        let mut gradients = net;
        let inputs: Vec<_> = samples.iter().map(|(x, _)| *x).collect();
        let targets: Vec<_> = samples.iter().map(|(_, t)| *t).collect();
        let mut adam = ::backprop_core::optim::Adam::new(0.01);
        let checks = [
            ("forward", allocations(|| net.forward(black_box(&input)))),
            (
                "forward_trace",
                allocations(|| net.forward_trace(black_box(&input))),
            ),
            ("loss", allocations(|| net.loss(&input, &target, &loss))),
            (
                "backward",
                allocations(|| net.backward(&trace, &target, &loss)),
            ),
            (
                "loss_and_gradients",
                allocations(|| net.loss_and_gradients(black_box(&input), &target, &loss)),
            ),
            (
                "accumulate_gradients",
                allocations(|| net.accumulate_gradients(&trace, &target, &loss, &mut gradients)),
            ),
            (
                "accumulate_gradients over a batch, then one SGD step",
                allocations(|| {
                    // What batch training does: sum the gradients of a
                    // slice of samples, then take one optimizer step.
                    let mut sum = net;
                    sum.params_mut().fill(-0.0);
                    let mut total = 0.0;
                    for (x, t) in black_box(&samples[..]) {
                        let trace = net.forward_trace(x);
                        total += net.accumulate_gradients(&trace, t, &loss, &mut sum);
                    }
                    sgd.step(net.params_mut(), sum.params());
                    total
                }),
            ),
            (
                "train_step",
                allocations(|| net.train_step(black_box(&input), &target, &loss, &mut sgd)),
            ),
            (
                "train_batch",
                allocations(|| {
                    net.train_batch(black_box(&inputs[..]), &targets[..], &loss, &mut sgd)
                }),
            ),
            (
                "try_train_batch",
                allocations(|| {
                    net.try_train_batch(black_box(&inputs[..]), &targets[..], &loss, &mut sgd)
                }),
            ),
            (
                "train_epoch, shuffled mini-batches of 2",
                allocations(|| {
                    net.train_epoch(
                        black_box(&inputs[..]),
                        &targets[..],
                        2,
                        Some(1),
                        &loss,
                        &mut sgd,
                    )
                }),
            ),
            (
                "train_step with Adam",
                allocations(|| net.train_step(black_box(&input), &target, &loss, &mut adam)),
            ),
        ];
        for (method, count) in checks {
            assert_eq!(count, 0, "{name}: {method} allocated {count} time(s)");
        }
    }};
}

#[test]
fn the_counter_sees_allocations() {
    assert_eq!(allocations(|| Box::new(black_box(7_u64))), 1);
    assert_eq!(allocations(|| vec![black_box(0_u8); 64]), 1);
    assert_eq!(allocations(|| black_box(3) + 4), 0);
}

#[test]
fn seed_network_allocates_nothing() {
    let samples = [([2.0_f32], [3.0_f32]), ([1.0], [2.0]), ([-1.0], [0.5])];
    assert_no_allocations!(SeedNet::<f32>::from_params(workload::SEED_INITIAL), samples);
    let samples = [([2.0_f64], [3.0_f64]), ([1.0], [2.0])];
    assert_no_allocations!(SeedNet::<f64>::from_params([0.5; 21]), samples);
}

#[test]
fn xor_network_allocates_nothing() {
    assert_no_allocations!(workload::xor_initial(), workload::XOR_DATA);
}

#[test]
fn loop_form_network_allocates_nothing() {
    let mut params = [0.0_f32; Wide::<f32>::PARAMS];
    for (k, p) in params.iter_mut().enumerate() {
        *p = f32::from(u8::try_from(k % 7).unwrap()) * 0.05 - 0.15;
    }
    let samples = [([0.5_f32; 16], [1.0_f32]), ([-0.25; 16], [0.0])];
    assert_no_allocations!(Wide::<f32>::from_params(params), samples);
}

/// A `fmt::Write` into a fixed buffer, as the firmware's console is.
struct FixedSink {
    bytes: usize,
}

impl fmt::Write for FixedSink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes += s.len();
        Ok(())
    }
}

#[test]
fn the_cortex_m_workload_allocates_nothing() {
    let mut sink = FixedSink { bytes: 0 };
    let mut passed = false;
    let count = allocations(|| passed = workload::run(&mut sink).expect("the sink never fails"));
    assert_eq!(count, 0, "the workload allocated {count} time(s)");
    assert!(passed, "the workload's own checks failed");
    assert!(
        sink.bytes > 1000,
        "the workload reported only {} bytes",
        sink.bytes
    );
}
