//! A batch of 32 against 32 single steps, for each network of the speed
//! benchmark: `train_batch` (32 forward and backward passes accumulating one
//! mean gradient, then one SGD update) against 32 calls of `train_step`
//! (each fused: forward, backward and update of one sample), over the same
//! 32 samples, in the same process. Ids `batch32/<network>/steps` and
//! `batch32/<network>/batch`; `scripts/bench.sh` prints the ratio.

use std::hint::black_box;

use backprop_bench::{Mlp16, Mnist, Tanh64, Tutorial, values};
use backprop_core::Network;
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use criterion::{Criterion, criterion_group, criterion_main};

/// Samples per batch.
const BATCH: usize = 32;

/// 32 inputs and targets, deterministic.
fn samples<const IN: usize, const OUT: usize>() -> (Vec<[f32; IN]>, Vec<[f32; OUT]>) {
    let seeds = 0..BATCH as u64;
    (
        seeds.clone().map(|k| values::<IN>(100 + k, 1.0)).collect(),
        seeds.map(|k| values::<OUT>(200 + k, 1.0)).collect(),
    )
}

fn batch_against_steps<N, const IN: usize, const OUT: usize, const P: usize>(
    c: &mut Criterion,
    name: &str,
    net: N,
) where
    N: Network<f32, IN, OUT, P>,
{
    let (inputs, targets) = samples::<IN, OUT>();
    let mut group = c.benchmark_group(format!("batch32/{name}"));
    // A tiny learning rate keeps the parameters (and so the work) alike
    // from one iteration to the next.
    let mut steps_net = net;
    let mut sgd = Sgd::new(1e-6);
    group.bench_function("steps", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for (x, t) in inputs.iter().zip(&targets) {
                total += black_box(&mut steps_net).train_step(x, t, &HalfSquaredError, &mut sgd);
            }
            total
        })
    });
    let mut batch_net = net;
    let mut sgd = Sgd::new(1e-6);
    group.bench_function("batch", |b| {
        b.iter(|| {
            black_box(&mut batch_net).train_batch(&inputs, &targets, &HalfSquaredError, &mut sgd)
        })
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    batch_against_steps(
        c,
        "tutorial_1-4-2-1",
        Tutorial::<f32>::from_params(values(1, 0.3)),
    );
    batch_against_steps(
        c,
        "mlp_16-32-32-4",
        Mlp16::<f32>::from_params(values(1, 0.3)),
    );
    batch_against_steps(
        c,
        "tanh_64-128-10",
        Tanh64::<f32>::from_params(values(1, 0.3)),
    );
    batch_against_steps(
        c,
        "mnist_784-128-10",
        Mnist::<f32>::from_params(values(1, 0.3)),
    );
}

criterion_group!(benches, all);
criterion_main!(benches);
