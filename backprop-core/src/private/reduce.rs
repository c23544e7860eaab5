//! Sums in a fixed order over matrices stored row after row,
//! `[[T; N]; M]`: a dot product per row ([`rows_dot`]), a combination of
//! the rows ([`rows_combination`]), and the norm of a slice. Each sum adds
//! in one fixed order, whatever the blocking, so the bits never depend on
//! the loop structure.

use crate::{Float, Scalar};

/// How many rows [`rows_dot`] sums at once.
pub const TILE_ROWS: usize = 8;

/// How many columns of a tile [`rows_dot`] reads at once.
pub const TILE_COLUMNS: usize = 4;

/// Rows shorter than this [`rows_dot`] sums one after the other.
pub const SHORT_ROW: usize = 16;

/// `out[m] = init[m] + w[m][0] v[0] + w[m][1] v[1] + ...` for every row `m`,
/// each sum a serial chain in column order (Rust never reassociates it).
///
/// Summing row after row would wait on the adder's latency at every step,
/// and adding column `n` into every row at once ("across rows") reads the
/// matrix with a stride of a whole row. Here the rows go
/// [`TILE_ROWS`] at a time, and each tile's rows are read
/// [`TILE_COLUMNS`] contiguous values at a time; LLVM turns a tile into a
/// few vector loads and shuffles that transpose it, then adds column by
/// column into `TILE_ROWS` independent sums in vector registers. The last
/// tile overlaps the one before when the rows do not divide evenly (its
/// shared rows are recomputed to the same bits). Fewer than `TILE_ROWS`
/// rows, or fewer than two tiles' worth that a tile does not divide, are
/// summed across rows: column `n` is added into every row at once, so all
/// the rows' sums are in flight together. Rows shorter than [`SHORT_ROW`]
/// are summed one after the other: the chains are short, and the
/// processor overlaps neighbouring rows' (128 rows of 10: 350 ns, against
/// 620 ns in tiles and 470 ns across rows; 64 rows of 12: 187, 442 and
/// 183 ns).
///
/// Measured for one layer's forward pass, f32, default x86-64 target, in
/// one run against the kernel it replaced (across rows, sixteen rows at a
/// time): 128 rows of 784 took 23 against 32 µs, 128 of 64 2.1 against
/// 2.5 µs, 32 of 16 163 against 272 ns; as the input-major input gradient,
/// 784 x 128 took 32 against 93 µs summed row by row
/// (`bench/benches/layout.rs` measures the current kernels).
#[inline]
pub fn rows_dot<T: Scalar, const M: usize, const N: usize>(
    w: &[[T; N]; M],
    v: &[T; N],
    init: &[T; M],
    out: &mut [T; M],
) {
    if N < SHORT_ROW {
        // Short chains: out-of-order execution overlaps neighbouring rows.
        for m in 0..M {
            let mut sum = init[m];
            for n in 0..N {
                sum += w[m][n] * v[n];
            }
            out[m] = sum;
        }
        return;
    }
    if M < TILE_ROWS || (M < 2 * TILE_ROWS && !M.is_multiple_of(TILE_ROWS)) {
        // Too few rows to tile, or a second, overlapping tile would cost
        // more than it saves (10 rows: 480 against 420 ns for 10 x 128).
        across_rows(w, v, init, out);
        return;
    }
    let (columns, _) = v.as_chunks::<TILE_COLUMNS>();
    let tail = columns.len() * TILE_COLUMNS;
    let mut first = 0;
    while first < M {
        // The last tile ends at the last row, overlapping the one before.
        let start = if first + TILE_ROWS <= M {
            first
        } else {
            M - TILE_ROWS
        };
        let (Some(rows), Some(acc_init)) = (
            w[start..].first_chunk::<TILE_ROWS>(),
            init[start..].first_chunk::<TILE_ROWS>(),
        ) else {
            unreachable!()
        };
        let mut acc = *acc_init;
        for (block, vs) in columns.iter().enumerate() {
            let tile: [[T; TILE_COLUMNS]; TILE_ROWS] = core::array::from_fn(|r| {
                let (row_blocks, _) = rows[r].as_chunks::<TILE_COLUMNS>();
                row_blocks[block]
            });
            for c in 0..TILE_COLUMNS {
                for r in 0..TILE_ROWS {
                    acc[r] += tile[r][c] * vs[c];
                }
            }
        }
        for n in tail..N {
            for r in 0..TILE_ROWS {
                acc[r] += rows[r][n] * v[n];
            }
        }
        out[start..start + TILE_ROWS].copy_from_slice(&acc);
        first = start + TILE_ROWS;
    }
}

