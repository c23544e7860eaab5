//! The kernels of the recurrent layers, one time step at a time: a GRU
//! and an LSTM cell forward, and each cell's backward step, which
//! backpropagation through time runs from the last step to the first.
//!
//! The equations, the gate order and the two biases are PyTorch's
//! (`nn.GRU`, `nn.LSTM`), so weights map one to one. A layer of `H` units
//! over `IN` inputs with `G` gates (3 for a GRU, `r, z, n`; 4 for an LSTM,
//! `i, f, g, o`) holds, in this order: `weight_ih` `[G * H][IN]`,
//! `weight_hh` `[G * H][H]`, `bias_ih` `[G * H]`, `bias_hh` `[G * H]`.
//!
//! GRU: `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z` the same with its own
//! rows, `n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`,
//! `h' = (1 - z) * n + z * h`. LSTM: `i, f, o = σ(..)`, `g = tanh(..)`,
//! `c' = f * c + i * g`, `h' = o * tanh(c')`.
//!
//! Each gate's input part `W_i x + b_i` and hidden part `W_h h + b_h` are
//! summed separately (each from its bias, term by term in order), then
//! added, as PyTorch forms them; the backward sums run in written orders
//! too, so the bits are the same on every target.

use crate::Scalar;
use crate::activation::Activation;

/// Where one recurrent layer's four blocks start, relative to its offset.
#[derive(Clone, Copy)]
struct Blocks {
    /// `weight_hh`.
    w_hh: usize,
    /// `bias_ih`.
    b_ih: usize,
    /// `bias_hh`.
    b_hh: usize,
    /// The layer's parameter count.
    len: usize,
}

/// The blocks of a layer of `gates * h` rows over `inputs` inputs.
const fn blocks(gates: usize, inputs: usize, h: usize) -> Blocks {
    let rows = gates * h;
    Blocks {
        w_hh: rows * inputs,
        b_ih: rows * inputs + rows * h,
        b_hh: rows * inputs + rows * h + rows,
        len: rows * (inputs + h + 2),
    }
}

/// The parameter count of a GRU layer of `H` units over `IN` inputs.
#[must_use]
pub const fn gru_params(inputs: usize, h: usize) -> usize {
    blocks(3, inputs, h).len
}

/// The parameter count of an LSTM layer of `H` units over `IN` inputs.
#[must_use]
pub const fn lstm_params(inputs: usize, h: usize) -> usize {
    blocks(4, inputs, h).len
}

/// Row `row`'s input part and hidden part: `b_ih[row] + W_ih[row] x` and
/// `b_hh[row] + W_hh[row] h`, each summed in order.
#[inline(always)]
fn parts<T: Scalar, const IN: usize, const H: usize>(
    p: &[T],
    b: Blocks,
    row: usize,
    x: &[T; IN],
    h: &[T; H],
) -> (T, T) {
    let mut input = p[b.b_ih + row];
    for (w, x) in p[row * IN..][..IN].iter().zip(x) {
        input += *w * *x;
    }
    let mut hidden = p[b.b_hh + row];
    for (w, h) in p[b.w_hh + row * H..][..H].iter().zip(h) {
        hidden += *w * *h;
    }
    (input, hidden)
}

/// What one GRU step keeps for its backward step: the gates, and the
/// hidden part of the candidate's pre-activation (`W_hn h + b_hn`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GruStep<T, const H: usize> {
    /// The reset gate.
    pub r: [T; H],
    /// The update gate.
    pub z: [T; H],
    /// The candidate.
    pub n: [T; H],
    /// `W_hn h + b_hn`, which the reset gate scales.
    pub hn: [T; H],
}

impl<T: Scalar, const H: usize> Default for GruStep<T, H> {
    fn default() -> Self {
        Self {
            r: [T::ZERO; H],
            z: [T::ZERO; H],
            n: [T::ZERO; H],
            hn: [T::ZERO; H],
        }
    }
}

