//! Training speed of the MNIST-sized network, `784 => 128 ReLU => 10 Linear`
//! (half squared error, SGD, f32, one thread), at batch 1 (`train_step`),
//! 32 and 128 (`train_batch`: one mean gradient, then one update), with the
//! default `[out][in]` weights and with `#[layout(input_major)]`, next to
//! the peak kernel of the build (`peak/<widest>`), in one process.
//!
//! Ids `training/{default,input_major}/batch{1,32,128}`, each with a
//! throughput of its batch size in samples, and `peak/<name>`.
//! `scripts/bench-pytorch.sh` runs this and the same network, loss,
//! optimizer and batch sizes in PyTorch (`scripts/bench-pytorch.py`) and
//! prints µs per sample and their ratios.

use std::hint::black_box;

use backprop_bench::{Mnist, MnistIm, PEAK, to_input_major, values};
use backprop_core::Network;
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The batch sizes.
const BATCHES: [usize; 3] = [1, 32, 128];

/// A learning rate small enough that the parameters, and so the work, stay
/// alike from one iteration to the next.
const LR: f32 = 1e-6;

fn network<N, const P: usize>(c: &mut Criterion, layout: &str, net: N)
where
    N: Network<f32, 784, 10, P>,
{
    let inputs: Vec<[f32; 784]> = (0..128).map(|k| values::<784>(100 + k, 1.0)).collect();
    let targets: Vec<[f32; 10]> = (0..128).map(|k| values::<10>(300 + k, 1.0)).collect();
    let mut group = c.benchmark_group(format!("training/{layout}"));
    for batch in BATCHES {
        group.throughput(Throughput::Elements(batch as u64));
        let mut net = net;
        let mut sgd = Sgd::new(LR);
        let (xs, ts) = (&inputs[..batch], &targets[..batch]);
        group.bench_function(format!("batch{batch}"), |b| {
            if batch == 1 {
                b.iter(|| {
                    black_box(&mut net).train_step(&xs[0], &ts[0], &HalfSquaredError, &mut sgd)
                })
            } else {
                b.iter(|| black_box(&mut net).train_batch(xs, ts, &HalfSquaredError, &mut sgd))
            }
        });
    }
    group.finish();
}

fn training(c: &mut Criterion) {
    let mut group = c.benchmark_group("peak");
    group.throughput(Throughput::Elements(PEAK.multiply_adds()));
    group.bench_function(PEAK.name, |b| {
        b.iter(|| (PEAK.run)(black_box(0.999), black_box(0.001)))
    });
    group.finish();

    let flat: Box<[f32; Mnist::<f32>::PARAMS]> = Box::new(values(1, 0.05));
    let default = Mnist::<f32>::from_params(*flat);
    // The same network stored `[in][out]`: the same bits, asserted.
    let input_major = MnistIm::<f32>::from_params(to_input_major(&flat, &[784, 128, 10]));
    let x = values::<784>(2, 1.0);
    assert_eq!(
        default.forward(&x),
        input_major.forward(&x),
        "the same bits"
    );
    network(c, "default", default);
    network(c, "input_major", input_major);
}

criterion_group!(benches, training);
criterion_main!(benches);
