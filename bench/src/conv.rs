//! A hand-written yardstick for the gesture network,
//! `[3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) =>
//! Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax`
//! (1,108 parameters), trained on cross-entropy with plain SGD, batch 1,
//! `f32`.
//!
//! [`Hand`] is fixed-size Rust for exactly these shapes that computes the
//! same bits as the code `network!` generates: every sum has the library's
//! additions in the library's order (see the `signal` kernels' module
//! documentation): a convolution's output from its bias, input channel by
//! channel, tap by tap; a weight's gradient over the steps in order from
//! `-0.0`; an input gradient from `-0.0` in the order step, output
//! channel, tap; max pooling's first maximum. The softmax, the loss and
//! the ReLU are the library's own functions, since their bits are the
//! library's definition.
//!
//! Within those orders the loops are arranged for the compiler: the
//! weights are stored `[c][k][o]` (output channel innermost), so that a
//! convolution's sixteen outputs of one step, each summed in its own order,
//! are four vectors of accumulators; a weight gradient is summed over the
//! steps sixteen output channels at a time; the input gradient, sixteen
//! input channels at a time from a `[k][o][c]` copy of the weights. The
//! dense head and the pools work a vector of channels at a time.
//!
//! `benches/signals.rs` times it against the generated code;
//! `examples/signals_calls.rs` runs both under callgrind
//! (`scripts/bench-signals-calls.sh`); the tests below assert the bits.

// Index loops over fixed sizes, several arrays indexed alike, are the form
// the compiler unrolls and vectorises; they are kept as such.
#![allow(clippy::needless_range_loop)]

use backprop_core::activation::{Activation, Relu, softmax};
use backprop_core::loss::{CrossEntropy, Loss};

/// Parameters of the gesture network: `16 * 3 * 5 + 16`, `16 * 16 * 3 +
/// 16`, `4 * 16 + 4`.
pub const PARAMS: usize = 1108;

/// Output channels of both convolutions.
const CO: usize = 16;
/// Input steps and channels.
const LEN: usize = 64;
/// Input channels.
const CH: usize = 3;
/// The first convolution's kernel and output steps.
const K1: usize = 5;
const L1: usize = LEN - K1 + 1;
/// Steps after the max pool.
const LP: usize = L1 / 2;
/// The second convolution's kernel and output steps.
const K2: usize = 3;
const L2: usize = LP - K2 + 1;
/// Classes.
const OUT: usize = 4;

/// Where each part starts in the library's flat order.
const W1: usize = 0;
const B1: usize = W1 + CO * CH * K1;
const W2: usize = B1 + CO;
const B2: usize = W2 + CO * CO * K2;
const W5: usize = B2 + CO;
const B5: usize = W5 + OUT * CO;

/// One step's sixteen channels.
type Row = [f32; CO];

/// The gesture network with its convolution weights stored `[c][k][o]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hand {
    /// First convolution, `w1[c][k][o]`.
    w1: [[Row; K1]; CH],
    /// Its biases.
    b1: Row,
    /// Second convolution, `w2[c][k][o]`.
    w2: [[Row; K2]; CO],
    /// Its biases.
    b2: Row,
    /// The dense head, `w5[o][i]` (the library's order).
    w5: [Row; OUT],
    /// Its biases.
    b5: [f32; OUT],
}

/// One forward pass, every intermediate the backward pass needs.
struct Pass {
    /// First convolution, pre-activations and activations.
    z1: [Row; L1],
    a1: [Row; L1],
    /// After the max pool.
    a2: [Row; LP],
    /// Second convolution, pre-activations.
    z3: [Row; L2],
    /// After global average pooling.
    a4: Row,
    /// Logits and probabilities.
    z5: [f32; OUT],
    a5: [f32; OUT],
}

/// `w[o][c][k]` at `at` in `flat`, as `[c][k][o]`.
fn transpose_in<const C: usize, const K: usize>(flat: &[f32], at: usize) -> [[Row; K]; C] {
    let mut w = [[[0.0; CO]; K]; C];
    for (o, kernel) in flat[at..at + CO * C * K].chunks_exact(C * K).enumerate() {
        for (c, taps) in kernel.chunks_exact(K).enumerate() {
            for (k, v) in taps.iter().enumerate() {
                w[c][k][o] = *v;
            }
        }
    }
    w
}

