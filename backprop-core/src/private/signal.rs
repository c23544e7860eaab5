//! The kernels of the signal layers: 1-D convolution, max and average
//! pooling, global average pooling and the channel-major flatten.
//!
//! A window of `LEN` time steps and `C` channels travels between layers as
//! one flat array `[T; LEN * C]`, time-major: channel `c` of step `t` is at
//! `t * C + c`, as in the `[[T; C]; LEN]` a user passes. The shapes are the
//! kernels' const parameters, which the macro computes and checks; each
//! kernel asserts at compile time that its array lengths agree with them.
//!
//! Every sum runs in an order written here, the same on every target:
//! a convolution's output from its bias, then input channel by channel and
//! kernel tap by tap (the order of PyTorch's `weight[o][c][k]`); its
//! gradients over the output steps in order.

use crate::Scalar;
use crate::activation::Activation;
use crate::init::{Scheme, SplitMix64, uniform};
use crate::optim::Optimizer;

/// The shape of one convolution: `CI` input channels over `LI` steps,
/// `CO` output channels over `LO` steps, kernel `K`, stride `S`,
/// dilation `D`, and `PAD` zeros before the first input step (the padding
/// after the last step is implied by `LO`). Carried as a type so that the
/// kernels take one generic parameter instead of eight.
pub trait ConvShape {
    /// Input channels.
    const CI: usize;
    /// Input steps.
    const LI: usize;
    /// Output channels.
    const CO: usize;
    /// Output steps.
    const LO: usize;
    /// Kernel size.
    const K: usize;
    /// Stride.
    const S: usize;
    /// Dilation.
    const D: usize;
    /// Zeros before the first step.
    const PAD: usize;
}

/// The [`ConvShape`] with these constants: what the generated code names.
pub struct Conv<
    const CI: usize,
    const LI: usize,
    const CO: usize,
    const LO: usize,
    const K: usize,
    const S: usize,
    const D: usize,
    const PAD: usize,
>;

impl<
    const CI: usize,
    const LI: usize,
    const CO: usize,
    const LO: usize,
    const K: usize,
    const S: usize,
    const D: usize,
    const PAD: usize,
> ConvShape for Conv<CI, LI, CO, LO, K, S, D, PAD>
{
    const CI: usize = CI;
    const LI: usize = LI;
    const CO: usize = CO;
    const LO: usize = LO;
    const K: usize = K;
    const S: usize = S;
    const D: usize = D;
    const PAD: usize = PAD;
}

/// The input step that tap `k` of output step `t` reads, or `None` where
/// it falls on padding.
#[inline(always)]
fn source<C: ConvShape>(t: usize, k: usize) -> Option<usize> {
    (t * C::S + k * C::D)
        .checked_sub(C::PAD)
        .filter(|&j| j < C::LI)
}

/// Checks at compile time that the arrays fit the shape: `W` weights,
/// `NI` input and `NO` output values.
const fn check<C: ConvShape>(w: usize, ni: usize, no: usize) {
    assert!(
        w == C::CO * C::CI * C::K,
        "weights do not fit the convolution"
    );
    assert!(
        ni == C::LI * C::CI,
        "the input does not fit the convolution"
    );
    assert!(
        no == C::LO * C::CO,
        "the output does not fit the convolution"
    );
    // Taps that fall outside the input are skipped (`source`), so no shape
    // can index out of bounds; the macro computes `LO` from the others.
    assert!(C::S > 0 && C::D > 0 && C::K > 0 && C::LO > 0);
}

/// The weights `w[o][c][k]` rearranged `[c][k][o]`: the `CO` weights of
/// one input channel and tap side by side, so that the kernels below can
/// work on every output channel at once.
#[inline(always)]
fn by_tap<T: Scalar, C: ConvShape, const W: usize>(w: &[T; W]) -> [T; W] {
    let mut out = [T::ZERO; W];
    for o in 0..C::CO {
        for c in 0..C::CI {
            for k in 0..C::K {
                out[(c * C::K + k) * C::CO + o] = w[(o * C::CI + c) * C::K + k];
            }
        }
    }
    out
}

