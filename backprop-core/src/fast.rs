//! Deterministic approximations of transcendental functions for `f32`, the
//! ones the `f32` activations use.
//!
//! `libm`'s `tanhf` is exact to about one ulp but costs 11-17 ns a call, more
//! than all the multiply-adds of a 64 => 128 `Tanh` layer; its `expf`, which
//! `Sigmoid` and `Softmax` need, is 460 bytes of code on a Cortex-M4F, more
//! than the rest of a small network's forward pass. The functions here use
//! only IEEE 754 `+`, `-`, `*`, `/` and comparisons, conversions between
//! `f32` and integers and integer operations on the bits of an `f32`, in a
//! fixed order and without fused multiply-add, so every target (x86-64 with
//! or without AVX, a Cortex-M4F FPU, soft float) computes the same bits.
//! [`tanh_f32`] is made to be fast (inlined, the compiler is free to
//! vectorise it), [`exp_f32`] to be small.
//!
//! The rest are built on [`exp_f32`], so that a network holds one copy of
//! it: [`expm1_f32`] (`e^x - 1`, accurate near 0, for `ELU`),
//! [`softplus_f32`] (`ln(1 + e^x)`, for `Softplus`) and [`gelu_f32`]
//! (`x Phi(x)`, for `GELU`). Each states its error against `libm`'s `f64`
//! functions, checked by the tests below over every `f32` value (a sample
//! of every 251st bit pattern in a debug build, every one in a release
//! build) and densely where the function bends.

/// `tanh(x)` for `f32`, as an odd rational function (degree 13 over 6,
/// evaluated by Horner's rule) of `x` clamped to `[-7.905311, 7.905311]`.
///
/// Accuracy, checked against `libm` over every `f32` value: the absolute and
/// the relative error are below `5e-7` (at most 8 ulp from `libm::tanhf`
/// near `|tanh(x)| = 1`), and `|tanh_f32(x)| <= 1` always. Exact at the
/// edges: `±0` and every `|x| < 4e-4` return `x` itself (the correctly
/// rounded value there), `±inf` and large `|x|` return `±1`, NaN returns
/// NaN.
///
/// # Examples
///
/// ```
/// use backprop_core::fast::tanh_f32;
/// assert_eq!(tanh_f32(0.0), 0.0);
/// assert!(tanh_f32(-0.0).is_sign_negative());
/// assert_eq!(tanh_f32(f32::INFINITY), 1.0);
/// assert!((tanh_f32(0.5) - 0.462_117_16).abs() < 5e-7);
/// assert!(tanh_f32(f32::NAN).is_nan());
/// ```
#[inline]
#[must_use]
pub fn tanh_f32(x: f32) -> f32 {
    // Where the rational function reaches 1 (it rounds to 1.0 from here on).
    const CLAMP: f32 = 7.905_311;
    // Below this, `x` is tanh(x) correctly rounded (tanh(x) = x - x^3/3 + ...).
    const SMALL: f32 = 4e-4;
    const A1: f32 = 4.893_524_6e-3;
    const A3: f32 = 6.372_619_3e-4;
    const A5: f32 = 1.485_722_4e-5;
    const A7: f32 = 5.122_297e-8;
    const A9: f32 = -8.604_672e-11;
    const A11: f32 = 2.000_188e-13;
    const A13: f32 = -2.760_768_5e-16;
    const B0: f32 = 4.893_525e-3;
    const B2: f32 = 2.268_434_6e-3;
    const B4: f32 = 1.185_347_1e-4;
    const B6: f32 = 1.198_258_4e-6;
    if x.is_nan() || x.abs() < SMALL {
        return x;
    }
    let x = x.clamp(-CLAMP, CLAMP);
    let x2 = x * x;
    let p = (((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1;
    let q = ((B6 * x2 + B4) * x2 + B2) * x2 + B0;
    x * p / q
}

/// `e^x` for `f32`: Cody-Waite range reduction, a degree-5 polynomial and a
/// scaling by `2^k` built from bits.
///
/// `x = k ln(2) + r` with `k` the integer nearest `x log2(e)`, so `|r|` is at
/// most about `ln(2) / 2`; `k ln(2)` is subtracted in two parts, the first
/// exact. `e^r` is `1 + r + C2 r^2 + C3 r^3 + C4 r^4 + C5 r^5`, minimax for the
/// relative error on `[-0.3467, 0.3467]` (at most `1.08e-7` there in exact
/// arithmetic), evaluated by Horner's rule. The scaling multiplies by `2^(k/2)` and then
/// by `2^(k - k/2)`, both exact powers of two, so a subnormal result is
/// rounded once.
///
/// Accuracy, checked against `libm`'s `f64` `exp` over every `f32` value:
/// the relative error is below `2e-7` (at most 2.42 ulp) wherever `e^x` is at
/// least `f32::MIN_POSITIVE`, and the absolute error below `2.1e-45` (1.5
/// steps of the smallest subnormal) where it is smaller. The result is never
/// negative. Exact at the edges: `±0` returns `1`; every `x >= 88.72284`,
/// and `inf`, returns `inf`, and every `x <= -103.972084`, and `-inf`,
/// returns `0`, the same thresholds as `libm::expf`; NaN returns NaN.
///
/// About 180 bytes of Thumb-2 code on a Cortex-M4F, against 460 for
/// `libm::expf`: that is what it is for. On a microcontroller it is not
/// inlined, so a network that calls it from several places holds one copy.
/// On targets with float vector units (x86-64, AArch64, wasm with SIMD) it
/// is `#[inline]`, so that calls from another crate can be inlined and
/// interleaved: a call per neuron would cost more than the polynomial.
///
/// # Examples
///
/// ```
/// use backprop_core::fast::exp_f32;
/// assert_eq!(exp_f32(0.0), 1.0);
/// assert_eq!(exp_f32(-0.0), 1.0);
/// assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
/// assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
/// assert!((exp_f32(1.0) - core::f32::consts::E).abs() < 2e-7 * core::f32::consts::E);
/// assert!(exp_f32(f32::NAN).is_nan());
/// ```
#[must_use]
#[cfg_attr(
    any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    ),
    inline
)]
pub fn exp_f32(x: f32) -> f32 {
    // ln(2) = LN2_HI + LN2_LO; LN2_HI has 15 significant bits, so k LN2_HI
    // is exact for every |k| < 512.
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // Minimax on [-0.3467, 0.3467] with the first two coefficients 1, then
    // moved by a few ulp where a scan of every f32 found a smaller maximum.
    const C2: f32 = 0.499_992_3;
    const C3: f32 = 0.166_671_1;
    const C4: f32 = 0.041_890_137;
    const C5: f32 = 0.008_312_517;
    // kb = k + 254. The conversion truncates, which is rounding to nearest
    // where the sum is positive, and saturates: NaN and every x below about
    // -176 give 0. The cap at k = 128 (any x above about 89.1) leaves r
    // large and positive, so the result overflows, as it should.
    let (kb, kf) = biased_exponent(x * core::f32::consts::LOG2_E + 254.5);
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    // r < -0.35 only where kb saturated at 0 (x below about -176). There
    // both scales below are 0, and so is the result as long as t is finite,
    // which -0.5 ensures down to -inf. NaN passes.
    let r = if r < -0.5 { -0.5 } else { r };
    // e^r - 1.
    let t = ((((C5 * r + C4) * r + C3) * r + C2) * r + 1.0) * r;
    // 2^(k/2) and 2^(k - k/2) from their biased exponents, the two halves
    // of k + 254: each in [52, 191] for k in [-150, 128].
    let h = kb >> 1;
    let s1 = f32::from_bits(h << 23);
    let s2 = f32::from_bits((kb - h) << 23);
    // (1 + t) s1, written t s1 + s1 (the same bits: t s1 is exact, or too
    // small to move s1) because it saves an instruction on a Cortex-M.
    (t * s1 + s1) * s2
}

