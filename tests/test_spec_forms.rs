//! Spec forms that must compile, and compile without a warning: `#[cfg]` on
//! a definition, `#[deprecated]`, lower-case names, chain parts by any
//! path, chains in a `#![no_implicit_prelude]` module, and arguments from
//! `macro_rules!` fragments. Each of these once failed inside the
//! expansion.

#![deny(warnings)]
// A lower-case network is the user's own choice, and the user's warning to
// see; its trace type, which the user never wrote, must not warn.
#![allow(non_camel_case_types)]

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::Sgd;

pub mod parts {
    backprop_core::network! {
        pub struct Encoder: 2 => 3 ReLU;
        pub struct Decoder: 3 => 1 Linear;
    }

    pub mod nested {
        backprop_core::network! {
            /// Parts named through `super::`.
            pub struct FromSuper: super::Encoder => super::Decoder;
        }
    }
}

network! {
    /// Parts named through `crate::` and `self::`.
    pub struct FromCrate: crate::parts::Encoder => self::parts::Decoder;

    /// Gone, with its trace and every impl.
    #[cfg(any())]
    pub struct Gone: 2 => 1 Linear;

    /// Kept, with everything.
    #[cfg(all())]
    pub struct Kept: 2 => 1 Linear;

    #[deprecated = "use Kept"]
    pub struct Old: 2 => 1 Linear;

    pub struct lower: 2 => 1 Linear;
}

/// Not compiled at all: `Gone` does not exist.
#[cfg(any())]
fn uses_gone() -> Gone {
    Gone::default()
}

#[allow(clippy::module_inception)]
mod no_prelude {
    #![no_implicit_prelude]

    ::backprop_core::network! {
        pub struct A: 2 => 2 Tanh;
        pub struct B: 2 => 1 Sigmoid;
        pub struct Ab: A => B;
    }
}

/// A slope passed through `macro_rules!` as an `expr` fragment.
macro_rules! leaky {
    ($name:ident, $slope:expr) => {
        network! {
            pub struct $name: 2 => 3 LeakyReLU($slope) => 1 Linear;
        }
    };
}

leaky!(Leaky, 0.2);

#[test]
fn chains_through_every_kind_of_path_are_the_same_network() {
    let whole = FromCrate::<f64>::with_seed(4);
    let nested = parts::nested::FromSuper::<f64>::from_params(*whole.params());
    assert_eq!(whole.forward(&[0.5, -1.0]), nested.forward(&[0.5, -1.0]));
    assert_eq!(
        FromCrate::<f32>::ARCHITECTURE,
        parts::nested::FromSuper::<f32>::ARCHITECTURE
    );
}

#[test]
fn kept_and_deprecated_networks_work() {
    let mut kept = Kept::<f32>::with_seed(1);
    let mut sgd = Sgd::new(0.1);
    let loss = kept.train_step(&[1.0, 2.0], &[0.5], &HalfSquaredError, &mut sgd);
    assert!(loss.is_finite());
    #[allow(deprecated)]
    let old = Old::<f32>::from_params(*kept.params());
    #[allow(deprecated)]
    let out = old.forward(&[1.0, 2.0]);
    assert_eq!(out, kept.forward(&[1.0, 2.0]));
    assert_eq!(lower::<f32>::PARAMS, 3);
}

#[test]
fn a_chain_without_the_prelude_runs() {
    let ab = no_prelude::Ab::<f32>::with_seed(2);
    let y = ab.forward(&[0.25, 0.75])[0];
    assert!(y > 0.0 && y < 1.0);
}

#[test]
fn a_fragment_argument_is_read_exactly() {
    assert_eq!(
        Leaky::<f32>::ARCHITECTURE,
        "2 => 3 LeakyReLU(3fc999999999999a) => 1 Linear"
    );
}
