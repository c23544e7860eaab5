//! Speed of one forward pass and of one training step (forward, backward and
//! an SGD update, batch 1, f32, half squared error) for four networks, each
//! in three implementations measured in the same process: the code
//! `network!` generates, the best hand-written fixed-size Rust for the shape
//! (`backprop_bench::hand`), and dfdx 0.13 on its CPU device.
//!
//! The generated code is measured twice: with the default `[out][in]`
//! weights (`generated`) and declared `#[layout(input_major)]`
//! (`input_major`, `[in][out]` weights, the same bits).
//!
//! One criterion group per network, ids `generated/forward`,
//! `input_major/forward`, `hand/forward`, `dfdx/forward`, and the same with
//! `train`. The training
//! benchmarks alternate between two targets so the loss never settles and
//! no value drifts into subnormals. `scripts/bench.sh` runs this and prints
//! the medians as a table with ratios.

use std::hint::black_box;

use backprop_bench::{
    Mlp16, Mlp16Im, Mnist, MnistIm, PEAKS, Tanh64, Tanh64Im, Tutorial, TutorialIm, hand,
    to_input_major, values,
};
use backprop_core::activation::{Linear, Relu, Sigmoid, Tanh};
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dfdx::losses::mse_loss;
use dfdx::nn::{DeviceBuildExt, Module, ModuleMut, ZeroGrads, builders};
use dfdx::optim::{Optimizer, Sgd as DfdxSgd, SgdConfig};
use dfdx::tensor::{Cpu, TensorFrom, Trace};
use dfdx::tensor_ops::Backward;

/// The learning rate of every training benchmark.
const LR: f32 = 0.01;

macro_rules! bench_network {
    ($fn_name:ident, $group:literal, $generated:ty, $input_major:ty, $widths:expr, $hand:expr, $dfdx:ty, $inputs:literal, $outputs:literal) => {
        fn $fn_name(c: &mut Criterion) {
            let mut group = c.benchmark_group($group);
            let flat = values::<{ <$generated>::PARAMS }>(1, 0.3);
            let x = values::<$inputs>(2, 1.0);
            let targets = [values::<$outputs>(3, 1.0), values::<$outputs>(4, 1.0)];

            let generated = <$generated>::from_params(flat);
            let hand_net = $hand(&flat);
            // Both start from the same parameters; a sanity check that the
            // benchmarks compare like with like.
            let (g, h) = (generated.forward(&x), hand_net.forward(&x));
            for (g, h) in g.iter().zip(&h) {
                assert!((g - h).abs() <= 1e-4 * (1.0 + h.abs()), "{g} vs {h}");
            }

            let input_major = <$input_major>::from_params(to_input_major(&flat, &$widths));
            assert_eq!(
                generated.forward(&x),
                input_major.forward(&x),
                "the same bits"
            );

            group.bench_function("generated/forward", |b| {
                b.iter(|| black_box(&generated).forward(black_box(&x)))
            });
            group.bench_function("input_major/forward", |b| {
                b.iter(|| black_box(&input_major).forward(black_box(&x)))
            });
            group.bench_function("hand/forward", |b| {
                b.iter(|| black_box(&hand_net).forward(black_box(&x)))
            });
            let dev: Cpu = Default::default();
            let mut model = dev.build_module::<$dfdx, f32>();
            let dx = dev.tensor(x);
            group.bench_function("dfdx/forward", |b| {
                b.iter(|| black_box(&model).forward(black_box(&dx).clone()))
            });

            let mut net = generated;
            let mut sgd = Sgd::new(LR);
            group.bench_function("generated/train", |b| {
                let mut k = 0;
                b.iter(|| {
                    k ^= 1;
                    black_box(&mut net).train_step(
                        black_box(&x),
                        &targets[k],
                        &HalfSquaredError,
                        &mut sgd,
                    )
                })
            });
            let mut input_major = input_major;
            let mut sgd = Sgd::new(LR);
            group.bench_function("input_major/train", |b| {
                let mut k = 0;
                b.iter(|| {
                    k ^= 1;
                    black_box(&mut input_major).train_step(
                        black_box(&x),
                        &targets[k],
                        &HalfSquaredError,
                        &mut sgd,
                    )
                })
            });
            let mut hand_net = hand_net;
            group.bench_function("hand/train", |b| {
                let mut k = 0;
                b.iter(|| {
                    k ^= 1;
                    black_box(&mut hand_net).train_step(black_box(&x), &targets[k], LR)
                })
            });
            let mut grads = Some(model.alloc_grads());
            let mut opt = DfdxSgd::new(
                &model,
                SgdConfig {
                    lr: f64::from(LR),
                    momentum: None,
                    weight_decay: None,
                },
            );
            let dt = [dev.tensor(targets[0]), dev.tensor(targets[1])];
            group.bench_function("dfdx/train", |b| {
                let mut k = 0;
                b.iter(|| {
                    k ^= 1;
                    let g = grads.take().expect("gradients are put back every step");
                    let y = model.forward_mut(black_box(&dx).clone().traced(g));
                    let loss = mse_loss(y, dt[k].clone());
                    let mut g = loss.backward();
                    opt.update(&mut model, &g)
                        .expect("every parameter has a gradient");
                    model.zero_grads(&mut g);
                    grads = Some(g);
                })
            });
            group.finish();
        }
    };
}

