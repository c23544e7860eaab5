//! `Float::sqrt` against `libm` and the standard library, bit for bit.
//!
//! The tests build `backprop-core` with its `std` feature, under which
//! `Float::sqrt` is the standard library's square root (one the compiler
//! can vectorise); the firmware and every build without the feature use
//! `libm`'s. Both claim IEEE correct rounding, so they must give the same
//! bits on every input: this checks one `f32` in every 251 (about 17
//! million, every exponent and sign), 4 million `f64` bit patterns, and
//! the special values. A NaN result is checked to be NaN in each, not for
//! its payload, which the weights and every finite result never carry.

use backprop_core::Float;

fn same_f32(x: f32) {
    let (ours, libm, std) = (Float::sqrt(x), libm::sqrtf(x), x.sqrt());
    if libm.is_nan() {
        assert!(
            ours.is_nan() && std.is_nan(),
            "sqrt({x:e}): {ours:e}, not NaN"
        );
    } else {
        assert_eq!(ours.to_bits(), libm.to_bits(), "sqrt({x:e}) against libm");
        assert_eq!(ours.to_bits(), std.to_bits(), "sqrt({x:e}) against std");
    }
}

fn same_f64(x: f64) {
    let (ours, libm, std) = (Float::sqrt(x), libm::sqrt(x), x.sqrt());
    if libm.is_nan() {
        assert!(
            ours.is_nan() && std.is_nan(),
            "sqrt({x:e}): {ours:e}, not NaN"
        );
    } else {
        assert_eq!(ours.to_bits(), libm.to_bits(), "sqrt({x:e}) against libm");
        assert_eq!(ours.to_bits(), std.to_bits(), "sqrt({x:e}) against std");
    }
}

#[test]
fn f32_square_roots_match_libm_on_17_million_inputs() {
    let mut checked = 0_u32;
    for bits in (0..=u32::MAX).step_by(251) {
        same_f32(f32::from_bits(bits));
        checked += 1;
    }
    assert!(checked > 17_000_000);
    for x in [
        0.0,
        -0.0,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -1.0,
        f32::NAN,
        2.0,
        0.999_999_94,
    ] {
        same_f32(x);
    }
    // Squares of every 16-bit mantissa: exact roots, a classic place for
    // an off-by-one rounding.
    for m in 1..=65_535_u32 {
        #[allow(clippy::cast_precision_loss)]
        let r = m as f32;
        same_f32(r * r);
    }
}

#[test]
fn f64_square_roots_match_libm_on_4_million_inputs() {
    // SplitMix64: bit patterns over every exponent and sign.
    let mut state = 0x5eed_u64;
    for _ in 0..4_000_000 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        same_f64(f64::from_bits(z ^ (z >> 31)));
    }
    for x in [
        0.0,
        -0.0,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1.0,
        f64::NAN,
        2.0,
    ] {
        same_f64(x);
    }
}