/// `kb = min(t as u32, 382)` (the conversion truncates and saturates: NaN
/// and negatives give 0), and `kb - 254` as an `f32`.
///
/// With a vector unit the conversion is avoided: it is a scalar instruction
/// with compares around it on x86-64 (no unsigned conversion before
/// AVX-512), which keeps a layer of sigmoids from being vectorised. There
/// `t` is clamped to `[0, 382]` (NaN to 0) and truncated in `f32`: adding
/// and subtracting `2^23` rounds it to an integer (exact below `2^23`), and
/// one compare steps back where that rounded up; `kb` is then read from the
/// bits of `kb + 2^23`, and `kb - 254` is exact. Truncation is monotonic
/// and 382 an integer, so the clamp changes no result: the same `kb` as
/// the conversion for every `t` (a test checks every 251st `f32` through
/// [`exp_f32`]). On a scalar FPU (a Cortex-M4F) the conversion is one
/// instruction, and stays.
#[inline(always)]
fn biased_exponent(t: f32) -> (u32, f32) {
    #[cfg(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    ))]
    {
        const TWO_23: f32 = 8_388_608.0;
        // `t >= 0` is false for NaN.
        let t = if t >= 0.0 { t } else { 0.0 };
        let t = if t < 382.0 { t } else { 382.0 };
        let rounded = (t + TWO_23) - TWO_23;
        let kbf = if rounded > t { rounded - 1.0 } else { rounded };
        let kb = (kbf + TWO_23).to_bits() - TWO_23.to_bits();
        (kb, kbf - 254.0)
    }
    #[cfg(not(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    )))]
    {
        let kb = (t as u32).min(382);
        (kb, (kb as i32 - 254) as f32)
    }
}

