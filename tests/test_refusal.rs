//! A checked training step (`try_train_step`, `try_train_batch`,
//! `train_epoch`) never commits a NaN or an infinity, even when the data,
//! the loss and the gradients are finite and only the update is not; and
//! when it refuses, the parameters and the optimizer's state are bit for
//! bit as before.
//!
//! Each reproducer below returned `Ok` and corrupted the parameters before
//! the update was checked; each test first shows, with the unchecked
//! `train_step`, that the update really is not finite.

use backprop_core::optim::{
    Adam, ClipGradNorm, ClipGradValue, DampenedVelocity, NoMomentum, OptimError, Optimizer, Sgd,
    Velocity, try_step_on_copies,
};
use backprop_core::{NonFinite, TrainError, loss::HalfSquaredError, network};

network! {
    /// The reproducers' network.
    struct Dead: 2 => 3 ReLU => 1 Linear;
    struct Line: 1 => 1 Linear;
}

const P: usize = <Dead<f32>>::PARAMS;

/// Hidden weights `[-1, -1]` for the first unit, everything else 0: for the
/// input `[1, 2]` every hidden unit is off (pre-activations -3, 0, 0), so
/// the output is the bias, 0, the loss against 10 is 50, and every gradient
/// but the output bias's (-10, parameter 12) is exactly 0.
fn dead() -> Dead<f32> {
    let mut params = [0.0; P];
    params[0] = -1.0;
    params[1] = -1.0;
    Dead::from_params(params)
}
const X: [f32; 2] = [1.0, 2.0];
const T: [f32; 1] = [10.0];

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

/// Every value of an optimizer's state and hyperparameters that can be
/// read, as bits.
trait StateBits {
    fn state_bits(&self) -> Vec<u32>;
}

impl<const N: usize, D> StateBits for Adam<f32, N, D> {
    fn state_bits(&self) -> Vec<u32> {
        let steps = self.steps();
        let mut out = vec![
            self.learning_rate().to_bits(),
            self.weight_decay().to_bits(),
            steps as u32,
            (steps >> 32) as u32,
        ];
        out.extend(bits(self.first_moments()));
        out.extend(bits(self.second_moments()));
        out
    }
}

impl<D> StateBits for Sgd<f32, NoMomentum, D> {
    fn state_bits(&self) -> Vec<u32> {
        vec![self.learning_rate().to_bits()]
    }
}

impl<const N: usize, D> StateBits for Sgd<f32, Velocity<f32, N>, D> {
    fn state_bits(&self) -> Vec<u32> {
        let mut out = vec![self.learning_rate().to_bits()];
        out.extend(bits(self.velocity()));
        out
    }
}

impl<const N: usize, D> StateBits for Sgd<f32, DampenedVelocity<f32, N>, D> {
    fn state_bits(&self) -> Vec<u32> {
        let mut out = vec![self.learning_rate().to_bits(), self.dampening().to_bits()];
        out.extend(bits(self.velocity()));
        out
    }
}

impl<O: StateBits> StateBits for ClipGradNorm<f32, O> {
    fn state_bits(&self) -> Vec<u32> {
        let mut out = vec![self.max_norm().to_bits()];
        out.extend(self.optimizer().state_bits());
        out
    }
}

impl<O: StateBits> StateBits for ClipGradValue<f32, O> {
    fn state_bits(&self) -> Vec<u32> {
        let mut out = vec![self.clip_value().to_bits()];
        out.extend(self.optimizer().state_bits());
        out
    }
}

/// Asserts that `params` and `optimizer` are bit for bit `expected_params`
/// and `expected`, including the state that cannot be read (Adam's powers
/// of the betas): both then take the same unchecked step and must agree to
/// the bit.
fn assert_same<O, const Q: usize>(
    params: &[f32; Q],
    optimizer: &O,
    expected_params: &[f32; Q],
    expected: &O,
) where
    O: Optimizer<f32, Q> + Copy + StateBits,
{
    assert_eq!(bits(params), bits(expected_params));
    assert_eq!(optimizer.state_bits(), expected.state_bits());
    let gradients = [0.5; Q];
    let (mut a, mut b) = (*params, *expected_params);
    let (mut oa, mut ob) = (*optimizer, *expected);
    oa.step(&mut a, &gradients);
    ob.step(&mut b, &gradients);
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(oa.state_bits(), ob.state_bits());
}

