//! Per-epoch shuffling (`Shuffle`) and the `Fit` training loop: orders that
//! differ per epoch and reproduce, a fit that separates a separable problem,
//! early stopping that restores the best epoch's parameters bit for bit
//! (checked by replaying the run), schedules, callbacks, and errors.

use core::ops::ControlFlow;

use backprop_core::fit::{EpochReport, Fit, FitError, Stop};
use backprop_core::init::SplitMix64;
use backprop_core::loss::{BinaryCrossEntropy, CrossEntropy, HalfSquaredError};
use backprop_core::metrics::EvalError;
use backprop_core::optim::{Adam, OptimError, Sgd};
use backprop_core::schedule::{Exponential, StepDecay};
use backprop_core::{NonFinite, Order, Shuffle, TrainError, network};

network! {
    struct Line: 1 => 1 Linear;
    struct Classifier: 2 => 6 Tanh => 2 Softmax;
    struct Binary: 2 => 3 Tanh => 1 Sigmoid;
}

/// Two clusters, class 0 around (-1, -1) and class 1 around (1, 1).
const POINTS: [[f32; 2]; 8] = [
    [-1.0, -1.2],
    [-0.8, -1.0],
    [-1.3, -0.7],
    [-0.5, -1.1],
    [1.0, 1.1],
    [0.9, 0.6],
    [1.2, 1.3],
    [0.6, 1.0],
];
const CLASSES: [usize; 8] = [0, 0, 0, 0, 1, 1, 1, 1];

fn one_hot_targets() -> [[f32; 2]; 8] {
    CLASSES.map(|c| backprop_core::metrics::one_hot(c).unwrap())
}

fn bits<const P: usize>(params: &[f32; P]) -> [u32; P] {
    params.map(f32::to_bits)
}

#[test]
fn epoch_seeds_are_splitmix64s_stream() {
    for seed in [0, 1, 42, u64::MAX] {
        let shuffle = Shuffle::new(seed);
        assert_eq!(shuffle.seed(), seed);
        let mut rng = SplitMix64::new(seed);
        for epoch in 0..100 {
            assert_eq!(
                shuffle.epoch(epoch),
                rng.next_u64(),
                "seed {seed}, epoch {epoch}"
            );
        }
    }
    // Epoch u32::MAX needs no loop: the state is seed + epoch * gamma.
    let far = Shuffle::new(3).epoch(u32::MAX);
    let state = 3_u64.wrapping_add(u64::from(u32::MAX).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    assert_eq!(far, SplitMix64::new(state).next_u64());
}

#[test]
fn every_epoch_has_its_own_order_and_each_reproduces() {
    let shuffle = Shuffle::new(2024);
    let orders: Vec<Vec<usize>> = (0..20).map(|e| shuffle.order(30, e).collect()).collect();
    for (e, order) in orders.iter().enumerate() {
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (0..30).collect::<Vec<_>>(),
            "epoch {e} is a permutation"
        );
        // The same seed and epoch give the same order, from a new value.
        let again: Vec<usize> = Shuffle::new(2024).order(30, e as u32).collect();
        assert_eq!(&again, order);
        let via_order: Vec<usize> = Order::new(30, Some(shuffle.epoch(e as u32))).collect();
        assert_eq!(&via_order, order);
    }
    for a in 0..orders.len() {
        for b in a + 1..orders.len() {
            assert_ne!(orders[a], orders[b], "epochs {a} and {b}");
        }
    }
    // Another seed, other orders.
    let other: Vec<usize> = Shuffle::new(2025).order(30, 0).collect();
    assert_ne!(other, orders[0]);
}

