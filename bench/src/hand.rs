//! Hand-written fixed-size MLPs: the yardstick the generated code is measured
//! against. Written the way a careful programmer would for speed, with no
//! obligation to match the library's bits or layout:
//!
//! - weights stored transposed, `[in][out]`, so that the forward pass adds
//!   across outputs (`z[o] += w[i][o] * x[i]`, `o` innermost, contiguous),
//!   a block of outputs at a time so that their sums stay in registers;
//! - the input gradient `W^T d` is then a contiguous dot product per input,
//!   summed with eight accumulators (reassociated, which the library may not);
//! - the weight gradient is never stored: each weight is updated in place
//!   once the input gradient has been computed.
//!
//! Activations are the library's own functions, so both sides pay the same
//! for `exp` or `tanh` and the comparison measures the layer code.

// Index loops over const sizes are the point of these kernels.
#![allow(clippy::needless_range_loop)]

use backprop_core::activation::{Activation, Linear, Relu, Sigmoid, Tanh};

/// Neurons per block in a wide layer's forward pass: eight vector
/// registers of sums (256-bit with AVX, 128-bit otherwise).
pub const BLOCK: usize = if cfg!(target_feature = "avx") { 64 } else { 32 };

/// One dense layer, weights `[in][out]`.
#[derive(Clone)]
pub struct Dense<A, const I: usize, const O: usize> {
    /// `wt[i][o]`: the weight from input `i` to neuron `o`.
    pub wt: [[f32; O]; I],
    /// The biases.
    pub b: [f32; O],
    /// The activation.
    pub act: A,
}

impl<A: Activation<f32>, const I: usize, const O: usize> Dense<A, I, O> {
    /// From the library's flat layout (`[out][in]` weights, then biases).
    #[must_use]
    pub fn from_flat(flat: &[f32], act: A) -> Self {
        let mut wt = [[0.0; O]; I];
        for (o, row) in flat[..I * O].chunks_exact(I).enumerate() {
            for (i, w) in row.iter().enumerate() {
                wt[i][o] = *w;
            }
        }
        let mut b = [0.0; O];
        b.copy_from_slice(&flat[I * O..I * O + O]);
        Self { wt, b, act }
    }

    /// `z = b + W x`, `a = f(z)`: wide layers a block of [`BLOCK`] neurons
    /// at a time, so the block's sums stay in registers.
    #[inline(always)]
    pub fn forward(&self, x: &[f32; I], z: &mut [f32; O], a: &mut [f32; O]) {
        if O <= BLOCK {
            *z = self.b;
            for i in 0..I {
                let xi = x[i];
                let row = &self.wt[i];
                for o in 0..O {
                    z[o] += row[o] * xi;
                }
            }
        } else {
            let (zb, zr) = z.as_chunks_mut::<BLOCK>();
            let (bb, br) = self.b.as_chunks::<BLOCK>();
            for (k, (zb, bb)) in zb.iter_mut().zip(bb).enumerate() {
                let mut acc = *bb;
                for i in 0..I {
                    let xi = x[i];
                    let row = &self.wt[i].as_chunks::<BLOCK>().0[k];
                    for o in 0..BLOCK {
                        acc[o] += row[o] * xi;
                    }
                }
                *zb = acc;
            }
            zr.copy_from_slice(br);
            for i in 0..I {
                let xi = x[i];
                for (zo, w) in zr.iter_mut().zip(self.wt[i].as_chunks::<BLOCK>().1) {
                    *zo += w * xi;
                }
            }
        }
        for o in 0..O {
            a[o] = self.act.f(z[o]);
        }
    }

    /// SGD on the weights and biases from the error signal `d`; the first
    /// layer needs no input gradient.
    #[inline(always)]
    pub fn update(&mut self, x: &[f32; I], d: &[f32; O], lr: f32) {
        let mut step = [0.0; O];
        for o in 0..O {
            step[o] = lr * d[o];
        }
        for i in 0..I {
            let xi = x[i];
            let row = &mut self.wt[i];
            for o in 0..O {
                row[o] -= step[o] * xi;
            }
        }
        for o in 0..O {
            self.b[o] -= step[o];
        }
    }