/// Runs reproducer `optimizer` on [`dead`] through the three checked
/// entry points: each must refuse with `expected` and change no bit.
fn assert_refused<O>(name: &str, optimizer: O, expected: TrainError)
where
    O: Optimizer<f32, P> + Copy + StateBits,
{
    let net = dead();
    // The reproducer is real: the unchecked step commits a non-finite value.
    let (mut plain, mut plain_optimizer) = (net, optimizer);
    let loss = plain.train_step(&X, &T, &HalfSquaredError, &mut plain_optimizer);
    assert_eq!(loss, 50.0, "{name}");
    assert!(
        plain.params().iter().any(|p| !p.is_finite()),
        "{name}: the unchecked step stayed finite: {:?}",
        plain.params()
    );

    for how in ["try_train_step", "try_train_batch", "train_epoch"] {
        let (mut n, mut o) = (net, optimizer);
        let result = match how {
            "try_train_step" => n.try_train_step(&X, &T, &HalfSquaredError, &mut o),
            "try_train_batch" => n.try_train_batch(&[X, X], &[T, T], &HalfSquaredError, &mut o),
            _ => n.train_epoch(&[X; 3], &[T; 3], 2, None, &HalfSquaredError, &mut o),
        };
        assert_eq!(result, Err(expected), "{name} through {how}");
        assert_same(n.params(), &o, net.params(), &optimizer);
    }
}

#[test]
fn adam_with_epsilon_zero_is_refused() {
    // The reported case: 0 / (sqrt(0) + 0) for the 12 zero gradients.
    let adam = Adam::new(0.01).with_epsilon(0.0);
    assert_refused("eps 0", adam, TrainError::Optimizer(OptimError::Epsilon));
    let adam = Adam::new(0.01).with_epsilon(f32::NAN);
    assert_refused("eps NaN", adam, TrainError::Optimizer(OptimError::Epsilon));
}

#[test]
fn adam_with_a_beta_of_one_is_refused() {
    // 1 - 1^t = 0: the bias corrections divide by zero.
    let adam = Adam::new(0.01).with_betas(1.0, 0.999);
    assert_refused("beta1 1", adam, TrainError::Optimizer(OptimError::Beta1));
    let adam = Adam::new(0.01).with_betas(0.9, 1.0);
    assert_refused("beta2 1", adam, TrainError::Optimizer(OptimError::Beta2));
}

#[test]
fn a_nan_learning_rate_is_refused() {
    let lr = TrainError::Optimizer(OptimError::LearningRate);
    assert_refused("Adam NaN", Adam::new(f32::NAN), lr);
    assert_refused("Sgd NaN", Sgd::new(f32::NAN), lr);
    assert_refused("Sgd inf", Sgd::new(f32::INFINITY), lr);
    let momentum = Sgd::new(f32::NAN).with_momentum::<P>(0.9);
    assert_refused("Sgd NaN, momentum", momentum, lr);
}

#[test]
fn a_finite_learning_rate_whose_step_overflows_is_refused() {
    // 1e38 (or f32::MAX) times the output bias's gradient, -10, is -inf.
    let bias = TrainError::NonFinite(NonFinite::Update { index: 12 });
    // Adam's first step size, 1e38 / (1 - 0.9) = 1e39, is already infinite
    // in f32: the very first parameter's update is refused.
    let first = TrainError::NonFinite(NonFinite::Update { index: 0 });
    assert_refused("Adam 1e38", Adam::new(1e38), first);
    assert_refused("Sgd 1e38", Sgd::new(1e38), bias);
    assert_refused("Sgd MAX", Sgd::new(f32::MAX), bias);
    assert_refused(
        "Sgd MAX, momentum",
        Sgd::new(f32::MAX).with_momentum::<P>(0.9),
        bias,
    );
    let nesterov = Sgd::new(f32::MAX).with_momentum::<P>(0.9).nesterov();
    assert_refused("Sgd MAX, Nesterov", nesterov, bias);
}

#[test]
fn a_weight_decay_whose_step_overflows_is_refused() {
    // Parameter 0 is -1 with a gradient of 0: 0 + MAX * -1 = -MAX, and the
    // learning rate 2 makes the step -inf.
    let first = TrainError::NonFinite(NonFinite::Update { index: 0 });
    assert_refused(
        "decay MAX",
        Sgd::new(2.0).with_weight_decay(f32::MAX),
        first,
    );
    let momentum = Sgd::new(2.0)
        .with_momentum::<P>(0.5)
        .with_weight_decay(f32::MAX);
    assert_refused("decay MAX, momentum", momentum, first);
    // A decay that breaks its rule is refused before any arithmetic.
    let decay = TrainError::Optimizer(OptimError::WeightDecay);
    assert_refused(
        "decay inf",
        Sgd::new(0.1).with_weight_decay(f32::INFINITY),
        decay,
    );
}