#[test]
fn fit_shuffles_each_epoch_as_train_epoch_with_shuffle_epoch() {
    let (xs, ys) = (
        [[0.0_f32], [1.0], [2.0], [3.0], [4.0]],
        [[1.0_f32], [3.0], [5.0], [7.0], [9.0]],
    );
    let start = Line::<f32>::from_params([0.1, -0.2]);

    let mut fitted = start;
    let mut sgd = Sgd::new(0.02);
    Fit::new(&xs, &ys)
        .batch_size(2)
        .epochs(3)
        .shuffle(11)
        .run(&mut fitted, &HalfSquaredError, &mut sgd)
        .unwrap();

    let mut by_hand = start;
    let mut sgd = Sgd::new(0.02);
    let shuffle = Shuffle::new(11);
    for epoch in 0..3 {
        by_hand
            .train_epoch(
                &xs,
                &ys,
                2,
                Some(shuffle.epoch(epoch)),
                &HalfSquaredError,
                &mut sgd,
            )
            .unwrap();
    }
    assert_eq!(bits(fitted.params()), bits(by_hand.params()));

    // And not what one seed every epoch gives (the old way).
    let mut same_order = start;
    let mut sgd = Sgd::new(0.02);
    for _ in 0..3 {
        same_order
            .train_epoch(&xs, &ys, 2, Some(11), &HalfSquaredError, &mut sgd)
            .unwrap();
    }
    assert_ne!(bits(fitted.params()), bits(same_order.params()));
}

#[test]
fn train_epoch_with_a_seed_is_unchanged() {
    // train_epoch(Some(seed)) still visits Order::new(n, Some(seed)), the
    // same every epoch: replay it with try_train_batch on gathered batches.
    let (xs, ys) = (
        [[0.0_f32], [1.0], [2.0], [3.0], [4.0], [5.0]],
        [[1.0_f32], [3.0], [5.0], [7.0], [9.0], [11.0]],
    );
    let start = Line::<f32>::from_params([0.3, 0.1]);
    let mut net = start;
    let mut sgd = Sgd::new(0.01);
    for _ in 0..2 {
        net.train_epoch(&xs, &ys, 4, Some(99), &HalfSquaredError, &mut sgd)
            .unwrap();
    }
    let mut replay = start;
    let mut sgd = Sgd::new(0.01);
    for _ in 0..2 {
        let order: Vec<usize> = Order::new(6, Some(99)).collect();
        for batch in order.chunks(4) {
            let bx: Vec<[f32; 1]> = batch.iter().map(|&i| xs[i]).collect();
            let by: Vec<[f32; 1]> = batch.iter().map(|&i| ys[i]).collect();
            replay
                .try_train_batch(&bx, &by, &HalfSquaredError, &mut sgd)
                .unwrap();
        }
    }
    assert_eq!(bits(net.params()), bits(replay.params()));
}

#[test]
fn fit_separates_a_separable_problem() {
    let targets = one_hot_targets();
    let mut net = Classifier::<f32>::with_seed(5);
    let initial = net.mean_loss(&POINTS, &targets, &CrossEntropy).unwrap();
    let mut adam = Adam::new(0.05);
    let summary = Fit::new(&POINTS, &targets)
        .batch_size(4)
        .epochs(60)
        .shuffle(1)
        .run(&mut net, &CrossEntropy, &mut adam)
        .unwrap();
    assert_eq!(summary.stop, Stop::Completed);
    assert_eq!(summary.epochs, 60);
    assert!(!summary.restored);
    assert_eq!(net.accuracy(&POINTS, &CLASSES), Ok(1.0));
    assert_eq!(
        net.confusion_matrix(&POINTS, &CLASSES),
        Ok([[4, 0], [0, 4]])
    );
    assert!(net.mean_loss(&POINTS, &targets, &CrossEntropy).unwrap() < initial / 4.0);
    let last = summary.last.unwrap();
    assert_eq!(last.epoch, 59);
    assert!(last.validation.is_none() && !last.improved);

    // A sigmoid output with BinaryCrossEntropy: class indices as 0/1 targets.
    let binary_targets = CLASSES.map(|c| [c as f32]);
    let mut binary = Binary::<f32>::with_seed(3);
    let summary = Fit::new(&POINTS, &binary_targets)
        .batch_size(8)
        .epochs(80)
        .validation(&POINTS, &binary_targets)
        .run(&mut binary, &BinaryCrossEntropy, &mut Adam::new(0.05))
        .unwrap();
    assert_eq!(binary.accuracy(&POINTS, &CLASSES), Ok(1.0));
    assert_eq!(summary.last.unwrap().validation.unwrap().accuracy, 1.0);
}