bench_network!(
    tutorial,
    "tutorial_1-4-2-1",
    Tutorial<f32>,
    TutorialIm<f32>,
    [1, 4, 2, 1],
    |f: &[f32]| hand::Tutorial::from_flat(f, Relu, Sigmoid, Linear),
    (
        builders::Linear<1, 4>,
        builders::ReLU,
        builders::Linear<4, 2>,
        builders::Sigmoid,
        builders::Linear<2, 1>
    ),
    1,
    1
);
bench_network!(
    mlp16,
    "mlp_16-32-32-4",
    Mlp16<f32>,
    Mlp16Im<f32>,
    [16, 32, 32, 4],
    |f: &[f32]| hand::Mlp16::from_flat(f, Relu, Relu, Linear),
    (
        builders::Linear<16, 32>,
        builders::ReLU,
        builders::Linear<32, 32>,
        builders::ReLU,
        builders::Linear<32, 4>
    ),
    16,
    4
);
bench_network!(
    tanh64,
    "tanh_64-128-10",
    Tanh64<f32>,
    Tanh64Im<f32>,
    [64, 128, 10],
    |f: &[f32]| hand::Tanh64::from_flat(f, Tanh, Linear),
    (
        builders::Linear<64, 128>,
        builders::Tanh,
        builders::Linear<128, 10>
    ),
    64,
    10
);
bench_network!(
    mnist,
    "mnist_784-128-10",
    Mnist<f32>,
    MnistIm<f32>,
    [784, 128, 10],
    |f: &[f32]| hand::Mnist::from_flat(f, Relu, Linear),
    (
        builders::Linear<784, 128>,
        builders::ReLU,
        builders::Linear<128, 10>
    ),
    784,
    10
);

/// The core's multiply-add peak at every width this build has
/// (`backprop_bench::PEAKS`, widest first: `peak/fma512`, `peak/fma256`,
/// `peak/mul_add128`), measured in the same process; `scripts/bench.sh`
/// divides by the widest.
fn peak(c: &mut Criterion) {
    let mut group = c.benchmark_group("peak");
    for kernel in PEAKS {
        group.throughput(Throughput::Elements(kernel.multiply_adds()));
        group.bench_function(kernel.name, |b| {
            b.iter(|| (kernel.run)(black_box(0.999), black_box(0.001)))
        });
    }
    group.finish();
}

criterion_group!(benches, peak, tutorial, mlp16, tanh64, mnist);
criterion_main!(benches);
