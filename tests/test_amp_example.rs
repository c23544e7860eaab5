//! The audio-effect example (`examples/amp.rs`): its effect does what its
//! docs say, its signal is deterministic and in range, and a short run of
//! its own training loop learns the effect far better than the baselines.

#[path = "../examples/amp.rs"]
#[allow(dead_code)]
mod amp;

use amp::{
    Amp, AmpState, CLIP, DRIVE, RATE, clips, effect, esr, filter_only, guitar, stream, train,
};
use backprop_core::init::SplitMix64;

#[test]
fn the_effect_is_a_one_pole_low_pass_then_a_soft_clipper() {
    // A constant input settles where the filter passes it whole.
    let settled = *effect(&[0.5; 2_000]).last().unwrap();
    let want = (DRIVE * 0.5).tanh() / DRIVE.tanh();
    assert!((f64::from(settled) - want).abs() < 1e-6, "{settled}");
    // An impulse decays by the pole each sample (small values: the clipper
    // is nearly linear there, with slope DRIVE / tanh(DRIVE)).
    let mut impulse = vec![0.0_f32; 40];
    impulse[0] = 1e-4;
    let filtered = filter_only(&impulse);
    let pole = (-std::f64::consts::TAU * 1_000.0 / RATE).exp();
    for k in 1..40 {
        let ratio = f64::from(filtered[k]) / f64::from(filtered[k - 1]);
        assert!((ratio - pole).abs() < 1e-4, "sample {k}: {ratio}");
    }
    let clipped = effect(&impulse);
    let slope = DRIVE / DRIVE.tanh();
    assert!((f64::from(clipped[0]) / f64::from(filtered[0]) - slope).abs() < 1e-3);
    // Never beyond full scale, however loud the input.
    assert!(effect(&[1.0; 500]).iter().all(|y| y.abs() <= 1.0));
}

#[test]
fn the_signal_is_deterministic_and_in_range() {
    let a = guitar(20_000, &mut SplitMix64::new(5));
    assert_eq!(a, guitar(20_000, &mut SplitMix64::new(5)));
    assert_ne!(a, guitar(20_000, &mut SplitMix64::new(6)));
    assert!(a.iter().all(|v| v.abs() <= 1.0));
    let rms = (a.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / a.len() as f64).sqrt();
    assert!(rms > 0.05 && rms < 0.7, "rms {rms}");
    let (inputs, targets) = clips::<CLIP>(3, 1);
    assert_eq!(inputs.len(), 3);
    let x: Vec<f32> = inputs[1].iter().map(|s| s[0]).collect();
    let y: Vec<f32> = targets[1].iter().map(|s| s[0]).collect();
    assert_eq!(y, effect(&x));
    assert_eq!(x.len(), CLIP);
}

#[test]
fn a_short_training_learns_the_effect_and_streams_it() {
    // Clips shorter than the example's, for more updates in the same time.
    let (inputs, targets) = clips::<128>(96, 1);
    let mut losses = Vec::new();
    let net: Amp = train(&inputs, &targets, 12, 7, |_, loss| losses.push(loss));
    assert!(losses[11] < losses[0] / 20.0, "{losses:?}");
    let test = guitar(6_000, &mut SplitMix64::new(2));
    let truth = effect(&test);
    let model = esr(&stream(&net, &test), &truth);
    let baseline = esr(&filter_only(&test), &truth);
    assert!(
        model < 0.02 && model < baseline / 20.0,
        "ESR {model:e}, filter alone {baseline:e}"
    );
    // Streaming gives the bits of the whole-sequence pass.
    let chunk: [[f32; 1]; 300] = core::array::from_fn(|t| [test[t]]);
    let whole = net.forward_sequence(&chunk);
    let mut state = AmpState::default();
    for (x, y) in chunk.iter().zip(&whole) {
        assert_eq!(net.step(&mut state, x)[0].to_bits(), y[0].to_bits());
    }
}