/// Learns y = 2x + 1 with a learning rate that doubles every epoch: the
/// validation loss falls, then the steps overshoot and it rises.
fn overshooting() -> (Fit<'static, f32, 1, 1, Exponential>, Line<f32>) {
    const XS: [[f32; 1]; 4] = [[-1.0], [0.0], [1.0], [2.0]];
    const YS: [[f32; 1]; 4] = [[-1.0], [1.0], [3.0], [5.0]];
    const VX: [[f32; 1]; 2] = [[0.5], [1.5]];
    const VY: [[f32; 1]; 2] = [[2.0], [4.0]];
    let fit = Fit::new(&XS, &YS)
        .batch_size(2)
        .epochs(40)
        .shuffle(3)
        .schedule(Exponential::new(0.01, 2.0))
        .validation(&VX, &VY);
    (fit, Line::from_params([0.0, 0.0]))
}

#[test]
fn early_stopping_restores_the_best_epoch_bit_for_bit() {
    let (fit, start) = overshooting();
    let mut net = start;
    let mut sgd = Sgd::new(0.0);
    let mut reports: Vec<EpochReport<f32>> = Vec::new();
    let summary = fit
        .early_stopping(3)
        .run_with(&mut net, &HalfSquaredError, &mut sgd, |report| {
            reports.push(*report);
            ControlFlow::Continue(())
        })
        .unwrap();
    let best = summary.best.unwrap();
    assert_eq!(summary.stop, Stop::EarlyStopping);
    assert!(summary.restored);
    assert!(
        best.epoch > 2,
        "the loss fell for a while: best epoch {}",
        best.epoch
    );
    assert_eq!(
        summary.epochs,
        best.epoch + 1 + 3,
        "3 epochs without improvement"
    );
    assert_eq!(reports.len() as u32, summary.epochs);
    assert_eq!(summary.last, reports.last().copied());

    // The best report is the first lowest validation loss, and `improved`
    // marks exactly the new lows.
    let losses: Vec<f32> = reports.iter().map(|r| r.validation.unwrap().loss).collect();
    let lowest = losses.iter().copied().fold(f32::INFINITY, f32::min);
    assert_eq!(best.validation.unwrap().loss, lowest);
    assert_eq!(
        losses.iter().position(|&l| l == lowest),
        Some(best.epoch as usize)
    );
    let mut low = f32::INFINITY;
    for (report, &loss) in reports.iter().zip(&losses) {
        assert_eq!(report.improved, loss < low, "epoch {}", report.epoch);
        low = low.min(loss);
    }

    // Replay without early stopping for best + 1 epochs: the same
    // parameters, bit for bit.
    let mut replay = start;
    let mut sgd = Sgd::new(0.0);
    let replayed = fit
        .epochs(best.epoch + 1)
        .run(&mut replay, &HalfSquaredError, &mut sgd)
        .unwrap();
    assert!(!replayed.restored);
    assert_eq!(bits(net.params()), bits(replay.params()));
    // ... and the restored network measures the best epoch's loss.
    let vx = [[0.5_f32], [1.5]];
    let vy = [[2.0_f32], [4.0]];
    assert_eq!(
        net.mean_loss(&vx, &vy, &HalfSquaredError),
        Ok(best.validation.unwrap().loss)
    );

    // Without restoring, the run would have ended somewhere worse.
    let mut last = start;
    fit.epochs(summary.epochs)
        .run(&mut last, &HalfSquaredError, &mut Sgd::new(0.0))
        .unwrap();
    assert_ne!(bits(last.params()), bits(net.params()));
    assert!(last.mean_loss(&vx, &vy, &HalfSquaredError).unwrap() > best.validation.unwrap().loss);
}