/// One GRU step from `h` on input `x`, with the layer's parameters `p`
/// (`gru_params(IN, H)` long): the new hidden state, and what the backward
/// step needs in `step`. `sigmoid` and `tanh` are the gate and candidate
/// activations.
#[inline]
pub fn gru_forward<T, S, Th, const IN: usize, const H: usize>(
    sigmoid: &S,
    tanh: &Th,
    p: &[T],
    x: &[T; IN],
    h: &[T; H],
    step: &mut GruStep<T, H>,
) -> [T; H]
where
    T: Scalar,
    S: Activation<T>,
    Th: Activation<T>,
{
    let b = blocks(3, IN, H);
    debug_assert!(p.len() == b.len, "a GRU layer's parameters");
    let mut next = [T::ZERO; H];
    for j in 0..H {
        let (ir, hr) = parts(p, b, j, x, h);
        let (iz, hz) = parts(p, b, H + j, x, h);
        let (i_n, h_n) = parts(p, b, 2 * H + j, x, h);
        let r = sigmoid.f(ir + hr);
        let z = sigmoid.f(iz + hz);
        let n = tanh.f(i_n + r * h_n);
        step.r[j] = r;
        step.z[j] = z;
        step.n[j] = n;
        step.hn[j] = h_n;
        next[j] = (T::ONE - z) * n + z * h[j];
    }
    next
}

/// Adds `d * x` into row `row` of the block at `at` (`len` wide) of the
/// gradients `g`, and `d` into its bias at `bias + row`.
#[inline(always)]
fn outer<T: Scalar>(g: &mut [T], at: usize, bias: usize, row: usize, d: T, x: &[T]) {
    for (g, x) in g[at + row * x.len()..][..x.len()].iter_mut().zip(x) {
        *g += d * *x;
    }
    g[bias + row] += d;
}

/// Adds `W[row]^T d` (row `row` of the block at `at`) into `dx`.
#[inline(always)]
fn back<T: Scalar>(p: &[T], at: usize, row: usize, d: T, dx: &mut [T]) {
    let width = dx.len();
    for (dx, w) in dx.iter_mut().zip(&p[at + row * width..][..width]) {
        *dx += *w * d;
    }
}

/// One GRU step backwards: from `dh`, the gradient at the step's new
/// hidden state (from the layer above at this step plus the next step's
/// `dh_prev`), adds every parameter's gradient into `g` (as long as `p`),
/// adds the gradient at the step's input into `dx`, and returns the
/// gradient at the previous hidden state `h`.
///
/// Within a step: the gates' pre-activation gradients first, unit by unit;
/// then rows `r`, `z`, `n` in that order, each adding into the weight and
/// bias gradients and, input by input, into `dx` and the returned gradient.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn gru_backward<T, S, Th, const IN: usize, const H: usize>(
    sigmoid: &S,
    tanh: &Th,
    p: &[T],
    g: &mut [T],
    x: &[T; IN],
    h: &[T; H],
    step: &GruStep<T, H>,
    dh: &[T; H],
    dx: &mut [T; IN],
) -> [T; H]
where
    T: Scalar,
    S: Activation<T>,
    Th: Activation<T>,
{
    let b = blocks(3, IN, H);
    debug_assert!(
        p.len() == b.len && g.len() == b.len,
        "a GRU layer's parameters"
    );
    // Gradients at the input parts and the hidden parts of each row.
    let (mut d_in, mut d_hid) = ([[T::ZERO; H]; 3], [[T::ZERO; H]; 3]);
    let mut dh_prev = [T::ZERO; H];
    for j in 0..H {
        let (r, z, n) = (step.r[j], step.z[j], step.n[j]);
        let dn = dh[j] * (T::ONE - z);
        let dz = dh[j] * (h[j] - n);
        dh_prev[j] = dh[j] * z;
        let dan = dn * tanh.df(T::ZERO, n);
        let dr = dan * step.hn[j];
        let dar = dr * sigmoid.df(T::ZERO, r);
        let daz = dz * sigmoid.df(T::ZERO, z);
        d_in[0][j] = dar;
        d_hid[0][j] = dar;
        d_in[1][j] = daz;
        d_hid[1][j] = daz;
        d_in[2][j] = dan;
        d_hid[2][j] = dan * r;
    }
    for gate in 0..3 {
        for j in 0..H {
            let row = gate * H + j;
            let (di, dhid) = (d_in[gate][j], d_hid[gate][j]);
            outer(g, 0, b.b_ih, row, di, x);
            outer(g, b.w_hh, b.b_hh, row, dhid, h);
            back(p, 0, row, di, dx);
            back(p, b.w_hh, row, dhid, &mut dh_prev);
        }
    }
    dh_prev
}

