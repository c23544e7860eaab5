//! Two hand-written yardsticks for the tutorial's network,
//! `1 => 4 ReLU => 2 Sigmoid => 1 Linear` (21 parameters), trained on half
//! squared error with plain SGD, batch 1, `f32`:
//!
//! - [`Exact`]: fixed-size straight-line code that computes the same bits as
//!   the code `network!` generates (the same additions in the same order,
//!   the same `exp`, the same rounding of every update), written as tightly
//!   as that allows. The generated code is measured against it: whatever
//!   the generated code spends beyond it is overhead of the generated form,
//!   not of the maths the library has promised. The bench's checks and a
//!   unit test assert the equality, bit for bit.
//! - [`Fast`]: what a careful programmer writes when the bits are free:
//!   `libm`'s `expf` in the sigmoid, `lr * delta` computed once per neuron
//!   (one multiply per weight fewer), the ReLU derivative as a select. Its
//!   results differ from the library's in the last bits.
//!
//! Both keep the parameters in the library's flat order (`[out][in]`
//! weights, then biases, layer by layer), so they start from the same
//! parameters as a generated `Tutorial` and can be compared with it.
//! `benches/tutorial.rs` times them against the generated code;
//! `examples/tutorial_calls.rs` runs them under callgrind
//! (`scripts/bench-tutorial-calls.sh`).

/// Parameters of the tutorial's network: `4 + 4` (layer 1), `8 + 2`
/// (layer 2), `2 + 1` (layer 3).
pub const PARAMS: usize = 21;

/// The library's `relu`: `x <= 0` is false for NaN, so NaN passes.
#[inline(always)]
fn relu(z: f32) -> f32 {
    if z <= 0.0 { 0.0 } else { z }
}

/// [`backprop_core::fast::exp_f32`], bit for bit, with its one costly step
/// written another way. The library converts `t = x log2(e) + 254.5` to
/// the biased exponent `kb` with a saturating `as u32` and then caps it at
/// 382: on x86-64 without AVX-512 that is, per value, a scalar `cvttss2si`
/// and two compares and conditional moves (0 below, `u32::MAX` above), which
/// LLVM does not vectorise; clamping `t` first does not help, since LLVM
/// does not carry the range into the conversion. Here `t` is clamped to
/// `[0, 382]` (NaN to 0, as the saturating conversion does) and truncated
/// in `f32`: adding and subtracting `2^23` rounds it to an integer, and one
/// compare steps back where that rounded up. The integer `kb` is then read
/// from the bits of `kb + 2^23`, and `kb - 254` is exact in `f32`, so no
/// conversion is left at all: every step is a vector instruction on four
/// lanes. Truncation is monotonic and 382 an integer, so the clamp changes
/// no result.
#[inline(always)]
fn exp_clamped(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    const C2: f32 = 0.499_992_3;
    const C3: f32 = 0.166_671_1;
    const C4: f32 = 0.041_890_137;
    const C5: f32 = 0.008_312_517;
    /// `2^23`: from here up every `f32` is an integer.
    const TWO_23: f32 = 8_388_608.0;
    let t = x * core::f32::consts::LOG2_E + 254.5;
    // `t >= 0` is false for NaN.
    let t = if t >= 0.0 { t } else { 0.0 };
    let t = if t < 382.0 { t } else { 382.0 };
    // t rounded to the nearest integer, then truncated: `rounded` is exact
    // (below 2^23) and `rounded - 1` too.
    let rounded = (t + TWO_23) - TWO_23;
    let kbf = if rounded > t { rounded - 1.0 } else { rounded };
    let kb = (kbf + TWO_23).to_bits() - TWO_23.to_bits();
    let kf = kbf - 254.0;
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    let r = if r < -0.5 { -0.5 } else { r };
    let t = ((((C5 * r + C4) * r + C3) * r + C2) * r + 1.0) * r;
    let h = kb >> 1;
    let s1 = f32::from_bits(h << 23);
    let s2 = f32::from_bits((kb - h) << 23);
    (t * s1 + s1) * s2
}

