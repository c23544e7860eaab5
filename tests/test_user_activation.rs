//! A user's own activation, named in a spec by its path: it runs forward,
//! backpropagates (checked against finite differences), initialises with
//! the scheme it asks for, takes arguments through `new`, and names itself
//! in the architecture text.

mod common;

use backprop_core::activation::{Activation, Sigmoid};
use backprop_core::init::Scheme;
use backprop_core::loss::{HalfSquaredError, Loss};
use backprop_core::optim::Sgd;
use backprop_core::{Float, network};
use common::Rng;

/// `x * sigmoid(x)`, written as a user would, on top of the runtime's sigmoid.
#[derive(Clone, Copy, Debug, Default)]
pub struct Swish;

impl<T: Float> Activation<T> for Swish {
    const NAME: &'static str = "Swish";
    const INIT: Scheme = Scheme::He;

    fn f(&self, x: T) -> T {
        x * Sigmoid.f(x)
    }

    fn df(&self, x: T, _y: T) -> T {
        let s = Sigmoid.f(x);
        s * (T::ONE + x * (T::ONE - s))
    }
}

pub mod acts {
    use backprop_core::Scalar;
    use backprop_core::activation::Activation;

    /// `k * x`: an activation with an argument, which the spec passes to `new`.
    #[derive(Clone, Copy, Debug)]
    pub struct Scaled {
        k: f64,
    }

    impl Scaled {
        /// The spec's `Scaled(k)`.
        pub const fn new(k: f64) -> Self {
            Self { k }
        }
    }

    impl<T: Scalar> Activation<T> for Scaled {
        const NAME: &'static str = "Scaled";

        fn f(&self, x: T) -> T {
            T::from_f64(self.k) * x
        }

        fn df(&self, _x: T, _y: T) -> T {
            T::from_f64(self.k)
        }
    }
}

network! {
    struct Custom: 2 => 3 crate::Swish => 2 self::acts::Scaled(0.5) => 1 Linear;
    struct Plain: 2 => 3 ReLU => 2 Linear => 1 Linear;
}

#[test]
fn forward_applies_the_users_functions() {
    let mut rng = Rng(7);
    let net = Custom::<f64>::from_params(rng.array(-1.0, 1.0));
    let x = [0.3, -1.2];
    let trace = net.forward_trace(&x);
    for (z, a) in trace
        .layer1
        .pre_activation
        .iter()
        .zip(&trace.layer1.activation)
    {
        assert!((a - z / (1.0 + (-z).exp())).abs() < 1e-15);
    }
    for (z, a) in trace
        .layer2
        .pre_activation
        .iter()
        .zip(&trace.layer2.activation)
    {
        assert_eq!(*a, 0.5 * z);
    }
}

#[test]
fn gradients_match_finite_differences() {
    let mut rng = Rng(11);
    for _ in 0..20 {
        let net = Custom::<f64>::from_params(rng.array(-1.0, 1.0));
        let x = rng.array(-2.0, 2.0);
        let t = rng.array(-1.0, 1.0);
        let (_, grads) = net.loss_and_gradients(&x, &t, &HalfSquaredError);
        let h = 1e-6;
        for k in 0..Custom::<f64>::PARAMS {
            let (mut up, mut down) = (net, net);
            up.params_mut()[k] += h;
            down.params_mut()[k] -= h;
            let numeric = (HalfSquaredError.loss(&up.forward(&x), &t)
                - HalfSquaredError.loss(&down.forward(&x), &t))
                / (2.0 * h);
            let analytic = grads.params()[k];
            assert!(
                (numeric - analytic).abs() <= 1e-7 * (1.0 + analytic.abs()),
                "parameter {k}: {analytic} against {numeric}"
            );
        }
    }
}

#[test]
fn the_activation_chooses_its_initialisation() {
    // Swish asks for He, as ReLU does: the same draws as the ReLU network's
    // first layer; Scaled keeps the default, Glorot, as Linear does.
    let custom = Custom::<f32>::with_seed(3);
    let plain = Plain::<f32>::with_seed(3);
    assert_eq!(custom.params(), plain.params());
    let limit = Scheme::He.limit(2, 3) as f32;
    assert!(
        custom
            .layer1_weights()
            .as_flattened()
            .iter()
            .all(|w| w.abs() <= limit)
    );
}

#[test]
fn trains_and_names_itself() {
    assert_eq!(
        Custom::<f32>::ARCHITECTURE,
        "2 => 3 crate::Swish => 2 self::acts::Scaled(3fe0000000000000) => 1 Linear"
    );
    let mut net = Custom::<f32>::with_seed(5);
    let mut sgd = Sgd::new(0.05);
    let (x, t) = ([0.5, -0.5], [0.25]);
    let first = net.loss(&x, &t, &HalfSquaredError);
    for _ in 0..200 {
        net.train_step(&x, &t, &HalfSquaredError, &mut sgd);
    }
    assert!(net.loss(&x, &t, &HalfSquaredError) < first * 1e-3);
}