/// What one LSTM step keeps for its backward step: the gates and the new
/// cell state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LstmStep<T, const H: usize> {
    /// The input gate.
    pub i: [T; H],
    /// The forget gate.
    pub f: [T; H],
    /// The cell candidate.
    pub g: [T; H],
    /// The output gate.
    pub o: [T; H],
    /// The new cell state.
    pub c: [T; H],
    /// `tanh` of the new cell state.
    pub tanh_c: [T; H],
}

impl<T: Scalar, const H: usize> Default for LstmStep<T, H> {
    fn default() -> Self {
        Self {
            i: [T::ZERO; H],
            f: [T::ZERO; H],
            g: [T::ZERO; H],
            o: [T::ZERO; H],
            c: [T::ZERO; H],
            tanh_c: [T::ZERO; H],
        }
    }
}

/// One LSTM step from hidden state `h` and cell state `c` on input `x`:
/// the new hidden state (the new cell state is `step.c`).
#[inline]
pub fn lstm_forward<T, S, Th, const IN: usize, const H: usize>(
    sigmoid: &S,
    tanh: &Th,
    p: &[T],
    x: &[T; IN],
    h: &[T; H],
    c: &[T; H],
    step: &mut LstmStep<T, H>,
) -> [T; H]
where
    T: Scalar,
    S: Activation<T>,
    Th: Activation<T>,
{
    let b = blocks(4, IN, H);
    debug_assert!(p.len() == b.len, "an LSTM layer's parameters");
    let mut next = [T::ZERO; H];
    for j in 0..H {
        let gate = |k: usize| {
            let (input, hidden) = parts(p, b, k * H + j, x, h);
            input + hidden
        };
        let (i, f) = (sigmoid.f(gate(0)), sigmoid.f(gate(1)));
        let (g, o) = (tanh.f(gate(2)), sigmoid.f(gate(3)));
        let cell = f * c[j] + i * g;
        let tanh_c = tanh.f(cell);
        step.i[j] = i;
        step.f[j] = f;
        step.g[j] = g;
        step.o[j] = o;
        step.c[j] = cell;
        step.tanh_c[j] = tanh_c;
        next[j] = o * tanh_c;
    }
    next
}

/// One LSTM step backwards: from `dh` and `dc`, the gradients at the new
/// hidden and cell states, adds every parameter's gradient into `g` and
/// the input's into `dx`, and returns the gradients at the previous hidden
/// and cell states `(h, c)`.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn lstm_backward<T, S, Th, const IN: usize, const H: usize>(
    sigmoid: &S,
    tanh: &Th,
    p: &[T],
    g: &mut [T],
    x: &[T; IN],
    h: &[T; H],
    c: &[T; H],
    step: &LstmStep<T, H>,
    dh: &[T; H],
    dc: &[T; H],
    dx: &mut [T; IN],
) -> ([T; H], [T; H])
where
    T: Scalar,
    S: Activation<T>,
    Th: Activation<T>,
{
    let b = blocks(4, IN, H);
    debug_assert!(
        p.len() == b.len && g.len() == b.len,
        "an LSTM layer's parameters"
    );
    let mut d = [[T::ZERO; H]; 4];
    let (mut dh_prev, mut dc_prev) = ([T::ZERO; H], [T::ZERO; H]);
    for j in 0..H {
        let (i, f, gg, o) = (step.i[j], step.f[j], step.g[j], step.o[j]);
        let d_o = dh[j] * step.tanh_c[j];
        let d_cell = dc[j] + dh[j] * o * tanh.df(step.c[j], step.tanh_c[j]);
        d[0][j] = d_cell * gg * sigmoid.df(T::ZERO, i);
        d[1][j] = d_cell * c[j] * sigmoid.df(T::ZERO, f);
        d[2][j] = d_cell * i * tanh.df(T::ZERO, gg);
        d[3][j] = d_o * sigmoid.df(T::ZERO, o);
        dc_prev[j] = d_cell * f;
    }
    for (gate, d) in d.iter().enumerate() {
        for (j, d) in d.iter().enumerate() {
            let row = gate * H + j;
            outer(g, 0, b.b_ih, row, *d, x);
            outer(g, b.w_hh, b.b_hh, row, *d, h);
            back(p, 0, row, *d, dx);
            back(p, b.w_hh, row, *d, &mut dh_prev);
        }
    }
    (dh_prev, dc_prev)
}

