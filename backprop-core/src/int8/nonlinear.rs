//! `Sigmoid`, `Tanh` and `Softmax` on `i8` activations, integer only: the
//! int8 reference kernels of TFLite Micro (`reference_integer_ops::Logistic`,
//! `reference_integer_ops::Tanh`, `reference_ops::Softmax`), which evaluate
//! `exp` and `1 / (1 + x)` in gemmlowp's 32-bit fixed point (a Taylor
//! polynomial around -1/8, a barrel shifter of constant factors, and three
//! Newton-Raphson steps). Their parameters are chosen once, on the host,
//! from the input's scale (as TFLite's `Prepare` does); running them is
//! integer arithmetic only, with no table.
//!
//! Their outputs are quantized as TFLite fixes them: `Sigmoid` and
//! `Softmax` with scale 1/256 and zero point -128, `Tanh` with scale 1/128
//! and zero point 0 ([`Logistic::OUTPUT`], [`Tanh::OUTPUT`],
//! [`Softmax::OUTPUT`]).

use super::{
    QuantError, Quantization, multiply_by_quantized_multiplier, quantize_multiplier, read_i32,
    rounding_divide_by_pot, saturating_rounding_doubling_high_mul as mul,
};

/// gemmlowp's fixed point with `bits` integer bits: `raw / 2^(31 - bits)`.
const fn one(bits: i32) -> i32 {
    if bits == 0 {
        i32::MAX
    } else {
        1 << (31 - bits)
    }
}

/// `x * 2^exponent` for `exponent > 0`, saturating: gemmlowp's
/// `SaturatingRoundingMultiplyByPOT` with a positive exponent.
const fn saturating_shift_left(x: i32, exponent: i32) -> i32 {
    let threshold = (1_i32 << (31 - exponent)) - 1;
    if x > threshold {
        i32::MAX
    } else if x < -threshold {
        i32::MIN
    } else {
        x << exponent
    }
}

/// `(a + b) / 2`, rounded away from zero: gemmlowp's `RoundingHalfSum`.
const fn rounding_half_sum(a: i32, b: i32) -> i32 {
    let sum = a as i64 + b as i64;
    let sign = if sum >= 0 { 1 } else { -1 };
    #[allow(clippy::cast_possible_truncation)]
    let half = ((sum + sign) / 2) as i32;
    half
}

/// `exp(a)` for `a` in `[-1/4, 0)`, both with 0 integer bits.
const fn exp_on_quarter(a: i32) -> i32 {
    const EXP_MINUS_EIGHTH: i32 = 1_895_147_668;
    const ONE_THIRD: i32 = 715_827_883;
    let x = a.wrapping_add(1 << 28);
    let x2 = mul(x, x);
    let x3 = mul(x2, x);
    let x4 = mul(x2, x2);
    let x4_over_4 = rounding_divide_by_pot(x4, 2);
    let poly = rounding_divide_by_pot(
        mul(x4_over_4.wrapping_add(x3), ONE_THIRD).wrapping_add(x2),
        1,
    );
    EXP_MINUS_EIGHTH.wrapping_add(mul(EXP_MINUS_EIGHTH, x.wrapping_add(poly)))
}

/// `exp(a)` for `a <= 0` with `bits` integer bits (4 or 5 here), the
/// result with 0 integer bits: gemmlowp's `exp_on_negative_values`.
const fn exp_on_negative_values(a: i32, bits: i32) -> i32 {
    /// `exp(-2^k)` for k = -2..=4, with 0 integer bits.
    const FACTORS: [i32; 7] = [
        1_672_461_947,
        1_302_514_674,
        790_015_084,
        290_630_308,
        39_332_535,
        720_401,
        242,
    ];
    let fractional = 31 - bits;
    let quarter = 1_i32 << (fractional - 2);
    let mask = quarter - 1;
    let reduced = (a & mask).wrapping_sub(quarter);
    // `Rescale<0>`: from `bits` integer bits to 0.
    let mut result = exp_on_quarter(saturating_shift_left(reduced, bits));
    let remainder = reduced.wrapping_sub(a);
    // Factor k stands for exponent k - 2, used while `bits > k - 2`.
    let mut k = 0;
    while k < FACTORS.len() && (k as i32) - 2 < bits {
        if remainder & (1 << (fractional + k as i32 - 2)) != 0 {
            result = mul(result, FACTORS[k]);
        }
        k += 1;
    }
    if a == 0 { one(0) } else { result }
}

