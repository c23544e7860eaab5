//! Int8 inference by post-training quantization, with TFLite's integer
//! arithmetic: the building blocks.
//!
//! A quantized dense layer holds `i8` weights, symmetric per output
//! channel (`w ≈ scale_w[o] * q`, `q` in `-127..=127`), `i32` biases in
//! the accumulator's scale (`input_scale * scale_w[o]`), and for each
//! output channel a fixed-point multiplier and shift that take the `i32`
//! accumulator to the output's scale. Activations are `i8`, affine per
//! tensor (`x ≈ scale * (q - zero_point)`). A forward pass is integer
//! arithmetic only, TFLite's reference kernel step for step:
//!
//! ```text
//! acc[o] = bias[o] + sum_i w[o][i] * (x[i] - input_zero_point)
//! y[o]   = clamp(MultiplyByQuantizedMultiplier(acc[o], m[o], shift[o]) + output_zero_point, min, max)
//! ```
//!
//! with TFLite's rounding (`SaturatingRoundingDoublingHighMul`, then
//! `RoundingDivideByPOT`). `ReLU` and `ReLU6` are fused into the clamp.
//! Quantizing (choosing scales, rounding weights) happens once, on the
//! host, in `f64`, as TFLite's converter does: round half away from zero.
//!
//! For a dense network whose activations are `Linear`, `ReLU` or `ReLU6`,
//! `network!` generates `NameInt8`, a quantized copy made by
//! `Name::<f32>::quantize(calibration)`: the input's and every
//! layer's output range are taken over the calibration inputs (by the
//! float network's forward trace), then each layer is quantized with
//! [`Dense::quantize`]. The building blocks are checked bit for bit
//! against an independent implementation of TFLite's formulas
//! (`scripts/int8_fixtures.py`, `tests/test_int8.rs`).
//!
//! # Examples
//!
//! ```
//! use backprop_core::int8::{Dense, Fused, Quantization};
//!
//! let weights = [[0.5_f32, -0.25], [1.0, 0.75]];
//! let bias = [0.1_f32, -0.2];
//! let input = Quantization::from_range(-1.0, 1.0).unwrap();
//! let output = Quantization::from_range(0.0, 2.0).unwrap();
//! let layer = Dense::quantize(&weights, &bias, input, output, Fused::Relu).unwrap();
//! let x = [0.8_f32, -0.4];
//! let y = layer.forward(&x.map(|v| input.quantize(v)));
//! // z = [0.1 + 0.4 + 0.1, -0.2 + 0.8 - 0.3] = [0.6, 0.3]
//! assert!((output.dequantize(y[0]) - 0.6).abs() < 0.02);
//! assert!((output.dequantize(y[1]) - 0.3).abs() < 0.02);
//! ```

use core::fmt;

mod nonlinear;
pub use nonlinear::{InputScaling, Logistic, Softmax, Tanh};

/// `(a * b * 2) >> 32`, rounded to nearest (ties away from zero), saturated
/// for the one overflowing case (`i32::MIN * i32::MIN`): TFLite's (and
/// gemmlowp's) `SaturatingRoundingDoublingHighMul`.
#[inline]
#[must_use]
pub const fn saturating_rounding_doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let ab = a as i64 * b as i64;
    let nudge = if ab >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    // Division truncating towards zero, as C++'s.
    ((ab + nudge) / (1_i64 << 31)) as i32
}

/// `x / 2^exponent`, rounded to nearest, ties away from zero: TFLite's
/// `RoundingDivideByPOT`. `exponent` is taken into `0..=31`.
#[inline]
#[must_use]
pub const fn rounding_divide_by_pot(x: i32, exponent: i32) -> i32 {
    let exponent = if exponent < 0 {
        0
    } else if exponent > 31 {
        31
    } else {
        exponent
    };
    let mask = ((1_i64 << exponent) - 1) as i32;
    let remainder = x & mask;
    let threshold = (mask >> 1) + if x < 0 { 1 } else { 0 };
    (x >> exponent) + if remainder > threshold { 1 } else { 0 }
}

