//! Fixed-size views into a flat parameter array at constant offsets: `N`
//! values (a layer's biases, one part's parameters inside a chain's), or a
//! weight matrix in either [`Layout`]. Every view's bounds are checked at
//! compile time, so the slicing never fails.

use super::layout::{Layout, RowMajor};

/// The `N` values at `OFFSET`: a layer's biases, or one part's parameters
/// inside a chain's.
#[inline(always)]
#[must_use]
pub fn segment<T, const P: usize, const OFFSET: usize, const N: usize>(params: &[T; P]) -> &[T; N] {
    const { assert!(OFFSET + N <= P) };
    match params[OFFSET..].first_chunk::<N>() {
        Some(b) => b,
        // The const assertion above makes this unreachable.
        None => unreachable!(),
    }
}

/// The `N` values at `OFFSET`, mutably; see [`segment`].
#[inline(always)]
#[must_use]
pub fn segment_mut<T, const P: usize, const OFFSET: usize, const N: usize>(
    params: &mut [T; P],
) -> &mut [T; N] {
    const { assert!(OFFSET + N <= P) };
    match params[OFFSET..].first_chunk_mut::<N>() {
        Some(b) => b,
        None => unreachable!(),
    }
}

/// The matrix from `IN` inputs to `OUT` outputs whose `IN * OUT` values
/// start at `OFFSET`, stored as `L` says: `[[T; IN]; OUT]` or
/// `[[T; OUT]; IN]`.
#[inline(always)]
#[must_use]
pub fn matrix<T, L, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &[T; P],
) -> &L::Matrix<T, IN, OUT>
where
    L: Layout,
{
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT <= P) };
    RowMajor::from_flat(&params[OFFSET..OFFSET + IN * OUT])
}

/// A matrix at `OFFSET`, mutably; see [`matrix`].
#[inline(always)]
#[must_use]
pub fn matrix_mut<T, L, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> &mut L::Matrix<T, IN, OUT>
where
    L: Layout,
{
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT <= P) };
    RowMajor::from_flat_mut(&mut params[OFFSET..OFFSET + IN * OUT])
}
