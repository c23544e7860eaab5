//! The training toolbox: every activation and loss against finite
//! differences, batch and mini-batch descent, the optimizers against values
//! worked out by hand, initialisation, diagnostics, and what happens at the
//! extremes and on bad data.

mod common;

use backprop_core::loss::{
    BinaryCrossEntropy, CrossEntropy, HalfSquaredError, Loss, MeanSquaredError,
};
use backprop_core::optim::{Adam, ClipGradValue, Optimizer, Sgd};
use backprop_core::{Network, NonFinite, TrainError, network};
use common::Rng;

network! {
    struct Regress: 3 => 4 Tanh => 2 Linear;
    struct Leaky: 3 => 5 LeakyReLU(0.2) => 4 LeakyReLU => 2 Linear;
    struct Classify: 3 => 5 Tanh => 4 Softmax;
    /// 20 x 16 = 320 weights in the softmax layer: the loop form.
    struct WideClassify: 20 => 20 Sigmoid => 16 Softmax;
    struct Binary: 3 => 4 ReLU => 2 Sigmoid;
    struct SigmoidOut: 2 => 3 Sigmoid => 2 Sigmoid;
    struct TanhOut: 2 => 3 Sigmoid => 2 Tanh;
}

/// Checks the mean gradient over `inputs` against central differences of
/// the mean loss, for any network and loss.
fn gradcheck<N, L, const I: usize, const O: usize, const P: usize>(
    net: &N,
    inputs: &[[f64; I]],
    targets: &[[f64; O]],
    loss: &L,
    what: &str,
) where
    N: Network<f64, I, O, P>,
    L: Loss<f64>,
{
    let mean_loss = |n: &N| {
        inputs
            .iter()
            .zip(targets)
            .map(|(x, t)| n.loss(x, t, loss))
            .sum::<f64>()
            / inputs.len() as f64
    };
    let (value, grads) = net.batch_gradients(inputs, targets, loss).unwrap();
    assert!(
        (value - mean_loss(net)).abs() <= 1e-12 * value.abs().max(1.0),
        "{what}: loss"
    );
    let h = 1e-6;
    for k in 0..P {
        let (mut up, mut down) = (*net, *net);
        up.params_mut()[k] += h;
        down.params_mut()[k] -= h;
        let numeric = (mean_loss(&up) - mean_loss(&down)) / (2.0 * h);
        let analytic = grads.params()[k];
        assert!(
            (numeric - analytic).abs() <= 1e-7 + 1e-5 * numeric.abs(),
            "{what}, parameter {k}: analytic {analytic:e}, numeric {numeric:e}"
        );
    }
}

/// A probability vector (positive, summing to 1) of length `N`.
fn distribution<const N: usize>(rng: &mut Rng) -> [f64; N] {
    let raw: [f64; N] = rng.array(0.1, 1.0);
    let sum: f64 = raw.iter().sum();
    raw.map(|v| v / sum)
}

fn one_hot<const N: usize>(k: usize) -> [f64; N] {
    core::array::from_fn(|i| if i == k { 1.0 } else { 0.0 })
}