/// `e^x - 1` for `f32`, accurate near 0 where `exp_f32(x) - 1.0` is not.
///
/// The same reduction as [`exp_f32`], `x = k ln(2) + r` with `|r|` at most
/// about `ln(2) / 2`; `e^r - 1` is `r + r^2 P(r)`, `P` of degree 4, minimax
/// for the relative error of `e^r - 1` on `[-0.3467, 0.3467]` (`1.3e-8`
/// there in exact arithmetic), evaluated by Horner's rule; then
/// `e^x - 1 = 2^k (e^r - 1) + (2^k - 1)`, where both `2^k (e^r - 1)` and,
/// for the `k` that matter, `2^k - 1` are exact, so the result is rounded
/// once more. Above 64 it is [`exp_f32`] itself (the `- 1` is far below
/// half an ulp there); below -20 it is `-1`, the correctly rounded value.
///
/// Accuracy, checked against `libm`'s `f64` `expm1` over every `f32` value:
/// the relative error is below `2e-7` (at most 2.41 ulp, where it is
/// [`exp_f32`], above 64; below 64, `1.2e-7` and 1.72 ulp). Exact at the
/// edges: `±0` and every `|x| < 2^-24` return `x` itself, `inf` and every
/// `x >= 88.72284` return `inf` (as [`exp_f32`]), `-inf` and every
/// `x < -20` return `-1`, NaN returns NaN.
///
/// About 230 bytes of Thumb-2 code on a Cortex-M4F (it calls [`exp_f32`]
/// above 64), against 556 for `libm::expm1f`.
///
/// # Examples
///
/// ```
/// use backprop_core::fast::expm1_f32;
/// assert_eq!(expm1_f32(0.0), 0.0);
/// assert!(expm1_f32(-0.0).is_sign_negative());
/// assert_eq!(expm1_f32(1e-10), 1e-10);
/// assert_eq!(expm1_f32(f32::NEG_INFINITY), -1.0);
/// assert_eq!(expm1_f32(f32::INFINITY), f32::INFINITY);
/// let want = 1.0e-3_f64.exp_m1();
/// assert!((f64::from(expm1_f32(1.0e-3)) - want).abs() < 2e-7 * want);
/// assert!(expm1_f32(f32::NAN).is_nan());
/// ```
#[must_use]
pub fn expm1_f32(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // (e^r - 1 - r) / r^2 = 1/2 + r/6 + ..., minimax with the weight of
    // the relative error of e^r - 1.
    const C2: f32 = 0.499_999_97;
    const C3: f32 = 0.166_665_43;
    const C4: f32 = 0.041_667_2;
    const C5: f32 = 0.008_366_547_5;
    const C6: f32 = 0.001_388_251_7;
    if x > 64.0 {
        return exp_f32(x);
    }
    if x < -20.0 {
        return -1.0;
    }
    if x == 0.0 {
        // r + r^2 P(r) would turn -0 into +0.
        return x;
    }
    // kb = k + 32, positive for every x in [-20, 64], so truncating rounds
    // to nearest; NaN gives 0 and stays NaN through r.
    let kb = (x * core::f32::consts::LOG2_E + 32.5) as i32;
    #[allow(clippy::cast_precision_loss)]
    let kf = (kb - 32) as f32;
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    let t = r + r * r * ((((C6 * r + C5) * r + C4) * r + C3) * r + C2);
    if kb == 32 {
        return t;
    }
    // 2^k from its biased exponent, k + 127 in [98, 219].
    #[allow(clippy::cast_sign_loss)]
    let s = f32::from_bits(((kb + 95) as u32) << 23);
    t * s + (s - 1.0)
}

/// `ln(1 + e^x)` for `f32`, the softplus, for every `x`.
///
/// Computed as `max(x, 0) + ln(1 + u)` with `u = e^(-|x|)` from
/// [`exp_f32`], so it never overflows and keeps its relative accuracy for
/// very negative `x`, where it is about `e^x`. `ln(1 + u)` for `u` in
/// `[0, 1]` is `2 atanh(s)` with `s = u / (2 + u)`, written `v + v w P(w)`
/// with `v = 2 s = u / (1 + u / 2)` and `w = v^2`, `P` of degree 3 minimax
/// for the relative error (`4.5e-9` in exact arithmetic).
///
/// Accuracy, checked against `libm`'s `f64` `ln(1 + e^x)` over every `f32`
/// value: the relative error is below `3.2e-7` (`3.12e-7`, 3.9 ulp, at worst) wherever
/// the result is at least `f32::MIN_POSITIVE`, and the absolute error below
/// `2.1e-45` (1.46 steps of the smallest subnormal at worst) below it. Exact at the
/// edges: `inf` returns `inf`, `-inf` and every `x <= -103.972084` return
/// `0` (as [`exp_f32`]), every `x` from 15 up returns `x`, NaN returns
/// NaN. The `Softplus` activation adds PyTorch's threshold (`x` itself
/// above 20) on top.
///
/// About 120 bytes of Thumb-2 code on a Cortex-M4F besides [`exp_f32`],
/// against 372 for `libm::log1pf` alone (and 460 for the `expf` it would
/// need).
///
/// # Examples
///
/// ```
/// use backprop_core::fast::softplus_f32;
/// let ln2 = core::f32::consts::LN_2;
/// assert!((softplus_f32(0.0) - ln2).abs() <= 3.2e-7 * ln2);
/// assert_eq!(softplus_f32(30.0), 30.0);
/// assert_eq!(softplus_f32(f32::INFINITY), f32::INFINITY);
/// assert_eq!(softplus_f32(f32::NEG_INFINITY), 0.0);
/// let want = (-50.0_f64).exp().ln_1p();
/// assert!((f64::from(softplus_f32(-50.0)) - want).abs() <= 3.2e-7 * want);
/// assert!(softplus_f32(f32::NAN).is_nan());
/// ```
#[must_use]
pub fn softplus_f32(x: f32) -> f32 {
    // atanh(s) = s + s^3 (L1 + L2 s^2 + L3 s^4 + L4 s^6), minimax on
    // [0, 1/3]; divided by 4^k here, as w = 4 s^2.
    const L1: f32 = 0.333_332_1 / 4.0;
    const L2: f32 = 0.200_107_71 / 16.0;
    const L3: f32 = 0.140_007_76 / 64.0;
    const L4: f32 = 0.140_066_71 / 256.0;
    let u = exp_f32(-x.abs());
    // 1 + u/2 rather than 2 + u: a subnormal u then passes through exactly.
    let v = u / (1.0 + 0.5 * u);
    let w = v * v;
    let l = v + v * (w * (((L4 * w + L3) * w + L2) * w + L1));
    // NaN fails the test and is already NaN in l.
    if x > 0.0 { x + l } else { l }
}

