//! The signal layers (`Conv1d`, `MaxPool1d`, `AvgPool1d`, `GlobalAvgPool1d`,
//! `Flatten`) by themselves: every gradient against central finite
//! differences in f64 for each option, values worked by hand for the
//! layouts (the window's time-major order, `Flatten`'s channel-major one,
//! the kernel view), the fused training step against the two-pass one bit
//! for bit with every optimizer, the batch and epoch methods, and the
//! weights blob. `test_signals_torch.rs` checks the same layers against
//! PyTorch.

mod common;

use backprop_core::loss::{CrossEntropy, HalfSquaredError, Loss};
use backprop_core::network;
use backprop_core::optim::{Adam, Optimizer, Sgd};
use common::Rng;

network! {
    /// Valid padding, stride 1, then `Flatten`.
    struct Valid: [2; 7] => Conv1d(3, kernel = 3) Tanh => Flatten => 2 Linear;
    /// Stride and dilation together, then an overlapping max pool.
    struct Strided: [2; 13] => Conv1d(2, kernel = 3, stride = 2, dilation = 2) Sigmoid => MaxPool1d(2, stride = 1) => Flatten => 2 Tanh;
    /// `same` with an even kernel: the odd zero on the right.
    struct SameEven: [1; 6] => Conv1d(2, kernel = 4, padding = same) Tanh => AvgPool1d(2) => Flatten => 1 Linear;
    /// `same` with dilation, then global pooling and a softmax head.
    struct SameDilated: [3; 8] => Conv1d(2, kernel = 3, dilation = 2, padding = same) Linear => Conv1d(3, kernel = 2) Tanh => GlobalAvgPool1d => 3 Softmax;
    /// Overlapping average pools and a kernel as long as the window.
    struct Whole: [2; 5] => AvgPool1d(3, stride = 1) => Conv1d(2, kernel = 3) Sigmoid => Flatten => 2 Linear;
    /// A ReLU convolution, for the dead-unit count.
    struct Relu: [1; 4] => Conv1d(2, kernel = 2) ReLU => Flatten => 1 Linear;
    /// The gesture classifier's shape, as the signals issue writes it.
    pub struct Gesture: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax;
}

/// Checks every parameter's gradient of one network against a central
/// difference of its loss, on random parameters, inputs and targets.
macro_rules! gradcheck {
    ($net:ident, $loss:expr, $seed:expr) => {{
        let mut rng = Rng($seed);
        let loss = $loss;
        for _ in 0..5 {
            let net = $net::<f64>::from_params(rng.array(-1.0, 1.0));
            let x = core::array::from_fn(|_| rng.array(-2.0, 2.0));
            let mut t = rng.array(0.0, 1.0);
            let sum: f64 = t.iter().sum();
            if stringify!($loss) == "CrossEntropy" {
                t.iter_mut().for_each(|v| *v /= sum);
            }
            let (value, grads) = net.loss_and_gradients(&x, &t, &loss);
            assert_eq!(value, net.loss(&x, &t, &loss));
            assert!((value - loss.loss(&net.forward(&x), &t)).abs() < 1e-12);
            let h = 1e-6;
            for k in 0..$net::<f64>::PARAMS {
                let (mut up, mut down) = (net, net);
                up.params_mut()[k] += h;
                down.params_mut()[k] -= h;
                let numeric = (up.loss(&x, &t, &loss) - down.loss(&x, &t, &loss)) / (2.0 * h);
                let analytic = grads.params()[k];
                assert!(
                    (numeric - analytic).abs() <= 1e-7 + 1e-5 * numeric.abs(),
                    "{} parameter {k}: analytic {analytic:e}, numeric {numeric:e}",
                    stringify!($net)
                );
            }
        }
    }};
}

#[test]
fn every_gradient_matches_a_central_difference() {
    gradcheck!(Valid, HalfSquaredError, 1);
    gradcheck!(Strided, HalfSquaredError, 2);
    gradcheck!(SameEven, HalfSquaredError, 3);
    gradcheck!(SameDilated, CrossEntropy, 4);
    gradcheck!(Whole, HalfSquaredError, 5);
}

