//! Support for the code `network!` generates. Not a public API: names and
//! signatures here change without notice.
//!
//! The macro decides shapes and writes small layers out as straight-line code;
//! layers too large for that call the const-size loops below. Each loop adds
//! in the same order as the straight-line code does, so both forms give the
//! same bits.

use crate::Scalar;
use crate::activation::Activation;

#[path = "private/input_major.rs"]
pub mod input_major;

#[cfg(feature = "serde")]
pub use crate::serde_impl;
#[cfg(feature = "serde")]
pub use serde;

/// Without the `serde` feature, the serde impls `network!` asks for are
/// nothing (with it, `serde_impl.rs` defines this macro).
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($($tokens:tt)*) => {};
}

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
pub fn l2_norm<T: Scalar>(values: &[T]) -> T {
    let mut sum = T::NEG_ZERO;
    for v in values {
        sum += *v * *v;
    }
    sum.sqrt()
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

/// The `N` values at `OFFSET`: one part's parameters inside a chain's.
#[inline(always)]
#[must_use]
pub fn segment<T, const P: usize, const OFFSET: usize, const N: usize>(params: &[T; P]) -> &[T; N] {
    bias::<T, P, OFFSET, N>(params)
}

/// One part's parameters inside a chain's, mutably.
#[inline(always)]
#[must_use]
pub fn segment_mut<T, const P: usize, const OFFSET: usize, const N: usize>(
    params: &mut [T; P],
) -> &mut [T; N] {
    bias_mut::<T, P, OFFSET, N>(params)
}

/// What a chain needs to name a part: the network (or chain) type, and its
/// trace type, with any scalar. `network!` implements it for everything it
/// declares; anything else named as a chain part is this one error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a network declared with `network!`",
    label = "not a network",
    note = "a chain's parts are networks or chains declared with `backprop_core::network!`, named by their paths"
)]
pub trait NetworkFamily {
    /// The network with the scalar `S`.
    type Of<S>;
    /// Its trace type with the scalar `S`.
    type TraceOf<S>;
}

/// Holds when a network with `OUT` outputs can feed one with `IN` inputs:
/// only for equal widths. Implemented for `()` alone.
#[diagnostic::on_unimplemented(
    message = "cannot chain these networks: the first gives {OUT} outputs but the next takes {IN} inputs",
    label = "the networks meet here",
    note = "in a chain `A => B`, A's outputs are B's inputs, so A's output width must equal B's input width"
)]
pub trait WidthsAgree<const OUT: usize, const IN: usize> {}

impl<const N: usize> WidthsAgree<N, N> for () {}

/// Compiles only when `OUT == IN`; the chain expansion calls it in a
/// `const` item at each `=>`.
pub const fn chain_widths<const OUT: usize, const IN: usize>()
where
    (): WidthsAgree<OUT, IN>,
{
}

/// Passes one part's output to the next part of a chain. The chain's
/// `chain_widths` check makes `FROM == TO`, so this is the identity; it is
/// generic so that a mismatch is reported once, by that check, rather than
/// again as a type error here.
#[inline(always)]
#[must_use]
pub fn link<T, const FROM: usize, const TO: usize>(values: &[T; FROM]) -> &[T; TO] {
    match values.as_slice().first_chunk::<TO>() {
        Some(v) if FROM == TO => v,
        // `chain_widths` rejects every chain where this could happen.
        _ => unreachable!(),
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

/// What joins two parenthesised parts in a chain's `ARCHITECTURE` text.
const CHAIN_JOIN: &[u8] = b" => ";

/// The length of a chain's `ARCHITECTURE` text over its parts' texts: each
/// part's text in parentheses, joined by `" => "` (see [`chain_text`]).
#[must_use]
pub const fn chain_text_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut k = 0;
    while k < parts.len() {
        if k > 0 {
            len += CHAIN_JOIN.len();
        }
        len += parts[k].len() + 2;
        k += 1;
    }
    len
}

/// A chain's `ARCHITECTURE` text as bytes: `(A) => (B) => ...` over the
/// parts' texts, in order. `N` must be [`chain_text_len`] of `parts`; the
/// chain expansion evaluates this in a `const`, so a mismatch would be a
/// compile error, never a run-time panic.
///
/// A network's text starts with a digit or `#`, never `(`, so no chain's
/// text is a network's; and since every part's text has balanced
/// parentheses, the top-level groups give back the parts, so chains of
/// different parts, orders or nesting have different texts.
#[must_use]
pub const fn chain_text<const N: usize>(parts: &[&str]) -> [u8; N] {
    assert!(
        N == chain_text_len(parts),
        "a chain's text length must be chain_text_len(parts)"
    );
    let mut out = [0_u8; N];
    let mut at = 0;
    let mut k = 0;
    while k < parts.len() {
        if k > 0 {
            let mut b = 0;
            while b < CHAIN_JOIN.len() {
                out[at] = CHAIN_JOIN[b];
                at += 1;
                b += 1;
            }
        }
        out[at] = b'(';
        at += 1;
        let text = parts[k].as_bytes();
        let mut b = 0;
        while b < text.len() {
            out[at] = text[b];
            at += 1;
            b += 1;
        }
        out[at] = b')';
        at += 1;
        k += 1;
    }
    out
}

/// `bytes` as text, in const context. The chain expansion passes the output
/// of [`chain_text`], valid UTF-8 by construction (whole `str`s and ASCII),
/// and evaluates this in a `const`, so the panic cannot happen at run time.
#[must_use]
pub const fn utf8(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("a chain's architecture text is not UTF-8"),
    }
}

/// The layers of a chain: its parts' layer lists one after the other. `N`
/// must be their total length (the chain's `LAYERS`); the chain expansion
/// evaluates this in a `const`, so a mismatch would be a compile error.
#[must_use]
pub const fn chain_layers<const N: usize>(
    parts: &[&[crate::summary::LayerInfo]],
) -> [crate::summary::LayerInfo; N] {
    let mut out = [crate::summary::LayerInfo {
        inputs: 0,
        outputs: 0,
        activation: "",
        input_major: false,
    }; N];
    let mut at = 0;
    let mut k = 0;
    while k < parts.len() {
        let layers = parts[k];
        let mut l = 0;
        while l < layers.len() {
            assert!(at < N, "a chain's layer count must be its parts' together");
            out[at] = layers[l];
            at += 1;
            l += 1;
        }
        k += 1;
    }
    assert!(at == N, "a chain's layer count must be its parts' together");
    out
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
