//! Hand-written yardsticks for three of the workload's networks: plain
//! loops over a flat `[f32; P]` in the generated networks' parameter order
//! (per layer the weights as `[out][in]`, then the biases), with the same
//! summation order and the same math functions, so they compute the same
//! bits. The workload checks that they do (on the host and on every core),
//! and `scripts/footprint.sh` measures the generated code against them.
//!
//! Each training step is one sample's half squared error and a plain SGD
//! update (`w -= lr * g`), the input gradient of a layer taken from its
//! weights before their update, as a careful hand-written loop would: the
//! input gradient and the update in one pass over the weights.

use backprop_core::fast::{exp_f32, tanh_f32};

/// `z = b + W x`, each sum from the bias in input order; `W` is `[out][in]`
/// at the start of `p`, the biases right after it.
#[inline(always)]
fn affine<const IN: usize, const OUT: usize>(p: &[f32], x: &[f32; IN], z: &mut [f32; OUT]) {
    let (w, b) = p.split_at(IN * OUT);
    for o in 0..OUT {
        let mut sum = b[o];
        for i in 0..IN {
            sum += w[o * IN + i] * x[i];
        }
        z[o] = sum;
    }
}

/// The SGD update of one layer (`w -= lr * d[o] x[i]`, `b -= lr * d[o]`)
/// and, with `INPUT_GRAD`, its input gradient `dx = W^T d` from the weights
/// before the update, each entry summed over the outputs in order from
/// `-0.0`: one pass over the weights.
#[inline(always)]
fn update<const IN: usize, const OUT: usize, const INPUT_GRAD: bool>(
    p: &mut [f32],
    d: &[f32; OUT],
    x: &[f32; IN],
    lr: f32,
    dx: &mut [f32; IN],
) {
    if INPUT_GRAD {
        *dx = [-0.0; IN];
    }
    let (w, b) = p.split_at_mut(IN * OUT);
    for o in 0..OUT {
        let d = d[o];
        for i in 0..IN {
            let w = &mut w[o * IN + i];
            if INPUT_GRAD {
                dx[i] += *w * d;
            }
            *w -= lr * (d * x[i]);
        }
        b[o] -= lr * d;
    }
}

/// The logistic sigmoid, as the library evaluates it.
#[inline(always)]
fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + exp_f32(-x))
    } else {
        let e = exp_f32(x);
        e / (1.0 + e)
    }
}

/// `max(x, 0)`, NaN passing through, as the library evaluates it.
#[inline(always)]
fn relu(x: f32) -> f32 {
    if x <= 0.0 { 0.0 } else { x }
}

/// The parameters of `16 => 32 Linear => 1 Linear`.
pub const WIDE_PARAMS: usize = 16 * 32 + 32 + 32 + 1;
const WIDE_L2: usize = 16 * 32 + 32;

/// The forward pass of `16 => 32 Linear => 1 Linear`.
#[inline(always)]
pub fn wide_forward(p: &[f32; WIDE_PARAMS], x: &[f32; 16], y: &mut [f32; 1]) {
    let mut h = [0.0; 32];
    affine(&p[..WIDE_L2], x, &mut h);
    affine(&p[WIDE_L2..], &h, y);
}

/// One SGD step of `16 => 32 Linear => 1 Linear` on one sample; returns the
/// loss before the update.
#[inline(always)]
pub fn wide_train_step(p: &mut [f32; WIDE_PARAMS], x: &[f32; 16], t: &[f32; 1], lr: f32) -> f32 {
    let mut h = [0.0; 32];
    let mut y = [0.0; 1];
    affine(&p[..WIDE_L2], x, &mut h);
    affine(&p[WIDE_L2..], &h, &mut y);
    let e = [y[0] - t[0]];
    let loss = (-0.0 + e[0] * e[0]) * 0.5;
    let mut dh = [0.0; 32];
    update::<32, 1, true>(&mut p[WIDE_L2..], &e, &h, lr, &mut dh);
    update::<16, 32, false>(&mut p[..WIDE_L2], &dh, x, lr, &mut [0.0; 16]);
    loss
}

/// The parameters of `16 => 32 ReLU => 32 ReLU => 4 Linear`.
pub const DEEP_PARAMS: usize = 16 * 32 + 32 + 32 * 32 + 32 + 32 * 4 + 4;
const DEEP_L2: usize = 16 * 32 + 32;
const DEEP_L3: usize = DEEP_L2 + 32 * 32 + 32;

