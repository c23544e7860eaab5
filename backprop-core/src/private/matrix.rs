//! Kernels over one matrix from `IN` inputs to `OUT` outputs, in either
//! [`Layout`]: its product with a vector, the transposed matrix's product
//! with a vector, and a visit of every weight with its entry of an outer
//! product (for gradients and updates).
//!
//! Each kernel matches on how its matrix is stored ([`Stored`]), itself or
//! through [`mul_vec`], and runs the loop that reads that storage
//! contiguously; both arms add in the same order, so the two layouts give
//! the same bits and differ only in speed.
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
/// The storage of `W` in one layout is that of `W^T` in the other
/// ([`Layout::Transposed`]), so this is [`mul_vec`] of the transpose: a
/// combination of the rows when they are outputs, a dot product per row
/// when they are inputs.
#[inline(always)]
pub fn transposed_mul_vec<T: Scalar, L: Layout, const IN: usize, const OUT: usize>(
    w: &L::Matrix<T, IN, OUT>,
    d: &[T; OUT],
    init: &[T; IN],
    out: &mut [T; IN],
) {
    mul_vec::<T, L::Transposed, OUT, IN>(L::transposed(w), d, init, out);
}

/// Calls `f(k, w(o, i), d[o] * x[i])` for every weight: the weight from
/// input `i` to output `o`, its entry of the outer product `d x^T`, and
/// `k`, its index in the matrix's storage (`o * IN + i` stored a row per
/// output, `i * OUT + o` a row per input).
///
/// The weights go in storage order, row after row. With `WHOLE_ROWS`, each
/// row starts with [`row_by_row`], so that the row's own loop is the one
/// vectorised: the fused update and the sums of a batch's gradients take
/// it. One sample's gradients, only written, go without, as they always
/// have: with it, at the default x86-64 target, an `[out][in]` 16 x 32
/// layer took 12 % more instructions and an `[in][out]` 32 x 4 one 43 %
/// fewer, so neither choice is better for both.
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

#[cfg(test)]
mod tests {
    use super::{for_each_outer, mul_vec, transposed_mul_vec, weight_mut};
    use crate::__private::{InputMajor, OutputMajor};

    /// Deterministic values in [-1, 1), with a spread of magnitudes, so that
    /// a reordered sum would round differently.
    fn values<const N: usize>(seed: u64) -> [f32; N] {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        core::array::from_fn(|k| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0;
            unit * [1e-3, 1.0, 1e3][k % 3]
        })
    }

    /// The same matrix in both layouts gives the same bits in every kernel,
    /// and visits each weight with the same gradient at its own index.
    fn check<const IN: usize, const OUT: usize>() {
        let by_output: [[f32; IN]; OUT] = core::array::from_fn(|o| values(o as u64 + 1));
        let mut by_input = [[0.0f32; OUT]; IN];
        for (o, row) in by_output.iter().enumerate() {
            for (i, w) in row.iter().enumerate() {
                *weight_mut::<f32, InputMajor, IN, OUT>(&mut by_input, o, i) = *w;
            }
        }
        assert_eq!(by_input[IN - 1][0], by_output[0][IN - 1]);
        let (x, d) = (values::<IN>(100), values::<OUT>(200));
        let (init_out, init_in) = (values::<OUT>(300), values::<IN>(400));

        let (mut a, mut b) = ([f32::NAN; OUT], [f32::NAN; OUT]);
        mul_vec::<f32, OutputMajor, IN, OUT>(&by_output, &x, &init_out, &mut a);
        mul_vec::<f32, InputMajor, IN, OUT>(&by_input, &x, &init_out, &mut b);
        assert_eq!(
            a.map(f32::to_bits),
            b.map(f32::to_bits),
            "W x, {IN} -> {OUT}"
        );

        let (mut a, mut b) = ([f32::NAN; IN], [f32::NAN; IN]);
        transposed_mul_vec::<f32, OutputMajor, IN, OUT>(&by_output, &d, &init_in, &mut a);
        transposed_mul_vec::<f32, InputMajor, IN, OUT>(&by_input, &d, &init_in, &mut b);
        assert_eq!(
            a.map(f32::to_bits),
            b.map(f32::to_bits),
            "W^T d, {IN} -> {OUT}"
        );

        let mut seen = [[None; IN]; OUT];
        let mut w = by_output;
        for_each_outer::<f32, OutputMajor, _, IN, OUT, true>(&mut w, &d, &x, |k, w, g| {
            seen[k / IN][k % IN] = Some((*w, g));
        });
        let mut w = by_input;
        for_each_outer::<f32, InputMajor, _, IN, OUT, false>(&mut w, &d, &x, |k, w, g| {
            let (i, o) = (k / OUT, k % OUT);
            assert_eq!(seen[o][i], Some((*w, g)), "weight {o}, {i}");
            assert_eq!(g.to_bits(), (d[o] * x[i]).to_bits());
        });
    }

    #[test]
    fn both_layouts_give_the_same_bits() {
        // Narrow and wide, square, and widths that cross the tiles (8 rows)
        // and blocks (16 to 64 sums) of the row kernels, with remainders.
        check::<1, 1>();
        check::<3, 5>();
        check::<4, 4>();
        check::<17, 9>();
        check::<40, 70>();
        check::<70, 33>();
    }
}