/// The weights `w[o][c][k]` rearranged `[k][o][c]`: the `CI` weights of one
/// tap and output channel side by side, for the input gradient.
#[inline(always)]
fn by_input<T: Scalar, C: ConvShape, const W: usize>(w: &[T; W]) -> [T; W] {
    let mut out = [T::ZERO; W];
    for o in 0..C::CO {
        for c in 0..C::CI {
            for k in 0..C::K {
                out[(k * C::CO + o) * C::CI + c] = w[(o * C::CI + c) * C::K + k];
            }
        }
    }
    out
}

/// Forward pass of a convolution: `z[t][o] = b[o] + sum over c, k of
/// w[o][c][k] * x[t * S + k * D - PAD][c]` (taps on padding skipped), in
/// that order, and `a = f(z)`.
///
/// Each output's additions run in that order; the loops take the output
/// channels of one step side by side (the innermost loop, over `o`, adds
/// one product to each of them), which the compiler can vectorise.
#[inline]
#[allow(clippy::many_single_char_names)]
pub fn forward<T, C, A, const W: usize, const NI: usize, const NO: usize>(
    activation: &A,
    w: &[T; W],
    b: &[T],
    x: &[T; NI],
    z: &mut [T; NO],
    a: &mut [T; NO],
) where
    T: Scalar,
    C: ConvShape,
    A: Activation<T>,
{
    const { check::<C>(W, NI, NO) };
    let wt = by_tap::<T, C, W>(w);
    let b = &b[..C::CO];
    for t in 0..C::LO {
        let zt = &mut z[t * C::CO..][..C::CO];
        zt.copy_from_slice(b);
        for c in 0..C::CI {
            for k in 0..C::K {
                if let Some(j) = source::<C>(t, k) {
                    let xv = x[j * C::CI + c];
                    let row = &wt[(c * C::K + k) * C::CO..][..C::CO];
                    for (sum, weight) in zt.iter_mut().zip(row) {
                        *sum += *weight * xv;
                    }
                }
            }
        }
        let at = &mut a[t * C::CO..][..C::CO];
        for (a, z) in at.iter_mut().zip(zt.iter()) {
            *a = activation.f(*z);
        }
    }
}

/// The gradient at a convolution's input from `delta`, the gradient at
/// its pre-activations: each input value gathers `w[o][c][k] * delta[t][o]`
/// over every output step `t`, channel `o` and tap `k` that read it, added
/// in the order `t`, `o`, `k` to [`Scalar::EMPTY_SUM`].
///
/// The innermost loop runs over the input channels `c` of one step (the
/// weights rearranged `[k][o][c]`), which keeps every sum's order.
#[inline]
#[must_use]
pub fn input_gradient<T, C, const W: usize, const NI: usize, const NO: usize>(
    w: &[T; W],
    delta: &[T; NO],
) -> [T; NI]
where
    T: Scalar,
    C: ConvShape,
{
    const { check::<C>(W, NI, NO) };
    let wi = by_input::<T, C, W>(w);
    let mut dx = [T::EMPTY_SUM; NI];
    for t in 0..C::LO {
        for o in 0..C::CO {
            let d = delta[t * C::CO + o];
            for k in 0..C::K {
                if let Some(j) = source::<C>(t, k) {
                    let row = &wi[(k * C::CO + o) * C::CI..][..C::CI];
                    let dxj = &mut dx[j * C::CI..][..C::CI];
                    for (sum, weight) in dxj.iter_mut().zip(row) {
                        *sum += *weight * d;
                    }
                }
            }
        }
    }
    dx
}

/// Every weight's gradient, laid out `[c][k][o]`: the gradient of
/// `w[o][c][k]` is `delta[t][o] * x[t * S + k * D - PAD][c]` summed over
/// the output steps in order, from [`Scalar::EMPTY_SUM`]. The innermost
/// loop runs over the output channels of one tap, each its own sum.
#[inline(always)]
fn weight_gradients<T: Scalar, C: ConvShape, const W: usize>(delta: &[T], x: &[T]) -> [T; W] {
    let mut g = [T::EMPTY_SUM; W];
    for c in 0..C::CI {
        for k in 0..C::K {
            let gck = &mut g[(c * C::K + k) * C::CO..][..C::CO];
            for t in 0..C::LO {
                if let Some(j) = source::<C>(t, k) {
                    let xv = x[j * C::CI + c];
                    let dt = &delta[t * C::CO..][..C::CO];
                    for (sum, d) in gck.iter_mut().zip(dt) {
                        *sum += *d * xv;
                    }
                }
            }
        }
    }
    g
}