/// `[c][k][o]` back into `w[o][c][k]` at `at` in `flat`.
fn transpose_out<const C: usize, const K: usize>(w: &[[Row; K]; C], flat: &mut [f32], at: usize) {
    for (c, taps) in w.iter().enumerate() {
        for (k, row) in taps.iter().enumerate() {
            for (o, v) in row.iter().enumerate() {
                flat[at + (o * C + c) * K + k] = *v;
            }
        }
    }
}

/// A convolution with sixteen outputs and stride 1, valid padding:
/// `z[t][o] = b[o] + sum over c, then k, of w[c][k][o] * x[t + k][c]`,
/// the sixteen outputs of a step side by side, two steps at a time (each
/// row of weights loaded once for both; `LO` is even here).
#[inline(always)]
fn conv<const C: usize, const K: usize, const LI: usize, const LO: usize>(
    w: &[[Row; K]; C],
    b: &Row,
    x: &[[f32; C]; LI],
    z: &mut [Row; LO],
) {
    const { assert!(LO.is_multiple_of(2)) };
    for (pair, zt) in z.chunks_exact_mut(2).enumerate() {
        let t = 2 * pair;
        let (mut p, mut q) = (*b, *b);
        for (c, taps) in w.iter().enumerate() {
            for (k, wk) in taps.iter().enumerate() {
                let (xp, xq) = (x[t + k][c], x[t + 1 + k][c]);
                for o in 0..CO {
                    p[o] += wk[o] * xp;
                    q[o] += wk[o] * xq;
                }
            }
        }
        zt[0] = p;
        zt[1] = q;
    }
}

/// SGD on a convolution's weights and biases from the gradient `d` at its
/// pre-activations and its input `x`: the gradient of `w[c][k][o]` is
/// `d[t][o] * x[t + k][c]` summed over `t` in order from `-0.0`, sixteen
/// output channels at a time.
#[inline(always)]
fn conv_update<const C: usize, const K: usize, const LI: usize, const LO: usize>(
    w: &mut [[Row; K]; C],
    b: &mut Row,
    d: &[Row; LO],
    x: &[[f32; C]; LI],
    lr: f32,
) {
    for (c, taps) in w.iter_mut().enumerate() {
        for (k, wk) in taps.iter_mut().enumerate() {
            let mut g = [-0.0_f32; CO];
            for (t, dt) in d.iter().enumerate() {
                let xv = x[t + k][c];
                for o in 0..CO {
                    g[o] += dt[o] * xv;
                }
            }
            for o in 0..CO {
                wk[o] -= lr * g[o];
            }
        }
    }
    let mut g = [-0.0_f32; CO];
    for dt in d {
        for o in 0..CO {
            g[o] += dt[o];
        }
    }
    for o in 0..CO {
        b[o] -= lr * g[o];
    }
}

/// The library's first maximum of two: `y` replaces `x` when larger or NaN.
#[inline(always)]
#[allow(clippy::eq_op)]
fn second_wins(x: f32, y: f32) -> bool {
    y > x || y != y
}

impl Hand {
    /// From the library's flat parameter order.
    #[must_use]
    pub fn from_flat(p: &[f32; PARAMS]) -> Self {
        let mut w5 = [[0.0; CO]; OUT];
        for (o, row) in w5.iter_mut().enumerate() {
            row.copy_from_slice(&p[W5 + o * CO..][..CO]);
        }
        Self {
            w1: transpose_in::<CH, K1>(p, W1),
            b1: p[B1..W2].try_into().expect("16 biases"),
            w2: transpose_in::<CO, K2>(p, W2),
            b2: p[B2..W5].try_into().expect("16 biases"),
            w5,
            b5: p[B5..].try_into().expect("4 biases"),
        }
    }

    /// The parameters in the library's flat order.
    #[must_use]
    pub fn to_flat(&self) -> [f32; PARAMS] {
        let mut p = [0.0; PARAMS];
        transpose_out(&self.w1, &mut p, W1);
        p[B1..W2].copy_from_slice(&self.b1);
        transpose_out(&self.w2, &mut p, W2);
        p[B2..W5].copy_from_slice(&self.b2);
        for (o, row) in self.w5.iter().enumerate() {
            p[W5 + o * CO..][..CO].copy_from_slice(row);
        }
        p[B5..].copy_from_slice(&self.b5);
        p
    }

    /// The head from the pooled features: the logits, each from its bias
    /// then input by input, four classes side by side.
    #[inline(always)]
    fn logits(&self, a4: &Row) -> [f32; OUT] {
        let mut z = self.b5;
        for i in 0..CO {
            for o in 0..OUT {
                z[o] += self.w5[o][i] * a4[i];
            }
        }
        z
    }