/// The Gaussian error linear unit for `f32`: `x Phi(x)`, with `Phi` the
/// standard normal distribution function, `Phi(x) = (1 + erf(x / sqrt 2)) / 2`.
///
/// It is not computed as `0.5 x (1 + erf(x / sqrt 2))`: for negative `x`
/// that sum cancels, and in `f32` it loses all its digits below about
/// `x = -5.9`. Here `Q(a) = 1 - Phi(a)`, for `a = |x|`, is
/// `t M(t) e^(-a^2 / 2)` with `t = 3.5 / (3.5 + a)` and `M` a polynomial of
/// degree 9 in `t - 1/2` (the Mills ratio, minimax for the relative error on
/// `a` in `[0, 14.5]`, `1e-8` in exact arithmetic), and
/// `GELU(x) = x Q(-x)` for `x < 0`, `x - x Q(x)` for `x >= 0`. The
/// Gaussian is `e^(-h^2 / 2) e^(-(a - h)(a + h) / 2)`, with `h` the first 12
/// bits of `a`, so that `h^2` is exact: the first factor is [`exp_f32`] of
/// an exact argument, the second a short Taylor series, and the result
/// keeps its relative accuracy out to where it underflows.
///
/// Accuracy, checked against `libm`'s `f64` `0.5 x erfc(-x / sqrt 2)` over
/// every `f32` value: the relative error is below `6e-7` (`5.85e-7`, 8.2
/// ulp, at worst) wherever the result is at least `f32::MIN_POSITIVE` in
/// magnitude, and the absolute error below `4.3e-45` (2.83 steps of the
/// smallest subnormal at worst) below it. Exact at the edges: `±0` returns `±0`, `inf` and every `x > 14.5`
/// return `x`, `-inf` and every `x < -14.5` return `-0` (the result rounds
/// to 0 from about `-14.36`), NaN returns NaN.
///
/// About 320 bytes of Thumb-2 code on a Cortex-M4F besides [`exp_f32`],
/// against 892 for `libm::erff` alone.
///
/// # Examples
///
/// ```
/// use backprop_core::fast::gelu_f32;
/// assert_eq!(gelu_f32(0.0), 0.0);
/// assert_eq!(gelu_f32(20.0), 20.0);
/// assert_eq!(gelu_f32(f32::NEG_INFINITY), 0.0);
/// // GELU(1) = Phi(1) = 0.841344746...
/// assert!((gelu_f32(1.0) - 0.841_344_75).abs() < 6e-7);
/// // Far out on the negative side it keeps its digits: -7.6e-23 at -10.
/// let want = -7.619_853_0e-23_f64;
/// assert!((f64::from(gelu_f32(-10.0)) - want).abs() < 6e-7 * -want);
/// assert!(gelu_f32(f32::NAN).is_nan());
/// ```
#[must_use]
pub fn gelu_f32(x: f32) -> f32 {
    // Beyond this the result is x, or rounds to -0.
    const EDGE: f32 = 14.5;
    const C: f32 = 3.5;
    // M(t) = Q(a) e^(a^2/2) / t in powers of t - 1/2, each coefficient
    // rounded to f32 in turn and the rest refitted.
    const M0: f32 = 0.212_690_31;
    const M1: f32 = 0.323_178_17;
    const M2: f32 = 0.360_485_64;
    const M3: f32 = 0.265_262_34;
    const M4: f32 = 0.079_575_58;
    const M5: f32 = -0.059_338_96;
    const M6: f32 = -0.058_115_065;
    const M7: f32 = 0.017_986_16;
    const M8: f32 = 0.031_141_36;
    const M9: f32 = -0.016_301_539;
    let a = x.abs();
    if a > EDGE {
        return if x > 0.0 { x } else { -0.0 };
    }
    // NaN passes the test above and stays NaN from here on.
    let t = C / (C + a);
    let w = t - 0.5;
    let m = ((((((((M9 * w + M8) * w + M7) * w + M6) * w + M5) * w + M4) * w + M3) * w + M2) * w
        + M1)
        * w
        + M0;
    // a^2 = h^2 + (a - h)(a + h), h^2 exact; e^(-g) for g = (a - h)(a + h)/2,
    // at most 0.057, by Taylor (the next term is below 5e-9).
    let h = f32::from_bits(a.to_bits() & 0xffff_f000);
    let g = 0.5 * ((a - h) * (a + h));
    let e = 1.0 - g * (1.0 - g * (0.5 - g * (1.0 / 6.0 - g * (1.0 / 24.0))));
    let gauss = exp_f32(-0.5 * h * h);
    // x Q(a), the small factor last, so a subnormal result is rounded once.
    let xq = (x * (t * m * e)) * gauss;
    if x > 0.0 { x - xq } else { xq }
}

#[cfg(test)]
mod tests {
    use super::{every_4096th, tanh_f32};

    /// The stated bound, on absolute and relative error.
    const BOUND: f64 = 5e-7;

    fn check(x: f32) {
        let got = tanh_f32(x);
        let want = libm::tanh(f64::from(x));
        let err = (f64::from(got) - want).abs();
        assert!(
            err <= BOUND && err <= BOUND * want.abs(),
            "tanh_f32({x:e}) = {got:e}, libm says {want:e}"
        );
        assert!(got.abs() <= 1.0);
        assert_eq!(got.is_sign_negative(), x.is_sign_negative(), "{x:e}");
    }

