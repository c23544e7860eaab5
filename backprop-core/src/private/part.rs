//! The passes every network and chain has, as a trait: a chain runs its
//! parts through it, and the where-clauses of a chain's impls name it.

use core::fmt;

use super::NetworkFamily;
use crate::Scalar;
use crate::loss::Loss;
use crate::optim::Optimizer;

/// The hidden passes of a network (or chain) with `IN` inputs, `OUT`
/// outputs and `P` parameters, as associated functions over a parameter
/// array: a chain runs each part on its slice of the chain's parameters.
/// `network!` implements it for everything it declares, with the same
/// bounds as the type's own methods, on the whole family (`Net<S>`, any
/// `S`), so that a chain's where-clause can name a part by its path alone
/// (`A: Part<T, ..>`, with `A` as written).
///
/// `INPUT_GRAD` says whether the gradient at the inputs is wanted (the
/// first layer of a whole network never needs it); `ACCUMULATE` whether the
/// gradients are added into `gradients` (a batch) or written (one sample).
pub trait Part<T: Scalar, const IN: usize, const OUT: usize, const P: usize>:
    NetworkFamily
{
    /// The trace of one forward pass.
    fn __forward_trace(params: &[T; P], input: &[T; IN]) -> <Self as NetworkFamily>::TraceOf<T>;

    /// The output of one forward pass, into `output`, without a trace:
    /// what `forward` runs.
    fn __forward(params: &[T; P], input: &[T; IN], output: &mut [T; OUT]);

    /// The loss from a trace.
    fn __trace_loss<L: Loss<T>>(
        trace: &<Self as NetworkFamily>::TraceOf<T>,
        target: &[T; OUT],
        loss: &L,
    ) -> T;

    /// The loss and the input gradient, every parameter's gradient into
    /// `gradients`.
    fn __backward<L: Loss<T>, const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        params: &[T; P],
        trace: &<Self as NetworkFamily>::TraceOf<T>,
        target: &[T; OUT],
        loss: &L,
        gradients: &mut [T; P],
    ) -> (T, [T; IN]);

    /// The input gradient from a gradient at the outputs, every parameter's
    /// gradient into `gradients`.
    fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        params: &[T; P],
        trace: &<Self as NetworkFamily>::TraceOf<T>,
        upstream: &[T; OUT],
        gradients: &mut [T; P],
    ) -> [T; IN];

    /// The loss and the input gradient, each parameter updated through
    /// `optimizer` (at index `base` onwards) as soon as its gradient is known.
    fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
        params: &mut [T; P],
        trace: &<Self as NetworkFamily>::TraceOf<T>,
        target: &[T; OUT],
        loss: &L,
        optimizer: &mut O,
        base: usize,
    ) -> (T, [T; IN])
    where
        L: Loss<T>,
        O: Optimizer<T, PO>;

    /// The input gradient from a gradient at the outputs, each parameter
    /// updated through `optimizer` as soon as its gradient is known.
    fn __update_upstream<O, const PO: usize, const INPUT_GRAD: bool>(
        params: &mut [T; P],
        trace: &<Self as NetworkFamily>::TraceOf<T>,
        upstream: &[T; OUT],
        optimizer: &mut O,
        base: usize,
    ) -> [T; IN]
    where
        O: Optimizer<T, PO>;

    /// Seeded parameters, as the type's `with_seed` gives them.
    fn __with_seed(seed: u64) -> [T; P];

    /// The network with these parameters.
    fn __from_params(params: [T; P]) -> <Self as NetworkFamily>::Of<T>;

    /// The network with these parameters, formatted by its `Debug`.
    ///
    /// # Errors
    ///
    /// As the formatter's.
    fn __fmt(params: &[T; P], f: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// The Euclidean norm of each layer's parameters, into `norms`
    /// (`LAYERS` long).
    fn __gradient_norms(params: &[T; P], norms: &mut [T])
    where
        T: crate::Float;

    /// Flags every `ReLU` unit whose pre-activation in `trace` is positive,
    /// in `alive` (`UNITS` long).
    fn __mark_alive(trace: &<Self as NetworkFamily>::TraceOf<T>, alive: &mut [bool]);

    /// The dead units of each layer, from `alive`, into `dead` (`LAYERS` long).
    fn __count_dead(alive: &[bool], dead: &mut [usize]);
}

/// A `Debug` value that formats itself with a closure: how a chain shows
/// each part through [`Part::__fmt`].
pub struct FmtWith<F>(pub F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Debug for FmtWith<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// [`FmtWith`] over `f`, whose signature this bound gives the closure.
pub fn fmt_with<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(f: F) -> FmtWith<F> {
    FmtWith(f)
}
