//! Value-by-value helpers: the gradient through an activation, the
//! gradient sink of straight-line code, and the dead-unit bookkeeping.

use crate::Scalar;
use crate::activation::Activation;

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

/// Marks every unit whose pre-activation is positive as active.
#[inline]
pub fn mark_active<T: Scalar, const N: usize>(pre_activation: &[T; N], active: &mut [bool; N]) {
    for (z, a) in pre_activation.iter().zip(active) {
        *a |= *z > T::ZERO;
    }
}

/// How many units were never marked active.
#[inline]
#[must_use]
pub fn count_inactive<const N: usize>(active: &[bool; N]) -> usize {
    active.iter().filter(|a| !**a).count()
}

/// `*slot += value` when accumulating a batch's gradients, `*slot = value`
/// for one sample's.
#[inline(always)]
pub fn put<T: Scalar, const ACCUMULATE: bool>(slot: &mut T, value: T) {
    if ACCUMULATE {
        *slot += value;
    } else {
        *slot = value;
    }
}