#[test]
fn shapes_are_computed_at_compile_time() {
    // (7 - 3) + 1 = 5 steps of 3 channels, flattened, into 2 neurons.
    assert_eq!(Valid::<f64>::INPUTS, 14);
    assert_eq!(Valid::<f64>::PARAMS, 3 * 2 * 3 + 3 + 15 * 2 + 2);
    // (13 - 2 * 2 - 1) / 2 + 1 = 5 steps; pooled by 2 with stride 1: 4.
    assert_eq!(Strided::<f64>::PARAMS, 2 * 2 * 3 + 2 + 8 * 2 + 2);
    // `same`: 6 steps stay 6; pooled by 2: 3 steps of 2 channels.
    assert_eq!(SameEven::<f64>::PARAMS, 2 * 4 + 2 + 6 + 1);
    // 64 - 4 = 60, pooled 30, then 30 - 2 = 28 steps of 16 channels.
    assert_eq!(
        Gesture::<f32>::PARAMS,
        16 * 3 * 5 + 16 + 16 * 16 * 3 + 16 + 16 * 4 + 4
    );
    let trace = Gesture::<f32>::default().forward_trace(&[[0.5; 3]; 64]);
    assert_eq!(trace.layer1.activation.len(), 60 * 16);
    assert_eq!(trace.layer2.len(), 30 * 16);
    assert_eq!(trace.layer3.activation.len(), 28 * 16);
    assert_eq!(trace.layer4.len(), 16);
}