    #[test]
    fn within_the_bound_over_the_whole_f32_range() {
        // Every 251st bit pattern: about 17 million values, from the
        // smallest subnormals to the largest finite values, both signs.
        let mut bits: u32 = 0;
        while let Some(next) = bits.checked_add(251) {
            let x = f32::from_bits(bits);
            if !x.is_nan() {
                check(x);
            }
            bits = next;
        }
    }

    #[test]
    fn within_the_bound_densely_where_tanh_bends() {
        // Every 1/4096 of [-10, 10], where the approximation does its work.
        every_4096th(-10.0, 10.0, check);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(tanh_f32(0.0).to_bits(), 0.0_f32.to_bits());
        assert_eq!(tanh_f32(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(tanh_f32(f32::INFINITY), 1.0);
        assert_eq!(tanh_f32(f32::NEG_INFINITY), -1.0);
        assert_eq!(tanh_f32(f32::MAX), 1.0);
        assert_eq!(tanh_f32(f32::MIN), -1.0);
        assert_eq!(tanh_f32(1e30), 1.0);
        assert_eq!(tanh_f32(f32::MIN_POSITIVE), f32::MIN_POSITIVE);
        assert_eq!(tanh_f32(1e-40), 1e-40);
        assert!(tanh_f32(f32::NAN).is_nan());
        assert!(tanh_f32(-f32::NAN).is_nan());
        // Odd: tanh(-x) = -tanh(x), bit for bit.
        for x in [1e-3_f32, 0.1, 0.5, 1.0, 2.0, 5.0, 7.9, 8.0] {
            assert_eq!(tanh_f32(-x).to_bits(), (-tanh_f32(x)).to_bits());
        }
    }

    #[test]
    fn same_bits_as_an_explicit_evaluation() {
        // Pins the evaluation order: a fused multiply-add or a reordering
        // would change some of these bits.
        for (x, bits) in [
            (0.5_f32, 0x3eec_9a9f_u32),
            (1.0, 0x3f42_f7d6),
            (3.0, 0x3f7e_bbe8),
        ] {
            assert_eq!(tanh_f32(x).to_bits(), bits, "{x}");
        }
    }
}

#[cfg(test)]
mod exp_tests {
    use super::{every_4096th, exp_f32};

    /// `exp_f32` with its exponent from the saturating conversion, as the
    /// scalar-FPU targets compute it: the form every target must match.
    fn by_conversion(x: f32) -> f32 {
        const LN2_HI: f32 = 0.693_145_75;
        const LN2_LO: f32 = 1.428_606_8e-6;
        let kb = ((x * core::f32::consts::LOG2_E + 254.5) as u32).min(382);
        #[allow(clippy::cast_possible_wrap, clippy::cast_precision_loss)]
        let kf = (kb as i32 - 254) as f32;
        let r = (x - kf * LN2_HI) - kf * LN2_LO;
        let r = if r < -0.5 { -0.5 } else { r };
        let t = ((((0.008_312_517 * r + 0.041_890_137) * r + 0.166_671_1) * r + 0.499_992_3) * r
            + 1.0)
            * r;
        let h = kb >> 1;
        let s1 = f32::from_bits(h << 23);
        let s2 = f32::from_bits((kb - h) << 23);
        (t * s1 + s1) * s2
    }

    #[test]
    fn every_target_form_gives_the_conversion_forms_bits() {
        let same = |x: f32| {
            let (a, b) = (exp_f32(x), by_conversion(x));
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "{x:e}: {a:e} vs {b:e}"
            );
        };
        for bits in (0..=u32::MAX).step_by(251) {
            same(f32::from_bits(bits));
        }
        // Where the exponent's truncation changes: t = x log2(e) + 254.5
        // near each integer, and the clamps at 0 and 382.
        for k in -260_i32..=130 {
            #[allow(clippy::cast_precision_loss)]
            let x = (k as f32 - 0.5) * core::f32::consts::LN_2;
            let mut y = x;
            for _ in 0..64 {
                same(y);
                y = f32::from_bits(y.to_bits() + 1);
            }
            let mut y = x;
            for _ in 0..64 {
                same(y);
                y = f32::from_bits(y.to_bits() - 1);
            }
        }
        for x in [
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            88.72,
            89.0,
            -103.9,
            -176.0,
            -1e30,
            1e30,
        ] {
            same(x);
        }
    }

    /// The stated bounds: relative error where `e^x >= f32::MIN_POSITIVE`,
    /// absolute error below it.
    const RELATIVE: f64 = 2e-7;
    const ABSOLUTE: f64 = 2.1e-45;

    fn check(x: f32) {
        let got = exp_f32(x);
        let want = libm::exp(f64::from(x));
        assert!(got >= 0.0, "exp_f32({x:e}) = {got:e}");
        #[allow(clippy::cast_possible_truncation)]
        if (want as f32).is_infinite() {
            assert_eq!(got, f32::INFINITY, "exp_f32({x:e})");
            return;
        }
        let err = (f64::from(got) - want).abs();
        if want >= f64::from(f32::MIN_POSITIVE) {
            assert!(
                err <= RELATIVE * want,
                "exp_f32({x:e}) = {got:e}, libm says {want:e}"
            );
        } else {
            assert!(
                err <= ABSOLUTE,
                "exp_f32({x:e}) = {got:e}, libm says {want:e}"
            );
        }
    }

    #[test]
    fn within_the_bound_over_the_whole_f32_range() {
        // Every 251st bit pattern: about 17 million values, from the
        // smallest subnormals to the largest finite values, both signs.
        let mut bits: u32 = 0;
        while let Some(next) = bits.checked_add(251) {
            let x = f32::from_bits(bits);
            if x.is_nan() {
                assert!(exp_f32(x).is_nan());
            } else {
                check(x);
            }
            bits = next;
        }
    }

    #[test]
    fn within_the_bound_densely_where_the_result_is_finite_and_not_zero() {
        // Every 1/4096 of [-104, 89], subnormal results and overflow included.
        every_4096th(-104.0, 89.0, check);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(exp_f32(0.0).to_bits(), 1.0_f32.to_bits());
        assert_eq!(exp_f32(-0.0).to_bits(), 1.0_f32.to_bits());
        assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp_f32(f32::NEG_INFINITY).to_bits(), 0.0_f32.to_bits());
        assert_eq!(exp_f32(f32::MAX), f32::INFINITY);
        assert_eq!(exp_f32(f32::MIN).to_bits(), 0.0_f32.to_bits());
        assert_eq!(exp_f32(1e-10), 1.0);
        assert_eq!(exp_f32(-1e-10), 1.0);
        assert_eq!(exp_f32(f32::from_bits(1)), 1.0);
        assert!(exp_f32(f32::NAN).is_nan());
        assert!(exp_f32(-f32::NAN).is_nan());
        // libm's thresholds: e^x exceeds f32::MAX from 88.72284 on and
        // rounds to 0 from -103.972084 down.
        assert!(exp_f32(88.722_83).is_finite());
        assert_eq!(exp_f32(88.722_84), f32::INFINITY);
        assert_eq!(exp_f32(-103.972_08), f32::from_bits(1));
        assert_eq!(exp_f32(-103.972_084).to_bits(), 0);
    }