    /// The gradient at the input (`W^T d`, before the activation below),
    /// then SGD on this layer.
    #[inline(always)]
    pub fn backprop_update(&mut self, x: &[f32; I], d: &[f32; O], lr: f32) -> [f32; I] {
        let mut step = [0.0; O];
        for o in 0..O {
            step[o] = lr * d[o];
        }
        let mut dx = [0.0; I];
        for i in 0..I {
            let row = &self.wt[i];
            let mut acc = [0.0f32; 8];
            let (chunks, rest) = row.as_chunks::<8>();
            for (c, chunk) in chunks.iter().enumerate() {
                for k in 0..8 {
                    acc[k] += chunk[k] * d[c * 8 + k];
                }
            }
            let mut sum =
                ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
            for (k, w) in rest.iter().enumerate() {
                sum += w * d[O - rest.len() + k];
            }
            dx[i] = sum;
        }
        for i in 0..I {
            let xi = x[i];
            let row = &mut self.wt[i];
            for o in 0..O {
                row[o] -= step[o] * xi;
            }
        }
        for o in 0..O {
            self.b[o] -= step[o];
        }
        dx
    }

    /// `dx[i] * f'(z[i], a[i])`, the error signal of this layer from the
    /// gradient at its activation.
    #[inline(always)]
    pub fn delta(&self, da: &[f32; O], z: &[f32; O], a: &[f32; O]) -> [f32; O] {
        let mut d = [0.0; O];
        for o in 0..O {
            d[o] = da[o] * self.act.df(z[o], a[o]);
        }
        d
    }
}

/// Output error signal of half squared error: `(y - t) * f'(z)`.
#[inline(always)]
fn output_delta<A: Activation<f32>, const O: usize>(
    act: &A,
    z: &[f32; O],
    y: &[f32; O],
    t: &[f32; O],
) -> ([f32; O], f32) {
    let mut d = [0.0; O];
    let mut loss = 0.0;
    for o in 0..O {
        let e = y[o] - t[o];
        loss += e * e;
        d[o] = e * act.df(z[o], y[o]);
    }
    (d, 0.5 * loss)
}

/// A hand-written network of three dense layers.
#[derive(Clone)]
pub struct Three<A1, A2, A3, const I: usize, const H1: usize, const H2: usize, const O: usize> {
    /// Layer 1.
    pub l1: Dense<A1, I, H1>,
    /// Layer 2.
    pub l2: Dense<A2, H1, H2>,
    /// Layer 3.
    pub l3: Dense<A3, H2, O>,
}

impl<A1, A2, A3, const I: usize, const H1: usize, const H2: usize, const O: usize>
    Three<A1, A2, A3, I, H1, H2, O>
