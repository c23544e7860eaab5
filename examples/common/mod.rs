//! Data sets the examples (and the convergence tests) generate for
//! themselves, deterministically from a seed.
#![allow(dead_code)]

use backprop_core::init::SplitMix64;

/// The four XOR samples and their labels.
pub const XOR_INPUTS: [[f32; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
/// `a XOR b`.
pub const XOR_TARGETS: [[f32; 1]; 4] = [[0.0], [1.0], [1.0], [0.0]];

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut SplitMix64) -> f64 {
    let u1 = rng.next_f64().max(1e-300);
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Three interleaved spiral arms, `per_class` points each, with one-hot
/// labels: a classic data set no linear model separates.
pub fn spirals(per_class: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<[f32; 3]>) {
    let mut rng = SplitMix64::new(seed);
    let mut inputs = Vec::with_capacity(3 * per_class);
    let mut targets = Vec::with_capacity(3 * per_class);
    for class in 0..3 {
        for k in 0..per_class {
            let r = k as f64 / per_class as f64;
            let angle = class as f64 * 2.0 * std::f64::consts::PI / 3.0
                + 1.75 * r * std::f64::consts::PI
                + 0.12 * normal(&mut rng);
            inputs.push([(r * angle.cos()) as f32, (r * angle.sin()) as f32]);
            let mut t = [0.0; 3];
            t[class] = 1.0;
            targets.push(t);
        }
    }
    (inputs, targets)
}

/// Three Gaussian blobs, `per_class` points each, with one-hot labels.
pub fn blobs(per_class: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<[f32; 3]>) {
    let centres = [[-1.0, -0.5], [1.0, -0.5], [0.0, 1.0]];
    let mut rng = SplitMix64::new(seed);
    let mut inputs = Vec::with_capacity(3 * per_class);
    let mut targets = Vec::with_capacity(3 * per_class);
    for (class, c) in centres.iter().enumerate() {
        for _ in 0..per_class {
            let x = c[0] + 0.35 * normal(&mut rng);
            let y = c[1] + 0.35 * normal(&mut rng);
            inputs.push([x as f32, y as f32]);
            let mut t = [0.0; 3];
            t[class] = 1.0;
            targets.push(t);
        }
    }
    (inputs, targets)
}

/// The index of the largest value.
pub fn argmax<const N: usize>(values: &[f32; N]) -> usize {
    let mut best = 0;
    for (k, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = k;
        }
    }
    best
}

/// The fraction of samples whose largest output is the target's class.
pub fn accuracy<const N: usize>(
    predictions: impl Iterator<Item = [f32; N]>,
    targets: &[[f32; N]],
) -> f32 {
    let correct = predictions
        .zip(targets)
        .filter(|(p, t)| argmax(p) == argmax(t))
        .count();
    correct as f32 / targets.len() as f32
}