#[test]
fn a_decoupled_weight_decay_whose_step_overflows_is_refused() {
    // AdamW multiplies each weight by 1 - lr * decay = 1 - 1e40: -inf in
    // f32, so parameter 0 (-1) becomes inf.
    let adamw = Adam::new(1e20).with_decoupled_weight_decay(1e20);
    let first = TrainError::NonFinite(NonFinite::Update { index: 0 });
    assert_refused("AdamW 1e20 * 1e20", adamw, first);
    // The L2 decay of Adam: parameter 0's gradient, 0 + MAX * -1, is
    // finite, but its square in the second moment is not.
    let adam = Adam::new(0.01).with_weight_decay(f32::MAX);
    let net = dead();
    let (mut n, mut a) = (net, adam);
    assert_eq!(
        n.try_train_step(&X, &T, &HalfSquaredError, &mut a),
        Err(TrainError::NonFinite(NonFinite::OptimizerState {
            index: 0
        }))
    );
    assert_same(n.params(), &a, net.params(), &adam);
    let nan = Adam::new(0.01).with_decoupled_weight_decay(f32::NAN);
    assert_refused(
        "AdamW NaN",
        nan,
        TrainError::Optimizer(OptimError::WeightDecay),
    );
}

#[test]
fn clipped_optimizers_refuse_as_the_optimizer_they_wrap() {
    // Clipping leaves a zero gradient zero: Adam's 0 / (0 + 0) stays.
    let eps = TrainError::Optimizer(OptimError::Epsilon);
    let adam = Adam::new(0.01).with_epsilon(0.0);
    assert_refused("norm, eps 0", ClipGradNorm::new(adam, 1.0), eps);
    assert_refused("value, eps 0", ClipGradValue::new(adam, 1.0), eps);
    // A clip of its own that breaks its rule; the step would be NaN.
    let sgd = Sgd::new(f32::INFINITY);
    let norm = ClipGradNorm::new(sgd, f32::NAN);
    assert_refused("norm NaN", norm, TrainError::Optimizer(OptimError::MaxNorm));
    let value = ClipGradValue::new(sgd, -1.0);
    assert_refused(
        "value -1",
        value,
        TrainError::Optimizer(OptimError::ClipValue),
    );
    // Valid clips, a step that overflows after them: the bias's gradient
    // -10 clipped to about -2, times MAX.
    let bias = TrainError::NonFinite(NonFinite::Update { index: 12 });
    let momentum = Sgd::new(f32::MAX).with_momentum::<P>(0.9);
    assert_refused("norm, MAX", ClipGradNorm::new(momentum, 2.0), bias);
    assert_refused(
        "value, MAX",
        ClipGradValue::new(Sgd::new(f32::MAX), 2.0),
        bias,
    );
}

#[test]
fn a_refused_first_step_leaves_dampening_undampened() {
    // PyTorch's first velocity is the gradient itself; the dampening
    // applies from the second step. A refused first step is not a step.
    let net = dead();
    let sgd = Sgd::new(0.01).with_momentum::<P>(0.9).with_dampening(0.5);
    let (mut refused, mut refused_sgd) = (net, sgd);
    refused_sgd.set_learning_rate(f32::MAX);
    assert!(
        refused
            .try_train_step(&X, &T, &HalfSquaredError, &mut refused_sgd)
            .is_err()
    );
    refused_sgd.set_learning_rate(0.01);
    let (mut fresh, mut fresh_sgd) = (net, sgd);
    for _ in 0..3 {
        refused.train_step(&X, &T, &HalfSquaredError, &mut refused_sgd);
        fresh.train_step(&X, &T, &HalfSquaredError, &mut fresh_sgd);
    }
    assert_same(refused.params(), &refused_sgd, fresh.params(), &fresh_sgd);
    // And the first step really is undampened: v = g = -10 for the bias
    // (parameter 12, the only one whose gradient is not 0); the second
    // takes half its gradient, the output 0.1 (the bias) less the target.
    let (mut one, mut one_sgd) = (net, sgd);
    one.train_step(&X, &T, &HalfSquaredError, &mut one_sgd);
    assert_eq!(one_sgd.velocity()[12], -10.0);
    one.train_step(&X, &T, &HalfSquaredError, &mut one_sgd);
    let bias = 0.0_f32 - 0.01 * -10.0;
    assert_eq!(one_sgd.velocity()[12], 0.9 * -10.0 + 0.5 * (bias - 10.0));
}

