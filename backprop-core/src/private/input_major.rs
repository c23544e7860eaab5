//! The names the macro calls for `#[layout(input_major)]` layers, over the
//! generic kernels of `dense.rs` (until the macro names the layout itself).

use super::dense;
use super::layout::InputMajor;
use crate::Scalar;
use crate::activation::Activation;

/// See [`super::views::matrix`].
#[inline(always)]
#[must_use]
pub fn weights<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &[T; P],
) -> &[[T; OUT]; IN] {
    super::views::matrix::<T, InputMajor, P, OFFSET, IN, OUT>(params)
}

/// See [`super::views::matrix_mut`].
#[inline(always)]
#[must_use]
pub fn weights_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> &mut [[T; OUT]; IN] {
    super::views::matrix_mut::<T, InputMajor, P, OFFSET, IN, OUT>(params)
}

/// See [`dense::layer_mut`].
#[inline(always)]
#[must_use]
pub fn layer_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> (&mut [[T; OUT]; IN], &mut [T; OUT]) {
    dense::layer_mut::<T, InputMajor, P, OFFSET, IN, OUT>(params)
}

/// See [`dense::forward`].
#[inline(always)]
pub fn dense_forward<T: Scalar, A: Activation<T>, const IN: usize, const OUT: usize>(
    activation: &A,
    w: &[[T; OUT]; IN],
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
    a: &mut [T; OUT],
) {
    dense::forward::<T, InputMajor, A, IN, OUT>(activation, w, b, x, z, a);
}

/// See [`dense::pre_activation`].
#[inline(always)]
pub fn dense_pre_activation<T: Scalar, const IN: usize, const OUT: usize>(
    w: &[[T; OUT]; IN],
    b: &[T; OUT],
    x: &[T; IN],
    z: &mut [T; OUT],
) {
    dense::pre_activation::<T, InputMajor, IN, OUT>(w, b, x, z);
}

/// See [`dense::input_gradient`].
#[inline(always)]
#[must_use]
pub fn dense_input_gradient<T: Scalar, const IN: usize, const OUT: usize>(
    w: &[[T; OUT]; IN],
    delta: &[T; OUT],
) -> [T; IN] {
    dense::input_gradient::<T, InputMajor, IN, OUT>(w, delta)
}

/// See [`dense::accumulate`].
#[inline(always)]
pub fn dense_accumulate<T: Scalar, const IN: usize, const OUT: usize>(
    gw: &mut [[T; OUT]; IN],
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    dense::accumulate::<T, InputMajor, IN, OUT>(gw, gb, delta, x);
}

/// See [`dense::assign`].
#[inline(always)]
pub fn dense_assign<T: Scalar, const IN: usize, const OUT: usize>(
    gw: &mut [[T; OUT]; IN],
    gb: &mut [T; OUT],
    delta: &[T; OUT],
    x: &[T; IN],
) {
    dense::assign::<T, InputMajor, IN, OUT>(gw, gb, delta, x);
}

/// See [`dense::update`].
#[inline(always)]
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
    dense::update::<T, InputMajor, O, P, IN, OUT>(optimizer, weight_offset, w, b, delta, x);
}

/// See [`dense::init`].
pub fn init_dense<T: Scalar, const IN: usize, const OUT: usize>(
    weights: &mut [[T; OUT]; IN],
    bias: &mut [T; OUT],
    scheme: crate::init::Scheme,
    rng: &mut crate::init::SplitMix64,
) {
    dense::init::<T, InputMajor, IN, OUT>(weights, bias, scheme, rng);
}
