//! A `#![no_std]` crate that uses `network!` as firmware would. CI builds it
//! for `thumbv7em-none-eabihf`, a target with no `std` and no allocator, so
//! any use of either in the runtime or in generated code fails the build.
#![no_std]
#![forbid(unsafe_code)]

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::Sgd;

network! {
    /// The tutorial's network.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// A larger one whose first layer takes the loop form.
    pub struct Larger: 16 => 32 Tanh => 1 Sigmoid;
}

/// Trains the tutorial's network for `steps` SGD steps on its sample and
/// returns the final loss.
#[must_use]
pub fn train_seed(steps: usize) -> f32 {
    let mut net = SeedNet::<f32>::from_params([
        0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0,
        1.0, 1.0, 0.5, 1.0,
    ]);
    let mut sgd = Sgd::new(0.25);
    for _ in 0..steps {
        net.train_step(&[2.0], &[3.0], &HalfSquaredError, &mut sgd);
    }
    net.loss(&[2.0], &[3.0], &HalfSquaredError)
}

/// One training step of the larger network from all-zero parameters.
#[must_use]
pub fn train_larger(input: &[f32; 16]) -> f32 {
    let mut net = Larger::<f32>::default();
    net.train_step(input, &[1.0], &HalfSquaredError, &mut Sgd::new(0.1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn trains_without_std() {
        assert!(super::train_seed(30) < 1e-6);
        assert!((super::train_larger(&[0.5; 16]) - 0.125).abs() < 1e-7);
    }
}
