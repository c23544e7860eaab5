//! The kernels of `#[layout(input_major)]` networks, whose layers store
//! their weights `[in][out]`: the same names and the same additions, in the
//! same order, as the default `[out][in]` kernels in the parent module, so
//! a network gives the same bits in either layout; only the memory order,
//! and so the speed, differs. Every sum `b + w0 x0 + w1 x1 + ...` runs from
//! the bias in input order, every `(W^T delta)[i]` over the outputs in
//! order.

use crate::Scalar;
use crate::activation::Activation;
use crate::init::{Scheme, SplitMix64};

/// The weights of the layer whose `IN * OUT` weights start at `OFFSET`,
/// `[in][out]`.
#[inline(always)]
#[must_use]
pub fn weights<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &[T; P],
) -> &[[T; OUT]; IN] {
    super::weights::<T, P, OFFSET, OUT, IN>(params)
}

/// The weights of a layer, mutably; see [`weights`].
#[inline(always)]
#[must_use]
pub fn weights_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> &mut [[T; OUT]; IN] {
    super::weights_mut::<T, P, OFFSET, OUT, IN>(params)
}

/// A layer's weights and biases at once, mutably (biases follow the weights).
#[inline(always)]
#[must_use]
pub fn layer_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> (&mut [[T; OUT]; IN], &mut [T; OUT]) {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT + OUT <= P) };
    let (w, b) = params[OFFSET..OFFSET + IN * OUT + OUT].split_at_mut(IN * OUT);
    let (rows, _) = w.as_chunks_mut::<OUT>();
    match (rows.first_chunk_mut::<IN>(), b.first_chunk_mut::<OUT>()) {
        (Some(w), Some(b)) => (w, b),
        _ => unreachable!(),
    }
}

/// Forward pass of one dense layer: `z = b + W x` and `a = f(z)`.
#[inline]
pub fn dense_forward<T: Scalar, A: Activation<T>, const IN: usize, const OUT: usize>(
    activation: &A,
    w: &[[T; OUT]; IN],
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
    a: &mut [T; OUT],
) {
    dense_pre_activation(w, b, x, z);
    for o in 0..OUT {
        a[o] = activation.f(z[o]);
    }
}

/// Pre-activations of one dense layer, `z = b + W x`: input `i` is added
/// into every neuron at once, reading row `i` of the weights contiguously,
/// so each sum still runs from the bias in input order and vectorises
/// across neurons ([`super::rows_combination`]).
#[inline]
pub fn dense_pre_activation<T: Scalar, const IN: usize, const OUT: usize>(
    w: &[[T; OUT]; IN],
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
) {
    super::rows_combination(w, x, b, z);
}

/// The gradient at a layer's input: `dx = W^T delta`, each entry summed
/// over the outputs in order (one contiguous row per entry, summed by
/// [`super::rows_dot`] a tile of rows at a time).
#[inline]
#[must_use]
pub fn dense_input_gradient<T: Scalar, const IN: usize, const OUT: usize>(
    w: &[[T; OUT]; IN],
    delta: &[T; OUT],
) -> [T; IN] {
    let mut dx = [T::NEG_ZERO; IN];
    super::rows_dot(w, delta, &[T::NEG_ZERO; IN], &mut dx);
    dx
}

/// Adds one sample's weight and bias gradients: `gw += x delta^T`,
/// `gb += delta`.
#[inline]
pub fn dense_accumulate<T: Scalar, const IN: usize, const OUT: usize>(
    gw: &mut [[T; OUT]; IN],
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    for i in 0..IN {
        super::row_by_row::<OUT>();
        for o in 0..OUT {
            gw[i][o] += delta[o] * x[i];
        }
    }
    for o in 0..OUT {
        gb[o] += delta[o];
    }
}

/// One sample's weight and bias gradients, written: `gw = x delta^T`,
/// `gb = delta`.
#[inline]
pub fn dense_assign<T: Scalar, const IN: usize, const OUT: usize>(
    gw: &mut [[T; OUT]; IN],
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    for i in 0..IN {
        for o in 0..OUT {
            gw[i][o] = delta[o] * x[i];
        }
    }
    *gb = *delta;
}

/// One sample's update of a layer, fused into the backward pass: each
/// weight and bias goes through `optimizer.update` with its gradient
/// (`delta[o] * x[i]`, `delta[o]`) and its index in the flat order, starting
/// at `weight_offset`.
#[inline]
pub fn dense_update<T: Scalar, O, const P: usize, const IN: usize, const OUT: usize>(
    optimizer: &mut O,
    weight_offset: usize,
    w: &mut [[T; OUT]; IN],
    b: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) where
    O: crate::optim::Optimizer<T, P>,
{
    for i in 0..IN {
        super::row_by_row::<OUT>();
        for o in 0..OUT {
            optimizer.update(weight_offset + i * OUT + o, &mut w[i][o], delta[o] * x[i]);
        }
    }
    for o in 0..OUT {
        optimizer.update(weight_offset + IN * OUT + o, &mut b[o], delta[o]);
    }
}

/// [`crate::init::init_dense`] for `[in][out]` weights: the same draws in
/// the same order (neuron by neuron), so a seed gives the same network in
/// either layout.
pub fn init_dense<T: Scalar, const IN: usize, const OUT: usize>(
    weights: &mut [[T; OUT]; IN],
    bias: &mut [T; OUT],
    scheme: Scheme,
    rng: &mut SplitMix64,
) {
    let limit = scheme.limit(IN, OUT);
    for o in 0..OUT {
        for row in weights.iter_mut() {
            row[o] = crate::init::uniform(rng, limit);
        }
    }
    *bias = [T::ZERO; OUT];
}
