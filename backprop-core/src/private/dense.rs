//! Dense layers, `z = b + W x` and `a = f(z)`: one weight matrix in either
//! [`Layout`] with its `OUT` biases right after it in the flat parameters.
//! These are the loop kernels of the layers too large to write out, each a
//! kernel of `matrix.rs` with the biases and the activation around it:
//! forward, input gradient, the weight and bias gradients, the fused update,
//! and the seeded initialisation.
//!
//! Every sum runs in the order the straight-line form adds, whatever the
//! layout: `z[o]` from the bias in input order, `(W^T delta)[i]` over the
//! outputs in order. So a network gives the same bits in either layout,
//! and in loop or straight-line form.

use super::layout::{Layout, RowMajor, StoredMut};
use super::matrix::{for_each_outer, mul_vec, row_by_row, transposed_mul_vec, weight_mut};
use crate::Scalar;
use crate::activation::Activation;
use crate::init::{Scheme, SplitMix64, uniform};
use crate::optim::Optimizer;

/// A layer's weights and biases at once, mutably: the matrix whose
/// `IN * OUT` values start at `OFFSET`, and the `OUT` biases after it.
#[inline(always)]
#[must_use]
pub fn layer_mut<T, L, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> (&mut L::Matrix<T, IN, OUT>, &mut [T; OUT])
where
    L: Layout,
{
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT + OUT <= P) };
    let (w, b) = params[OFFSET..OFFSET + IN * OUT + OUT].split_at_mut(IN * OUT);
    match b.first_chunk_mut::<OUT>() {
        Some(b) => (RowMajor::from_flat_mut(w), b),
        None => unreachable!(),
    }
}

/// Forward pass of one dense layer: `z = b + W x` (see [`pre_activation`])
/// and `a = f(z)`.
#[inline]
pub fn forward<T, L, A, const IN: usize, const OUT: usize>(
    activation: &A,
    w: &L::Matrix<T, IN, OUT>,
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
    a: &mut [T; OUT],
) where
    T: Scalar,
    L: Layout,
    A: Activation<T>,
{
    pre_activation::<T, L, IN, OUT>(w, b, x, z);
    for o in 0..OUT {
        a[o] = activation.f(z[o]);
    }
}

/// Pre-activations of one dense layer, `z = b + W x`, each sum from the bias
/// in input order, as the straight-line form adds. Used alone for layers
/// whose activation works on the whole layer (softmax).
#[inline]
pub fn pre_activation<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    w: &L::Matrix<T, IN, OUT>,
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
) {
    mul_vec::<T, L, IN, OUT>(w, x, b, z);
}

/// The gradient at a layer's input: `dx = W^T delta`, each entry summed over
/// the outputs in order, from [`Scalar::EMPTY_SUM`] (the sum of no terms,
/// `-0.0` for floats).
#[inline]
#[must_use]
pub fn input_gradient<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    w: &L::Matrix<T, IN, OUT>,
    delta: &[T; OUT],
) -> [T; IN] {
    let mut dx = [T::EMPTY_SUM; IN];
    transposed_mul_vec::<T, L, IN, OUT>(w, delta, &[T::EMPTY_SUM; IN], &mut dx);
    dx
}

/// Adds one sample's weight and bias gradients: `gw += delta x^T`,
/// `gb += delta`.
#[inline]
pub fn accumulate<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    gw: &mut L::Matrix<T, IN, OUT>,
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    for_each_outer::<T, L, _, IN, OUT, true>(gw, delta, x, |_, g, value| *g += value);
    for o in 0..OUT {
        gb[o] += delta[o];
    }
}

/// One sample's weight and bias gradients, written: `gw = delta x^T`,
/// `gb = delta`.
#[inline]
pub fn assign<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    gw: &mut L::Matrix<T, IN, OUT>,
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    for_each_outer::<T, L, _, IN, OUT, false>(gw, delta, x, |_, g, value| *g = value);
    *gb = *delta;
}

/// One sample's update of a layer, fused into the backward pass: each
/// weight and bias goes through the optimizer with its gradient
/// (`delta[o] * x[i]`, `delta[o]`) and its index in the flat order, starting
/// at `weight_offset`: the weights in their storage order, then the biases.
/// The weights a row at a time, through [`Optimizer::update_row`]; the
/// biases one at a time, through [`Optimizer::update`] (as a row, their
/// gradients would be `1 * delta[o]`: the same bits, but a multiply more
/// per neuron, which showed in the tutorial network's step on the M4F).
#[inline]
pub fn update<T, L, O, const P: usize, const IN: usize, const OUT: usize>(
    optimizer: &mut O,
    weight_offset: usize,
    w: &mut L::Matrix<T, IN, OUT>,
    b: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) where
    T: Scalar,
    L: Layout,
    O: Optimizer<T, P>,
{
    // Row `r` starts at `r * ROW` in storage order; its gradients are
    // `delta[o] * x` (a row per output) or `x[i] * delta` (a row per input).
    match L::stored_mut(w) {
        StoredMut::ByOutput(w) => {
            for o in 0..OUT {
                row_by_row::<IN>();
                optimizer.update_row(weight_offset + o * IN, &mut w[o], delta[o], x);
            }
        }
        StoredMut::ByInput(w) => {
            for i in 0..IN {
                row_by_row::<OUT>();
                optimizer.update_row(weight_offset + i * OUT, &mut w[i], x[i], delta);
            }
        }
    }
    for o in 0..OUT {
        optimizer.update(weight_offset + IN * OUT + o, &mut b[o], delta[o]);
    }
}

/// Fills a layer's weights from `rng` under `scheme` and zeroes its biases;
/// [`crate::init::init_dense`] is this for `[out][in]` weights. The draws
/// go neuron by neuron, input by input, in either layout, so a seed gives
/// the same network in both.
pub fn init<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    weights: &mut L::Matrix<T, IN, OUT>,
    bias: &mut [T; OUT],
    scheme: Scheme,
    rng: &mut SplitMix64,
) {
    let limit = scheme.limit(IN, OUT);
    for o in 0..OUT {
        for i in 0..IN {
            *weight_mut::<T, L, IN, OUT>(weights, o, i) = uniform(rng, limit);
        }
    }
    *bias = [T::ZERO; OUT];
}