/// `1 / (1 + a)` for `a` in `(0, 1)`, 0 integer bits in and out:
/// gemmlowp's `one_over_one_plus_x_for_x_in_0_1` (Newton-Raphson).
const fn one_over_one_plus_x(a: i32) -> i32 {
    const FORTY_EIGHT_SEVENTEENTHS: i32 = 1_515_870_810;
    const MINUS_THIRTY_TWO_SEVENTEENTHS: i32 = -1_010_580_540;
    let half_denominator = rounding_half_sum(a, one(0));
    let mut x =
        FORTY_EIGHT_SEVENTEENTHS.wrapping_add(mul(half_denominator, MINUS_THIRTY_TWO_SEVENTEENTHS));
    let mut i = 0;
    while i < 3 {
        let product = mul(half_denominator, x);
        let error = one(2).wrapping_sub(product);
        x = x.wrapping_add(saturating_shift_left(mul(x, error), 2));
        i += 1;
    }
    // `Rescale<0>(ExactMulByPot<-1>(x))`: 2 integer bits to 0, halved.
    saturating_shift_left(x, 1)
}

/// `(1 - a) / (1 + a)` for `a` in `(0, 1)`: gemmlowp's
/// `one_minus_x_over_one_plus_x_for_x_in_0_1`.
const fn one_minus_x_over_one_plus_x(a: i32) -> i32 {
    const FORTY_EIGHT_SEVENTEENTHS: i32 = 1_515_870_810;
    const MINUS_THIRTY_TWO_SEVENTEENTHS: i32 = -1_010_580_540;
    let half_denominator = rounding_half_sum(a, one(0));
    let mut x =
        FORTY_EIGHT_SEVENTEENTHS.wrapping_add(mul(half_denominator, MINUS_THIRTY_TWO_SEVENTEENTHS));
    let mut i = 0;
    while i < 3 {
        let product = mul(half_denominator, x);
        let error = one(2).wrapping_sub(product);
        x = x.wrapping_add(saturating_shift_left(mul(x, error), 2));
        i += 1;
    }
    saturating_shift_left(x.wrapping_sub(one(2)), 2)
}

/// `1 / (1 + exp(-a))`, `a` with 4 integer bits, the result with 0:
/// gemmlowp's `logistic`.
const fn logistic_q4(a: i32) -> i32 {
    let magnitude = if a > 0 { a } else { a.wrapping_neg() };
    let positive = one_over_one_plus_x(exp_on_negative_values(magnitude.wrapping_neg(), 4));
    if a == 0 {
        1 << 30
    } else if a > 0 {
        positive
    } else {
        one(0).wrapping_sub(positive)
    }
}

/// `tanh(a)`, `a` with 4 integer bits, the result with 0: gemmlowp's `tanh`.
const fn tanh_q4(a: i32) -> i32 {
    let negative = if a < 0 { a } else { a.wrapping_neg() };
    // `ExactMulByPot<1>`: the same raw value read with 5 integer bits.
    let t = one_minus_x_over_one_plus_x(exp_on_negative_values(negative, 5));
    if a == 0 {
        0
    } else if a < 0 {
        t.wrapping_neg()
    } else {
        t
    }
}

/// How an `i8` input is taken to gemmlowp's fixed point with 4 integer
/// bits for [`Logistic`] and [`Tanh`]: TFLite's `input_multiplier`,
/// `input_left_shift` and `input_range_radius`. Inputs at or beyond the
/// radius saturate the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputScaling {
    /// The input's zero point.
    pub zero_point: i32,
    /// `|q - zero_point|` at and beyond which the output saturates.
    pub radius: i32,
    /// The multiplier of `input_scale * 2^27`, in `[2^30, 2^31)`.
    pub multiplier: i32,
    /// Its left shift, in `0..=30`.
    pub shift: i32,
}

impl InputScaling {
    /// The bytes of an [`InputScaling`] in a blob: four `i32`s.
    pub const BYTES: usize = 16;

    /// The scaling of an input quantized as `input` (TFLite's `Prepare`
    /// for int8 `Logistic` and `Tanh`).
    ///
    /// # Errors
    ///
    /// [`QuantError::InputScale`] if the input's scale is outside what the
    /// kernel takes (`2^-27` to `8`).
    pub fn new(input: Quantization) -> Result<Self, QuantError> {
        let (multiplier, shift) = quantize_multiplier(input.scale * f64::from(1_u32 << 27))
            .ok_or(QuantError::InputScale)?;
        if !(0..=30).contains(&shift) || multiplier == 0 {
            return Err(QuantError::InputScale);
        }
        // floor(15 * 2^27 / 2^shift): CalculateInputRadius(4, shift, 31).
        let radius = (15_i64 << 27) >> shift;
        #[allow(clippy::cast_possible_truncation)]
        Ok(Self {
            zero_point: i32::from(input.zero_point),
            radius: radius.min(i64::from(i32::MAX)) as i32,
            multiplier,
            shift,
        })
    }