/// One GRU layer's values at one time step, as a network's trace keeps
/// them: the hidden state it started from, the gates, and the new hidden
/// state (its output).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GruTrace<T, const H: usize> {
    /// The hidden state before the step.
    pub prev: [T; H],
    /// The gates and the candidate.
    pub step: GruStep<T, H>,
    /// The hidden state after the step: the layer's output.
    pub h: [T; H],
}

impl<T: Scalar, const H: usize> Default for GruTrace<T, H> {
    fn default() -> Self {
        Self {
            prev: [T::ZERO; H],
            step: GruStep::default(),
            h: [T::ZERO; H],
        }
    }
}

/// One LSTM layer's values at one time step: the hidden and cell states it
/// started from, the gates and the new cell state, and the new hidden
/// state (its output).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LstmTrace<T, const H: usize> {
    /// The hidden state before the step.
    pub prev_h: [T; H],
    /// The cell state before the step.
    pub prev_c: [T; H],
    /// The gates, and the new cell state.
    pub step: LstmStep<T, H>,
    /// The hidden state after the step: the layer's output.
    pub h: [T; H],
}

impl<T: Scalar, const H: usize> Default for LstmTrace<T, H> {
    fn default() -> Self {
        Self {
            prev_h: [T::ZERO; H],
            prev_c: [T::ZERO; H],
            step: LstmStep::default(),
            h: [T::ZERO; H],
        }
    }
}

use crate::activation::{Sigmoid, Tanh};
use crate::recurrent::{GruState, LstmState};

/// The layer's `LEN` parameters at `AT` in a network's `P`.
#[inline(always)]
fn layer<T, const P: usize, const AT: usize, const LEN: usize>(p: &[T; P]) -> &[T] {
    const { assert!(AT + LEN <= P) };
    &p[AT..AT + LEN]
}

/// The layer's parameters at `AT`, mutably.
#[inline(always)]
fn layer_mut<T, const P: usize, const AT: usize, const LEN: usize>(p: &mut [T; P]) -> &mut [T] {
    const { assert!(AT + LEN <= P) };
    &mut p[AT..AT + LEN]
}

/// A GRU layer's step on `x` from `state`, traced: its parameters are the
/// `3 * H * (IN + H + 2)` at `AT` of the network's `p`.
#[inline]
pub fn gru_trace<
    T,
    const P: usize,
    const AT: usize,
    const LEN: usize,
    const IN: usize,
    const H: usize,
>(
    p: &[T; P],
    x: &[T; IN],
    state: &GruState<T, H>,
) -> GruTrace<T, H>
where
    T: Scalar,
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let mut step = GruStep::default();
    let h = gru_forward(
        &Sigmoid,
        &Tanh,
        layer::<T, P, AT, LEN>(p),
        x,
        &state.h,
        &mut step,
    );
    GruTrace {
        prev: state.h,
        step,
        h,
    }
}

/// A GRU layer's step on `x`, untraced: `state` becomes the new hidden
/// state, which is returned too. The same bits as [`gru_trace`].
#[inline]
pub fn gru_step<
    T,
    const P: usize,
    const AT: usize,
    const LEN: usize,
    const IN: usize,
    const H: usize,
>(
    p: &[T; P],
    x: &[T; IN],
    state: &mut GruState<T, H>,
) -> [T; H]
where
    T: Scalar,
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let mut step = GruStep::default();
    state.h = gru_forward(
        &Sigmoid,
        &Tanh,
        layer::<T, P, AT, LEN>(p),
        x,
        &state.h,
        &mut step,
    );
    state.h
}

/// A GRU layer's step backwards: `dh` is the gradient at the step's output
/// from the layers above; `carry` holds the gradient at the new hidden
/// state from the later steps, and becomes the gradient at the state the
/// step started from. Adds the parameters' gradients into `g`, returns the
/// gradient at `x`.
#[inline]
pub fn gru_backward_step<
    T,
    const P: usize,
    const AT: usize,
    const LEN: usize,
    const IN: usize,
    const H: usize,