    #[test]
    fn overflows_and_underflows_where_libm_does() {
        for (edge, window) in [(88.722_84_f32, 10_000_u32), (-103.972_084, 10_000)] {
            for bits in edge.to_bits() - window..edge.to_bits() + window {
                let x = f32::from_bits(bits);
                let (got, want) = (exp_f32(x), libm::expf(x));
                assert_eq!(got.is_infinite(), want.is_infinite(), "{x:e}");
                assert_eq!(got == 0.0, want == 0.0, "{x:e}");
            }
        }
    }

    #[test]
    fn same_bits_as_an_explicit_evaluation() {
        // Pins the evaluation order: a fused multiply-add or a reordering
        // would change some of these bits. Computed by an independent
        // evaluation of the formula (each f32 operation rounded explicitly,
        // the scaling by 2^k done exactly and rounded once).
        for (x, bits) in [
            (1.0_f32, 0x402d_f855_u32),
            (-1.0, 0x3ebc_5ab3),
            (0.5, 0x3fd3_094b),
            (0.1, 0x3f8d_763d),
            (10.0, 0x46ac_14f0),
            (-20.0, 0x310d_a432),
            (80.0, 0x792a_bbcf),
            (88.722_83, 0x7f7f_ff84),
            (-87.5, 0x006c_b2bb),
            (-100.0, 0x0000_001b),
            (-0.3374, 0x3f36_b005),
            (-5.891_626_4, 0x3b35_0ab9),
            (-16.243_013, 0x33bd_87c8),
        ] {
            assert_eq!(exp_f32(x).to_bits(), bits, "{x}");
        }
    }
}

/// Every `f32` bit pattern in a release build, every 251st (about 17
/// million values, both signs, subnormals to the largest) in a debug one.
#[cfg(test)]
const WHOLE_RANGE_STRIDE: u32 = if cfg!(debug_assertions) { 251 } else { 1 };

/// Calls `check` on every [`WHOLE_RANGE_STRIDE`]th `f32`, NaNs included.
#[cfg(test)]
fn for_the_whole_range(mut check: impl FnMut(f32)) {
    let mut bits: u32 = 0;
    loop {
        check(f32::from_bits(bits));
        match bits.checked_add(WHOLE_RANGE_STRIDE) {
            Some(next) => bits = next,
            None => break,
        }
    }
}

/// Calls `check` on every multiple of 1/4096 from `lo` to `hi` (exact in
/// `f32` for the ranges the tests use, below 2^24 / 4096 in magnitude).
#[cfg(test)]
fn every_4096th(lo: f32, hi: f32, mut check: impl FnMut(f32)) {
    let mut x = lo;
    while x <= hi {
        check(x);
        x += 1.0 / 4096.0;
    }
}

/// The error of `got` against the exact `want`: relative where `want` is at
/// least `f32::MIN_POSITIVE` in magnitude, else absolute; `None` where
/// `want` overflows `f32` (then `got` must be the same infinity).
#[cfg(test)]
fn error_against(got: f32, want: f64) -> Option<(f64, bool)> {
    #[allow(clippy::cast_possible_truncation)]
    let rounded = want as f32;
    if rounded.is_infinite() {
        assert_eq!(got, rounded, "{got:e} where the exact value is {want:e}");
        return None;
    }
    let err = (f64::from(got) - want).abs();
    if want.abs() >= f64::from(f32::MIN_POSITIVE) {
        Some((err / want.abs(), true))
    } else {
        Some((err, false))
    }
}

#[cfg(test)]
mod expm1_tests {
    use super::{error_against, every_4096th, exp_f32, expm1_f32, for_the_whole_range};

