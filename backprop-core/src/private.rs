//! Support for the code `network!` generates. Not a public API: names and
//! signatures here change without notice.
//!
//! The macro decides shapes and writes small layers out as straight-line code;
//! layers too large for that call the const-size loops below. Each loop adds
//! in the same order as the straight-line code does, so both forms give the
//! same bits.
//!
//! The items live in named modules, and this one re-exports the names the
//! generated code calls unqualified:
//!
//! - [`layout`]: how a weight matrix is stored, `[out][in]` ([`OutputMajor`])
//!   or `[in][out]` ([`InputMajor`]), as types the kernels take;
//! - [`views`]: fixed-size views into the flat parameters at constant
//!   offsets (biases, a chain's parts, a matrix in either layout);
//! - [`matrix`]: the kernels over one matrix at an offset, in either layout
//!   (`W x`, `W^T d`, and every weight with its entry of `d x^T`);
//! - [`reduce`]: the fixed-order sums over row-major arrays beneath them;
//! - [`dense`]: a dense layer's loop kernels, a matrix and its biases;
//! - [`signal`]: the signal layers' kernels (convolution, pooling,
//!   flatten) over time-major windows;
//! - [`elementwise`]: activation gradients, the straight-line gradient sink
//!   and the dead-unit bookkeeping;
//! - [`part`]: the passes of a network or chain, which a chain runs its
//!   parts through;
//! - [`chain`]: what chains of networks are built on.

#[path = "private/chain.rs"]
pub mod chain;
#[path = "private/dense.rs"]
pub mod dense;
#[path = "private/elementwise.rs"]
pub mod elementwise;
#[path = "private/layout.rs"]
pub mod layout;
#[path = "private/matrix.rs"]
pub mod matrix;
#[path = "private/part.rs"]
pub mod part;
#[path = "private/reduce.rs"]
pub mod reduce;
#[path = "private/signal.rs"]
pub mod signal;
#[path = "private/views.rs"]
pub mod views;

pub use chain::{
    NetworkFamily, chain_layers, chain_text, chain_text_len, chain_widths, link, utf8,
};
pub use elementwise::{activation_backward, count_inactive, mark_active, put};
pub use layout::{InputMajor, OutputMajor};
pub use part::{FmtWith, Part, fmt_with};
pub use reduce::l2_norm;
pub use views::{segment, segment as bias, segment_mut, segment_mut as bias_mut};

/// The per-type `BYTES`, `to_bytes` and `from_bytes_const` of a network or
/// chain, for each scalar type the runtime has const encoders for.
pub use crate::__byte_methods as byte_methods;

#[cfg(feature = "serde")]
pub use crate::serde_impl;
#[cfg(feature = "serde")]
pub use serde;

/// Without the `serde` feature, the serde impls `network!` asks for are
/// nothing (with it, `serde_impl.rs` defines this macro).
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($($tokens:tt)*) => {};
}