>(
    p: &[T; P],
    g: &mut [T; P],
    x: &[T; IN],
    trace: &GruTrace<T, H>,
    dh: &[T; H],
    carry: &mut GruState<T, H>,
) -> [T; IN]
where
    T: Scalar,
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let mut total = *dh;
    for (t, c) in total.iter_mut().zip(&carry.h) {
        *t += *c;
    }
    let mut dx = [T::EMPTY_SUM; IN];
    carry.h = gru_backward(
        &Sigmoid,
        &Tanh,
        layer::<T, P, AT, LEN>(p),
        layer_mut::<T, P, AT, LEN>(g),
        x,
        &trace.prev,
        &trace.step,
        &total,
        &mut dx,
    );
    dx
}

/// An LSTM layer's step on `x` from `state`, traced.
#[inline]
pub fn lstm_trace<
    T,
    const P: usize,
    const AT: usize,
    const LEN: usize,
    const IN: usize,
    const H: usize,
>(
    p: &[T; P],
    x: &[T; IN],
    state: &LstmState<T, H>,
) -> LstmTrace<T, H>
where
    T: Scalar,
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let mut step = LstmStep::default();
    let h = lstm_forward(
        &Sigmoid,
        &Tanh,
        layer::<T, P, AT, LEN>(p),
        x,
        &state.h,
        &state.c,
        &mut step,
    );
    LstmTrace {
        prev_h: state.h,
        prev_c: state.c,
        step,
        h,
    }
}

/// An LSTM layer's step on `x`, untraced: `state` becomes the new hidden
/// and cell states; returns the new hidden state. The same bits as
/// [`lstm_trace`].
#[inline]
pub fn lstm_step<
    T,
    const P: usize,
    const AT: usize,
    const LEN: usize,
    const IN: usize,
    const H: usize,
>(
    p: &[T; P],
    x: &[T; IN],
    state: &mut LstmState<T, H>,
) -> [T; H]
where
    T: Scalar,
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let mut step = LstmStep::default();
    state.h = lstm_forward(
        &Sigmoid,
        &Tanh,
        layer::<T, P, AT, LEN>(p),
        x,
        &state.h,
        &state.c,
        &mut step,
    );
    state.c = step.c;
    state.h
}

/// An LSTM layer's step backwards, as [`gru_backward_step`]: `carry` holds
/// the gradients at the new hidden and cell states from the later steps
/// and becomes those at the states the step started from.
#[inline]
pub fn lstm_backward_step<
    T,
    const P: usize,
    const AT: usize,
    const LEN: usize,
    const IN: usize,
    const H: usize,
>(
    p: &[T; P],
    g: &mut [T; P],
    x: &[T; IN],
    trace: &LstmTrace<T, H>,
    dh: &[T; H],
    carry: &mut LstmState<T, H>,
) -> [T; IN]
where
    T: Scalar,
    Sigmoid: Activation<T>,
    Tanh: Activation<T>,
{
    let mut total = *dh;
    for (t, c) in total.iter_mut().zip(&carry.h) {
        *t += *c;
    }
    let mut dx = [T::EMPTY_SUM; IN];
    let (dh_prev, dc_prev) = lstm_backward(
        &Sigmoid,
        &Tanh,
        layer::<T, P, AT, LEN>(p),
        layer_mut::<T, P, AT, LEN>(g),
        x,
        &trace.prev_h,
        &trace.prev_c,
        &trace.step,
        &total,
        &carry.c,
        &mut dx,
    );
    carry.h = dh_prev;
    carry.c = dc_prev;
    dx
}

/// Draws a recurrent layer's `LEN` parameters at `AT` as PyTorch does:
/// every weight and bias uniform in `[-1/sqrt(H), 1/sqrt(H))`.
pub fn init<T: Scalar, const P: usize, const AT: usize, const LEN: usize>(
    p: &mut [T; P],
    hidden: usize,
    rng: &mut crate::init::SplitMix64,
) {
    #[allow(clippy::cast_precision_loss)]
    let limit = 1.0 / libm::sqrt(hidden as f64);
    for v in layer_mut::<T, P, AT, LEN>(p) {
        *v = T::from_f64((2.0 * rng.next_f64() - 1.0) * limit);
    }
}
