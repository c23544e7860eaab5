//! The tutorial's network, `1 => 4 ReLU => 2 Sigmoid => 1 Linear`, against
//! its two hand-written yardsticks (`backprop_bench::tutorial`): `exact`,
//! straight-line code with the library's bits, and `fast`, free of them
//! (`libm`'s `expf`, `lr * delta` once per neuron). Forward and one SGD
//! training step (half squared error, batch 1, f32), all in one process,
//! from the same parameters. Ids `tutorial/{generated,exact,fast}/{forward,train}`.
//!
//! Before measuring it checks that `exact` and the generated code give the
//! same bits (prediction, loss and every parameter, over many steps), and
//! that `fast` stays within rounding of them.

use std::hint::black_box;

use backprop_bench::tutorial::{Exact, Fast, PARAMS};
use backprop_bench::{Tutorial, values};
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use criterion::{Criterion, criterion_group, criterion_main};

/// The learning rate.
const LR: f32 = 0.01;

/// The checks: the generated network and `exact` trained side by side
/// agree bit for bit, and `fast` agrees to within rounding.
fn check(flat: [f32; PARAMS]) {
    let mut generated = Tutorial::<f32>::from_params(flat);
    let (mut exact, mut fast) = (Exact::from_flat(flat), Fast::from_flat(flat));
    let mut sgd = Sgd::new(LR);
    for step in 0..1000_u64 {
        let (x, t) = (values::<1>(10 + step, 3.0), values::<1>(5000 + step, 2.0));
        assert_eq!(
            generated.forward(&x)[0].to_bits(),
            exact.forward(&x)[0].to_bits(),
            "forward at step {step}"
        );
        let lg = generated.train_step(&x, &t, &HalfSquaredError, &mut sgd);
        let le = exact.train_step(&x, &t, LR);
        let lf = fast.train_step(&x, &t, LR);
        assert_eq!(lg.to_bits(), le.to_bits(), "loss at step {step}");
        assert_eq!(
            generated.params().map(f32::to_bits),
            exact.p.map(f32::to_bits),
            "parameters after step {step}"
        );
        assert!((lf - le).abs() <= 1e-3 * (1.0 + le.abs()), "{lf} vs {le}");
    }
}

fn tutorial(c: &mut Criterion) {
    let flat = values::<PARAMS>(1, 0.3);
    check(flat);
    let x = values::<1>(2, 1.0);
    let targets = [values::<1>(3, 1.0), values::<1>(4, 1.0)];
    let mut generated = Tutorial::<f32>::from_params(flat);
    let (mut exact, mut fast) = (Exact::from_flat(flat), Fast::from_flat(flat));

    let mut group = c.benchmark_group("tutorial");
    group.bench_function("generated/forward", |b| {
        b.iter(|| black_box(&generated).forward(black_box(&x)))
    });
    group.bench_function("exact/forward", |b| {
        b.iter(|| black_box(&exact).forward(black_box(&x)))
    });
    group.bench_function("fast/forward", |b| {
        b.iter(|| black_box(&fast).forward(black_box(&x)))
    });
    // Two targets in turn, so the loss never settles and no value drifts
    // into subnormals.
    let mut sgd = Sgd::new(LR);
    group.bench_function("generated/train", |b| {
        let mut k = 0;
        b.iter(|| {
            k ^= 1;
            black_box(&mut generated).train_step(
                black_box(&x),
                &targets[k],
                &HalfSquaredError,
                &mut sgd,
            )
        })
    });
    group.bench_function("exact/train", |b| {
        let mut k = 0;
        b.iter(|| {
            k ^= 1;
            black_box(&mut exact).train_step(black_box(&x), &targets[k], LR)
        })
    });
    group.bench_function("fast/train", |b| {
        let mut k = 0;
        b.iter(|| {
            k ^= 1;
            black_box(&mut fast).train_step(black_box(&x), &targets[k], LR)
        })
    });
    group.finish();
}

criterion_group!(benches, tutorial);
criterion_main!(benches);