    /// Global average pooling: each channel summed over the steps in order
    /// from `-0.0`, divided by the number of steps.
    #[inline(always)]
    fn pool_mean(a3: &[Row; L2]) -> Row {
        let mut sum = [-0.0_f32; CO];
        for row in a3 {
            for c in 0..CO {
                sum[c] += row[c];
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let n = L2 as f32;
        sum.map(|s| s / n)
    }

    /// The forward pass, keeping what the backward pass needs.
    #[inline(always)]
    fn pass(&self, x: &[[f32; CH]; LEN]) -> Pass {
        let mut z1 = [[0.0; CO]; L1];
        conv(&self.w1, &self.b1, x, &mut z1);
        let a1 = z1.map(|row| row.map(|z| Relu.f(z)));
        let mut a2 = [[0.0; CO]; LP];
        for (t, out) in a2.iter_mut().enumerate() {
            let (p, q) = (&a1[2 * t], &a1[2 * t + 1]);
            for c in 0..CO {
                out[c] = if second_wins(p[c], q[c]) { q[c] } else { p[c] };
            }
        }
        let mut z3 = [[0.0; CO]; L2];
        conv(&self.w2, &self.b2, &a2, &mut z3);
        let a3 = z3.map(|row| row.map(|z| Relu.f(z)));
        let a4 = Self::pool_mean(&a3);
        let z5 = self.logits(&a4);
        let a5 = softmax(&z5);
        Pass {
            z1,
            a1,
            a2,
            z3,
            a4,
            z5,
            a5,
        }
    }

    /// The class probabilities for the window `x` (`x[t][c]`).
    #[inline]
    #[must_use]
    pub fn forward(&self, x: &[[f32; CH]; LEN]) -> [f32; OUT] {
        // Without the trace: the convolutions write into locals that the
        // next layer reads, nothing else is kept.
        let mut z1 = [[0.0; CO]; L1];
        conv(&self.w1, &self.b1, x, &mut z1);
        let mut a2 = [[0.0; CO]; LP];
        for (t, out) in a2.iter_mut().enumerate() {
            let (p, q) = (
                z1[2 * t].map(|z| Relu.f(z)),
                z1[2 * t + 1].map(|z| Relu.f(z)),
            );
            for c in 0..CO {
                out[c] = if second_wins(p[c], q[c]) { q[c] } else { p[c] };
            }
        }
        let mut z3 = [[0.0; CO]; L2];
        conv(&self.w2, &self.b2, &a2, &mut z3);
        let a3 = z3.map(|row| row.map(|z| Relu.f(z)));
        softmax(&self.logits(&Self::pool_mean(&a3)))
    }

    /// One SGD step on one window with learning rate `lr`; returns the
    /// cross-entropy before the update.
    #[inline]
    pub fn train_step(&mut self, x: &[[f32; CH]; LEN], target: &[f32; OUT], lr: f32) -> f32 {
        let pass = self.pass(x);
        let loss = CrossEntropy.softmax_loss(&pass.z5, &pass.a5, target);
        let d5 = CrossEntropy.softmax_delta(&pass.z5, &pass.a5, target);

        // The head: the gradient at the pooled features from the weights
        // before their update, the classes in order, sixteen inputs at a
        // time; then the update.
        let mut d4 = [0.0_f32; CO];
        for i in 0..CO {
            d4[i] = self.w5[0][i] * d5[0];
        }
        for o in 1..OUT {
            for i in 0..CO {
                d4[i] += self.w5[o][i] * d5[o];
            }
        }
        for o in 0..OUT {
            for i in 0..CO {
                self.w5[o][i] -= lr * (d5[o] * pass.a4[i]);
            }
            self.b5[o] -= lr * d5[o];
        }

        // Global average pooling spreads `d4 / L2` over every step; the
        // ReLU's derivative (the library's, a multiply by 1 or 0).
        #[allow(clippy::cast_precision_loss)]
        let share = d4.map(|d| d / L2 as f32);
        let mut d3 = [[0.0_f32; CO]; L2];
        for (t, row) in d3.iter_mut().enumerate() {
            for o in 0..CO {
                row[o] = share[o] * Relu.df(pass.z3[t][o], 0.0);
            }
        }

        // The gradient at the second convolution's input, before its
        // update: input step `j` gathers, from `-0.0`, every output step
        // `t` that reads it in order, and within a step the output
        // channels in order, sixteen input channels at a time (from the
        // weights as `[k][o][c]`).
        let mut wk = [[[0.0_f32; CO]; CO]; K2];
        for (c, taps) in self.w2.iter().enumerate() {
            for (k, row) in taps.iter().enumerate() {
                for o in 0..CO {
                    wk[k][o][c] = row[o];
                }
            }
        }
        let mut d2 = [[0.0_f32; CO]; LP];
        for (j, dj) in d2.iter_mut().enumerate() {
            let mut acc = [-0.0_f32; CO];
            for t in j.saturating_sub(K2 - 1)..=j.min(L2 - 1) {
                let k = j - t;
                for o in 0..CO {
                    let d = d3[t][o];
                    for c in 0..CO {
                        acc[c] += wk[k][o][c] * d;
                    }
                }
            }
            *dj = acc;
        }
        conv_update(&mut self.w2, &mut self.b2, &d3, &pass.a2, lr);

        // Max pooling sends each gradient to the first maximum, `-0.0` to
        // the other step; then the ReLU's derivative.
        let mut d1 = [[0.0_f32; CO]; L1];
        for (t, dt) in d2.iter().enumerate() {
            let (p, q) = (&pass.a1[2 * t], &pass.a1[2 * t + 1]);
            let (z, zn) = (&pass.z1[2 * t], &pass.z1[2 * t + 1]);
            for c in 0..CO {
                let second = second_wins(p[c], q[c]);
                let (dp, dq) = if second { (-0.0, dt[c]) } else { (dt[c], -0.0) };
                d1[2 * t][c] = dp * Relu.df(z[c], 0.0);
                d1[2 * t + 1][c] = dq * Relu.df(zn[c], 0.0);
            }
        }
        conv_update(&mut self.w1, &mut self.b1, &d1, x, lr);
        loss
    }
}

#[cfg(test)]
mod tests {
    use super::{Hand, PARAMS};
    use crate::{Gesture, values};
    use backprop_core::loss::CrossEntropy;
    use backprop_core::optim::Sgd;

    /// The window of sample `seed`: three channels in `[-2, 2)`.
    fn window(seed: u64) -> [[f32; 3]; 64] {
        let flat = values::<192>(seed, 2.0);
        core::array::from_fn(|t| [flat[3 * t], flat[3 * t + 1], flat[3 * t + 2]])
    }

    /// Sample `seed`'s target: one-hot for most, a mixture for every
    /// fifth, so the loss's every branch is taken.
    fn target(seed: u64) -> [f32; 4] {
        if seed.is_multiple_of(5) {
            let v = values::<4>(seed, 1.0).map(f32::abs);
            let sum: f32 = v.iter().sum();
            v.map(|x| x / sum)
        } else {
            let mut t = [0.0; 4];
            t[(seed % 4) as usize] = 1.0;
            t
        }
    }

    #[test]
    fn the_flat_order_round_trips() {
        let flat = values::<PARAMS>(7, 0.5);
        assert_eq!(Hand::from_flat(&flat).to_flat(), flat);
    }

    #[test]
    fn the_hand_written_network_has_the_library_bits() {
        let lr = 0.05;
        let flat = Gesture::<f32>::with_seed(3).params().to_owned();
        let mut generated = Gesture::<f32>::from_params(flat);
        let mut hand = Hand::from_flat(&flat);
        let mut sgd = Sgd::new(lr);
        let mut changed = 0;
        for step in 0..300_u64 {
            let (x, t) = (window(100 + step), target(step));
            let (yg, yh) = (generated.forward(&x), hand.forward(&x));
            assert_eq!(
                yg.map(f32::to_bits),
                yh.map(f32::to_bits),
                "forward at step {step}"
            );
            let before = *generated.params();
            let lg = generated.train_step(&x, &t, &CrossEntropy, &mut sgd);
            let lh = hand.train_step(&x, &t, lr);
            assert_eq!(lg.to_bits(), lh.to_bits(), "loss at step {step}");
            let after = hand.to_flat();
            assert_eq!(
                generated.params().map(f32::to_bits),
                after.map(f32::to_bits),
                "parameters after step {step}"
            );
            changed += before.iter().zip(&after).filter(|(a, b)| a != b).count();
        }
        // The steps moved most parameters: the comparison is not of two
        // networks that stood still.
        assert!(changed > 300 * PARAMS / 2, "{changed} parameter changes");
    }
}
