//! Hand-written yardsticks for the two streaming recurrent networks of
//! the benchmarks, `1 => 32 GRU => 1 Linear` ([`HandGru32`], 3,393
//! parameters) and `1 => 40 LSTM => 1 Linear` ([`HandLstm40`], 6,921),
//! one time step (one sample) at a time, `f32`.
//!
//! Each is fixed-size Rust for exactly its shape that computes the same
//! bits as the code `network!` generates: every gate row's input part
//! `b_ih[row] + W_ih[row] x` and hidden part `b_hh[row] + W_hh[row][0]
//! h[0] + W_hh[row][1] h[1] + ...` summed in that order, then added (the
//! `recurrent` kernels' order, PyTorch's equations); the dense head from
//! its bias, input by input. The sigmoid and tanh are the library's own
//! functions, since their bits are the library's definition.
//!
//! Within that order the loops are arranged for the compiler: `W_hh` is
//! stored in blocks of [`LANES`] rows, column by column within a block
//! (`[block][j][lane]`), so that a block's rows, each summed in its own
//! order, are a few vectors of accumulators that one hidden unit `h[j]`
//! at a time updates; the gates then run a vector of units at a time.
//!
//! `benches/rnn.rs` times them against the generated code;
//! `examples/rnn_calls.rs` runs both under callgrind
//! (`scripts/bench-signals-calls.sh rnn`); the tests below assert the bits.

// Index loops over fixed sizes, several arrays indexed alike, are the form
// the compiler unrolls and vectorises; they are kept as such.
#![allow(clippy::needless_range_loop)]

use backprop_core::activation::{Activation, Sigmoid, Tanh};

/// Rows of `W_hh` summed side by side: eight SSE vectors of accumulators
/// (four AVX ones), enough independent additions to hide their latency.
pub const LANES: usize = 32;

/// The GRU's hidden units.
const GH: usize = 32;
/// Its gate rows, `r`, `z`, `n`.
const GROWS: usize = 3 * GH;
/// Its blocks of [`LANES`] rows.
const GBLOCKS: usize = GROWS / LANES;

/// Parameters of `1 => 32 GRU => 1 Linear`: `3 * 32 * (1 + 32 + 2)`, then
/// `32 + 1`.
pub const GRU_PARAMS: usize = GROWS * (1 + GH + 2) + GH + 1;

/// The LSTM's hidden units.
const LH: usize = 40;
/// Its gate rows, `i`, `f`, `g`, `o`.
const LROWS: usize = 4 * LH;
/// Its blocks of [`LANES`] rows.
const LBLOCKS: usize = LROWS / LANES;

/// Parameters of `1 => 40 LSTM => 1 Linear`: `4 * 40 * (1 + 40 + 2)`,
/// then `40 + 1`.
pub const LSTM_PARAMS: usize = LROWS * (1 + LH + 2) + LH + 1;

const _: () = assert!(GROWS.is_multiple_of(LANES) && LROWS.is_multiple_of(LANES));

/// `W_hh` (`[ROWS][H]` at `at` in `flat`) as `[block][j][lane]`.
fn blocked<const B: usize, const H: usize>(flat: &[f32], at: usize) -> [[[f32; LANES]; H]; B] {
    let mut w = [[[0.0; LANES]; H]; B];
    for (row, weights) in flat[at..at + B * LANES * H].chunks_exact(H).enumerate() {
        for (j, v) in weights.iter().enumerate() {
            w[row / LANES][j][row % LANES] = *v;
        }
    }
    w
}

/// `ROWS` values at `at` in `flat`.
fn array<const N: usize>(flat: &[f32], at: usize) -> [f32; N] {
    core::array::from_fn(|k| flat[at + k])
}

/// Every row's hidden part, `b[row] + sum over j in order of
/// W[row][j] h[j]`, a block of rows side by side.
#[inline(always)]
fn hidden_parts<const B: usize, const H: usize, const ROWS: usize>(
    w: &[[[f32; LANES]; H]; B],
    b: &[f32; ROWS],
    h: &[f32; H],
) -> [f32; ROWS] {
    const { assert!(B * LANES == ROWS) };
    let mut out = *b;
    for (block, acc) in w.iter().zip(out.chunks_exact_mut(LANES)) {
        let mut sum: [f32; LANES] = array(acc, 0);
        for (column, hj) in block.iter().zip(h) {
            for l in 0..LANES {
                sum[l] += column[l] * *hj;
            }
        }
        acc.copy_from_slice(&sum);
    }
    out
}

/// The dense head, `b + w[0] h[0] + w[1] h[1] + ...`.
#[inline(always)]
fn head<const H: usize>(w: &[f32; H], b: f32, h: &[f32; H]) -> f32 {
    let mut y = b;
    for j in 0..H {
        y += w[j] * h[j];
    }
    y
}

/// `1 => 32 GRU => 1 Linear`, `W_hh` stored in blocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandGru32 {
    /// `W_ih`, one weight per row (one input).
    w_ih: [f32; GROWS],
    /// `b_ih`.
    b_ih: [f32; GROWS],
    /// `W_hh` as `[block][j][lane]`.
    w_hh: [[[f32; LANES]; GH]; GBLOCKS],
    /// `b_hh`.
    b_hh: [f32; GROWS],
    /// The head's weights.
    w_out: [f32; GH],
    /// The head's bias.
    b_out: f32,
}

impl HandGru32 {
    /// From the library's flat parameters.
    #[must_use]
    pub fn from_flat(flat: &[f32; GRU_PARAMS]) -> Self {
        let w_hh_at = GROWS;
        let b_ih_at = w_hh_at + GROWS * GH;
        let b_hh_at = b_ih_at + GROWS;
        let out_at = b_hh_at + GROWS;
        Self {
            w_ih: array(flat, 0),
            b_ih: array(flat, b_ih_at),
            w_hh: blocked(flat, w_hh_at),
            b_hh: array(flat, b_hh_at),
            w_out: array(flat, out_at),
            b_out: flat[out_at + GH],
        }
    }

