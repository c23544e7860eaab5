//! Learning-rate schedules against their closed forms, worked out by hand
//! (powers of two where the value is exact), and against the values in
//! PyTorch's documentation of `StepLR`, `LinearLR` and `CosineAnnealingLR`.

use backprop_core::optim::{Adam, Optimizer, Sgd};
use backprop_core::schedule::{
    Constant, CosineWithWarmup, Exponential, LearningRate, Schedule, StepDecay,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-15 * b.abs().max(1e-300)
}

#[test]
fn step_decay_is_gamma_to_the_number_of_whole_steps() {
    let s = StepDecay::new(1.0, 3, 0.5);
    let expected = [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125];
    for (k, e) in expected.iter().enumerate() {
        assert_eq!(s.learning_rate(k as u32), *e, "k = {k}");
    }
    assert_eq!(s.learning_rate(30), 1.0 / 1024.0);
    // A step size of 0 is taken as 1: decay at every step.
    let every = StepDecay::new(1.0, 0, 0.5);
    assert_eq!(every.learning_rate(4), 1.0 / 16.0);
    assert_eq!(
        every.learning_rate(4),
        StepDecay::new(1.0, 1, 0.5).learning_rate(4)
    );
    // Far out, a rate underflows to 0 rather than misbehaving.
    assert_eq!(every.learning_rate(u32::MAX), 0.0);
}

#[test]
fn step_decay_matches_pytorch_steplr_docs() {
    // StepLR(step_size=30, gamma=0.1) from lr 0.05: 0.05 for epochs < 30,
    // 0.005 for < 60, 0.0005 for < 90.
    let s = StepDecay::new(0.05, 30, 0.1);
    for k in 0..30 {
        assert_eq!(s.learning_rate(k), 0.05);
    }
    for k in 30..60 {
        assert!(close(s.learning_rate(k), 0.005), "{}", s.learning_rate(k));
    }
    for k in 60..90 {
        assert!(close(s.learning_rate(k), 0.0005), "{}", s.learning_rate(k));
    }
}

#[test]
fn exponential_is_gamma_to_the_k() {
    let s = Exponential::new(2.0, 0.5);
    for k in 0..60 {
        assert_eq!(s.learning_rate(k), 2.0 / 2f64.powi(k as i32), "k = {k}");
    }
    // 0.9^10 = 0.3486784401 (by hand: 0.81^5).
    let s = Exponential::new(0.1, 0.9);
    assert!(close(s.learning_rate(10), 0.034_867_844_01));
    assert_eq!(Exponential::new(0.3, 1.0).learning_rate(1000), 0.3);
}

#[test]
fn cosine_annealing_by_hand() {
    let half_sqrt2 = core::f64::consts::FRAC_1_SQRT_2;
    // No warm-up, T_max = 4, from 1 to 0.
    let s = CosineWithWarmup::new(1.0, 0, 4);
    assert_eq!(s.learning_rate(0), 1.0);
    assert!(close(s.learning_rate(1), (1.0 + half_sqrt2) / 2.0));
    assert!((s.learning_rate(2) - 0.5).abs() < 1e-16);
    assert!(close(s.learning_rate(3), (1.0 - half_sqrt2) / 2.0));
    // From T_max on: the minimum, not PyTorch's rise back up.
    for k in [4, 5, 8, 1000, u32::MAX] {
        assert_eq!(s.learning_rate(k), 0.0);
    }
    // With a minimum: min + (base - min) (1 + cos) / 2.
    let s = CosineWithWarmup::new(1.1, 0, 2).with_min(0.1);
    assert_eq!(s.learning_rate(0), 1.1);
    assert!(close(s.learning_rate(1), 0.6));
    assert_eq!(s.learning_rate(2), 0.1);
    assert_eq!(s.learning_rate(3), 0.1);
    // Never increasing after the warm-up, and within [min, base].
    let s = CosineWithWarmup::new(0.3, 5, 105).with_min(0.01);
    let mut previous = f64::INFINITY;
    for k in 5..200 {
        let lr = s.learning_rate(k);
        assert!(
            lr <= previous && (0.01 - 1e-15..=0.3 + 1e-15).contains(&lr),
            "k = {k}: {lr}"
        );
        previous = lr;
    }
}

#[test]
fn cosine_matches_pytorch_cosineannealinglr_docs_for_one_half_period() {
    // CosineAnnealingLR(T_max=2) from lr 0.1: 0.05 after one step, 0 after
    // two (PyTorch then goes back up to 0.05 and 0.1; this one stays at 0).
    let s = CosineWithWarmup::new(0.1, 0, 2);
    assert_eq!(s.learning_rate(0), 0.1);
    assert!(close(s.learning_rate(1), 0.05));
    assert_eq!(s.learning_rate(2), 0.0);
    assert_eq!(s.learning_rate(3), 0.0);
}