#[test]
fn a_refused_step_restores_a_velocity_that_was_not_zero() {
    let net = dead();
    let mut sgd = Sgd::new(0.01).with_momentum::<P>(0.9);
    let mut trained = net;
    for _ in 0..3 {
        trained.train_step(&X, &T, &HalfSquaredError, &mut sgd);
    }
    assert!(sgd.velocity().iter().any(|v| *v != 0.0));
    let (before, sgd_before) = (trained, sgd);
    // The same velocity with a learning rate whose step overflows.
    sgd.set_learning_rate(f32::MAX);
    let expected = sgd;
    let err = trained.try_train_step(&X, &T, &HalfSquaredError, &mut sgd);
    assert!(
        matches!(err, Err(TrainError::NonFinite(NonFinite::Update { .. }))),
        "{err:?}"
    );
    assert_same(trained.params(), &sgd, before.params(), &expected);
    sgd.set_learning_rate(0.01);
    assert_same(trained.params(), &sgd, before.params(), &sgd_before);
}

/// `1 => 1 Linear` at `w = b = 0` for the input 100 and the target 1e19:
/// the loss (5e37) and the gradients (-1e21 and -1e19) are finite, but
/// Adam's second moment of the weight, `0.001 * g * g`, is 1e39: infinite
/// in `f32`. The weight's own update is `m / sqrt(inf) = -0`, finite.
#[test]
fn an_adam_moment_that_overflows_is_refused() {
    let net = Line::<f32>::from_params([0.0, 0.0]);
    let (x, t) = ([100.0], [1e19]);
    let adam = Adam::<f32, 2>::new(0.01);

    let (mut plain, mut plain_adam) = (net, adam);
    plain.train_step(&x, &t, &HalfSquaredError, &mut plain_adam);
    assert!(plain.params().iter().all(|p| p.is_finite()));
    assert_eq!(plain_adam.second_moments()[0], f32::INFINITY);

    let state = TrainError::NonFinite(NonFinite::OptimizerState { index: 0 });
    let (mut n, mut a) = (net, adam);
    assert_eq!(
        n.try_train_step(&x, &t, &HalfSquaredError, &mut a),
        Err(state)
    );
    assert_same(n.params(), &a, net.params(), &adam);
    assert_eq!(
        n.try_train_batch(&[x], &[t], &HalfSquaredError, &mut a),
        Err(state)
    );
    assert_same(n.params(), &a, net.params(), &adam);
    assert_eq!(
        state.to_string(),
        "the optimizer's state for parameter 0 is not finite"
    );
}

#[test]
fn an_epoch_keeps_the_batches_before_a_refused_update() {
    // Batch 1 (x = 0, t = 1e-30) moves the bias by 1e30 * 1e-30. Batch 2
    // (x = 1e5, t = -1e4) has a finite loss and gradients, but the weight's
    // gradient is about 1e9, and 1e30 * 1e9 overflows. Batch 3 is never
    // reached.
    let inputs = [[0.0], [1e5], [0.5]];
    let targets = [[1e-30], [-1e4], [0.0]];
    let weight = TrainError::NonFinite(NonFinite::Update { index: 0 });

    fn check<O: Optimizer<f32, 2> + Copy + StateBits>(
        optimizer: O,
        inputs: &[[f32; 1]],
        targets: &[[f32; 1]],
        expected: TrainError,
    ) {
        let net = Line::<f32>::from_params([0.0, 0.0]);
        // What batch 1 alone gives, by the unchecked step; and batch 2 is
        // a real reproducer.
        let (mut after_first, mut first_optimizer) = (net, optimizer);
        after_first.train_step(
            &inputs[0],
            &targets[0],
            &HalfSquaredError,
            &mut first_optimizer,
        );
        assert_ne!(bits(after_first.params()), bits(net.params()));
        let (mut plain, mut plain_optimizer) = (after_first, first_optimizer);
        plain.train_step(
            &inputs[1],
            &targets[1],
            &HalfSquaredError,
            &mut plain_optimizer,
        );
        assert!(
            plain.params().iter().any(|p| !p.is_finite())
                || plain_optimizer.first_non_finite_state().is_some()
        );

        let (mut n, mut o) = (net, optimizer);
        let result = n.train_epoch(inputs, targets, 1, None, &HalfSquaredError, &mut o);
        assert_eq!(result, Err(expected));
        assert_same(n.params(), &o, after_first.params(), &first_optimizer);
    }

    check(Sgd::new(1e30), &inputs, &targets, weight);
    check(
        Sgd::new(1e30).with_momentum::<2>(0.5),
        &inputs,
        &targets,
        weight,
    );
    // Adam: batch 1 is an ordinary step, batch 2 the overflowing moment.
    let state = TrainError::NonFinite(NonFinite::OptimizerState { index: 0 });
    check(Adam::new(0.01), &[[1.0], [100.0]], &[[2.0], [1e19]], state);
}