    /// `x`'s value with 4 integer bits, or the saturated output's sign.
    #[inline]
    const fn scaled(&self, x: i8) -> Result<i32, bool> {
        let d = x as i32 - self.zero_point;
        if d <= self.radius.wrapping_neg() {
            Err(false)
        } else if d >= self.radius {
            Err(true)
        } else {
            Ok(multiply_by_quantized_multiplier(
                d,
                self.multiplier,
                self.shift,
            ))
        }
    }

    /// Writes the four `i32`s, little endian, into the start of `out`.
    pub fn write(&self, out: &mut [u8]) {
        for (chunk, v) in
            out.chunks_exact_mut(4)
                .zip([self.zero_point, self.radius, self.multiplier, self.shift])
        {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
    }

    /// Reads what [`InputScaling::write`] wrote at `at`; usable in a
    /// `const`. Panics (a compile error in a `const`) if `bytes` is short.
    #[must_use]
    pub const fn read(bytes: &[u8], at: usize) -> Self {
        Self {
            zero_point: read_i32(bytes, at),
            radius: read_i32(bytes, at + 4),
            multiplier: read_i32(bytes, at + 8),
            shift: read_i32(bytes, at + 12),
        }
    }
}

/// The clamp to `i8`.
#[inline]
const fn to_i8(v: i32) -> i8 {
    let v = if v < -128 {
        -128
    } else if v > 127 {
        127
    } else {
        v
    };
    #[allow(clippy::cast_possible_truncation)]
    let v = v as i8;
    v
}

/// `Sigmoid` on `i8`: TFLite Micro's int8 `Logistic`. Its error against
/// the exact sigmoid is at most one output step (1/256) over every input,
/// checked exhaustively in the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Logistic(pub InputScaling);

impl Logistic {
    /// The bytes of a [`Logistic`] in a blob: its [`InputScaling`].
    pub const BYTES: usize = InputScaling::BYTES;

    /// The sigmoid of an input quantized as `input`.
    ///
    /// # Errors
    ///
    /// As [`InputScaling::new`].
    pub fn new(input: Quantization) -> Result<Self, QuantError> {
        InputScaling::new(input).map(Self)
    }

    /// Writes its [`Self::BYTES`] bytes into the start of `out`.
    pub fn write(&self, out: &mut [u8]) {
        self.0.write(out);
    }

    /// Reads what [`Self::write`] wrote at `at`; usable in a `const`.
    /// Panics (a compile error in a `const`) if `bytes` is short.
    #[must_use]
    pub const fn read(bytes: &[u8], at: usize) -> Self {
        Self(InputScaling::read(bytes, at))
    }

    /// The output's quantization, fixed: scale 1/256, zero point -128.
    pub const OUTPUT: Quantization = Quantization {
        scale: 1.0 / 256.0,
        zero_point: -128,
    };

    /// The sigmoid of each quantized value: integer arithmetic only.
    #[must_use]
    pub fn forward<const N: usize>(&self, x: &[i8; N]) -> [i8; N] {
        x.map(|v| match self.0.scaled(v) {
            Err(high) => {
                if high {
                    127
                } else {
                    -128
                }
            }
            Ok(q4) => to_i8(rounding_divide_by_pot(logistic_q4(q4), 23) - 128),
        })
    }
}

/// `Tanh` on `i8`: TFLite Micro's int8 `Tanh`. Its error against the
/// exact tanh is at most one output step (1/128), checked exhaustively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tanh(pub InputScaling);

impl Tanh {
    /// The bytes of a [`Tanh`] in a blob: its [`InputScaling`].
    pub const BYTES: usize = InputScaling::BYTES;

    /// The tanh of an input quantized as `input`.
    ///
    /// # Errors
    ///
    /// As [`InputScaling::new`].
    pub fn new(input: Quantization) -> Result<Self, QuantError> {
        InputScaling::new(input).map(Self)
    }

    /// Writes its [`Self::BYTES`] bytes into the start of `out`.
    pub fn write(&self, out: &mut [u8]) {
        self.0.write(out);
    }

    /// Reads what [`Self::write`] wrote at `at`; usable in a `const`.
    /// Panics (a compile error in a `const`) if `bytes` is short.
    #[must_use]
    pub const fn read(bytes: &[u8], at: usize) -> Self {
        Self(InputScaling::read(bytes, at))
    }

    /// The output's quantization, fixed: scale 1/128, zero point 0.
    pub const OUTPUT: Quantization = Quantization {
        scale: 1.0 / 128.0,
        zero_point: 0,
    };

