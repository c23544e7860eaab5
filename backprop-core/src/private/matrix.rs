//! Kernels over one matrix from `IN` inputs to `OUT` outputs, in either
//! [`Layout`]: its product with a vector, the transposed matrix's product
//! with a vector, and a visit of every weight with its entry of an outer
//! product (for gradients and updates).
//!
//! Each kernel matches on how its matrix is stored ([`Stored`]) and runs the
//! loop that reads that storage contiguously; both arms add in the same
//! order, so the two layouts give the same bits and differ only in speed.
//! The kernels take the matrix's view, not a layer: whatever holds one or
//! several matrices at offsets of its parameters calls them on each.

use super::layout::{Layout, Stored, StoredMut};
use super::reduce::{rows_combination, rows_dot};
use crate::Scalar;

/// `out = init + W x`: `out[o] = init[o] + w(o, 0) x[0] + w(o, 1) x[1] + ...`,
/// each sum a serial chain in input order.
///
/// Stored a row per output, each sum is a dot product of one row
/// ([`rows_dot`], a tile of rows at a time); a row per input, the sums are
/// a combination of the rows ([`rows_combination`]), each row added into
/// every output at once.
#[inline(always)]
pub fn mul_vec<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    w: &L::Matrix<T, IN, OUT>,
    x: &[T; IN],
    init: &[T; OUT],
    out: &mut [T; OUT],
) {
    match L::stored(w) {
        Stored::ByOutput(w) => rows_dot(w, x, init, out),
        Stored::ByInput(w) => rows_combination(w, x, init, out),
    }
}

/// `out = init + W^T d`: `out[i] = init[i] + w(0, i) d[0] + w(1, i) d[1] + ...`,
/// each sum a serial chain in output order.
///
/// The other way round from [`mul_vec`]: stored a row per output, the sums
/// are a combination of the rows; a row per input, a dot product per row.
#[inline(always)]
pub fn transposed_mul_vec<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    w: &L::Matrix<T, IN, OUT>,
    d: &[T; OUT],
    init: &[T; IN],
    out: &mut [T; IN],
) {
    match L::stored(w) {
        Stored::ByOutput(w) => rows_combination(w, d, init, out),
        Stored::ByInput(w) => rows_dot(w, d, init, out),
    }
}

/// Calls `f(k, w(o, i), d[o] * x[i])` for every weight: the weight from
/// input `i` to output `o`, its entry of the outer product `d x^T`, and
/// `k`, its index in the matrix's storage (`o * IN + i` stored a row per
/// output, `i * OUT + o` a row per input).
///
/// The weights go in storage order, row after row. With `WHOLE_ROWS`, each
/// row starts with [`row_by_row`], so that the row's own loop is the one
/// vectorised (for updates and sums into the weights; gradients that are
/// only written go without, as before the kernels were generic).
#[inline(always)]
pub fn for_each_outer<T, L, F, const IN: usize, const OUT: usize, const WHOLE_ROWS: bool>(
    w: &mut L::Matrix<T, IN, OUT>,
    d: &[T; OUT],
    x: &[T; IN],
    mut f: F,
) where
    T: Scalar,
    L: Layout,
    F: FnMut(usize, &mut T, T),
{
    match L::stored_mut(w) {
        StoredMut::ByOutput(w) => {
            in_rows::<OUT, IN, WHOLE_ROWS>(|o, i| f(o * IN + i, &mut w[o][i], d[o] * x[i]));
        }
        StoredMut::ByInput(w) => {
            in_rows::<IN, OUT, WHOLE_ROWS>(|i, o| f(i * OUT + o, &mut w[i][o], d[o] * x[i]));
        }
    }
}

/// The weight from input `i` to output `o`, mutably.
#[inline(always)]
#[must_use]
pub fn weight_mut<T, L: Layout, const IN: usize, const OUT: usize>(
    w: &mut L::Matrix<T, IN, OUT>,
    o: usize,
    i: usize,
) -> &mut T {
    match L::stored_mut(w) {
        StoredMut::ByOutput(w) => &mut w[o][i],
        StoredMut::ByInput(w) => &mut w[i][o],
    }
}

/// `f(r, c)` for every row `r < ROWS` and column `c < COLS`, row after
/// row; see [`for_each_outer`] for `WHOLE_ROWS`.
#[inline(always)]
fn in_rows<const ROWS: usize, const COLS: usize, const WHOLE_ROWS: bool>(
    mut f: impl FnMut(usize, usize),
) {
    for r in 0..ROWS {
        if WHOLE_ROWS {
            row_by_row::<COLS>();
        }
        for c in 0..COLS {
            f(r, c);
        }
    }
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