#[test]
fn accepted_checked_steps_are_the_unchecked_steps_bit_for_bit() {
    fn run<O: Optimizer<f32, P> + Copy + StateBits>(optimizer: O) {
        let mut state = 0x2545_f491_u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32) * 2.0 - 1.0
        };
        let mut params = [0.0; P];
        params.iter_mut().for_each(|p| *p = next());
        let (mut checked, mut plain) = (Dead::from_params(params), Dead::from_params(params));
        let (mut co, mut po) = (optimizer, optimizer);
        for step in 0..20 {
            let x = [next(), next()];
            let t = [next()];
            if step % 2 == 0 {
                let a = checked.try_train_step(&x, &t, &HalfSquaredError, &mut co);
                let b = plain.train_step(&x, &t, &HalfSquaredError, &mut po);
                assert_eq!(a.map(f32::to_bits), Ok(b.to_bits()));
            } else {
                let xs = [x, [next(), next()]];
                let ts = [t, [next()]];
                let a = checked.try_train_batch(&xs, &ts, &HalfSquaredError, &mut co);
                let b = plain.train_batch(&xs, &ts, &HalfSquaredError, &mut po);
                assert_eq!(a.map(f32::to_bits), Ok(b.to_bits()));
            }
            assert_eq!(bits(checked.params()), bits(plain.params()));
            assert_eq!(co.state_bits(), po.state_bits());
        }
        assert_ne!(bits(checked.params()), bits(&params));
    }
    run(Sgd::new(0.1));
    run(Sgd::new(0.1).with_weight_decay(0.01));
    run(Sgd::new(0.1).with_momentum::<P>(0.9));
    run(Sgd::new(0.1)
        .with_momentum::<P>(0.9)
        .nesterov()
        .with_weight_decay(0.01));
    run(Adam::new(0.01));
}

/// A user optimizer without state that keeps only the sign of each
/// gradient, and computes it as `g / |g|`: `0 / 0` for a zero gradient.
#[derive(Clone, Copy)]
struct SignSgd(f32);

impl Optimizer<f32, P> for SignSgd {
    fn step(&mut self, params: &mut [f32; P], gradients: &[f32; P]) {
        for (p, g) in params.iter_mut().zip(gradients) {
            *p -= self.0 * (*g / g.abs());
        }
    }
}

#[test]
fn the_default_try_step_refuses_a_user_optimizers_non_finite_update() {
    let net = dead();
    let (mut plain, mut sign) = (net, SignSgd(0.1));
    plain.train_step(&X, &T, &HalfSquaredError, &mut sign);
    assert!(plain.params()[0].is_nan());

    let mut n = net;
    let err = n.try_train_step(&X, &T, &HalfSquaredError, &mut sign);
    assert_eq!(
        err,
        Err(TrainError::NonFinite(NonFinite::Update { index: 0 }))
    );
    assert_eq!(bits(n.params()), bits(net.params()));
    assert_eq!(
        err.unwrap_err().to_string(),
        "the update of parameter 0 is not finite"
    );
}

/// Adam behind `try_step_on_copies` instead of its own `try_step`.
#[derive(Clone, Copy)]
struct Copied(Adam<f32, 2>);