/// The library's `f32` sigmoid, with one exponential and one divide on
/// either side of 0: `e = exp(-|z|)` is `exp(-z)` for `z >= 0` and
/// `exp(z)` below, which are the two exponentials the library's branches
/// take, so `1 / (1 + e)` and `e / (1 + e)` are its two results, bit for bit
/// (`-|-0.0|` is `-0.0` where the library has `+0.0`; `exp_f32` gives 1 for
/// both). The numerator is a select, so there is no branch.
#[inline(always)]
fn sigmoid_exact(z: f32) -> f32 {
    let e = exp_clamped(-z.abs());
    let numerator = if z >= 0.0 { 1.0 } else { e };
    numerator / (1.0 + e)
}

/// The tutorial's network as straight-line code with the library's bits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exact {
    /// The parameters, in the library's flat order.
    pub p: [f32; PARAMS],
}

/// One forward pass, every intermediate kept for the backward pass.
struct Pass {
    z1: [f32; 4],
    a1: [f32; 4],
    a2: [f32; 2],
    y: f32,
}

impl Exact {
    /// From the library's flat parameter order.
    #[must_use]
    pub const fn from_flat(p: [f32; PARAMS]) -> Self {
        Self { p }
    }

    /// The forward pass, each sum in the library's order: the bias, then
    /// the products input by input, left to right.
    #[inline(always)]
    fn pass(p: &[f32; PARAMS], x: f32) -> Pass {
        let z1 = [
            p[4] + p[0] * x,
            p[5] + p[1] * x,
            p[6] + p[2] * x,
            p[7] + p[3] * x,
        ];
        let a1 = [relu(z1[0]), relu(z1[1]), relu(z1[2]), relu(z1[3])];
        let z2 = [
            p[16] + p[8] * a1[0] + p[9] * a1[1] + p[10] * a1[2] + p[11] * a1[3],
            p[17] + p[12] * a1[0] + p[13] * a1[1] + p[14] * a1[2] + p[15] * a1[3],
        ];
        let a2 = [sigmoid_exact(z2[0]), sigmoid_exact(z2[1])];
        let y = p[20] + p[18] * a2[0] + p[19] * a2[1];
        Pass { z1, a1, a2, y }
    }

    /// The prediction for `x`.
    #[inline]
    #[must_use]
    pub fn forward(&self, x: &[f32; 1]) -> [f32; 1] {
        [Self::pass(&self.p, x[0]).y]
    }

    /// One SGD step on one sample with learning rate `lr`; returns the loss
    /// before the update, `(y - t)^2 / 2`.
    ///
    /// The library's order: each error signal from the weights before
    /// their update; each parameter `p -= lr * g` with its gradient
    /// `g = delta * input`; the ReLU derivative a multiply by 1 or 0 (as
    /// the library's `df`, which keeps the sign of a zero and turns an
    /// infinite sum into NaN).
    #[inline]
    pub fn train_step(&mut self, x: &[f32; 1], t: &[f32; 1], lr: f32) -> f32 {
        let p = &mut self.p;
        let x = x[0];
        let Pass { z1, a1, a2, y } = Self::pass(p, x);
        let e = y - t[0];
        let loss = (e * e) * 0.5;
        // The Linear output's derivative is 1: the error signal is `e`.
        let d3 = e;
        let d2 = [
            (p[18] * d3) * (a2[0] * (1.0 - a2[0])),
            (p[19] * d3) * (a2[1] * (1.0 - a2[1])),
        ];
        p[18] -= lr * (d3 * a2[0]);
        p[19] -= lr * (d3 * a2[1]);
        p[20] -= lr * d3;
        let relu_df = |z: f32| if z > 0.0 { 1.0 } else { 0.0 };
        let d1 = [
            (p[8] * d2[0] + p[12] * d2[1]) * relu_df(z1[0]),
            (p[9] * d2[0] + p[13] * d2[1]) * relu_df(z1[1]),
            (p[10] * d2[0] + p[14] * d2[1]) * relu_df(z1[2]),
            (p[11] * d2[0] + p[15] * d2[1]) * relu_df(z1[3]),
        ];
        for k in 0..4 {
            p[8 + k] -= lr * (d2[0] * a1[k]);
            p[12 + k] -= lr * (d2[1] * a1[k]);
        }
        p[16] -= lr * d2[0];
        p[17] -= lr * d2[1];
        for k in 0..4 {
            p[k] -= lr * (d1[k] * x);
            p[4 + k] -= lr * d1[k];
        }
        loss
    }
}