/// The gradient of bias `o`: `delta[t][o]` summed over the steps in order.
#[inline(always)]
fn bias_gradient<T: Scalar, C: ConvShape>(o: usize, delta: &[T]) -> T {
    let mut sum = T::EMPTY_SUM;
    for t in 0..C::LO {
        sum += delta[t * C::CO + o];
    }
    sum
}

/// One sample's weight and bias gradients, added into `gw` and `gb`
/// (`ACCUMULATE`, a batch) or written (one sample).
#[inline]
pub fn gradients<T, C, const W: usize, const NI: usize, const NO: usize, const ACCUMULATE: bool>(
    gw: &mut [T; W],
    gb: &mut [T],
    delta: &[T; NO],
    x: &[T; NI],
) where
    T: Scalar,
    C: ConvShape,
{
    const { check::<C>(W, NI, NO) };
    let g = weight_gradients::<T, C, W>(delta, x);
    for o in 0..C::CO {
        for c in 0..C::CI {
            for k in 0..C::K {
                let at = (o * C::CI + c) * C::K + k;
                super::put::<T, ACCUMULATE>(&mut gw[at], g[(c * C::K + k) * C::CO + o]);
            }
        }
        super::put::<T, ACCUMULATE>(&mut gb[o], bias_gradient::<T, C>(o, delta));
    }
}

/// One sample's update of a convolution, fused into the backward pass:
/// every weight and bias goes through `optimizer` with its gradient and
/// its index in the flat order from `offset` (the weights `[o][c][k]`,
/// then the biases).
#[inline]
pub fn update<T, C, O, const P: usize, const W: usize, const NI: usize, const NO: usize>(
    optimizer: &mut O,
    offset: usize,
    w: &mut [T; W],
    b: &mut [T],
    delta: &[T; NO],
    x: &[T; NI],
) where
    T: Scalar,
    C: ConvShape,
    O: Optimizer<T, P>,
{
    const { check::<C>(W, NI, NO) };
    let g = weight_gradients::<T, C, W>(delta, x);
    for o in 0..C::CO {
        for c in 0..C::CI {
            for k in 0..C::K {
                let at = (o * C::CI + c) * C::K + k;
                optimizer.update(offset + at, &mut w[at], g[(c * C::K + k) * C::CO + o]);
            }
        }
    }
    for (o, bias) in b.iter_mut().enumerate().take(C::CO) {
        optimizer.update(offset + W + o, bias, bias_gradient::<T, C>(o, delta));
    }
}

/// Fills a convolution's weights from `rng` under `scheme`, with fan-in
/// `CI * K` and fan-out `CO * K` (as PyTorch counts a convolution's fans),
/// drawn in the flat order; zeroes its biases.
pub fn init<T: Scalar, C: ConvShape>(
    w: &mut [T],
    b: &mut [T],
    scheme: Scheme,
    rng: &mut SplitMix64,
) {
    let limit = scheme.limit(C::CI * C::K, C::CO * C::K);
    for weight in w {
        *weight = uniform(rng, limit);
    }
    for bias in b {
        *bias = T::ZERO;
    }
}

/// The shape of one pooling layer over `C` channels: `LI` input steps,
/// `LO` output steps, window `K`, stride `S`.
const fn check_pool(c: usize, li: usize, lo: usize, k: usize, s: usize, ni: usize, no: usize) {
    assert!(
        ni == li * c && no == lo * c,
        "the arrays do not fit the pooling"
    );
    assert!(k > 0 && s > 0 && lo > 0 && (lo - 1) * s + k <= li);
}

/// `NaN` propagates through a maximum, as in PyTorch: a value replaces the
/// running maximum when it is larger or is `NaN`; of equal values the
/// first is kept.
#[inline(always)]
#[allow(clippy::eq_op)]
fn replaces<T: Scalar>(value: T, max: T) -> bool {
    value > max || value != value
}