#[test]
fn a_validation_set_that_only_gets_worse_keeps_epoch_0() {
    // Validation targets opposite to the training ones: every epoch of
    // learning makes the validation loss worse, so the best is epoch 0.
    let xs = [[1.0_f32], [2.0]];
    let ys = [[1.0_f32], [2.0]];
    let vy = [[-1.0_f32], [-2.0]];
    let start = Line::<f32>::from_params([0.0, 0.0]);
    let mut net = start;
    let summary = Fit::new(&xs, &ys)
        .epochs(50)
        .validation(&xs, &vy)
        .early_stopping(0) // counts as 1
        .run(&mut net, &HalfSquaredError, &mut Sgd::new(0.05))
        .unwrap();
    assert_eq!(summary.stop, Stop::EarlyStopping);
    assert_eq!(summary.epochs, 2);
    assert_eq!(summary.best.unwrap().epoch, 0);
    let mut one_epoch = start;
    one_epoch
        .train_epoch(&xs, &ys, 32, None, &HalfSquaredError, &mut Sgd::new(0.05))
        .unwrap();
    assert_eq!(bits(net.params()), bits(one_epoch.params()));
}

#[test]
fn the_schedule_sets_each_epochs_rate_and_the_report_shows_it() {
    let (xs, ys) = ([[1.0_f32], [2.0]], [[2.0_f32], [4.0]]);
    let mut net = Line::<f32>::default();
    let mut sgd = Sgd::new(1.0);
    let mut rates = Vec::new();
    Fit::new(&xs, &ys)
        .epochs(7)
        .schedule(StepDecay::new(0.1, 3, 0.5))
        .run_with(&mut net, &HalfSquaredError, &mut sgd, |r| {
            rates.push(r.learning_rate);
            ControlFlow::Continue(())
        })
        .unwrap();
    let expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025].map(|r: f64| r as f32);
    assert_eq!(rates, expected);
    assert_eq!(sgd.learning_rate(), 0.025);

    // No schedule: the optimizer's rate is left alone and reported.
    let mut adam = Adam::new(0.003_f32);
    let summary = Fit::new(&xs, &ys)
        .epochs(2)
        .run(&mut net, &HalfSquaredError, &mut adam)
        .unwrap();
    assert_eq!(summary.last.unwrap().learning_rate, 0.003);
    assert_eq!(adam.learning_rate(), 0.003);
}