/// The sigmoid as it is usually written, with `libm`'s `expf`: one
/// exponential, one divide, no branch; `expf(-z)` overflows to infinity
/// for `z` below about -88, where the result is then 0.
#[inline(always)]
fn sigmoid_fast(z: f32) -> f32 {
    1.0 / (1.0 + libm::expf(-z))
}

/// The tutorial's network as the fastest straight-line code that keeps
/// the same maths but not the library's bits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fast {
    /// The parameters, in the library's flat order.
    pub p: [f32; PARAMS],
}

impl Fast {
    /// From the library's flat parameter order.
    #[must_use]
    pub const fn from_flat(p: [f32; PARAMS]) -> Self {
        Self { p }
    }

    #[inline(always)]
    fn pass(p: &[f32; PARAMS], x: f32) -> Pass {
        let z1 = [
            p[4] + p[0] * x,
            p[5] + p[1] * x,
            p[6] + p[2] * x,
            p[7] + p[3] * x,
        ];
        let a1 = [relu(z1[0]), relu(z1[1]), relu(z1[2]), relu(z1[3])];
        let z2 = [
            p[16] + p[8] * a1[0] + p[9] * a1[1] + p[10] * a1[2] + p[11] * a1[3],
            p[17] + p[12] * a1[0] + p[13] * a1[1] + p[14] * a1[2] + p[15] * a1[3],
        ];
        let a2 = [sigmoid_fast(z2[0]), sigmoid_fast(z2[1])];
        let y = p[20] + p[18] * a2[0] + p[19] * a2[1];
        Pass { z1, a1, a2, y }
    }

    /// The prediction for `x`.
    #[inline]
    #[must_use]
    pub fn forward(&self, x: &[f32; 1]) -> [f32; 1] {
        [Self::pass(&self.p, x[0]).y]
    }

    /// One SGD step on one sample with learning rate `lr`; returns the loss
    /// before the update. Each neuron's step `lr * delta` is computed once
    /// and each weight moves by `step * input`.
    #[inline]
    pub fn train_step(&mut self, x: &[f32; 1], t: &[f32; 1], lr: f32) -> f32 {
        let p = &mut self.p;
        let x = x[0];
        let Pass { z1, a1, a2, y } = Self::pass(p, x);
        let e = y - t[0];
        let loss = 0.5 * e * e;
        let d2 = [
            p[18] * e * (a2[0] * (1.0 - a2[0])),
            p[19] * e * (a2[1] * (1.0 - a2[1])),
        ];
        let s3 = lr * e;
        p[18] -= s3 * a2[0];
        p[19] -= s3 * a2[1];
        p[20] -= s3;
        let mut s1 = [0.0; 4];
        for k in 0..4 {
            let back = p[8 + k] * d2[0] + p[12 + k] * d2[1];
            s1[k] = if z1[k] > 0.0 { lr * back } else { 0.0 };
        }
        let s2 = [lr * d2[0], lr * d2[1]];
        for k in 0..4 {
            p[8 + k] -= s2[0] * a1[k];
            p[12 + k] -= s2[1] * a1[k];
        }
        p[16] -= s2[0];
        p[17] -= s2[1];
        for k in 0..4 {
            p[k] -= s1[k] * x;
            p[4 + k] -= s1[k];
        }
        loss
    }
}

#[cfg(test)]
mod tests {
    use super::{Exact, Fast, PARAMS};
    use crate::{Tutorial, values};
    use backprop_core::activation::{Activation, Sigmoid};
    use backprop_core::fast::exp_f32;
    use backprop_core::loss::HalfSquaredError;
    use backprop_core::optim::Sgd;