/// How many bytes of sums [`rows_combination`] keeps in flight: eight
/// vector registers' worth (eight 256-bit registers with AVX, eight 128-bit
/// ones otherwise).
const COMBINATION_BYTES: usize = if cfg!(target_feature = "avx") {
    256
} else {
    128
};

/// `out[n] = init[n] + w[0][n] c[0] + w[1][n] c[1] + ...` for every column
/// `n`, each sum a serial chain in row order: a linear combination of the
/// rows, each row read contiguously (the input-major forward pass and the
/// default layout's input gradient).
///
/// Each column's sum is independent, so row `m` is added into all of them
/// at once, a vector at a time. Wide rows go a block of columns at a time
/// (eight vector registers' worth, `COMBINATION_BYTES`), every row added
/// into the block before the next block starts: a block's sums stay in
/// registers, where a whole wide row of sums would be written to memory
/// and read back at every row. The block only decides which columns are
/// summed together, never the order of a column's additions, so the bits
/// are those of the plain loop. Measured for one layer, f32, one run
/// (`bench/benches/layout.rs`, `forward/input_major`): 64 rows of 128
/// took 315 against 522 ns with `-C target-cpu=native` (blocks of 64) and
/// 638 against 1,090 ns at the default target (blocks of 32). A matrix that
/// streams from the L2 cache gains little: 784 rows of 128 took 5 to 10 %
/// less native and 7 to 10 % more at the default target, over five runs.
#[inline]
pub fn rows_combination<T: Scalar, const M: usize, const N: usize>(
    w: &[[T; N]; M],
    c: &[T; M],
    init: &[T; N],
    out: &mut [T; N],
) {
    // Constant after monomorphisation: one arm is compiled.
    match COMBINATION_BYTES / core::mem::size_of::<T>() {
        64 => combine_in_blocks::<T, M, N, 64>(w, c, init, out),
        32 => combine_in_blocks::<T, M, N, 32>(w, c, init, out),
        _ => combine_in_blocks::<T, M, N, 16>(w, c, init, out),
    }
}

/// [`rows_combination`], `BLOCK` columns at a time.
#[inline(always)]
fn combine_in_blocks<T: Scalar, const M: usize, const N: usize, const BLOCK: usize>(
    w: &[[T; N]; M],
    c: &[T; M],
    init: &[T; N],
    out: &mut [T; N],
) {
    if N <= BLOCK {
        *out = *init;
        for m in 0..M {
            let cm = c[m];
            for n in 0..N {
                out[n] += w[m][n] * cm;
            }
        }
        return;
    }
    let (blocks, rest) = out.as_chunks_mut::<BLOCK>();
    let (init_blocks, init_rest) = init.as_chunks::<BLOCK>();
    for (k, (block, init)) in blocks.iter_mut().zip(init_blocks).enumerate() {
        let mut acc = *init;
        for m in 0..M {
            let cm = c[m];
            let (row_blocks, _) = w[m].as_chunks::<BLOCK>();
            let row = &row_blocks[k];
            for n in 0..BLOCK {
                acc[n] += row[n] * cm;
            }
        }
        *block = acc;
    }
    rest.copy_from_slice(init_rest);
    for m in 0..M {
        let cm = c[m];
        let (_, row_rest) = w[m].as_chunks::<BLOCK>();
        for (sum, wn) in rest.iter_mut().zip(row_rest) {
            *sum += *wn * cm;
        }
    }
}

/// [`rows_dot`] for fewer than [`TILE_ROWS`] rows.
#[inline]
fn across_rows<T: Scalar, const M: usize, const N: usize>(
    w: &[[T; N]; M],
    v: &[T; N],
    init: &[T; M],
    out: &mut [T; M],
) {
    *out = *init;
    for n in 0..N {
        let vn = v[n];
        for m in 0..M {
            out[m] += w[m][n] * vn;
        }
    }
}

/// The Euclidean norm of `values`, summed in order.
#[inline]
#[must_use]
pub fn l2_norm<T: Float>(values: &[T]) -> T {
    let mut sum = T::EMPTY_SUM;
    for v in values {
        sum += *v * *v;
    }
    sum.sqrt()
}