/// The step of the maximum of window `t` in channel `c`, the first of equal
/// values.
#[inline(always)]
fn argmax<T: Scalar>(x: &[T], c: usize, channels: usize, start: usize, k: usize) -> usize {
    let mut best = start;
    for j in start + 1..start + k {
        if replaces(x[j * channels + c], x[best * channels + c]) {
            best = j;
        }
    }
    best
}

/// Max pooling: `y[t][c]` is the largest of `x[t * S .. t * S + K][c]`.
#[inline]
pub fn max_pool<
    T: Scalar,
    const C: usize,
    const LI: usize,
    const LO: usize,
    const K: usize,
    const S: usize,
    const NI: usize,
    const NO: usize,
>(
    x: &[T; NI],
) -> [T; NO] {
    const { check_pool(C, LI, LO, K, S, NI, NO) };
    let mut y = [T::ZERO; NO];
    for t in 0..LO {
        for c in 0..C {
            y[t * C + c] = x[argmax(x, c, C, t * S, K) * C + c];
        }
    }
    y
}

/// The gradient at a max pool's input: each output's gradient goes to the
/// input it took (the first of equal maxima), added where windows overlap.
#[inline]
#[must_use]
pub fn max_pool_backward<
    T: Scalar,
    const C: usize,
    const LI: usize,
    const LO: usize,
    const K: usize,
    const S: usize,
    const NI: usize,
    const NO: usize,
>(
    x: &[T; NI],
    dy: &[T; NO],
) -> [T; NI] {
    const { check_pool(C, LI, LO, K, S, NI, NO) };
    let mut dx = [T::EMPTY_SUM; NI];
    for t in 0..LO {
        for c in 0..C {
            dx[argmax(x, c, C, t * S, K) * C + c] += dy[t * C + c];
        }
    }
    dx
}

/// `n` as a scalar: a pooling window's length, the divisor of its mean.
#[inline(always)]
fn count<T: Scalar>(n: usize) -> T {
    // Window lengths are far below 2^53, so the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    T::from_f64(n as f64)
}

/// Average pooling: `y[t][c]` is the sum of `x[t * S .. t * S + K][c]` in
/// step order, divided by `K`.
#[inline]
pub fn avg_pool<
    T: Scalar,
    const C: usize,
    const LI: usize,
    const LO: usize,
    const K: usize,
    const S: usize,
    const NI: usize,
    const NO: usize,
>(
    x: &[T; NI],
) -> [T; NO] {
    const { check_pool(C, LI, LO, K, S, NI, NO) };
    let k = count::<T>(K);
    let mut y = [T::ZERO; NO];
    for t in 0..LO {
        for c in 0..C {
            let mut sum = T::EMPTY_SUM;
            for j in t * S..t * S + K {
                sum += x[j * C + c];
            }
            y[t * C + c] = sum / k;
        }
    }
    y
}

/// The gradient at an average pool's input: each output's gradient divided
/// by `K`, added to every input of its window (in output order where
/// windows overlap).
#[inline]
#[must_use]
pub fn avg_pool_backward<
    T: Scalar,
    const C: usize,
    const LI: usize,
    const LO: usize,
    const K: usize,
    const S: usize,
    const NI: usize,
    const NO: usize,
>(
    dy: &[T; NO],
) -> [T; NI] {
    const { check_pool(C, LI, LO, K, S, NI, NO) };
    let k = count::<T>(K);
    let mut dx = [T::EMPTY_SUM; NI];
    for t in 0..LO {
        for c in 0..C {
            let share = dy[t * C + c] / k;
            for j in t * S..t * S + K {
                dx[j * C + c] += share;
            }
        }
    }
    dx
}

/// Global average pooling: `y[c]` is the mean of channel `c` over all
/// `LEN` steps, summed in step order.
#[inline]
#[must_use]
pub fn global_avg_pool<T: Scalar, const C: usize, const LEN: usize, const NI: usize>(
    x: &[T; NI],
) -> [T; C] {
    const { assert!(NI == C * LEN && LEN > 0) };
    avg_pool::<T, C, LEN, 1, LEN, LEN, NI, C>(x)
}

/// The gradient at a global average pool's input: `dy[c] / LEN` at every step.
#[inline]
#[must_use]
pub fn global_avg_pool_backward<T: Scalar, const C: usize, const LEN: usize, const NI: usize>(
    dy: &[T; C],
) -> [T; NI] {
    const { assert!(NI == C * LEN && LEN > 0) };
    avg_pool_backward::<T, C, LEN, 1, LEN, LEN, NI, C>(dy)
}