#[test]
fn the_callback_can_stop_the_run() {
    let (xs, ys) = ([[1.0_f32], [2.0]], [[2.0_f32], [4.0]]);
    let mut net = Line::<f32>::default();
    let mut seen = Vec::new();
    let summary = Fit::new(&xs, &ys)
        .epochs(100)
        .validation(&xs, &ys)
        .early_stopping(5)
        .run_with(&mut net, &HalfSquaredError, &mut Sgd::new(0.01), |r| {
            seen.push(r.epoch);
            if r.epoch == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(seen, [0, 1, 2]);
    assert_eq!(summary.stop, Stop::Callback);
    assert_eq!(summary.epochs, 3);
    // The loss only fell, so the best is the last, and restoring it is a
    // no-op.
    assert_eq!(summary.best.unwrap().epoch, 2);
    assert!(summary.restored);
    let mut replay = Line::<f32>::default();
    Fit::new(&xs, &ys)
        .epochs(3)
        .run(&mut replay, &HalfSquaredError, &mut Sgd::new(0.01))
        .unwrap();
    assert_eq!(bits(net.params()), bits(replay.params()));
}

#[test]
fn runs_are_deterministic_and_a_fit_can_be_reused() {
    let targets = one_hot_targets();
    let fit = Fit::new(&POINTS, &targets)
        .batch_size(3)
        .epochs(10)
        .shuffle(77)
        .validation(&POINTS[..4], &targets[..4]);
    let run = || {
        let mut net = Classifier::<f32>::with_seed(9);
        let mut adam = Adam::new(0.02);
        let summary = fit.run(&mut net, &CrossEntropy, &mut adam).unwrap();
        (bits(net.params()), summary, adam)
    };
    let (a, b) = (run(), run());
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
    assert_eq!(a.2, b.2);
}

#[test]
fn zero_epochs_do_nothing() {
    let (xs, ys) = ([[1.0_f32]], [[2.0_f32]]);
    let start = Line::<f32>::from_params([0.5, 0.5]);
    let mut net = start;
    let summary = Fit::new(&xs, &ys)
        .epochs(0)
        .validation(&xs, &ys)
        .early_stopping(1)
        .run(&mut net, &HalfSquaredError, &mut Sgd::new(0.1))
        .unwrap();
    assert_eq!((summary.epochs, summary.stop), (0, Stop::Completed));
    assert!(summary.last.is_none() && summary.best.is_none() && !summary.restored);
    assert_eq!(net, start);
}

#[test]
fn errors_say_what_and_when() {
    let (xs, ys) = ([[1.0_f32], [2.0]], [[2.0_f32], [4.0]]);
    let start = Line::<f32>::from_params([0.5, 0.5]);
    let mut net = start;
    let mut sgd = Sgd::new(0.1);
    let fit = Fit::new(&xs, &ys).epochs(3);

    let err = fit
        .early_stopping(2)
        .run(&mut net, &HalfSquaredError, &mut sgd);
    assert_eq!(err, Err(FitError::NoValidation));
    assert_eq!(
        err.unwrap_err().to_string(),
        "early stopping needs a validation set"
    );

    let err = fit
        .validation(&xs, &ys[..1])
        .run(&mut net, &HalfSquaredError, &mut sgd);
    assert_eq!(
        err,
        Err(FitError::Validation(EvalError::LengthMismatch {
            inputs: 2,
            targets: 1
        }))
    );
    let err = fit
        .validation(&[], &[])
        .run(&mut net, &HalfSquaredError, &mut sgd);
    assert_eq!(err, Err(FitError::Validation(EvalError::Empty)));

    let err = Fit::new(&xs[..0], &ys[..0]).run(&mut net, &HalfSquaredError, &mut sgd);
    assert_eq!(
        err,
        Err(FitError::Train {
            epoch: 0,
            error: TrainError::Empty
        })
    );
    let err = fit.batch_size(0).run(&mut net, &HalfSquaredError, &mut sgd);
    assert_eq!(
        err,
        Err(FitError::Train {
            epoch: 0,
            error: TrainError::Empty
        })
    );
    assert_eq!(net, start, "nothing was trained");

    let bad = [[1.0_f32], [f32::NAN]];
    let err = Fit::new(&bad, &ys).run(&mut net, &HalfSquaredError, &mut sgd);
    assert_eq!(
        err,
        Err(FitError::Train {
            epoch: 0,
            error: TrainError::NonFinite(NonFinite::Input {
                sample: 1,
                index: 0
            })
        })
    );
    assert_eq!(net, start);

    // A schedule that turns negative at epoch 2: two epochs train, the
    // third is refused by the optimizer's rule.
    struct Falling;
    impl backprop_core::schedule::Schedule for Falling {
        fn learning_rate(&self, k: u32) -> f64 {
            0.1 - 0.06 * f64::from(k)
        }
    }
    let err = fit
        .schedule(Falling)
        .run(&mut net, &HalfSquaredError, &mut sgd)
        .unwrap_err();
    assert_eq!(
        err,
        FitError::Train {
            epoch: 2,
            error: TrainError::Optimizer(OptimError::LearningRate)
        }
    );
    assert_eq!(
        err.to_string(),
        "epoch 2: invalid optimizer: the learning rate must be finite and not negative"
    );
    assert_ne!(net, start, "the first two epochs were applied");
}
