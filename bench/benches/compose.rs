//! What chaining costs: a network declared as a chain of two (`struct AB:
//! A => B;`) against the same layers declared as one network, forward and
//! one training step, from the same parameters, in one process. The chain
//! runs each part's generated code on its slice of one parameter array, so
//! the two should take the same time; the ratio chain/whole is the figure.
//!
//! `cargo bench --bench compose` from `bench/`.

use std::hint::black_box;

use backprop_bench::{Mlp16, Mlp16Chain, Tutorial, TutorialChain, values};
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use criterion::{Criterion, criterion_group, criterion_main};

macro_rules! bench_chain {
    ($fn_name:ident, $group:literal, $whole:ty, $chain:ty, $inputs:literal, $outputs:literal) => {
        fn $fn_name(c: &mut Criterion) {
            let mut group = c.benchmark_group($group);
            let flat = values::<{ <$whole>::PARAMS }>(1, 0.3);
            let x = values::<$inputs>(2, 1.0);
            let targets = [values::<$outputs>(3, 1.0), values::<$outputs>(4, 1.0)];
            let (whole, chain) = (<$whole>::from_params(flat), <$chain>::from_params(flat));
            assert_eq!(whole.forward(&x), chain.forward(&x), "the same function");
            group.bench_function("whole/forward", |b| {
                b.iter(|| black_box(&whole).forward(black_box(&x)))
            });
            group.bench_function("chain/forward", |b| {
                b.iter(|| black_box(&chain).forward(black_box(&x)))
            });
            let (mut whole, mut chain) = (whole, chain);
            let (mut s1, mut s2) = (Sgd::new(0.01_f32), Sgd::new(0.01_f32));
            group.bench_function("whole/train", |b| {
                let mut k = 0;
                b.iter(|| {
                    k ^= 1;
                    black_box(&mut whole).train_step(
                        black_box(&x),
                        &targets[k],
                        &HalfSquaredError,
                        &mut s1,
                    )
                })
            });
            group.bench_function("chain/train", |b| {
                let mut k = 0;
                b.iter(|| {
                    k ^= 1;
                    black_box(&mut chain).train_step(
                        black_box(&x),
                        &targets[k],
                        &HalfSquaredError,
                        &mut s2,
                    )
                })
            });
            group.finish();
        }
    };
}

bench_chain!(
    tutorial,
    "compose_1-4-2-1",
    Tutorial<f32>,
    TutorialChain<f32>,
    1,
    1
);
bench_chain!(
    mlp16,
    "compose_16-32-32-4",
    Mlp16<f32>,
    Mlp16Chain<f32>,
    16,
    4
);

criterion_group!(benches, tutorial, mlp16);
criterion_main!(benches);