#[test]
fn warm_up_matches_pytorch_linearlr_docs() {
    // LinearLR(start_factor=0.5, total_iters=4) from lr 0.05: 0.025,
    // 0.03125, 0.0375, 0.04375, then 0.05, where the cosine starts.
    let s = CosineWithWarmup::new(0.05, 4, 100).with_start_factor(0.5);
    let expected = [0.025, 0.03125, 0.0375, 0.04375, 0.05];
    for (k, e) in expected.iter().enumerate() {
        assert!(close(s.learning_rate(k as u32), *e), "k = {k}");
    }
    // Exact with a base of 1: 0.5 + 0.5 k / 4.
    let s = CosineWithWarmup::new(1.0, 4, 100).with_start_factor(0.5);
    let rates: Vec<f64> = (0..5).map(|k| s.learning_rate(k)).collect();
    assert_eq!(rates, [0.5, 0.625, 0.75, 0.875, 1.0]);
    // The default start factor is LinearLR's, 1/3.
    let s = CosineWithWarmup::new(3.0, 2, 10);
    assert!(close(s.learning_rate(0), 1.0));
    assert!(close(s.learning_rate(1), 2.0));
    assert_eq!(s.learning_rate(2), 3.0);
    // A start factor of 0 starts from 0.
    let s = CosineWithWarmup::new(1.0, 4, 10).with_start_factor(0.0);
    assert_eq!(s.learning_rate(0), 0.0);
    assert_eq!(s.learning_rate(2), 0.5);
    // A total within the warm-up: the minimum right after it.
    let s = CosineWithWarmup::new(1.0, 4, 2)
        .with_start_factor(0.0)
        .with_min(0.25);
    assert_eq!(s.learning_rate(3), 0.75);
    assert_eq!(s.learning_rate(4), 0.25);
}

#[test]
fn warm_up_then_cosine_is_pytorch_sequentiallr() {
    // SequentialLR([LinearLR(0.25, total_iters=2), CosineAnnealingLR(T_max=3)],
    // milestones=[2]) from lr 2, minimum 0.5: the cosine counts from 0 at
    // the milestone.
    let s = CosineWithWarmup::new(2.0, 2, 5)
        .with_start_factor(0.25)
        .with_min(0.5);
    let cos = |t: f64| 0.5 + 1.5 * (1.0 + (core::f64::consts::PI * t / 3.0).cos()) / 2.0;
    assert_eq!(s.learning_rate(0), 0.5);
    assert_eq!(s.learning_rate(1), 1.25);
    assert_eq!(s.learning_rate(2), 2.0);
    // cos(pi / 3) = 1/2 and cos(2 pi / 3) = -1/2: 0.5 + 1.5 * 3/4, 0.5 + 1.5 / 4.
    assert!(close(s.learning_rate(3), 1.625));
    assert!(close(s.learning_rate(4), 0.875));
    assert!(close(s.learning_rate(3), cos(1.0)));
    assert_eq!(s.learning_rate(5), 0.5);
}

#[test]
fn apply_drives_sgd_and_adam() {
    let s = StepDecay::new(0.5, 2, 0.5);
    let mut sgd = Sgd::new(1.0_f32);
    assert_eq!(s.apply(2, &mut sgd), 0.25_f32);
    assert_eq!(sgd.learning_rate(), 0.25);
    // The step uses it, exactly as a hand-set rate: w - 0.25 * g.
    let mut w = [1.0_f32];
    sgd.step(&mut w, &[2.0]);
    assert_eq!(w, [0.5]);
    // Momentum and weight decay change the type, not the schedule.
    let mut momentum = Sgd::new(1.0_f64)
        .with_momentum::<3>(0.9)
        .with_weight_decay(0.1);
    let lr: f64 = s.apply(4, &mut momentum);
    assert_eq!((lr, momentum.learning_rate()), (0.125, 0.125));
    let mut adam = Adam::<f32, 4>::new(1.0);
    let lr = Exponential::new(0.1, 0.9).apply(10, &mut adam);
    // Converted once from the f64 rate, rounding to nearest.
    assert_eq!(lr, Exponential::new(0.1, 0.9).learning_rate(10) as f32);
    assert_eq!(adam.learning_rate(), lr);
    // Through the trait, and through references.
    let by_ref: &mut Adam<f32, 4> = &mut adam;
    let mut by_ref = by_ref;
    LearningRate::set_learning_rate(&mut by_ref, 0.5);
    assert_eq!(LearningRate::learning_rate(&by_ref), 0.5);
    let schedule = &Constant(0.125);
    assert_eq!(schedule.apply(7, &mut sgd), 0.125_f32);
    assert_eq!(Schedule::learning_rate(&schedule, 3), 0.125);
}

#[test]
fn a_schedule_of_your_own() {
    /// Linear decay to 0 over 10 steps.
    struct Linear;
    impl Schedule for Linear {
        fn learning_rate(&self, k: u32) -> f64 {
            (1.0 - f64::from(k.min(10)) / 10.0) * 0.5
        }
    }
    let mut sgd = Sgd::new(0.0_f64);
    assert_eq!(Linear.apply(5, &mut sgd), 0.25);
    assert_eq!(Linear.apply(12, &mut sgd), 0.0);
}