#[test]
fn gradients_of_every_activation_and_loss_pair() {
    let mut rng = Rng(11);
    for round in 0..4 {
        let batch = if round % 2 == 0 { 1 } else { 5 };
        let x3: Vec<[f64; 3]> = (0..batch).map(|_| rng.array(-1.5, 1.5)).collect();
        let x2: Vec<[f64; 2]> = (0..batch).map(|_| rng.array(-1.5, 1.5)).collect();
        let x20: Vec<[f64; 20]> = (0..batch).map(|_| rng.array(-1.0, 1.0)).collect();
        let real2: Vec<[f64; 2]> = (0..batch).map(|_| rng.array(-1.0, 1.0)).collect();
        let prob2: Vec<[f64; 2]> = (0..batch).map(|_| rng.array(0.05, 0.95)).collect();
        let hot4: Vec<[f64; 4]> = (0..batch).map(|k| one_hot(k % 4)).collect();
        let soft4: Vec<[f64; 4]> = (0..batch).map(|_| distribution(&mut rng)).collect();
        let hot16: Vec<[f64; 16]> = (0..batch).map(|k| one_hot(k % 16)).collect();

        let regress = Regress::<f64>::from_params(rng.array(-1.0, 1.0));
        gradcheck(
            &regress,
            &x3,
            &real2,
            &HalfSquaredError,
            "Tanh/Linear, half squared error",
        );
        gradcheck(
            &regress,
            &x3,
            &real2,
            &MeanSquaredError,
            "Tanh/Linear, mean squared error",
        );

        let leaky = Leaky::<f64>::from_params(rng.array(-1.0, 1.0));
        gradcheck(
            &leaky,
            &x3,
            &real2,
            &MeanSquaredError,
            "LeakyReLU, mean squared error",
        );

        let classify = Classify::<f64>::from_params(rng.array(-1.0, 1.0));
        gradcheck(
            &classify,
            &x3,
            &hot4,
            &CrossEntropy,
            "Softmax, cross-entropy, one-hot",
        );
        gradcheck(
            &classify,
            &x3,
            &soft4,
            &CrossEntropy,
            "Softmax, cross-entropy, soft targets",
        );
        gradcheck(
            &classify,
            &x3,
            &soft4,
            &HalfSquaredError,
            "Softmax, squared error (chain rule)",
        );
        gradcheck(
            &classify,
            &x3,
            &hot4,
            &MeanSquaredError,
            "Softmax, mean squared error",
        );

        let wide = WideClassify::<f64>::from_params(rng.array(-0.5, 0.5));
        gradcheck(
            &wide,
            &x20,
            &hot16,
            &CrossEntropy,
            "loop-form Softmax, cross-entropy",
        );

        let binary = Binary::<f64>::from_params(rng.array(-1.0, 1.0));
        gradcheck(
            &binary,
            &x3,
            &prob2,
            &BinaryCrossEntropy,
            "ReLU/Sigmoid, binary cross-entropy",
        );
        gradcheck(
            &binary,
            &x3,
            &prob2,
            &HalfSquaredError,
            "ReLU/Sigmoid, squared error",
        );

        // (`CrossEntropy` after a `Sigmoid` layer is refused at compile time:
        // tests/ui/loss-cross-entropy-without-softmax.rs.)
        let sigmoid = SigmoidOut::<f64>::from_params(rng.array(-1.0, 1.0));
        gradcheck(
            &sigmoid,
            &x2,
            &prob2,
            &BinaryCrossEntropy,
            "Sigmoid output, binary cross-entropy",
        );

        let tanh = TanhOut::<f64>::from_params(rng.array(-1.0, 1.0));
        gradcheck(
            &tanh,
            &x2,
            &real2,
            &HalfSquaredError,
            "Tanh output, squared error",
        );
    }
}

#[test]
fn batch_gradient_is_the_mean_of_sample_gradients() {
    let mut rng = Rng(12);
    let net = Classify::<f64>::from_params(rng.array(-1.0, 1.0));
    let inputs: Vec<[f64; 3]> = (0..7).map(|_| rng.array(-1.0, 1.0)).collect();
    let targets: Vec<[f64; 4]> = (0..7).map(|k| one_hot(k % 4)).collect();
    let (mean_loss, mean_grads) = net
        .batch_gradients(&inputs, &targets, &CrossEntropy)
        .unwrap();
    let mut sum_loss = -0.0;
    let mut sum = [-0.0; Classify::<f64>::PARAMS];
    for (x, t) in inputs.iter().zip(&targets) {
        let (l, g) = net.loss_and_gradients(x, t, &CrossEntropy);
        sum_loss += l;
        for (s, g) in sum.iter_mut().zip(g.params()) {
            *s += g;
        }
    }
    assert_eq!(mean_loss, sum_loss / 7.0);
    for (k, (batch, s)) in mean_grads.params().iter().zip(&sum).enumerate() {
        assert_eq!(*batch, s / 7.0, "parameter {k}");
    }
}