#[cfg(test)]
mod tests {
    use super::{rows_combination, rows_dot};

    /// Values with both signs, zeros of both signs and a spread of
    /// magnitudes, so that a reordered sum would round differently.
    fn values<const N: usize>(seed: u64) -> [f32; N] {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        core::array::from_fn(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            match state % 16 {
                0 => 0.0,
                1 => -0.0,
                k => {
                    let unit = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                    unit * [1e-3, 1.0, 1e3][(k % 3) as usize]
                }
            }
        })
    }

    /// Each row summed on its own, from `init`, column after column.
    fn serial<const M: usize, const N: usize>(
        w: &[[f32; N]; M],
        v: &[f32; N],
        init: &[f32; M],
    ) -> [f32; M] {
        core::array::from_fn(|m| {
            let mut sum = init[m];
            for n in 0..N {
                sum += w[m][n] * v[n];
            }
            sum
        })
    }

    fn check<const M: usize, const N: usize>() {
        for seed in 0..4 {
            let w: [[f32; N]; M] = core::array::from_fn(|m| values(seed * 1000 + m as u64));
            let (v, init) = (values::<N>(seed + 77), values::<M>(seed + 99));
            let mut out = [f32::NAN; M];
            rows_dot(&w, &v, &init, &mut out);
            let want = serial(&w, &v, &init);
            assert_eq!(
                out.map(f32::to_bits),
                want.map(f32::to_bits),
                "{M} x {N}, seed {seed}"
            );
        }
    }

    #[test]
    fn rows_dot_adds_each_row_in_column_order() {
        // Short rows; fewer rows than a tile; whole tiles; a last tile that
        // overlaps; columns that fill whole blocks of a tile, or leave a
        // tail.
        check::<1, 1>();
        check::<3, 5>();
        check::<3, 20>();
        check::<7, 16>();
        check::<8, 4>();
        check::<8, 16>();
        check::<9, 17>();
        check::<10, 30>();
        check::<16, 16>();
        check::<16, 21>();
        check::<17, 6>();
        check::<25, 19>();
        check::<40, 64>();
        check::<64, 33>();
    }

    /// Each column summed on its own, from `init`, row after row.
    fn serial_columns<T: crate::Scalar, const M: usize, const N: usize>(
        w: &[[T; N]; M],
        c: &[T; M],
        init: &[T; N],
    ) -> [T; N] {
        core::array::from_fn(|n| {
            let mut sum = init[n];
            for m in 0..M {
                sum += w[m][n] * c[m];
            }
            sum
        })
    }

    fn check_combination<const M: usize, const N: usize>() {
        for seed in 0..4 {
            let w: [[f32; N]; M] = core::array::from_fn(|m| values(seed * 1000 + m as u64));
            let (c, init) = (values::<M>(seed + 77), values::<N>(seed + 99));
            let mut out = [f32::NAN; N];
            rows_combination(&w, &c, &init, &mut out);
            let want = serial_columns(&w, &c, &init);
            assert_eq!(
                out.map(f32::to_bits),
                want.map(f32::to_bits),
                "f32, {M} x {N}, seed {seed}"
            );
            // f64 blocks are half as many columns.
            let w = w.map(|row| row.map(f64::from));
            let (c, init) = (c.map(f64::from), init.map(f64::from));
            let mut out = [f64::NAN; N];
            rows_combination(&w, &c, &init, &mut out);
            let want = serial_columns(&w, &c, &init);
            assert_eq!(
                out.map(f64::to_bits),
                want.map(f64::to_bits),
                "f64, {M} x {N}, seed {seed}"
            );
        }
    }

    #[test]
    fn rows_combination_adds_each_column_in_row_order() {
        // Narrower than any block; exactly one or two blocks (16, 32 or 64
        // columns, whichever the target and type give); blocks and a
        // remainder.
        check_combination::<1, 1>();
        check_combination::<3, 5>();
        check_combination::<5, 16>();
        check_combination::<4, 17>();
        check_combination::<7, 32>();
        check_combination::<2, 33>();
        check_combination::<9, 64>();
        check_combination::<3, 65>();
        check_combination::<6, 128>();
        check_combination::<5, 200>();
    }
}
