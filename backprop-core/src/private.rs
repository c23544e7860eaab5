//! Support for the code `network!` generates. Not a public API: names and
//! signatures here change without notice.
//!
//! The macro decides shapes and writes small layers out as straight-line code;
//! layers too large for that call the const-size loops below. Each loop adds
//! in the same order as the straight-line code does, so both forms give the
//! same bits.

use crate::Scalar;
use crate::activation::Activation;

/// The weights of the layer whose `IN * OUT` weights start at `OFFSET`.
#[inline(always)]
#[must_use]
pub fn weights<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &[T; P],
) -> &[[T; IN]; OUT] {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT <= P) };
    let (rows, _) = params[OFFSET..OFFSET + IN * OUT].as_chunks::<IN>();
    match rows.first_chunk::<OUT>() {
        Some(w) => w,
        // The const assertion above makes this unreachable.
        None => unreachable!(),
    }
}

/// The weights of a layer, mutably; see [`weights`].
#[inline(always)]
#[must_use]
pub fn weights_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> &mut [[T; IN]; OUT] {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT <= P) };
    let (rows, _) = params[OFFSET..OFFSET + IN * OUT].as_chunks_mut::<IN>();
    match rows.first_chunk_mut::<OUT>() {
        Some(w) => w,
        None => unreachable!(),
    }
}

/// The `N` values starting at `OFFSET`: a layer's biases.
#[inline(always)]
#[must_use]
pub fn bias<T, const P: usize, const OFFSET: usize, const N: usize>(params: &[T; P]) -> &[T; N] {
    const { assert!(OFFSET + N <= P) };
    match params[OFFSET..].first_chunk::<N>() {
        Some(b) => b,
        None => unreachable!(),
    }
}

/// A layer's biases, mutably; see [`bias`].
#[inline(always)]
#[must_use]
pub fn bias_mut<T, const P: usize, const OFFSET: usize, const N: usize>(
    params: &mut [T; P],
) -> &mut [T; N] {
    const { assert!(OFFSET + N <= P) };
    match params[OFFSET..].first_chunk_mut::<N>() {
        Some(b) => b,
        None => unreachable!(),
    }
}

/// A layer's weights and biases at once, mutably (biases follow the weights).
#[inline(always)]
#[must_use]
pub fn layer_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> (&mut [[T; IN]; OUT], &mut [T; OUT]) {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT + OUT <= P) };
    let (w, b) = params[OFFSET..OFFSET + IN * OUT + OUT].split_at_mut(IN * OUT);
    let (rows, _) = w.as_chunks_mut::<IN>();
    match (rows.first_chunk_mut::<OUT>(), b.first_chunk_mut::<OUT>()) {
        (Some(w), Some(b)) => (w, b),
        _ => unreachable!(),
    }
}

/// How many neurons [`dense_forward`] sums at once.
///
/// With weights stored `[out][in]`, one neuron's sum `b + w0 x0 + w1 x1 + ...`
/// is a serial chain of additions (Rust never reassociates it), so summing
/// neuron after neuron waits on the adder's latency at every step. Adding
/// input `i` into a block of neurons at a time ("across outputs") keeps that
/// many independent sums in flight, each still in input order, which LLVM
/// vectorises. 16 was the fastest block measured for 784 x 128, 64 x 128 and
/// 128 x 10 layers, with and without `target-cpu=native`.
pub const FORWARD_BLOCK: usize = 16;

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
    *z = *b;
    let mut first = 0;
    while first < OUT {
        let end = if first + FORWARD_BLOCK < OUT {
            first + FORWARD_BLOCK
        } else {
            OUT
        };
        for i in 0..IN {
            let xi = x[i];
            for o in first..end {
                z[o] += w[o][i] * xi;
            }
        }
        first = end;
    }
    for o in 0..OUT {
        a[o] = activation.f(z[o]);
    }
}

/// The gradient at a layer's pre-activation from the gradient at its
/// activation: `delta = da * f'(z)`.
#[inline]
#[must_use]
pub fn activation_backward<T: Scalar, A: Activation<T>, const N: usize>(
    activation: &A,
    z: &[T; N],
    a: &[T; N],
    da: &[T; N],
) -> [T; N] {
    let mut delta = [T::ZERO; N];
    for n in 0..N {
        delta[n] = da[n] * activation.df(z[n], a[n]);
    }
    delta
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
    for o in 0..OUT {
        for i in 0..IN {
            dx[i] += w[o][i] * delta[o];
        }
    }
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
        for i in 0..IN {
            gw[o][i] += delta[o] * x[i];
        }
        gb[o] += delta[o];
    }
}