    /// One sample: `h` becomes the new hidden state; returns the output.
    #[inline]
    pub fn step(&self, h: &mut [f32; GH], x: f32) -> f32 {
        let hidden = hidden_parts(&self.w_hh, &self.b_hh, h);
        let mut input = [0.0; GROWS];
        for row in 0..GROWS {
            input[row] = self.b_ih[row] + self.w_ih[row] * x;
        }
        for u in 0..GH {
            let r = Sigmoid.f(input[u] + hidden[u]);
            let z = Sigmoid.f(input[GH + u] + hidden[GH + u]);
            let n = Tanh.f(input[2 * GH + u] + r * hidden[2 * GH + u]);
            h[u] = (1.0 - z) * n + z * h[u];
        }
        head(&self.w_out, self.b_out, h)
    }
}

/// `1 => 40 LSTM => 1 Linear`, `W_hh` stored in blocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandLstm40 {
    /// `W_ih`, one weight per row.
    w_ih: [f32; LROWS],
    /// `b_ih`.
    b_ih: [f32; LROWS],
    /// `W_hh` as `[block][j][lane]`.
    w_hh: [[[f32; LANES]; LH]; LBLOCKS],
    /// `b_hh`.
    b_hh: [f32; LROWS],
    /// The head's weights.
    w_out: [f32; LH],
    /// The head's bias.
    b_out: f32,
}

impl HandLstm40 {
    /// From the library's flat parameters.
    #[must_use]
    pub fn from_flat(flat: &[f32; LSTM_PARAMS]) -> Self {
        let w_hh_at = LROWS;
        let b_ih_at = w_hh_at + LROWS * LH;
        let b_hh_at = b_ih_at + LROWS;
        let out_at = b_hh_at + LROWS;
        Self {
            w_ih: array(flat, 0),
            b_ih: array(flat, b_ih_at),
            w_hh: blocked(flat, w_hh_at),
            b_hh: array(flat, b_hh_at),
            w_out: array(flat, out_at),
            b_out: flat[out_at + LH],
        }
    }

    /// One sample: `h` and `c` become the new hidden and cell states;
    /// returns the output.
    #[inline]
    pub fn step(&self, h: &mut [f32; LH], c: &mut [f32; LH], x: f32) -> f32 {
        let hidden = hidden_parts(&self.w_hh, &self.b_hh, h);
        let mut pre = [0.0; LROWS];
        for row in 0..LROWS {
            pre[row] = (self.b_ih[row] + self.w_ih[row] * x) + hidden[row];
        }
        for u in 0..LH {
            let i = Sigmoid.f(pre[u]);
            let f = Sigmoid.f(pre[LH + u]);
            let g = Tanh.f(pre[2 * LH + u]);
            let o = Sigmoid.f(pre[3 * LH + u]);
            c[u] = f * c[u] + i * g;
            h[u] = o * Tanh.f(c[u]);
        }
        head(&self.w_out, self.b_out, h)
    }
}

#[cfg(test)]
mod tests {
    use super::{GRU_PARAMS, HandGru32, HandLstm40, LSTM_PARAMS};
    use crate::{Gru32, Gru32State, Lstm40, Lstm40State, values};

    /// Samples: a sine with noise, wide enough to drive the gates through
    /// their range.
    fn signal(seed: u64) -> [f32; 400] {
        let noise = values::<400>(seed, 0.5);
        core::array::from_fn(|t| 2.0 * (t as f32 * 0.07).sin() + noise[t])
    }

    #[test]
    fn gru_step_gives_the_library_bits() {
        for seed in [1, 7] {
            let net = Gru32::<f32>::with_seed(seed);
            assert_eq!(net.params().len(), GRU_PARAMS);
            let hand = HandGru32::from_flat(net.params());
            let (mut state, mut h) = (Gru32State::default(), [0.0; 32]);
            for (t, x) in signal(seed).iter().enumerate() {
                let want = net.step(&mut state, &[*x]);
                let got = hand.step(&mut h, *x);
                assert_eq!(got.to_bits(), want[0].to_bits(), "output at step {t}");
                assert_eq!(
                    h.map(f32::to_bits),
                    state.layer1.h.map(f32::to_bits),
                    "state at step {t}"
                );
            }
            // The state moved away from zero: the check covered real work.
            assert!(h.iter().any(|v| v.abs() > 0.1));
        }
    }

    #[test]
    fn lstm_step_gives_the_library_bits() {
        for seed in [1, 7] {
            let net = Lstm40::<f32>::with_seed(seed);
            assert_eq!(net.params().len(), LSTM_PARAMS);
            let hand = HandLstm40::from_flat(net.params());
            let mut state = Lstm40State::default();
            let (mut h, mut c) = ([0.0; 40], [0.0; 40]);
            for (t, x) in signal(seed).iter().enumerate() {
                let want = net.step(&mut state, &[*x]);
                let got = hand.step(&mut h, &mut c, *x);
                assert_eq!(got.to_bits(), want[0].to_bits(), "output at step {t}");
                assert_eq!(
                    h.map(f32::to_bits),
                    state.layer1.h.map(f32::to_bits),
                    "hidden state at step {t}"
                );
                assert_eq!(
                    c.map(f32::to_bits),
                    state.layer1.c.map(f32::to_bits),
                    "cell state at step {t}"
                );
            }
            assert!(c.iter().any(|v| v.abs() > 0.1));
        }
    }
}