impl Optimizer<f32, 2> for Copied {
    fn step(&mut self, params: &mut [f32; 2], gradients: &[f32; 2]) {
        self.0.step(params, gradients);
    }
    fn check_hyperparameters(&self) -> Result<(), OptimError> {
        Optimizer::<f32, 2>::check_hyperparameters(&self.0)
    }
    fn first_non_finite_state(&self) -> Option<usize> {
        Optimizer::<f32, 2>::first_non_finite_state(&self.0)
    }
    fn try_step(&mut self, params: &mut [f32; 2], gradients: &[f32; 2]) -> Result<(), TrainError> {
        try_step_on_copies(self, params, gradients)
    }
}

impl StateBits for Copied {
    fn state_bits(&self) -> Vec<u32> {
        self.0.state_bits()
    }
}

#[test]
fn try_step_on_copies_agrees_with_the_built_in_try_step() {
    let net = Line::<f32>::from_params([0.25, -0.5]);
    let (mut a, mut b) = (net, net);
    let (mut own, mut copied) = (Adam::<f32, 2>::new(0.01), Copied(Adam::new(0.01)));
    for (x, t) in [
        ([1.0], [2.0]),
        ([-0.5], [0.0]),
        ([100.0], [1e19]),
        ([2.0], [1.0]),
    ] {
        let ra = a.try_train_step(&x, &t, &HalfSquaredError, &mut own);
        let rb = b.try_train_step(&x, &t, &HalfSquaredError, &mut copied);
        assert_eq!(ra.map(f32::to_bits), rb.map(f32::to_bits));
        assert_eq!(bits(a.params()), bits(b.params()));
        assert_eq!(own.state_bits(), copied.state_bits());
    }
    assert_eq!(own.steps(), 3); // the third sample was refused
    let bad = Copied(Adam::new(0.01).with_betas(0.9, 1.0));
    let mut c = bad;
    let err = b.try_train_step(&[1.0], &[2.0], &HalfSquaredError, &mut c);
    assert_eq!(err, Err(TrainError::Optimizer(OptimError::Beta2)));
    assert_eq!(c.state_bits(), bad.state_bits());
}