where
    A1: Activation<f32>,
    A2: Activation<f32>,
    A3: Activation<f32>,
{
    /// From the library's flat parameter layout.
    #[must_use]
    pub fn from_flat(flat: &[f32], a1: A1, a2: A2, a3: A3) -> Self {
        let n1 = I * H1 + H1;
        let n2 = H1 * H2 + H2;
        Self {
            l1: Dense::from_flat(&flat[..n1], a1),
            l2: Dense::from_flat(&flat[n1..n1 + n2], a2),
            l3: Dense::from_flat(&flat[n1 + n2..], a3),
        }
    }

    /// The prediction for `x`.
    #[inline(never)]
    #[must_use]
    pub fn forward(&self, x: &[f32; I]) -> [f32; O] {
        let (mut z1, mut a1) = ([0.0; H1], [0.0; H1]);
        let (mut z2, mut a2) = ([0.0; H2], [0.0; H2]);
        let (mut z3, mut a3) = ([0.0; O], [0.0; O]);
        self.l1.forward(x, &mut z1, &mut a1);
        self.l2.forward(&a1, &mut z2, &mut a2);
        self.l3.forward(&a2, &mut z3, &mut a3);
        a3
    }

    /// One SGD step on one sample; returns the loss before the update.
    #[inline(never)]
    pub fn train_step(&mut self, x: &[f32; I], t: &[f32; O], lr: f32) -> f32 {
        let (mut z1, mut a1) = ([0.0; H1], [0.0; H1]);
        let (mut z2, mut a2) = ([0.0; H2], [0.0; H2]);
        let (mut z3, mut a3) = ([0.0; O], [0.0; O]);
        self.l1.forward(x, &mut z1, &mut a1);
        self.l2.forward(&a1, &mut z2, &mut a2);
        self.l3.forward(&a2, &mut z3, &mut a3);
        let (d3, loss) = output_delta(&self.l3.act, &z3, &a3, t);
        let da2 = self.l3.backprop_update(&a2, &d3, lr);
        let d2 = self.l2.delta(&da2, &z2, &a2);
        let da1 = self.l2.backprop_update(&a1, &d2, lr);
        let d1 = self.l1.delta(&da1, &z1, &a1);
        self.l1.update(x, &d1, lr);
        loss
    }
}

/// A hand-written network of two dense layers.
#[derive(Clone)]
pub struct Two<A1, A2, const I: usize, const H: usize, const O: usize> {
    /// Layer 1.
    pub l1: Dense<A1, I, H>,
    /// Layer 2.
    pub l2: Dense<A2, H, O>,
}

impl<A1, A2, const I: usize, const H: usize, const O: usize> Two<A1, A2, I, H, O>
where
    A1: Activation<f32>,
    A2: Activation<f32>,
{
    /// From the library's flat parameter layout.
    #[must_use]
    pub fn from_flat(flat: &[f32], a1: A1, a2: A2) -> Self {
        let n1 = I * H + H;
        Self {
            l1: Dense::from_flat(&flat[..n1], a1),
            l2: Dense::from_flat(&flat[n1..], a2),
        }
    }

    /// The prediction for `x`.
    #[inline(never)]
    #[must_use]
    pub fn forward(&self, x: &[f32; I]) -> [f32; O] {
        let (mut z1, mut a1) = ([0.0; H], [0.0; H]);
        let (mut z2, mut a2) = ([0.0; O], [0.0; O]);
        self.l1.forward(x, &mut z1, &mut a1);
        self.l2.forward(&a1, &mut z2, &mut a2);
        a2
    }

    /// One SGD step on one sample; returns the loss before the update.
    #[inline(never)]
    pub fn train_step(&mut self, x: &[f32; I], t: &[f32; O], lr: f32) -> f32 {
        let (mut z1, mut a1) = ([0.0; H], [0.0; H]);
        let (mut z2, mut a2) = ([0.0; O], [0.0; O]);
        self.l1.forward(x, &mut z1, &mut a1);
        self.l2.forward(&a1, &mut z2, &mut a2);
        let (d2, loss) = output_delta(&self.l2.act, &z2, &a2, t);
        let da1 = self.l2.backprop_update(&a1, &d2, lr);
        let d1 = self.l1.delta(&da1, &z1, &a1);
        self.l1.update(x, &d1, lr);
        loss
    }
}

/// The tutorial's network, hand-written.
pub type Tutorial = Three<Relu, Sigmoid, Linear, 1, 4, 2, 1>;
/// 16 => 32 ReLU => 32 ReLU => 4 Linear, hand-written.
pub type Mlp16 = Three<Relu, Relu, Linear, 16, 32, 32, 4>;
/// 64 => 128 Tanh => 10 Linear, hand-written.
pub type Tanh64 = Two<Tanh, Linear, 64, 128, 10>;
/// 784 => 128 ReLU => 10 Linear, hand-written.
pub type Mnist = Two<Relu, Linear, 784, 128, 10>;