/// `x * multiplier * 2^(shift - 31)`, rounded as TFLite's
/// `MultiplyByQuantizedMultiplier` does: a left shift for a positive
/// `shift`, then the doubling high multiply, then a rounding right shift
/// for a negative one. A `shift` beyond what [`quantize_multiplier`]
/// gives (`-31..=30`) is taken into that range.
#[inline]
#[must_use]
pub const fn multiply_by_quantized_multiplier(x: i32, multiplier: i32, shift: i32) -> i32 {
    let shift = if shift < -31 {
        -31
    } else if shift > 30 {
        30
    } else {
        shift
    };
    let (left, right) = if shift > 0 { (shift, 0) } else { (0, -shift) };
    let shifted = x.wrapping_mul(1 << left);
    rounding_divide_by_pot(
        saturating_rounding_doubling_high_mul(shifted, multiplier),
        right,
    )
}

/// `real` as TFLite's `QuantizeMultiplier` writes it: `multiplier * 2^(shift
/// - 31)` with `multiplier` in `[2^30, 2^31)` (or 0 for 0). `None` for a
/// value that is negative, not finite, or too large (`shift > 30`).
#[must_use]
pub fn quantize_multiplier(real: f64) -> Option<(i32, i32)> {
    if !real.is_finite() || real < 0.0 {
        return None;
    }
    if real == 0.0 {
        return Some((0, 0));
    }
    let (mut q, mut shift) = libm::frexp(real);
    q = libm::round(q * (1_i64 << 31) as f64);
    #[allow(clippy::cast_possible_truncation)]
    let mut fixed = q as i64;
    if fixed == 1_i64 << 31 {
        fixed /= 2;
        shift += 1;
    }
    if shift < -31 {
        return Some((0, 0));
    }
    if shift > 30 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    Some((fixed as i32, shift))
}

/// Why a layer or a range could not be quantized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantError {
    /// A weight, bias or range bound was NaN or infinite.
    NonFinite,
    /// A range whose bounds are reversed or equal.
    EmptyRange,
    /// An output channel's multiplier does not fit TFLite's form (an
    /// output scale far smaller than the input's times the weights').
    Multiplier {
        /// The output channel.
        channel: usize,
    },
    /// A bias too large for the `i32` accumulator.
    Bias {
        /// The output channel.
        channel: usize,
    },
    /// No calibration samples: the activations' ranges are unknown.
    NoCalibration,
    /// The input of a `Sigmoid`, `Tanh` or `Softmax` has a scale outside
    /// what TFLite's integer kernel takes (a range wider than about 2,000
    /// or narrower than about 1e-6).
    InputScale,
}

impl fmt::Display for QuantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonFinite => f.write_str("a weight, bias or range bound is not finite"),
            Self::EmptyRange => f.write_str("a quantization range is empty or reversed"),
            Self::Multiplier { channel } => write!(
                f,
                "output channel {channel}: the requantization multiplier is out of range"
            ),
            Self::Bias { channel } => {
                write!(f, "output channel {channel}: the bias overflows an i32")
            }
            Self::NoCalibration => f.write_str("no calibration samples to take ranges from"),
            Self::InputScale => f.write_str(
                "the input range of a Sigmoid, Tanh or Softmax is too wide or too narrow for its integer kernel",
            ),
        }
    }
}

impl core::error::Error for QuantError {}

/// Rounds half away from zero, as TFLite's converter (`std::round`).
fn round(x: f64) -> f64 {
    libm::round(x)
}

/// An affine `i8` quantization of one tensor: `x ≈ scale * (q -
/// zero_point)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantization {
    /// The real value of one step of `q`.
    pub scale: f64,
    /// The `q` that stands for 0.
    pub zero_point: i8,
}