    /// Every 61st `f32` bit pattern, and the edges: the clamped
    /// conversion changes no bit of the library's `exp_f32`.
    #[test]
    fn the_clamped_exp_has_the_librarys_bits() {
        let edges = [
            0.0_f32, -0.0, 88.72284, 88.7229, -87.0, -104.0, -176.0, -177.0,
        ];
        let specials = [f32::INFINITY, f32::NEG_INFINITY, f32::MAX, f32::MIN];
        for x in edges.into_iter().chain(specials) {
            assert_eq!(
                super::exp_clamped(x).to_bits(),
                exp_f32(x).to_bits(),
                "at {x}"
            );
        }
        assert!(super::exp_clamped(f32::NAN).is_nan());
        for bits in (0..=u32::MAX).step_by(61) {
            let x = f32::from_bits(bits);
            let (a, b) = (super::exp_clamped(x), exp_f32(x));
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "at {x}"
            );
        }
    }

    #[test]
    fn the_exact_sigmoid_has_the_librarys_bits() {
        let mut z = -120.0_f32;
        while z < 120.0 {
            for z in [z, -z] {
                assert_eq!(
                    super::sigmoid_exact(z).to_bits(),
                    Sigmoid.f(z).to_bits(),
                    "at {z}"
                );
            }
            z += 0.013_7;
        }
        for z in [0.0_f32, -0.0, 1e-30, -1e-30, f32::MAX, f32::MIN, 1e-45] {
            assert_eq!(super::sigmoid_exact(z).to_bits(), Sigmoid.f(z).to_bits());
        }
    }

    /// Trains the generated network and [`Exact`] side by side from the
    /// same parameters and compares every prediction, loss and parameter
    /// bit for bit, through steps where ReLUs switch on and off and the
    /// sigmoids run from saturated to linear.
    #[test]
    fn exact_trains_with_the_generated_bits() {
        for seed in 1..20 {
            let flat = values::<PARAMS>(seed, 1.5);
            let mut generated = Tutorial::<f32>::from_params(flat);
            let mut exact = Exact::from_flat(flat);
            let mut sgd = Sgd::new(0.05_f32);
            for step in 0..200_u64 {
                let [x] = values::<1>(seed * 1000 + step, 3.0);
                let [t] = values::<1>(seed * 7000 + step, 2.0);
                assert_eq!(
                    generated.forward(&[x])[0].to_bits(),
                    exact.forward(&[x])[0].to_bits(),
                    "forward, seed {seed}, step {step}"
                );
                let lg = generated.train_step(&[x], &[t], &HalfSquaredError, &mut sgd);
                let le = exact.train_step(&[x], &[t], 0.05);
                assert_eq!(lg.to_bits(), le.to_bits(), "loss, seed {seed}, step {step}");
                let (g, e) = (
                    generated.params().map(f32::to_bits),
                    exact.p.map(f32::to_bits),
                );
                assert_eq!(g, e, "parameters, seed {seed}, step {step}");
            }
        }
    }

    /// [`Fast`] computes the same function to within rounding: it is a
    /// yardstick of the same work, not of a different network.
    #[test]
    fn fast_trains_within_rounding_of_exact() {
        let flat = values::<PARAMS>(3, 1.5);
        let (mut exact, mut fast) = (Exact::from_flat(flat), Fast::from_flat(flat));
        for step in 0..200_u64 {
            let [x] = values::<1>(step, 3.0);
            let [t] = values::<1>(5000 + step, 2.0);
            let (e, f) = (exact.forward(&[x])[0], fast.forward(&[x])[0]);
            assert!((e - f).abs() <= 1e-5 * (1.0 + e.abs()), "{e} vs {f}");
            let (le, lf) = (
                exact.train_step(&[x], &[t], 0.05),
                fast.train_step(&[x], &[t], 0.05),
            );
            assert!((le - lf).abs() <= 1e-4 * (1.0 + le.abs()), "{le} vs {lf}");
        }
        for (e, f) in exact.p.iter().zip(&fast.p) {
            assert!((e - f).abs() <= 1e-4 * (1.0 + e.abs()), "{e} vs {f}");
        }
        // Rounding apart, the two moved the parameters alike, and they did
        // move: the comparison above is not of two untouched arrays.
        assert!(exact.p.iter().zip(&flat).any(|(a, b)| (a - b).abs() > 1e-2));
    }
}
