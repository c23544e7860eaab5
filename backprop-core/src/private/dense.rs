//! The loop kernels of one dense layer (`z = b + W x`, `a = f(z)`), for
//! the layers too large to write out: forward, input gradient, the
//! gradients of the weights and biases, and the fused update.

use super::reduce::{rows_combination, rows_dot};
use crate::Scalar;
use crate::activation::Activation;

/// Forward pass of one dense layer: `z = b + W x` (each sum from the bias in
/// input order, as the straight-line form adds) and `a = f(z)`.
#[inline]
pub fn dense_forward<T: Scalar, A: Activation<T>, const IN: usize, const OUT: usize>(
    activation: &A,
    w: &[[T; IN]; OUT],
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

/// The gradient at a layer's input: `dx = W^T delta`, each entry summed over
/// the outputs in order.
#[inline]
#[must_use]
pub fn dense_input_gradient<T: Scalar, const IN: usize, const OUT: usize>(
    w: &[[T; IN]; OUT],
    delta: &[T; OUT],
) -> [T; IN] {
    let mut dx = [T::NEG_ZERO; IN];
    rows_combination(w, delta, &[T::NEG_ZERO; IN], &mut dx);
    dx
}

/// Adds one sample's weight and bias gradients: `gw += delta x^T`,
/// `gb += delta`.
#[inline]
pub fn dense_accumulate<T: Scalar, const IN: usize, const OUT: usize>(
    gw: &mut [[T; IN]; OUT],
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    for o in 0..OUT {
        row_by_row::<IN>();
        for i in 0..IN {
            gw[o][i] += delta[o] * x[i];
        }
        gb[o] += delta[o];
    }
}

/// Pre-activations of one dense layer, `z = b + W x`, each sum from the bias
/// in input order, as the straight-line form adds (see [`rows_dot`]). Used
/// alone for layers whose activation works on the whole layer (softmax).
#[inline]
pub fn dense_pre_activation<T: Scalar, const IN: usize, const OUT: usize>(
    w: &[[T; IN]; OUT],
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
) {
    rows_dot(w, x, b, z);
}

/// Marks the start of one row in a loop over a weight matrix's rows, so
/// that the row's own loop is the one that is vectorised.
///
/// Once LLVM has unrolled a short inner loop (a row of 32 weights, say), the
/// loop over rows looks like the innermost loop, and its vectoriser may then
/// work across rows: it gathers one weight from each of four rows, and
/// scatters the results back, one lane at a time. For the fused SGD update
/// of a 32 x 32 layer that was 2.7 times slower than updating each row with
/// contiguous vector loads and stores. A compiler fence (no instruction on
/// any target, and nothing here is shared between threads) makes the rows'
/// order observable to the compiler, which keeps each row's vector code
/// and rules out the gather. The arithmetic, and so every result bit, is
/// unchanged.
///
/// Only on targets with float vector units: elsewhere (a Cortex-M4F's FPU
/// is scalar) there is nothing to misvectorise, and the fence would cost
/// code size (32 bytes in the tutorial network's training step). And only
/// for rows of two weights or more: rows of one weight are a contiguous
/// column, which is right to vectorise across (the fence made the
/// tutorial network's step 5 % slower).
#[inline(always)]
pub fn row_by_row<const ROW: usize>() {
    if ROW < 2 {
        return;
    }
    #[cfg(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    ))]
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

/// One sample's weight and bias gradients, written: `gw = delta x^T`,
/// `gb = delta`.
#[inline]
pub fn dense_assign<T: Scalar, const IN: usize, const OUT: usize>(
    gw: &mut [[T; IN]; OUT],
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    for o in 0..OUT {
        for i in 0..IN {
            gw[o][i] = delta[o] * x[i];
        }
        gb[o] = delta[o];
    }
}

/// One sample's update of a layer, fused into the backward pass: each
/// weight and bias goes through `optimizer.update` with its gradient
/// (`delta[o] * x[i]`, `delta[o]`) and its index in the flat order, starting
/// at `weight_offset`.
#[inline]
pub fn dense_update<T: Scalar, O, const P: usize, const IN: usize, const OUT: usize>(
    optimizer: &mut O,
    weight_offset: usize,
    w: &mut [[T; IN]; OUT],
    b: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) where
    O: crate::optim::Optimizer<T, P>,
{
    for o in 0..OUT {
        row_by_row::<IN>();
        for i in 0..IN {
            optimizer.update(weight_offset + o * IN + i, &mut w[o][i], delta[o] * x[i]);
        }
    }
    for o in 0..OUT {
        optimizer.update(weight_offset + IN * OUT + o, &mut b[o], delta[o]);
    }
}