impl Quantization {
    /// The quantization of values seen in `[min, max]`, widened to include
    /// 0 (so that 0, and `ReLU`'s cut, are exact), as TFLite's converter
    /// chooses it: `scale = (max - min) / 255`, `zero_point = round(-128 -
    /// min / scale)`.
    ///
    /// # Errors
    ///
    /// [`QuantError::NonFinite`], or [`QuantError::EmptyRange`] for
    /// `min >= max` once 0 is included (only `[0, 0]`) or reversed bounds.
    pub fn from_range(min: f64, max: f64) -> Result<Self, QuantError> {
        if !min.is_finite() || !max.is_finite() {
            return Err(QuantError::NonFinite);
        }
        if min > max {
            return Err(QuantError::EmptyRange);
        }
        let (min, max) = (min.min(0.0), max.max(0.0));
        if min >= max {
            return Err(QuantError::EmptyRange);
        }
        let scale = (max - min) / 255.0;
        let zero = round(-128.0 - min / scale).clamp(-128.0, 127.0);
        #[allow(clippy::cast_possible_truncation)]
        Ok(Self {
            scale,
            zero_point: zero as i8,
        })
    }

    /// `x` quantized: `clamp(round(x / scale) + zero_point, -128, 127)`.
    #[must_use]
    pub fn quantize(&self, x: f32) -> i8 {
        let q = round(f64::from(x) / self.scale) + f64::from(self.zero_point);
        #[allow(clippy::cast_possible_truncation)]
        let q = q.clamp(-128.0, 127.0) as i8;
        q
    }

    /// The real value `q` stands for.
    #[must_use]
    pub fn dequantize(&self, q: i8) -> f32 {
        #[allow(clippy::cast_possible_truncation)]
        let x = (self.scale * f64::from(i32::from(q) - i32::from(self.zero_point))) as f32;
        x
    }
}

/// The range of values one tensor took over a calibration set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    /// The smallest value seen (`+inf` before any).
    pub min: f64,
    /// The largest value seen (`-inf` before any).
    pub max: f64,
}