/// The forward pass of `16 => 32 ReLU => 32 ReLU => 4 Linear`.
#[inline(always)]
pub fn deep_forward(p: &[f32; DEEP_PARAMS], x: &[f32; 16], y: &mut [f32; 4]) {
    let mut a1 = [0.0; 32];
    let mut a2 = [0.0; 32];
    affine(&p[..DEEP_L2], x, &mut a1);
    for v in &mut a1 {
        *v = relu(*v);
    }
    affine(&p[DEEP_L2..DEEP_L3], &a1, &mut a2);
    for v in &mut a2 {
        *v = relu(*v);
    }
    affine(&p[DEEP_L3..], &a2, y);
}

/// One SGD step of `16 => 32 ReLU => 32 ReLU => 4 Linear` on one sample;
/// returns the loss before the update.
#[inline(always)]
pub fn deep_train_step(p: &mut [f32; DEEP_PARAMS], x: &[f32; 16], t: &[f32; 4], lr: f32) -> f32 {
    let (mut z1, mut a1) = ([0.0; 32], [0.0; 32]);
    let (mut z2, mut a2) = ([0.0; 32], [0.0; 32]);
    let mut y = [0.0; 4];
    affine(&p[..DEEP_L2], x, &mut z1);
    for n in 0..32 {
        a1[n] = relu(z1[n]);
    }
    affine(&p[DEEP_L2..DEEP_L3], &a1, &mut z2);
    for n in 0..32 {
        a2[n] = relu(z2[n]);
    }
    affine(&p[DEEP_L3..], &a2, &mut y);
    let mut e = [0.0; 4];
    let mut sum = -0.0;
    for o in 0..4 {
        e[o] = y[o] - t[o];
        sum += e[o] * e[o];
    }
    let mut d = [0.0; 32];
    update::<32, 4, true>(&mut p[DEEP_L3..], &e, &a2, lr, &mut d);
    for n in 0..32 {
        d[n] *= if z2[n] > 0.0 { 1.0 } else { 0.0 };
    }
    let mut d1 = [0.0; 32];
    update::<32, 32, true>(&mut p[DEEP_L2..DEEP_L3], &d, &a1, lr, &mut d1);
    for n in 0..32 {
        d1[n] *= if z1[n] > 0.0 { 1.0 } else { 0.0 };
    }
    update::<16, 32, false>(&mut p[..DEEP_L2], &d1, x, lr, &mut [0.0; 16]);
    sum * 0.5
}

/// The parameters of `2 => 8 Tanh => 8 Tanh => 1 Sigmoid`.
pub const XOR_PARAMS: usize = 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1;
const XOR_L2: usize = 2 * 8 + 8;
const XOR_L3: usize = XOR_L2 + 8 * 8 + 8;

/// The forward pass of `2 => 8 Tanh => 8 Tanh => 1 Sigmoid`.
#[inline(always)]
pub fn xor_forward(p: &[f32; XOR_PARAMS], x: &[f32; 2], y: &mut [f32; 1]) {
    let mut a1 = [0.0; 8];
    let mut a2 = [0.0; 8];
    affine(&p[..XOR_L2], x, &mut a1);
    for v in &mut a1 {
        *v = tanh_f32(*v);
    }
    affine(&p[XOR_L2..XOR_L3], &a1, &mut a2);
    for v in &mut a2 {
        *v = tanh_f32(*v);
    }
    affine(&p[XOR_L3..], &a2, y);
    y[0] = sigmoid(y[0]);
}

/// One SGD step of `2 => 8 Tanh => 8 Tanh => 1 Sigmoid` on one sample;
/// returns the loss before the update.
#[inline(always)]
pub fn xor_train_step(p: &mut [f32; XOR_PARAMS], x: &[f32; 2], t: &[f32; 1], lr: f32) -> f32 {
    let mut a1 = [0.0; 8];
    let mut a2 = [0.0; 8];
    let mut y = [0.0; 1];
    affine(&p[..XOR_L2], x, &mut a1);
    for v in &mut a1 {
        *v = tanh_f32(*v);
    }
    affine(&p[XOR_L2..XOR_L3], &a1, &mut a2);
    for v in &mut a2 {
        *v = tanh_f32(*v);
    }
    affine(&p[XOR_L3..], &a2, &mut y);
    let s = sigmoid(y[0]);
    let e = s - t[0];
    let loss = (-0.0 + e * e) * 0.5;
    let mut d = [0.0; 8];
    update::<8, 1, true>(&mut p[XOR_L3..], &[e * (s * (1.0 - s))], &a2, lr, &mut d);
    for n in 0..8 {
        d[n] *= 1.0 - a2[n] * a2[n];
    }
    let mut d1 = [0.0; 8];
    update::<8, 8, true>(&mut p[XOR_L2..XOR_L3], &d, &a1, lr, &mut d1);
    for n in 0..8 {
        d1[n] *= 1.0 - a1[n] * a1[n];
    }
    update::<2, 8, false>(&mut p[..XOR_L2], &d1, x, lr, &mut [0.0; 2]);
    loss
}
