//! Odd but valid inputs expand to code that compiles cleanly under strict
//! lints in the user's crate, and the generated names do not clash with the
//! user's own (`x`, `T`, `Self`, items named like the macro's internals).
#![deny(warnings, missing_docs, unused_qualifications)]
#![deny(clippy::all, clippy::pedantic)]
#![allow(non_upper_case_globals)]
// The test's own assertions compare floats that are exact in binary.
#![allow(clippy::float_cmp)]

use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;

/// A user constant with the name of a generated parameter: a `let` or
/// parameter pattern `x` would become a constant pattern if it could see it.
const x: f32 = 7.0;
/// A constant named like a generated associated const.
const PARAMS: f32 = 1.0;
/// A user type named like the generated generic parameter.
#[allow(dead_code)]
struct T;
/// User items named like the runtime's: the generated code names everything
/// by absolute path, so none of these is picked up.
#[allow(dead_code)]
struct Scalar;
#[allow(dead_code)]
struct LayerTrace;
#[allow(dead_code)]
struct Network;
/// A module named like the standard `core`.
#[allow(dead_code)]
mod core {}
/// A user trait with the generated methods' names, implemented for every type.
trait Forward {
    /// Clashes with the inherent method, which must win.
    fn forward(&self) -> u8 {
        0
    }
}
impl<U> Forward for U {}

backprop_core::network! {
    /// One neuron.
    pub struct One: 1 => 1 Linear;
    /// Wide and shallow: the first layer takes the loop form.
    #[derive(Hash)]
    pub struct Wide: 64 => 64 Tanh => 1 Sigmoid;
    /// Every activation.
    pub(crate) struct Every: 2 => 3 ReLU => 3 Sigmoid => 3 Tanh => 3 LeakyReLU(0.5) => 2 Softmax;
    /// A chain, also under the strict lints.
    pub struct Chain: One => One
}

mod nested {
    backprop_core::network! {
        /// A network inside a module, private to it, with a public one beside.
        struct Private: 2 => 2 ReLU => 1 Linear;
        /// Public.
        pub struct Public: 2 => 1 Sigmoid;
    }

    /// Uses the private network so it is not dead code.
    pub fn private_output() -> f64 {
        Private::<f64>::from_params([1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.5])
            .forward(&[2.0, 3.0])[0]
    }
}

#[test]
fn generated_code_compiles_and_runs() {
    let mut one = One::<f64>::from_params([2.0, 1.0]);
    assert_eq!(one.forward(&[f64::from(x)]), [15.0]);
    let before = one.train_step(&[1.0], &[0.0], &HalfSquaredError, &mut Sgd::new(0.5));
    assert_eq!(before, 4.5);
    assert_eq!(one.params(), &[0.5, -0.5]);
    assert_eq!(PARAMS, 1.0);

    let wide = Wide::<f32>::default();
    assert_eq!(wide.forward(&[1.0; 64]), [0.5]);
    assert_eq!(Wide::<f32>::PARAMS, 64 * 64 + 64 + 64 + 1);

    let every = Every::<f64>::default();
    assert_eq!(every.forward(&[1.0, 1.0]), [0.5, 0.5]);
    let chain = Chain::<f64>::from_params([2.0, 1.0, 3.0, 0.0]);
    assert_eq!(chain.forward(&[1.0]), [9.0]);

    assert_eq!(nested::private_output(), 5.5);
    assert_eq!(nested::Public::<f32>::OUTPUTS, 1);
    // The user's blanket trait still works where no inherent method exists.
    assert_eq!(Forward::forward(&()), 0);
}