/// Flattens a time-major window channel-major, as `nn.Flatten` does on
/// PyTorch's `[C][LEN]`: `y[c * LEN + t] = x[t * C + c]`.
#[inline]
#[must_use]
pub fn flatten<T: Scalar, const C: usize, const LEN: usize, const N: usize>(x: &[T; N]) -> [T; N] {
    const { assert!(N == C * LEN) };
    let mut y = [T::ZERO; N];
    for t in 0..LEN {
        for c in 0..C {
            y[c * LEN + t] = x[t * C + c];
        }
    }
    y
}

/// The gradient at a flatten's input: the same permutation backwards.
#[inline]
#[must_use]
pub fn flatten_backward<T: Scalar, const C: usize, const LEN: usize, const N: usize>(
    dy: &[T; N],
) -> [T; N] {
    const { assert!(N == C * LEN) };
    let mut dx = [T::ZERO; N];
    for t in 0..LEN {
        for c in 0..C {
            dx[t * C + c] = dy[c * LEN + t];
        }
    }
    dx
}

/// A convolution's weights and biases in `params`, mutably: the `W`
/// weights at `OFFSET` and the `CO` biases after them.
#[inline(always)]
#[must_use]
pub fn parts_mut<T, const P: usize, const OFFSET: usize, const W: usize, const CO: usize>(
    params: &mut [T; P],
) -> (&mut [T; W], &mut [T; CO]) {
    const { assert!(OFFSET + W + CO <= P) };
    let (w, b) = params[OFFSET..OFFSET + W + CO].split_at_mut(W);
    match (w.try_into(), b.try_into()) {
        (Ok(w), Ok(b)) => (w, b),
        _ => unreachable!(),
    }
}

/// A window `[[T; C]; LEN]` as the flat time-major array the layers pass.
#[inline(always)]
#[must_use]
pub fn flat<T, const C: usize, const LEN: usize, const N: usize>(
    window: &[[T; C]; LEN],
) -> &[T; N] {
    const { assert!(N == C * LEN) };
    match window.as_flattened().try_into() {
        Ok(flat) => flat,
        Err(_) => unreachable!(),
    }
}

/// Windows as flat time-major arrays, for the batch methods.
#[inline(always)]
#[must_use]
pub fn flat_all<T, const C: usize, const LEN: usize, const N: usize>(
    windows: &[[[T; C]; LEN]],
) -> &[[T; N]] {
    const { assert!(N == C * LEN && N > 0) };
    let (samples, rest) = windows.as_flattened().as_flattened().as_chunks::<N>();
    debug_assert!(rest.is_empty());
    samples
}

/// A flat time-major array as the window it holds.
#[inline(always)]
#[must_use]
pub fn window<T, const C: usize, const LEN: usize, const N: usize>(
    flat: &[T; N],
) -> &[[T; C]; LEN] {
    const { assert!(N == C * LEN && C > 0) };
    match flat.as_chunks::<C>().0.try_into() {
        Ok(window) => window,
        Err(_) => unreachable!(),
    }
}

/// A convolution's `CO * CI * K` weights as `[[[T; K]; CI]; CO]`.
#[inline(always)]
#[must_use]
pub fn kernel<T, const CO: usize, const CI: usize, const K: usize, const W: usize>(
    w: &[T; W],
) -> &[[[T; K]; CI]; CO] {
    const { assert!(W == CO * CI * K && K > 0 && CI > 0) };
    match w.as_chunks::<K>().0.as_chunks::<CI>().0.try_into() {
        Ok(kernel) => kernel,
        Err(_) => unreachable!(),
    }
}

/// [`kernel`], mutably.
#[inline(always)]
#[must_use]
pub fn kernel_mut<T, const CO: usize, const CI: usize, const K: usize, const W: usize>(
    w: &mut [T; W],
) -> &mut [[[T; K]; CI]; CO] {
    const { assert!(W == CO * CI * K && K > 0 && CI > 0) };
    match w.as_chunks_mut::<K>().0.as_chunks_mut::<CI>().0.try_into() {
        Ok(kernel) => kernel,
        Err(_) => unreachable!(),
    }
}