#[test]
fn a_convolution_computes_what_the_hand_computes() {
    // One input channel of 4 steps, two output channels, kernel 2:
    // z[t][o] = b[o] + w[o][0][0] * x[t] + w[o][0][1] * x[t + 1].
    let mut net = Relu::<f64>::from_params([0.0; Relu::<f64>::PARAMS]);
    *net.layer1_weights_mut() = [[[1.0, 2.0]], [[-1.0, 0.5]]];
    *net.layer1_bias_mut() = [0.25, -0.5];
    // The dense head sees the flattened ReLU outputs, channel-major:
    // [o0 t0, o0 t1, o0 t2, o1 t0, o1 t1, o1 t2].
    net.layer3_weights_mut()[0] = [1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0];
    let x = [[1.0], [2.0], [3.0], [-4.0]];
    let trace = net.forward_trace(&x);
    let z = [
        0.25 + 1.0 + 4.0, // t0, o0
        -0.5 - 1.0 + 1.0, // t0, o1
        0.25 + 2.0 + 6.0, // t1, o0
        -0.5 - 2.0 + 1.5, // t1, o1
        0.25 + 3.0 - 8.0, // t2, o0
        -0.5 - 3.0 - 2.0, // t2, o1
    ];
    assert_eq!(trace.layer1.pre_activation, z);
    // Flatten: channel 0's three steps, then channel 1's.
    assert_eq!(trace.layer2, [5.25, 8.25, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(net.forward(&x), [5.25 + 82.5]);
    // The flat order is PyTorch's: weight[o][c][k], then the biases.
    assert_eq!(&net.params()[..6], &[1.0, 2.0, -1.0, 0.5, 0.25, -0.5]);
}

#[test]
fn flatten_and_pools_order_as_pytorch_does() {
    // AvgPool1d(3, stride = 1) over [2; 5] gives 3 steps; a kernel of 3
    // over them gives 1 step.
    let mut net = Whole::<f64>::from_params([0.0; Whole::<f64>::PARAMS]);
    // Output channel 0 reads tap 2 of input channel 1 alone.
    net.layer2_weights_mut()[0][1][2] = 1.0;
    let x = [[0.0, 1.0], [0.0, 2.0], [0.0, 3.0], [0.0, 4.0], [0.0, 8.0]];
    let trace = net.forward_trace(&x);
    // The means of steps 0..3, 1..4 and 2..5, channel by channel.
    assert_eq!(trace.layer1, [0.0, 2.0, 0.0, 3.0, 0.0, 5.0]);
    assert_eq!(trace.layer2.pre_activation, [5.0, 0.0]);
}

#[test]
fn max_pool_passes_the_gradient_to_the_first_maximum() {
    // Equal maxima: only the first takes the gradient, as in PyTorch.
    network! { struct Pool: [1; 4] => MaxPool1d(2) => Flatten => 1 Linear; }
    let net = Pool::<f64>::from_params([1.0, 1.0, 0.0]);
    let x = [[3.0], [3.0], [-1.0], [2.0]];
    assert_eq!(net.forward(&x), [5.0]);
    let (_, grads) = net.loss_and_gradients(&x, &[4.0], &HalfSquaredError);
    // d loss / d y = 1; the weights' gradients are the pooled values.
    assert_eq!(grads.params(), &[3.0, 2.0, 1.0]);
}

/// Hides `ELEMENTWISE`, so `train_step` takes the two-pass path.
struct TwoPass<O>(O);

impl<O: Optimizer<f64, P>, const P: usize> Optimizer<f64, P> for TwoPass<O> {
    fn step(&mut self, params: &mut [f64; P], gradients: &[f64; P]) {
        self.0.step(params, gradients);
    }
}

/// `steps` training steps fused and two-pass from the same parameters
/// give the same bits.
fn fused_equals_two_pass<O: Optimizer<f64, { SameDilated::<f64>::PARAMS }> + Clone>(optimizer: O) {
    let mut rng = Rng(11);
    let params = rng.array(-1.0, 1.0);
    let (mut fused, mut two_pass) = (
        SameDilated::from_params(params),
        SameDilated::from_params(params),
    );
    let (mut a, mut b) = (optimizer.clone(), TwoPass(optimizer));
    for step in 0..12 {
        let x = core::array::from_fn(|_| rng.array(-1.0, 1.0));
        let mut t = [0.0; 3];
        t[step % 3] = 1.0;
        assert_eq!(
            fused.train_step(&x, &t, &CrossEntropy, &mut a).to_bits(),
            two_pass.train_step(&x, &t, &CrossEntropy, &mut b).to_bits()
        );
    }
    assert_eq!(fused.params(), two_pass.params());
    assert_ne!(fused.params(), &params);
}

#[test]
fn the_fused_step_is_the_two_pass_step_with_every_optimizer() {
    fused_equals_two_pass(Sgd::new(0.1));
    fused_equals_two_pass(Sgd::new(0.05).with_momentum(0.9).with_weight_decay(0.01));
    fused_equals_two_pass(Adam::new(0.01));
    fused_equals_two_pass(Adam::new(0.01).with_weight_decay(0.1));
}

#[test]
fn a_batch_is_the_mean_of_its_samples() {
    let mut rng = Rng(12);
    let net = Strided::<f64>::from_params(rng.array(-1.0, 1.0));
    let inputs: Vec<[[f64; 2]; 13]> = (0..4)
        .map(|_| core::array::from_fn(|_| rng.array(-1.0, 1.0)))
        .collect();
    let targets: Vec<[f64; 2]> = (0..4).map(|_| rng.array(-1.0, 1.0)).collect();
    let (mean, grads) = net
        .batch_gradients(&inputs, &targets, &HalfSquaredError)
        .unwrap();
    let mut sum = [0.0; Strided::<f64>::PARAMS];
    let mut loss = 0.0;
    for (x, t) in inputs.iter().zip(&targets) {
        let (l, g) = net.loss_and_gradients(x, t, &HalfSquaredError);
        loss += l;
        sum.iter_mut().zip(g.params()).for_each(|(s, g)| *s += g);
    }
    assert!((mean - loss / 4.0).abs() < 1e-12);
    for (k, (s, g)) in sum.iter().zip(grads.params()).enumerate() {
        assert!((s / 4.0 - g).abs() < 1e-12, "parameter {k}");
    }
}

/// A synthetic task the gesture network can learn: which of the four
/// shapes (a step up, a step down, a bump, a dip) the first channel shows.
fn gesture_data(rng: &mut Rng, n: usize) -> (Vec<[[f32; 3]; 64]>, Vec<[f32; 4]>) {
    let mut inputs = Vec::new();
    let mut targets = Vec::new();
    for k in 0..n {
        let class = k % 4;
        let centre = 16.0 + rng.uniform(0.0, 32.0);
        let window = core::array::from_fn(|t| {
            let t = t as f64;
            let signal = match class {
                0 => f64::from(u8::from(t > centre)),
                1 => f64::from(u8::from(t < centre)),
                2 => (-(t - centre).powi(2) / 20.0).exp(),
                _ => -(-(t - centre).powi(2) / 20.0).exp(),
            };
            [
                (signal + rng.uniform(-0.2, 0.2)) as f32,
                rng.uniform(-0.2, 0.2) as f32,
                rng.uniform(-0.2, 0.2) as f32,
            ]
        });
        let mut target = [0.0; 4];
        target[class] = 1.0;
        inputs.push(window);
        targets.push(target);
    }
    (inputs, targets)
}

#[test]
fn the_gesture_network_learns_with_train_epoch() {
    let mut rng = Rng(13);
    let (inputs, targets) = gesture_data(&mut rng, 64);
    let mut net = Gesture::<f32>::with_seed(3);
    let mut adam = Adam::new(0.01);
    let before = net.mean_loss(&inputs, &targets, &CrossEntropy).unwrap();
    for epoch in 0..15 {
        net.train_epoch(&inputs, &targets, 8, Some(epoch), &CrossEntropy, &mut adam)
            .unwrap();
    }
    let after = net.mean_loss(&inputs, &targets, &CrossEntropy).unwrap();
    assert!(after < before / 4.0, "{before} -> {after}");
    assert!(net.accuracy(&inputs, targets.as_slice()).unwrap() > 0.9);
    let matrix = net
        .confusion_matrix::<4, _>(&inputs, targets.as_slice())
        .unwrap();
    assert_eq!(matrix.iter().flatten().sum::<u32>(), 64);
}

#[test]
fn a_refused_step_changes_nothing() {
    let mut net = Valid::<f64>::with_seed(1);
    let before = net;
    let mut sgd = Sgd::new(0.1);
    let mut x = [[0.5; 2]; 7];
    x[3][1] = f64::NAN;
    assert!(
        net.try_train_step(&x, &[0.0; 2], &HalfSquaredError, &mut sgd)
            .is_err()
    );
    assert_eq!(net, before);
    let mut adam = Adam::new(0.1);
    assert!(
        net.try_train_batch(&[x], &[[0.0; 2]], &HalfSquaredError, &mut adam)
            .is_err()
    );
    assert_eq!(net, before);
}

#[test]
fn seeds_views_and_dead_units() {
    // Seeded initialisation is deterministic and draws every weight.
    let a = Gesture::<f32>::with_seed(7);
    assert_eq!(a, Gesture::<f32>::with_seed(7));
    assert_ne!(a, Gesture::<f32>::with_seed(8));
    assert!(
        a.layer1_weights()
            .iter()
            .flatten()
            .flatten()
            .all(|w| *w != 0.0)
    );
    assert_eq!(a.layer1_bias(), &[0.0; 16]);
    // He uniform over a fan-in of CI * K = 15.
    let limit = (6.0_f32 / 15.0).sqrt();
    assert!(
        a.layer1_weights()
            .iter()
            .flatten()
            .flatten()
            .all(|w| w.abs() <= limit)
    );
    assert_eq!(a.gradient_norms().len(), 5);
    // All-negative biases kill every ReLU unit of the convolution.
    let mut dead = Relu::<f64>::from_params([0.1; Relu::<f64>::PARAMS]);
    *dead.layer1_bias_mut() = [-10.0; 2];
    assert_eq!(dead.dead_relu_units(&[[[1.0]; 4]]), [6, 0, 0]);
}

#[test]
fn blobs_and_summaries_name_the_signal_layers() {
    assert_eq!(
        Gesture::<f32>::ARCHITECTURE,
        "[3; 64] => Conv1d(16, kernel = 5, stride = 1, dilation = 1, padding = valid) ReLU \
         => MaxPool1d(2, stride = 2) => Conv1d(16, kernel = 3, stride = 1, dilation = 1, \
         padding = valid) ReLU => GlobalAvgPool1d => 4 Softmax"
    );
    let net = Gesture::<f32>::with_seed(1);
    let bytes = net.to_bytes();
    assert_eq!(Gesture::<f32>::from_bytes(&bytes).unwrap(), net);
    // A blob of another window length does not load.
    network! { struct Longer: [3; 65] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax; }
    assert_eq!(Longer::<f32>::PARAMS, Gesture::<f32>::PARAMS);
    assert!(Longer::<f32>::from_bytes(&bytes).is_err());
    let summary = Gesture::<f32>::summary().to_string();
    assert!(
        summary.starts_with(
            "Gesture<f32>: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => \
             Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax\n"
        ),
        "{summary}"
    );
    assert!(summary.contains("layer2"), "{summary}");
    assert_eq!(Gesture::<f32>::summary().params(), Gesture::<f32>::PARAMS);
}

network! {
    /// The same network in each weight layout and unroll form: the dense
    /// head after `Flatten` is written out by default, in loops here.
    #[layout(input_major)]
    struct ValidInputMajor: [2; 7] => Conv1d(3, kernel = 3) Tanh => Flatten => 2 Linear;
    #[unroll(loops)]
    struct ValidLoops: [2; 7] => Conv1d(3, kernel = 3) Tanh => Flatten => 2 Linear;
}

#[test]
fn every_layout_and_unroll_form_gives_the_same_bits() {
    let mut rng = Rng(14);
    let params: [f32; Valid::<f32>::PARAMS] = rng.array(-1.0, 1.0).map(|v| v as f32);
    let default = Valid::<f32>::from_params(params);
    let loops = ValidLoops::<f32>::from_params(params);
    // The input-major network holds the dense weights transposed.
    let mut transposed = params;
    let head = 3 * 2 * 3 + 3;
    for o in 0..2 {
        for i in 0..15 {
            transposed[head + i * 2 + o] = params[head + o * 15 + i];
        }
    }
    let input_major = ValidInputMajor::<f32>::from_params(transposed);
    let (mut a, mut b, mut c) = (default, loops, input_major);
    let (mut sa, mut sb, mut sc) = (Adam::new(0.05), Adam::new(0.05), Adam::new(0.05));
    for _ in 0..10 {
        let x: [[f32; 2]; 7] = core::array::from_fn(|_| rng.array(-1.0, 1.0).map(|v| v as f32));
        let t = rng.array(-1.0, 1.0).map(|v| v as f32);
        assert_eq!(
            a.forward(&x).map(f32::to_bits),
            b.forward(&x).map(f32::to_bits)
        );
        assert_eq!(
            a.forward(&x).map(f32::to_bits),
            c.forward(&x).map(f32::to_bits)
        );
        let la = a.train_step(&x, &t, &HalfSquaredError, &mut sa);
        assert_eq!(
            la.to_bits(),
            b.train_step(&x, &t, &HalfSquaredError, &mut sb).to_bits()
        );
        assert_eq!(
            la.to_bits(),
            c.train_step(&x, &t, &HalfSquaredError, &mut sc).to_bits()
        );
    }
    assert_eq!(a.params(), b.params());
    assert_eq!(a.layer1_weights(), c.layer1_weights());
}

#[test]
fn a_window_network_trains_in_fixed_point() {
    use backprop_core::fixed::Q16_16;
    let q = Q16_16::from_f64;
    let mut rng = Rng(15);
    let params = rng.array::<{ SameEven::<f64>::PARAMS }>(-0.5, 0.5);
    let mut float = SameEven::<f64>::from_params(params);
    let mut fixed = SameEven::<Q16_16>::from_params(params.map(q));
    let x: [[f64; 1]; 6] = core::array::from_fn(|t| [t as f64 / 6.0 - 0.4]);
    let (qx, t) = (x.map(|s| s.map(q)), [0.5]);
    let (mut sgd, mut qsgd) = (Sgd::new(0.1), Sgd::new(q(0.1)));
    let first = fixed.train_step(&qx, &[q(0.5)], &HalfSquaredError, &mut qsgd);
    for _ in 0..30 {
        float.train_step(&x, &t, &HalfSquaredError, &mut sgd);
        fixed.train_step(&qx, &[q(0.5)], &HalfSquaredError, &mut qsgd);
    }
    let last = fixed.loss(&qx, &[q(0.5)], &HalfSquaredError);
    assert!(last.to_f64() < first.to_f64() / 10.0, "{first} -> {last}");
    // It follows the float network within a few resolutions per step.
    let (out, qout) = (float.forward(&x)[0], fixed.forward(&qx)[0].to_f64());
    assert!((out - qout).abs() < 2e-3, "{out} against {qout}");
}

network! {
    /// A window network as the first part of a chain, and a dense head.
    struct Features: [2; 8] => Conv1d(3, kernel = 3) ReLU => GlobalAvgPool1d => 3 Tanh;
    struct Head: 3 => 2 Softmax;
    struct Chained: Features => Head;
    struct Whole2: [2; 8] => Conv1d(3, kernel = 3) ReLU => GlobalAvgPool1d => 3 Tanh => 2 Softmax;
}

#[test]
fn a_window_network_chains_and_the_chain_takes_it_flat() {
    let whole = Whole2::<f64>::with_seed(3);
    let chain = Chained::<f64>::from_params(*whole.params());
    let x: [[f64; 2]; 8] = core::array::from_fn(|t| [t as f64 / 8.0, 1.0 - t as f64 / 4.0]);
    let flat = backprop_core::window::as_flat(&x);
    assert_eq!(chain.forward(flat), whole.forward(&x));
    let t = [1.0, 0.0];
    let (l1, g1) = chain.loss_and_gradients(flat, &t, &CrossEntropy);
    let (l2, g2) = whole.loss_and_gradients(&x, &t, &CrossEntropy);
    assert_eq!(l1, l2);
    assert_eq!(g1.params(), g2.params());
}