impl Default for Range {
    fn default() -> Self {
        Self {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Range {
    /// Widens the range to take in `values`.
    pub fn observe(&mut self, values: &[f32]) {
        for v in values {
            self.min = self.min.min(f64::from(*v));
            self.max = self.max.max(f64::from(*v));
        }
    }

    /// The range's quantization ([`Quantization::from_range`]).
    ///
    /// # Errors
    ///
    /// [`QuantError::NoCalibration`] if nothing was observed, else as
    /// [`Quantization::from_range`].
    pub fn quantization(&self) -> Result<Quantization, QuantError> {
        if self.min > self.max {
            return Err(QuantError::NoCalibration);
        }
        Quantization::from_range(self.min, self.max)
    }
}

/// `w` stored `[in][out]` as `[out][in]`, the order [`Dense::quantize`]
/// takes.
#[must_use]
pub fn transposed<const IN: usize, const OUT: usize>(w: &[[f32; OUT]; IN]) -> [[f32; IN]; OUT] {
    core::array::from_fn(|o| core::array::from_fn(|i| w[i][o]))
}

/// The activation a quantized layer fuses into its output clamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fused {
    /// No activation: the clamp is the `i8` range.
    None,
    /// `ReLU`: nothing below the output's zero point.
    Relu,
    /// `ReLU6`: nothing below 0 nor above 6.
    Relu6,
}

/// A dense layer of `OUT` neurons over `IN` inputs in `i8`, as TFLite's
/// fully connected kernel with per-channel weights runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dense<const IN: usize, const OUT: usize> {
    /// The weights, `[out][in]`, symmetric: `w[o][i] ≈ weight_scale[o] * q`.
    pub weights: [[i8; IN]; OUT],
    /// The biases in the accumulator's scale, `input_scale * weight_scale[o]`.
    pub bias: [i32; OUT],
    /// Each output channel's requantization multiplier, in `[2^30, 2^31)`.
    pub multiplier: [i32; OUT],
    /// Each output channel's shift (see [`multiply_by_quantized_multiplier`]).
    pub shift: [i32; OUT],
    /// The input's zero point.
    pub input_zero_point: i32,
    /// The output's zero point.
    pub output_zero_point: i32,
    /// The lowest output (the fused activation's floor).
    pub min: i8,
    /// The highest output.
    pub max: i8,
}

impl<const IN: usize, const OUT: usize> Dense<IN, OUT> {
    /// Quantizes a float layer: `weights[o][i]` and `bias[o]`, whose input
    /// and output are quantized as `input` and `output`, with `fused`
    /// applied to the output. Each output channel's weights are scaled by
    /// their largest magnitude to `-127..=127`; a channel of zeros gets
    /// scale 1.
    ///
    /// # Errors
    ///
    /// [`QuantError::NonFinite`], [`QuantError::Multiplier`] or
    /// [`QuantError::Bias`].
    pub fn quantize(
        weights: &[[f32; IN]; OUT],
        bias: &[f32; OUT],
        input: Quantization,
        output: Quantization,
        fused: Fused,
    ) -> Result<Self, QuantError> {
        if weights.iter().flatten().chain(bias).any(|v| !v.is_finite()) {
            return Err(QuantError::NonFinite);
        }
        let mut layer = Self {
            weights: [[0; IN]; OUT],
            bias: [0; OUT],
            multiplier: [0; OUT],
            shift: [0; OUT],
            input_zero_point: i32::from(input.zero_point),
            output_zero_point: i32::from(output.zero_point),
            min: i8::MIN,
            max: i8::MAX,
        };
        for o in 0..OUT {
            let largest = weights[o]
                .iter()
                .fold(0.0_f64, |m, w| m.max(f64::from(*w).abs()));
            let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
            for (q, w) in layer.weights[o].iter_mut().zip(&weights[o]) {
                #[allow(clippy::cast_possible_truncation)]
                let v = round(f64::from(*w) / scale).clamp(-127.0, 127.0) as i8;
                *q = v;
            }
            let accumulator = input.scale * scale;
            let b = round(f64::from(bias[o]) / accumulator);
            if !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&b) {
                return Err(QuantError::Bias { channel: o });
            }
            #[allow(clippy::cast_possible_truncation)]
            let b = b as i32;
            layer.bias[o] = b;
            let (m, s) = quantize_multiplier(accumulator / output.scale)
                .ok_or(QuantError::Multiplier { channel: o })?;
            layer.multiplier[o] = m;
            layer.shift[o] = s;
        }
        let zero = i32::from(output.zero_point);
        let (min, max) = match fused {
            Fused::None => (-128, 127),
            Fused::Relu => (zero.max(-128), 127),
            Fused::Relu6 => {
                #[allow(clippy::cast_possible_truncation)]
                let six = zero + round(6.0 / output.scale) as i32;
                (zero.max(-128), six.min(127))
            }
        };
        #[allow(clippy::cast_possible_truncation)]
        {
            layer.min = min.clamp(-128, 127) as i8;
            layer.max = max.clamp(-128, 127) as i8;
        }
        Ok(layer)
    }

    /// The layer's output for the quantized input `x`: integer arithmetic
    /// only, and no panic, whatever the fields hold. The accumulator is an `i32`, as TFLite's: it cannot overflow
    /// for `IN` up to 66,000 (each term is at most `127 * 255` in size); a
    /// wider layer's sums wrap rather than panic.
    #[must_use]
    pub fn forward(&self, x: &[i8; IN]) -> [i8; OUT] {
        let mut out = [0_i8; OUT];
        for (o, y) in out.iter_mut().enumerate() {
            let mut acc = self.bias[o];
            for (w, x) in self.weights[o].iter().zip(x) {
                acc = acc.wrapping_add(i32::from(*w) * (i32::from(*x) - self.input_zero_point));
            }
            let scaled = multiply_by_quantized_multiplier(acc, self.multiplier[o], self.shift[o]);
            // `max` then `min`, not `clamp`, which panics when `min > max`.
            let v = scaled
                .saturating_add(self.output_zero_point)
                .max(i32::from(self.min))
                .min(i32::from(self.max));
            #[allow(clippy::cast_possible_truncation)]
            let v = v as i8;
            *y = v;
        }
        out
    }
}