#[test]
fn train_batch_applies_the_mean_gradient_once() {
    let mut rng = Rng(13);
    let net = Regress::<f64>::from_params(rng.array(-1.0, 1.0));
    let inputs: Vec<[f64; 3]> = (0..4).map(|_| rng.array(-1.0, 1.0)).collect();
    let targets: Vec<[f64; 2]> = (0..4).map(|_| rng.array(-1.0, 1.0)).collect();
    let (_, grads) = net
        .batch_gradients(&inputs, &targets, &HalfSquaredError)
        .unwrap();
    let mut trained = net;
    trained.train_batch(&inputs, &targets, &HalfSquaredError, &mut Sgd::new(0.5));
    for k in 0..Regress::<f64>::PARAMS {
        assert_eq!(
            trained.params()[k],
            net.params()[k] - 0.5 * grads.params()[k]
        );
    }
}

#[test]
fn epochs_match_steps_and_batches() {
    let mut rng = Rng(14);
    let net = Binary::<f64>::from_params(rng.array(-1.0, 1.0));
    let inputs: Vec<[f64; 3]> = (0..6).map(|_| rng.array(-1.0, 1.0)).collect();
    let targets: Vec<[f64; 2]> = (0..6).map(|_| rng.array(0.1, 0.9)).collect();

    // Batches of one, in order: per-sample SGD.
    let mut by_epoch = net;
    let epoch_loss = by_epoch
        .train_epoch(
            &inputs,
            &targets,
            1,
            None,
            &BinaryCrossEntropy,
            &mut Sgd::new(0.3),
        )
        .unwrap();
    let mut by_steps = net;
    let mut step_losses = 0.0;
    for (x, t) in inputs.iter().zip(&targets) {
        step_losses += by_steps.train_step(x, t, &BinaryCrossEntropy, &mut Sgd::new(0.3));
    }
    assert_eq!(by_epoch, by_steps);
    assert!((epoch_loss - step_losses / 6.0).abs() < 1e-15);

    // One batch of everything: batch descent.
    let mut whole = net;
    whole
        .train_epoch(
            &inputs,
            &targets,
            6,
            None,
            &BinaryCrossEntropy,
            &mut Sgd::new(0.3),
        )
        .unwrap();
    let mut batch = net;
    batch.train_batch(&inputs, &targets, &BinaryCrossEntropy, &mut Sgd::new(0.3));
    assert_eq!(whole, batch);

    // A shuffled epoch in batches of 4 then 2: deterministic in the seed.
    let run = |seed| {
        let mut n = net;
        n.train_epoch(
            &inputs,
            &targets,
            4,
            Some(seed),
            &BinaryCrossEntropy,
            &mut Sgd::new(0.3),
        )
        .unwrap();
        n
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
    assert_ne!(run(5), by_epoch);
}

#[test]
fn bad_batches_are_refused() {
    let mut net = Regress::<f32>::with_seed(1);
    let before = net;
    let mut sgd = Sgd::new(0.1);
    let two = [[0.0_f32; 3]; 2];
    let three = [[0.0_f32; 2]; 3];
    assert_eq!(
        net.try_train_batch(&two, &three, &HalfSquaredError, &mut sgd),
        Err(TrainError::LengthMismatch {
            inputs: 2,
            targets: 3
        })
    );
    assert_eq!(
        net.try_train_batch(&[], &[], &HalfSquaredError, &mut sgd),
        Err(TrainError::Empty)
    );
    assert!(
        net.train_batch(&two, &three, &HalfSquaredError, &mut sgd)
            .is_nan()
    );
    assert_eq!(
        net.train_epoch(&two, &[[0.0; 2]; 2], 0, None, &HalfSquaredError, &mut sgd),
        Err(TrainError::Empty)
    );
    assert_eq!(net, before);
}

#[test]
fn non_finite_steps_change_nothing() {
    let mut net = Regress::<f32>::with_seed(2);
    let mut adam = Adam::new(0.01);
    net.train_step(&[0.1, 0.2, 0.3], &[0.5, -0.5], &HalfSquaredError, &mut adam);
    let (net_before, adam_before) = (net, adam);

    let err = net.try_train_step(
        &[0.1, f32::NAN, 0.3],
        &[0.5, -0.5],
        &HalfSquaredError,
        &mut adam,
    );
    assert_eq!(
        err,
        Err(TrainError::NonFinite(NonFinite::Input {
            sample: 0,
            index: 1
        }))
    );
    let err = net.try_train_step(
        &[0.1, 0.2, 0.3],
        &[0.5, f32::INFINITY],
        &HalfSquaredError,
        &mut adam,
    );
    assert_eq!(
        err,
        Err(TrainError::NonFinite(NonFinite::Target {
            sample: 0,
            index: 1
        }))
    );
    // Finite data whose arithmetic overflows: the squared error is infinite.
    let err = net.try_train_step(
        &[0.1, 0.2, 0.3],
        &[3e38, -3e38],
        &HalfSquaredError,
        &mut adam,
    );
    assert_eq!(err, Err(TrainError::NonFinite(NonFinite::Loss)));
    let batch_err = net.try_train_batch(
        &[[0.1, 0.2, 0.3], [0.0, 0.0, f32::NEG_INFINITY]],
        &[[0.0, 0.0]; 2],
        &HalfSquaredError,
        &mut adam,
    );
    assert_eq!(
        batch_err,
        Err(TrainError::NonFinite(NonFinite::Input {
            sample: 1,
            index: 2
        }))
    );
    assert_eq!(net, net_before);
    assert_eq!(adam, adam_before);

    // Overflow inside the network with a finite loss: an infinite gradient.
    let mut huge = Regress::<f32>::from_params([1e30; Regress::<f32>::PARAMS]);
    let huge_before = huge;
    let err = huge.try_train_step(
        &[1e10, 1e10, 1e10],
        &[0.0, 0.0],
        &HalfSquaredError,
        &mut Sgd::new(0.1),
    );
    assert!(matches!(err, Err(TrainError::NonFinite(_))), "{err:?}");
    assert_eq!(huge, huge_before);

    // The plain step keeps its meaning: it updates regardless.
    net.train_step(
        &[0.1, f32::NAN, 0.3],
        &[0.5, -0.5],
        &HalfSquaredError,
        &mut Sgd::new(0.1),
    );
    assert!(net.params().iter().any(|p| p.is_nan()));
}

network! {
    struct Logits: 1 => 3 Softmax;
    struct Logistic: 1 => 1 Sigmoid;
    struct Saturate: 1 => 2 Tanh => 1 Linear;
}

#[test]
fn softmax_cross_entropy_is_finite_at_extreme_logits() {
    // Logits [1000, 0, -1000] for the input 1.
    let net = Logits::<f32>::from_params([1000.0, 0.0, -1000.0, 0.0, 0.0, 0.0]);
    assert_eq!(net.forward(&[1.0]), [1.0, 0.0, 0.0]);
    // The true class has probability e^-2000: its -ln is 2000, not infinity.
    let (loss, grads) = net.loss_and_gradients(&[1.0], &[0.0, 0.0, 1.0], &CrossEntropy);
    assert_eq!(loss, 2000.0);
    // dL/dz = p - t = [1, 0, -1]; times the input 1 for the weights, alone for the biases.
    assert_eq!(grads.params(), &[1.0, 0.0, -1.0, 1.0, 0.0, -1.0]);
    let (loss, grads) = net.loss_and_gradients(&[1.0], &[1.0, 0.0, 0.0], &CrossEntropy);
    assert_eq!(loss, 0.0);
    assert_eq!(grads.params(), &[0.0; 6]);
}

#[test]
fn sigmoid_binary_cross_entropy_is_finite_at_extremes() {
    let net = Logistic::<f32>::from_params([1000.0, 0.0]);
    // z = 1000: p rounds to 1. Wrong label: loss 1000 (= -ln sigmoid(-1000)), gradient p - t = 1.
    let (loss, grads) = net.loss_and_gradients(&[1.0], &[0.0], &BinaryCrossEntropy);
    assert_eq!((loss, grads.params()), (1000.0, &[1.0, 1.0]));
    let (loss, grads) = net.loss_and_gradients(&[-1.0], &[0.0], &BinaryCrossEntropy);
    assert_eq!((loss, grads.params()), (0.0, &[0.0, 0.0]));
    let (loss, grads) = net.loss_and_gradients(&[-1.0], &[1.0], &BinaryCrossEntropy);
    assert_eq!((loss, grads.params()), (1000.0, &[1.0, -1.0]));
}

#[test]
fn saturated_tanh_passes_no_gradient_and_no_nan() {
    let net = Saturate::<f32>::from_params([1000.0, -1000.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
    assert_eq!(net.forward_trace(&[1.0]).layer1.activation, [1.0, -1.0]);
    let (loss, grads) = net.loss_and_gradients(&[1.0], &[1.0], &MeanSquaredError);
    assert_eq!(loss, 1.0);
    // tanh' = 1 - 1^2 = 0 at saturation: nothing reaches the first layer.
    assert_eq!(&grads.params()[..4], &[0.0; 4]);
    assert!(grads.params().iter().all(|g| g.is_finite()));
}

/// Two SGD and Adam steps on [1, -2] with the gradients [0.5, 1] and then
/// [0.25, -1], learning rate 0.1, against values worked out by hand from the
/// update rules (the Adam ones with the defaults, evaluated in float64).
#[test]
fn optimizers_match_hand_worked_steps() {
    let (g1, g2) = ([0.5, 1.0], [0.25, -1.0]);
    let two_steps = |opt: &mut dyn FnMut(&mut [f64; 2], &[f64; 2])| {
        let mut w = [1.0, -2.0];
        opt(&mut w, &g1);
        let first = w;
        opt(&mut w, &g2);
        (first, w)
    };
    let close =
        |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12;

    let mut sgd = Sgd::new(0.1);
    let (s1, s2) = two_steps(&mut |w, g| sgd.step(w, g));
    assert!(
        close(s1, [0.95, -2.1]) && close(s2, [0.925, -2.0]),
        "{s1:?} {s2:?}"
    );

    // v1 = g1, v2 = 0.9 v1 + g2 = [0.7, -0.1]
    let mut momentum = Sgd::new(0.1).with_momentum(0.9);
    let (m1, m2) = two_steps(&mut |w, g| momentum.step(w, g));
    assert!(
        close(m1, [0.95, -2.1]) && close(m2, [0.88, -2.09]),
        "{m1:?} {m2:?}"
    );
    assert!(close(*momentum.velocity(), [0.7, -0.1]));

    // steps g + 0.9 v: [0.95, 1.9] then [0.88, -1.09]
    let mut nesterov = Sgd::new(0.1).with_momentum(0.9).nesterov();
    let (n1, n2) = two_steps(&mut |w, g| nesterov.step(w, g));
    assert!(
        close(n1, [0.905, -2.19]) && close(n2, [0.817, -2.081]),
        "{n1:?} {n2:?}"
    );

    // g + 0.01 w: [0.51, 0.98], then [0.25949, -1.02098]
    let mut decay = Sgd::new(0.1).with_weight_decay(0.01);
    let (d1, d2) = two_steps(&mut |w, g| decay.step(w, g));
    assert!(
        close(d1, [0.949, -2.098]) && close(d2, [0.923051, -1.995902]),
        "{d1:?} {d2:?}"
    );

    let mut adam = Adam::new(0.1);
    let (a1, a2) = two_steps(&mut |w, g| adam.step(w, g));
    assert!(close(a1, [0.900000002, -2.099999999]), "{a1:?}");
    assert!(
        close(a2, [0.8067820404774624, -2.0947368411578946]),
        "{a2:?}"
    );
    assert_eq!(adam.steps(), 2);
}

#[test]
fn seeded_initialisation_is_deterministic_and_scaled() {
    network! { struct Init: 30 => 20 ReLU => 10 Tanh => 10 Softmax; }
    let a = Init::<f64>::with_seed(7);
    assert_eq!(a, Init::<f64>::with_seed(7));
    assert_ne!(a, Init::<f64>::with_seed(8));
    // f32 gets the f64 values rounded: the same draw on every target.
    let b = Init::<f32>::with_seed(7);
    for (x, y) in a.params().iter().zip(b.params()) {
        assert_eq!(*x as f32, *y);
    }
    let he = (6.0_f64 / 30.0).sqrt();
    let glorot2 = (6.0_f64 / 30.0).sqrt();
    let glorot3 = (6.0_f64 / 20.0).sqrt();
    let check = |w: &[f64], limit: f64| {
        assert!(w.iter().all(|v| v.abs() <= limit));
        // Uniform on [-limit, limit]: the largest draw of hundreds is close to it.
        let max = w.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(max > 0.9 * limit, "{max} vs {limit}");
    };
    check(a.layer1_weights().as_flattened(), he);
    check(a.layer2_weights().as_flattened(), glorot2);
    check(a.layer3_weights().as_flattened(), glorot3);
    assert!(
        a.layer1_bias()
            .iter()
            .chain(a.layer2_bias())
            .chain(a.layer3_bias())
            .all(|b| *b == 0.0)
    );
}

#[test]
fn diagnostics_see_vanishing_gradients_and_dead_units() {
    network! { struct Probe: 2 => 3 ReLU => 2 Sigmoid => 1 Linear; }
    let mut net = Probe::<f64>::with_seed(3);
    // Kill the second ReLU unit: a bias so negative no input here reaches it.
    net.layer1_bias_mut()[1] = -100.0;
    let inputs = [[0.5, -0.5], [1.0, 1.0], [-1.0, 0.25]];
    let dead = net.dead_relu_units(&inputs);
    assert_eq!(dead[1..], [0, 0]);
    assert!(dead[0] >= 1);
    let alive_expected = (0..3)
        .filter(|&u| {
            inputs
                .iter()
                .any(|x| net.forward_trace(x).layer1.pre_activation[u] > 0.0)
        })
        .count();
    assert_eq!(dead[0], 3 - alive_expected);

    let (_, grads) = net.loss_and_gradients(&inputs[0], &[1.0], &HalfSquaredError);
    let norms = grads.gradient_norms();
    let by_hand = |s: &[f64]| s.iter().map(|v| v * v).sum::<f64>().sqrt();
    assert_eq!(norms[0], by_hand(&grads.params()[0..9]));
    assert_eq!(norms[1], by_hand(&grads.params()[9..17]));
    assert_eq!(norms[2], by_hand(&grads.params()[17..20]));
}

/// An optimizer that hides `ELEMENTWISE`, so `train_step` takes the two-pass
/// path: the whole gradient first, then `step`.
struct TwoPass<O>(O);

impl<O: Optimizer<f64, P>, const P: usize> Optimizer<f64, P> for TwoPass<O> {
    fn step(&mut self, params: &mut [f64; P], gradients: &[f64; P]) {
        self.0.step(params, gradients);
    }
}

#[test]
fn fused_training_steps_equal_two_pass_steps_bit_for_bit() {
    network! {
        /// The second layer, 24 x 12 = 288 weights, takes the loop form.
        struct Fused: 3 => 24 Tanh => 12 LeakyReLU => 2 Linear;
    }
    fn run<O: Optimizer<f64, { <Fused<f64>>::PARAMS }>>(mut optimizer: O) -> Fused<f64> {
        let mut net = Fused::<f64>::with_seed(5);
        let mut rng = Rng(31);
        for _ in 0..10 {
            let x = rng.array::<3>(-1.0, 1.0);
            let t = rng.array::<2>(-1.0, 1.0);
            net.train_step(&x, &t, &MeanSquaredError, &mut optimizer);
        }
        net
    }
    assert_eq!(run(Sgd::new(0.1)), run(TwoPass(Sgd::new(0.1))));
    assert_eq!(
        run(Sgd::new(0.1).with_weight_decay(0.01)),
        run(TwoPass(Sgd::new(0.1).with_weight_decay(0.01)))
    );
    assert_eq!(
        run(Sgd::new(0.05).with_momentum(0.9).nesterov()),
        run(TwoPass(Sgd::new(0.05).with_momentum(0.9).nesterov()))
    );
    assert_eq!(run(Adam::new(0.01)), run(TwoPass(Adam::new(0.01))));
    assert_ne!(run(Adam::new(0.01)), Fused::<f64>::with_seed(5));
    let dampened = || Sgd::new(0.05).with_momentum(0.9).with_dampening(0.3);
    assert_eq!(run(dampened()), run(TwoPass(dampened())));
    let adam_l2 = || Adam::new(0.01).with_weight_decay(0.1);
    assert_eq!(run(adam_l2()), run(TwoPass(adam_l2())));
    let adamw = || Adam::new(0.01).with_decoupled_weight_decay(0.1);
    assert_eq!(run(adamw()), run(TwoPass(adamw())));
    // Clipping by value is elementwise when what it wraps is.
    let clipped = || ClipGradValue::new(Adam::new(0.01), 0.05);
    const { assert!(<ClipGradValue<f64, Adam<f64, 1>> as Optimizer<f64, 1>>::ELEMENTWISE) };
    assert_eq!(run(clipped()), run(TwoPass(clipped())));
    assert_ne!(run(clipped()), run(Adam::new(0.01)));
}

/// `update_row` (what the loop form of a layer updates a row with) gives
/// bit for bit what `update` gives one parameter at a time, for every
/// built-in optimizer with state, over several steps, so that the state
/// each row leaves is the state the next step reads.
#[test]
fn update_row_is_update_one_parameter_at_a_time() {
    fn check<O: Optimizer<f32, 24> + Clone>(name: &str, optimizer: O) {
        let mut rng = Rng(7);
        let (mut by_row, mut by_one) = (optimizer.clone(), optimizer);
        let mut params: [f32; 24] = core::array::from_fn(|_| rng.uniform(-1.0, 1.0) as f32);
        let mut same = params;
        for step in 0..4 {
            let scale = rng.uniform(-2.0, 2.0) as f32;
            let factors: [f32; 8] = core::array::from_fn(|_| rng.uniform(-1.0, 1.0) as f32);
            by_row.begin_step();
            by_one.begin_step();
            // Rows at offsets 8 and 16 of 24 parameters, as in a layer
            // that is not the network's first.
            for offset in [8, 16] {
                let row: &mut [f32; 8] = (&mut params[offset..offset + 8]).try_into().unwrap();
                by_row.update_row(offset, row, scale, &factors);
                for (j, f) in factors.iter().enumerate() {
                    by_one.update(offset + j, &mut same[offset + j], scale * f);
                }
            }
            let bits = |p: &[f32; 24]| p.map(f32::to_bits);
            assert_eq!(bits(&params), bits(&same), "{name}, step {step}");
            assert_ne!(params[8], 0.0, "{name}: the row was updated");
        }
    }
    check("Adam", Adam::new(0.01));
    check("Adam, L2 decay", Adam::new(0.01).with_weight_decay(0.1));
    check("AdamW", Adam::new(0.01).with_decoupled_weight_decay(0.1));
    check("Sgd", Sgd::new(0.1));
    check("Sgd, decay", Sgd::new(0.1).with_weight_decay(0.01));
    check("momentum", Sgd::new(0.1).with_momentum(0.9));
    check("Nesterov", Sgd::new(0.1).with_momentum(0.9).nesterov());
    check(
        "dampened, decay",
        Sgd::new(0.1)
            .with_momentum(0.9)
            .with_dampening(0.3)
            .with_weight_decay(0.01),
    );
    check("clipped Adam", ClipGradValue::new(Adam::new(0.01), 0.5));
}
