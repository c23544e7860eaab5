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
    let kb = ((x * core::f32::consts::LOG2_E + 254.5) as u32).min(382);
    let kf = (kb as i32 - 254) as f32;
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

#[cfg(test)]
mod tests {
    use super::tanh_f32;

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
        let mut x = -10.0_f32;
        while x <= 10.0 {
            check(x);
            x += 1.0 / 4096.0;
        }
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
    use super::exp_f32;

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
        let mut x = -104.0_f32;
        while x <= 89.0 {
            check(x);
            x += 1.0 / 4096.0;
        }
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