/// The kind byte of an int8 network's weights blob (see
/// [`crate::weights`]): its payload, where a float network's parameters
/// would be, is the [`Quantization`]s of the input and the output (`f64`
/// scale, `i8` zero point), then each layer's [`Dense::BYTES`] bytes.
pub const KIND: u8 = 5;

/// The bytes of one [`Quantization`] in a blob.
pub const QUANTIZATION_BYTES: usize = 9;

impl Quantization {
    /// Writes the scale's little-endian bits and the zero point into the
    /// first [`QUANTIZATION_BYTES`] of `out`.
    pub fn write(&self, out: &mut [u8]) {
        out[..8].copy_from_slice(&self.scale.to_bits().to_le_bytes());
        out[8] = self.zero_point.to_le_bytes()[0];
    }

    /// Reads what [`Quantization::write`] wrote at `at`; usable in a
    /// `const`. Panics (a compile error in a `const`) if `bytes` is short.
    #[must_use]
    pub const fn read(bytes: &[u8], at: usize) -> Self {
        let mut raw = [0_u8; 8];
        let mut k = 0;
        while k < 8 {
            raw[k] = bytes[at + k];
            k += 1;
        }
        Self {
            scale: f64::from_bits(u64::from_le_bytes(raw)),
            zero_point: i8::from_le_bytes([bytes[at + 8]]),
        }
    }
}

/// An `i32` from its four little-endian bytes at `at`.
const fn read_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

impl<const IN: usize, const OUT: usize> Dense<IN, OUT> {
    /// The bytes of the layer in a blob: the weights row by row, then per
    /// output channel the bias, the multiplier and the shift (`i32`, little
    /// endian), then the two zero points (`i32`) and the clamp (`i8`).
    pub const BYTES: usize = IN * OUT + 12 * OUT + 10;

    /// Writes the layer's [`Self::BYTES`] bytes into the start of `out`.
    pub fn write(&self, out: &mut [u8]) {
        let (weights, rest) = out.split_at_mut(IN * OUT);
        for (b, w) in weights.iter_mut().zip(self.weights.iter().flatten()) {
            *b = w.to_le_bytes()[0];
        }
        let mut fields = rest.chunks_exact_mut(4);
        for v in self
            .bias
            .iter()
            .chain(&self.multiplier)
            .chain(&self.shift)
            .chain([&self.input_zero_point, &self.output_zero_point])
        {
            if let Some(chunk) = fields.next() {
                chunk.copy_from_slice(&v.to_le_bytes());
            }
        }
        let end = 12 * OUT + 8;
        rest[end] = self.min.to_le_bytes()[0];
        rest[end + 1] = self.max.to_le_bytes()[0];
    }

    /// Reads what [`Dense::write`] wrote at `at`; usable in a `const`.
    /// Panics (a compile error in a `const`) if `bytes` is short.
    #[must_use]
    pub const fn read(bytes: &[u8], at: usize) -> Self {
        let mut layer = Self {
            weights: [[0; IN]; OUT],
            bias: [0; OUT],
            multiplier: [0; OUT],
            shift: [0; OUT],
            input_zero_point: 0,
            output_zero_point: 0,
            min: 0,
            max: 0,
        };
        let mut o = 0;
        while o < OUT {
            let mut i = 0;
            while i < IN {
                layer.weights[o][i] = i8::from_le_bytes([bytes[at + o * IN + i]]);
                i += 1;
            }
            o += 1;
        }
        let fields = at + IN * OUT;
        let mut o = 0;
        while o < OUT {
            layer.bias[o] = read_i32(bytes, fields + 4 * o);
            layer.multiplier[o] = read_i32(bytes, fields + 4 * (OUT + o));
            layer.shift[o] = read_i32(bytes, fields + 4 * (2 * OUT + o));
            o += 1;
        }
        layer.input_zero_point = read_i32(bytes, fields + 12 * OUT);
        layer.output_zero_point = read_i32(bytes, fields + 12 * OUT + 4);
        layer.min = i8::from_le_bytes([bytes[fields + 12 * OUT + 8]]);
        layer.max = i8::from_le_bytes([bytes[fields + 12 * OUT + 9]]);
        layer
    }
}
