//! Fixed-size, allocation-free neural networks, declared in one line.
#![no_std]
#![forbid(unsafe_code)]

extern crate self as backprop_core;

pub mod activation;
pub mod loss;
pub mod optim;
mod scalar;
mod trace;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use backprop_macros::network;
pub use scalar::Scalar;
pub use trace::LayerTrace;