    /// The stated bound on the relative error (the result is never
    /// subnormal unless `x` is, and then it is `x`).
    const RELATIVE: f64 = 2e-7;

    fn check(x: f32) {
        let got = expm1_f32(x);
        if x.is_nan() {
            assert!(got.is_nan());
            return;
        }
        if x.abs() < f32::MIN_POSITIVE {
            // Zeros and subnormals: e^x - 1 is x correctly rounded.
            assert_eq!(got.to_bits(), x.to_bits(), "{x:e}");
            return;
        }
        let want = libm::expm1(f64::from(x));
        if let Some((err, relative)) = error_against(got, want) {
            assert!(relative, "expm1_f32({x:e}) is subnormal");
            assert!(
                err <= RELATIVE,
                "expm1_f32({x:e}) = {got:e}, libm says {want:e}"
            );
        }
        assert!(got >= -1.0, "{x:e}");
        assert_eq!(got.is_sign_negative(), x.is_sign_negative(), "{x:e}");
    }

    #[test]
    fn within_the_bound_over_the_whole_f32_range() {
        for_the_whole_range(check);
    }

    #[test]
    fn within_the_bound_densely_where_the_result_is_not_minus_one() {
        // Every 1/4096 of [-21, 90], overflow included, and every f32 of
        // [-2^-10, 2^-10] (every 1021st in a debug build), where e^x - 1
        // is close to x.
        every_4096th(-21.0, 90.0, check);
        let step = if cfg!(debug_assertions) { 1021 } else { 1 };
        for bits in (0..=(2.0_f32.powi(-10)).to_bits()).step_by(step) {
            check(f32::from_bits(bits));
            check(-f32::from_bits(bits));
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(expm1_f32(0.0).to_bits(), 0.0_f32.to_bits());
        assert_eq!(expm1_f32(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(expm1_f32(f32::from_bits(1)), f32::from_bits(1));
        assert_eq!(expm1_f32(-f32::MIN_POSITIVE), -f32::MIN_POSITIVE);
        assert_eq!(expm1_f32(5e-8), 5e-8);
        assert_eq!(expm1_f32(-5e-8), -5e-8);
        assert_eq!(expm1_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(expm1_f32(f32::MAX), f32::INFINITY);
        assert_eq!(expm1_f32(88.722_84), f32::INFINITY);
        assert!(expm1_f32(88.722_83).is_finite());
        assert_eq!(expm1_f32(f32::NEG_INFINITY), -1.0);
        assert_eq!(expm1_f32(f32::MIN), -1.0);
        assert_eq!(expm1_f32(-20.0), -1.0);
        // e^-16.9 - 1 rounds to the f32 next to -1; below -17.33, to -1.
        assert_eq!(expm1_f32(-16.9), -1.0 + f32::EPSILON / 2.0);
        assert_eq!(expm1_f32(-17.4), -1.0);
        assert!(expm1_f32(f32::NAN).is_nan());
        assert!(expm1_f32(-f32::NAN).is_nan());
        // Above 64 it is exp_f32.
        for x in [64.5_f32, 70.0, 88.0] {
            assert_eq!(expm1_f32(x), exp_f32(x));
        }
    }

    #[test]
    fn same_bits_as_an_explicit_evaluation() {
        // Pins the evaluation order: a fused multiply-add or a reordering
        // would change some of these bits. Computed by an independent
        // evaluation of the formula in numpy, every operation in float32.
        for (x, bits) in PINNED {
            assert_eq!(expm1_f32(*x).to_bits(), *bits, "{x}");
        }
    }

    const PINNED: &[(f32, u32)] = &[
        (1e-3, 0x3a83_2337),
        (-1e-3, 0xba83_01a9),
        (0.1, 0x3dd7_63da),
        (-0.3, 0xbe84_b37a),
        (0.5, 0x3f26_1299),
        (-1.0, 0xbf21_d2a7),
        (1.0, 0x3fdb_f0a8),
        (2.5, 0x4132_eb7e),
        (-5.0, 0xbf7e_466c),
        (-16.0, 0xbf7f_fffe),
        (10.0, 0x46ac_12ee),
        (40.0, 0x5c51_106a),
        (63.0, 0x6ced_2bef),
    ];
}

#[cfg(test)]
mod softplus_tests {
    use super::{error_against, every_4096th, for_the_whole_range, softplus_f32};

    /// The stated bounds: relative error where the result is at least
    /// `f32::MIN_POSITIVE`, absolute error below it.
    const RELATIVE: f64 = 3.2e-7;
    const ABSOLUTE: f64 = 2.1e-45;

    fn exact(x: f64) -> f64 {
        if x > 0.0 {
            x + libm::log1p(libm::exp(-x))
        } else {
            libm::log1p(libm::exp(x))
        }
    }

    fn check(x: f32) {
        let got = softplus_f32(x);
        if x.is_nan() {
            assert!(got.is_nan());
            return;
        }
        let want = exact(f64::from(x));
        if let Some((err, relative)) = error_against(got, want) {
            let bound = if relative { RELATIVE } else { ABSOLUTE };
            assert!(
                err <= bound,
                "softplus_f32({x:e}) = {got:e}, libm says {want:e}"
            );
        }
        assert!(got >= 0.0 && got >= x, "{x:e}");
    }

    #[test]
    fn within_the_bound_over_the_whole_f32_range() {
        for_the_whole_range(check);
    }

    #[test]
    fn within_the_bound_densely_where_it_bends() {
        // Every 1/4096 of [-105, 30], subnormal results included.
        every_4096th(-105.0, 30.0, check);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(softplus_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(softplus_f32(f32::MAX), f32::MAX);
        // From 15 up, ln(1 + e^-x) is below half an ulp of x.
        let mut x = 15.0_f32;
        while x < 40.0 {
            assert_eq!(softplus_f32(x), x);
            x = f32::from_bits(x.to_bits() + 97);
        }
        assert_eq!(softplus_f32(1e30), 1e30);
        assert_eq!(softplus_f32(f32::NEG_INFINITY).to_bits(), 0);
        assert_eq!(softplus_f32(f32::MIN).to_bits(), 0);
        assert_eq!(softplus_f32(-103.972_084).to_bits(), 0);
        assert!(softplus_f32(-103.972_08) > 0.0);
        // ln 2 at both zeros.
        assert_eq!(softplus_f32(0.0), softplus_f32(-0.0));
        assert!((f64::from(softplus_f32(0.0)) - core::f64::consts::LN_2).abs() < 1e-7);
        assert!(softplus_f32(f32::NAN).is_nan());
        assert!(softplus_f32(-f32::NAN).is_nan());
    }

    #[test]
    fn same_bits_as_an_explicit_evaluation() {
        // As for expm1_f32: numpy, every operation in float32, exp_f32's
        // included.
        for (x, bits) in PINNED {
            assert_eq!(softplus_f32(*x).to_bits(), *bits, "{x}");
        }
    }

    const PINNED: &[(f32, u32)] = &[
        (0.0, 0x3f31_7218),
        (0.5, 0x3f79_5d1c),
        (-0.5, 0x3ef2_ba38),
        (1.0, 0x3fa8_18f6),
        (-3.0, 0x3d47_0387),
        (5.0, 0x40a0_3703),
        (-20.0, 0x310d_a432),
        (15.0, 0x4170_0000),
        (-90.0, 0x0008_ec28),
        (-100.0, 0x0000_001b),
    ];
}

#[cfg(test)]
mod gelu_tests {
    use super::{error_against, every_4096th, for_the_whole_range, gelu_f32};

    /// The stated bounds: relative error where the result is at least
    /// `f32::MIN_POSITIVE` in magnitude, absolute error below it.
    const RELATIVE: f64 = 6e-7;
    const ABSOLUTE: f64 = 4.3e-45;

    fn exact(x: f64) -> f64 {
        0.5 * x * libm::erfc(-x * core::f64::consts::FRAC_1_SQRT_2)
    }

    fn check(x: f32) {
        let got = gelu_f32(x);
        if !x.is_finite() {
            // NaN, and the infinities, whose exact value is a limit: see
            // edge_cases.
            assert!(!x.is_nan() || got.is_nan());
            return;
        }
        let want = exact(f64::from(x));
        if let Some((err, relative)) = error_against(got, want) {
            let bound = if relative { RELATIVE } else { ABSOLUTE };
            assert!(
                err <= bound,
                "gelu_f32({x:e}) = {got:e}, libm says {want:e}"
            );
        }
        // GELU(x) lies between min(x, 0) and max(x, 0).
        assert!(got.abs() <= x.abs(), "{x:e}");
        assert!(
            got == 0.0 || got.is_sign_negative() == x.is_sign_negative(),
            "{x:e}"
        );
    }

    #[test]
    fn within_the_bound_over_the_whole_f32_range() {
        for_the_whole_range(check);
    }

    #[test]
    fn within_the_bound_densely_where_it_bends() {
        // Every 1/4096 of [-15, 15], subnormal results included.
        every_4096th(-15.0, 15.0, check);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(gelu_f32(0.0).to_bits(), 0.0_f32.to_bits());
        assert_eq!(gelu_f32(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(gelu_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(gelu_f32(f32::MAX), f32::MAX);
        assert_eq!(gelu_f32(14.6), 14.6);
        assert_eq!(gelu_f32(f32::NEG_INFINITY).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(gelu_f32(f32::MIN).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(gelu_f32(-14.5).to_bits(), (-0.0_f32).to_bits());
        assert!(gelu_f32(-14.0) < 0.0);
        // A subnormal x: x Phi(x) is x / 2, rounded.
        assert_eq!(gelu_f32(f32::from_bits(4)), f32::from_bits(2));
        assert!(gelu_f32(f32::NAN).is_nan());
        assert!(gelu_f32(-f32::NAN).is_nan());
    }

    #[test]
    fn same_bits_as_an_explicit_evaluation() {
        // As for expm1_f32: numpy, every operation in float32.
        for (x, bits) in PINNED {
            assert_eq!(gelu_f32(*x).to_bits(), *bits, "{x}");
        }
    }

    const PINNED: &[(f32, u32)] = &[
        (1e-3, 0x3a03_2d35),
        (0.5, 0x3eb1_03af),
        (-0.5, 0xbe1d_f8a2),
        (1.0, 0x3f57_625e),
        (-1.0, 0xbe22_7686),
        (-0.75, 0xbe2e_0cc1),
        (2.0, 0x3ffa_2d0c),
        (-3.0, 0xbb84_b34d),
        (4.5, 0x408f_ffe0),
        (-6.0, 0xb1cb_64b2),
        (-10.0, 0x9ab8_3c9c),
        (-13.0, 0x81d8_7b8a),
        (-13.5, 0x8001_263e),
        (14.0, 0x4160_0000),
    ];
}