#[test]
fn hyperparameter_rules_at_their_bounds() {
    // Learning rate: finite, not negative (0 and -0 are fine).
    assert!(Sgd::try_new(0.0_f32).is_ok());
    assert!(Sgd::try_new(-0.0_f32).is_ok());
    assert!(Sgd::try_new(f32::MAX).is_ok());
    for lr in [-1e-30, f32::NEG_INFINITY, f32::INFINITY, f32::NAN] {
        assert_eq!(Sgd::try_new(lr), Err(OptimError::LearningRate), "{lr}");
        assert_eq!(Adam::<f32, 1>::try_new(lr), Err(OptimError::LearningRate));
        let mut sgd = Sgd::new(0.5_f32);
        assert_eq!(sgd.try_set_learning_rate(lr), Err(OptimError::LearningRate));
        assert_eq!(sgd.learning_rate(), 0.5);
        let mut adam = Adam::<f32, 1>::new(0.5);
        assert_eq!(
            adam.try_set_learning_rate(lr),
            Err(OptimError::LearningRate)
        );
        assert_eq!(adam.learning_rate(), 0.5);
    }
    // Momentum: [0, 1].
    for m in [0.0_f32, 0.5, 1.0] {
        assert!(Sgd::new(0.1).try_with_momentum::<1>(m).is_ok(), "{m}");
    }
    for m in [-0.1_f32, 1.0 + f32::EPSILON, f32::NAN, f32::INFINITY] {
        let err = Sgd::new(0.1).try_with_momentum::<1>(m).unwrap_err();
        assert_eq!(err, OptimError::Momentum, "{m}");
    }
    // Weight decay: finite, not negative.
    assert!(Sgd::new(0.1_f32).try_with_weight_decay(0.0).is_ok());
    for d in [-1e-30_f32, f32::NAN, f32::INFINITY] {
        let err = Sgd::new(0.1).try_with_weight_decay(d).unwrap_err();
        assert_eq!(err, OptimError::WeightDecay, "{d}");
    }
    // Betas: [0, 1).
    let adam = Adam::<f32, 1>::new(0.01);
    assert!(adam.try_with_betas(0.0, 0.0).is_ok());
    assert!(
        adam.try_with_betas(1.0 - f32::EPSILON, 1.0 - f32::EPSILON)
            .is_ok()
    );
    for b in [1.0_f32, -0.1, f32::NAN, 2.0] {
        assert_eq!(adam.try_with_betas(b, 0.999), Err(OptimError::Beta1), "{b}");
        assert_eq!(adam.try_with_betas(0.9, b), Err(OptimError::Beta2), "{b}");
    }
    // Epsilon: finite and greater than 0.
    assert!(adam.try_with_epsilon(f32::from_bits(1)).is_ok());
    for e in [0.0_f32, -0.0, -1e-8, f32::NAN, f32::INFINITY] {
        assert_eq!(adam.try_with_epsilon(e), Err(OptimError::Epsilon), "{e}");
    }
    // Dampening: [0, 1], and 0 with Nesterov momentum.
    let momentum = Sgd::new(0.1_f32).with_momentum::<1>(0.9);
    for d in [0.0_f32, 0.5, 1.0] {
        assert!(momentum.try_with_dampening(d).is_ok(), "{d}");
    }
    for d in [-0.1_f32, 1.5, f32::NAN] {
        assert_eq!(
            momentum.try_with_dampening(d),
            Err(OptimError::Dampening),
            "{d}"
        );
    }
    assert!(momentum.nesterov().try_with_dampening(0.0).is_ok());
    let both = momentum.with_dampening(0.1).nesterov();
    assert_eq!(
        Optimizer::<f32, 1>::check_hyperparameters(&both),
        Err(OptimError::NesterovDampening)
    );
    // Adam's weight decays, and the clips: finite, not negative.
    for d in [-1e-30_f32, f32::NAN, f32::INFINITY] {
        assert_eq!(
            adam.try_with_weight_decay(d).unwrap_err(),
            OptimError::WeightDecay
        );
        let err = adam.try_with_decoupled_weight_decay(d).unwrap_err();
        assert_eq!(err, OptimError::WeightDecay);
        let err = ClipGradNorm::try_new(Sgd::new(0.1), d).unwrap_err();
        assert_eq!(err, OptimError::MaxNorm);
        let err = ClipGradValue::try_new(Sgd::new(0.1), d).unwrap_err();
        assert_eq!(err, OptimError::ClipValue);
    }
    assert!(adam.try_with_decoupled_weight_decay(0.0).is_ok());
    assert!(ClipGradNorm::try_new(Sgd::new(0.1_f32), 0.0).is_ok());
    // The unchecked builders and the checked step agree with the rules.
    let sgd = Sgd::new(0.1_f32).with_momentum::<1>(1.5);
    assert_eq!(
        Optimizer::<f32, 1>::check_hyperparameters(&sgd),
        Err(OptimError::Momentum)
    );
    let mut w = [1.0_f32];
    let mut checked = sgd;
    assert_eq!(
        checked.try_step(&mut w, &[1.0]),
        Err(TrainError::Optimizer(OptimError::Momentum))
    );
    assert_eq!((w, checked.velocity()), ([1.0], &[0.0]));
    assert_eq!(
        Optimizer::<f32, 1>::check_hyperparameters(&Adam::new(0.01_f32)),
        Ok(())
    );
}

#[test]
fn errors_say_what_was_refused() {
    let cases = [
        (
            OptimError::LearningRate,
            "the learning rate must be finite and not negative",
        ),
        (
            OptimError::WeightDecay,
            "the weight decay must be finite and not negative",
        ),
        (OptimError::Momentum, "the momentum must be in [0, 1]"),
        (OptimError::Dampening, "the dampening must be in [0, 1]"),
        (
            OptimError::NesterovDampening,
            "Nesterov momentum needs a dampening of 0",
        ),
        (
            OptimError::MaxNorm,
            "the maximum gradient norm must be finite and not negative",
        ),
        (
            OptimError::ClipValue,
            "the gradient clip value must be finite and not negative",
        ),
        (OptimError::Beta1, "beta1 must be in [0, 1)"),
        (OptimError::Beta2, "beta2 must be in [0, 1)"),
        (
            OptimError::Epsilon,
            "epsilon must be finite and greater than 0 in the scalar type",
        ),
        (
            OptimError::Other("the step limit must be positive"),
            "the step limit must be positive",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
        let train = TrainError::from(error);
        assert_eq!(train, TrainError::Optimizer(error));
        assert_eq!(train.to_string(), format!("invalid optimizer: {text}"));
        let source = std::error::Error::source(&train).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some(text));
    }
    let update = TrainError::NonFinite(NonFinite::Update { index: 4 });
    assert_eq!(
        update.to_string(),
        "the update of parameter 4 is not finite"
    );
}