    /// The tanh of each quantized value: integer arithmetic only.
    #[must_use]
    pub fn forward<const N: usize>(&self, x: &[i8; N]) -> [i8; N] {
        x.map(|v| match self.0.scaled(v) {
            Err(high) => {
                if high {
                    127
                } else {
                    -128
                }
            }
            Ok(q4) => to_i8(rounding_divide_by_pot(tanh_q4(q4), 24)),
        })
    }
}

/// `Softmax` on `i8`: TFLite Micro's int8 `Softmax` (with `beta = 1`):
/// the differences from the largest input, scaled to fixed point with 5
/// integer bits, their `exp`s summed with 12 integer bits, the sum's
/// reciprocal by Newton-Raphson, each output rounded to 1/256. Its outputs
/// are within one output step of the exact softmax of the dequantized
/// inputs, checked in the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Softmax {
    /// The multiplier of `input_scale * 2^26`, in `[2^30, 2^31)`.
    pub multiplier: i32,
    /// Its left shift, in `0..=30`.
    pub shift: i32,
    /// The lowest difference from the largest input that counts; below
    /// it an output is 0 (`-128`).
    pub diff_min: i32,
}

impl Softmax {
    /// The output's quantization, fixed: scale 1/256, zero point -128.
    pub const OUTPUT: Quantization = Logistic::OUTPUT;

    /// The bytes of a [`Softmax`] in a blob: three `i32`s.
    pub const BYTES: usize = 12;

    /// The softmax of an input quantized as `input` (TFLite's
    /// `PreprocessSoftmaxScaling` and `CalculateInputRadius`).
    ///
    /// # Errors
    ///
    /// [`QuantError::InputScale`] if the input's scale is outside what the
    /// kernel takes (`2^-26` to `2^5`).
    pub fn new(input: Quantization) -> Result<Self, QuantError> {
        let real = (input.scale * f64::from(1_u32 << 26)).min(f64::from(i32::MAX));
        let (multiplier, shift) = quantize_multiplier(real).ok_or(QuantError::InputScale)?;
        if !(0..=30).contains(&shift) || multiplier == 0 {
            return Err(QuantError::InputScale);
        }
        // floor(31 * 2^26 / 2^shift): CalculateInputRadius(5, shift, 31).
        let radius = (31_i64 << 26) >> shift;
        #[allow(clippy::cast_possible_truncation)]
        Ok(Self {
            multiplier,
            shift,
            diff_min: -(radius.min(i64::from(i32::MAX)) as i32),
        })
    }

    /// A difference from the largest input as gemmlowp's fixed point with
    /// 5 integer bits, or `None` below [`Self::diff_min`].
    #[inline]
    const fn scaled(&self, diff: i32) -> Option<i32> {
        if diff < self.diff_min {
            None
        } else {
            // MultiplyByQuantizedMultiplierGreaterThanOne.
            #[allow(clippy::cast_sign_loss)]
            let factor = 1_i32.wrapping_shl(self.shift as u32);
            Some(mul(diff.wrapping_mul(factor), self.multiplier))
        }
    }

    /// The softmax of the quantized values: integer arithmetic only.
    #[must_use]
    pub fn forward<const N: usize>(&self, x: &[i8; N]) -> [i8; N] {
        let largest = x.iter().fold(i8::MIN, |m, v| if *v > m { *v } else { m });
        let largest = i32::from(largest);
        let mut sum: i32 = 0;
        for v in x {
            if let Some(d) = self.scaled(i32::from(*v) - largest) {
                // Rescale<12> from 0 integer bits.
                sum = sum.wrapping_add(rounding_divide_by_pot(exp_on_negative_values(d, 5), 12));
            }
        }
        // GetReciprocal(sum, 12): sum > 0, since the largest input adds 1.
        #[allow(clippy::cast_sign_loss)]
        let sum = sum as u32;
        let headroom = sum.leading_zeros();
        #[allow(clippy::cast_possible_wrap)]
        let bits_over_unit = 12 - headroom as i32;
        #[allow(clippy::cast_possible_wrap)]
        let shifted = sum.wrapping_shl(headroom).wrapping_sub(1 << 31) as i32;
        let reciprocal = one_over_one_plus_x(shifted);
        x.map(|v| match self.scaled(i32::from(v) - largest) {
            None => -128,
            Some(d) => {
                let e = exp_on_negative_values(d, 5);
                to_i8(rounding_divide_by_pot(mul(reciprocal, e), bits_over_unit + 23) - 128)
            }
        })
    }

    /// Writes the three `i32`s, little endian, into the start of `out`.
    pub fn write(&self, out: &mut [u8]) {
        for (chunk, v) in out
            .chunks_exact_mut(4)
            .zip([self.multiplier, self.shift, self.diff_min])
        {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
    }

    /// Reads what [`Softmax::write`] wrote at `at`; usable in a `const`.
    /// Panics (a compile error in a `const`) if `bytes` is short.
    #[must_use]
    pub const fn read(bytes: &[u8], at: usize) -> Self {
        Self {
            multiplier: read_i32(bytes, at),
            shift: read_i32(bytes, at + 4),
            diff_min: read_i32(bytes, at + 8),
        }
    }
}
